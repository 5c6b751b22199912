import { useEffect, useRef, useState } from 'react'
import type { JSX } from 'react'
import type { ProviderView } from '../../../../shared/contract'
import { ServerIcon } from '../../lib/ui/icons'
import { providerAt, ScanControls, useLocalScan } from '../settings/local-servers'
import { modelCountLabel } from '../settings/provider-display'
import { ConnectForm } from './connect-form'
import type { ProviderCard } from './first-run-model'
import { CUSTOM_CARD, localCard, PROVIDER_CARDS } from './first-run-model'

/**
 * "Connect a model": a card per hosted provider (OpenRouter first), Anthropic, an endpoint of the
 * user's own, and "Detect local models" for servers on this computer; choosing one opens its
 * form. `taken`: the provider names in use (the new one gets a free name).
 */
export function ConnectStep({
  providers,
  onConnected,
}: {
  providers: readonly ProviderView[]
  onConnected: (modelRef: string) => void
}): JSX.Element {
  const [chosen, setChosen] = useState<{ card: ProviderCard; found?: string[] } | null>(null)
  const { scan, detect } = useLocalScan()
  /** The card the form was opened from: focus goes back to it. */
  const lastCard = useRef<string | null>(null)
  const list = useRef<HTMLElement>(null)
  useEffect(() => {
    if (chosen !== null || lastCard.current === null) return
    list.current
      ?.querySelector<HTMLElement>(`[data-card="${CSS.escape(lastCard.current)}"]`)
      ?.focus()
  }, [chosen])
  const choose = (card: ProviderCard, key: string, found?: string[]): void => {
    lastCard.current = key
    setChosen(found ? { card, found } : { card })
  }

  if (chosen !== null) {
    return (
      <ConnectForm
        key={`${chosen.card.preset ?? 'custom'}:${chosen.card.baseUrl}`}
        card={chosen.card}
        {...(chosen.found ? { found: chosen.found } : {})}
        taken={['env', ...providers.map((p) => p.name)]}
        onBack={() => setChosen(null)}
        onConnected={onConnected}
      />
    )
  }

  return (
    <section ref={list} className="first-run-connect" aria-labelledby="first-run-connect-title">
      <h2 id="first-run-connect-title">Connect a model</h2>
      <p className="first-run-hint">
        Paddock’s agents think with a model you bring: pick where yours comes from. You can add more
        later in Settings.
      </p>
      <ul className="first-run-cards" aria-label="Model providers">
        {[...PROVIDER_CARDS, CUSTOM_CARD].map((c) => (
          <li key={c.preset ?? 'custom'}>
            <button
              type="button"
              className="first-run-card"
              data-card={c.preset ?? 'custom'}
              onClick={() => choose(c, c.preset ?? 'custom')}
            >
              <span className="first-run-card-name">{c.label}</span>
              <span className="first-run-card-blurb">{c.blurb}</span>
            </button>
          </li>
        ))}
      </ul>

      <div className="first-run-local">
        <h3>Models on this computer</h3>
        <p className="first-run-hint">
          Ollama, LM Studio or vLLM running here need no key and send nothing off this machine.
        </p>
        <ScanControls
          scan={scan}
          detect={detect}
          label="Detect local models"
          rowClassName="first-run-actions"
        />
        {scan.status === 'done' && scan.found.length > 0 && (
          <ul className="first-run-cards" aria-label="Local model servers">
            {scan.found.map((server) => {
              const c = localCard(server)
              const added = providerAt(providers, server.baseUrl)
              return (
                <li key={server.baseUrl}>
                  <button
                    type="button"
                    className="first-run-card"
                    disabled={added !== undefined}
                    data-card={server.baseUrl}
                    onClick={() => choose(c, server.baseUrl, server.models)}
                  >
                    <span className="first-run-card-name">
                      <ServerIcon /> {c.label}
                    </span>
                    <span className="first-run-card-blurb">
                      {server.baseUrl} · {modelCountLabel(server.models.length)}
                      {added && ` · added as “${added.name}”`}
                    </span>
                  </button>
                </li>
              )
            })}
          </ul>
        )}
      </div>
    </section>
  )
}
