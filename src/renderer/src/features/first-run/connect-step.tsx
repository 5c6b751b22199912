import { useState } from 'react'
import type { JSX } from 'react'
import type { MethodOutput } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { ServerIcon } from '../../lib/ui/icons'
import { modelCountLabel } from '../settings/provider-display'
import { ConnectForm } from './connect-form'
import type { ProviderCard } from './first-run-model'
import { CUSTOM_CARD, localCard, PROVIDER_CARDS } from './first-run-model'

type Detected = MethodOutput<'providers.detectLocal'>[number]
type Scan =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'done'; found: Detected[] }
  | { status: 'error'; message: string }

/**
 * "Connect a model": a card per hosted provider (OpenRouter first), Anthropic, an endpoint of the
 * user's own, and "Detect local models" for servers on this computer; choosing one opens its
 * form. `taken`: the provider names in use (the new one gets a free name).
 */
export function ConnectStep({
  taken,
  onConnected,
}: {
  taken: readonly string[]
  onConnected: (modelRef: string) => void
}): JSX.Element {
  const [chosen, setChosen] = useState<{ card: ProviderCard; found?: string[] } | null>(null)
  const [scan, setScan] = useState<Scan>({ status: 'idle' })

  if (chosen !== null) {
    return (
      <ConnectForm
        key={`${chosen.card.preset ?? 'custom'}:${chosen.card.baseUrl}`}
        card={chosen.card}
        {...(chosen.found ? { found: chosen.found } : {})}
        taken={taken}
        onBack={() => setChosen(null)}
        onConnected={onConnected}
      />
    )
  }

  const detect = async (): Promise<void> => {
    setScan({ status: 'busy' })
    try {
      setScan({ status: 'done', found: await getClient().call('providers.detectLocal', {}) })
    } catch (err) {
      setScan({ status: 'error', message: `Could not look for local models: ${errorMessage(err)}` })
    }
  }

  return (
    <section className="first-run-connect" aria-labelledby="first-run-connect-title">
      <h2 id="first-run-connect-title">Connect a model</h2>
      <p className="first-run-hint">
        Paddock’s agents think with a model you bring: pick where yours comes from. You can add more
        later in Settings.
      </p>
      <ul className="first-run-cards" aria-label="Model providers">
        {[...PROVIDER_CARDS, CUSTOM_CARD].map((c) => (
          <li key={c.preset ?? 'custom'}>
            <button type="button" className="first-run-card" onClick={() => setChosen({ card: c })}>
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
        <div className="first-run-actions">
          <button
            type="button"
            className="btn"
            disabled={scan.status === 'busy'}
            onClick={() => void detect()}
          >
            Detect local models
          </button>
          <span role="status" className="muted">
            {scan.status === 'busy'
              ? 'Looking for Ollama, LM Studio and vLLM…'
              : scan.status === 'done' && scan.found.length === 0
                ? 'None answered (Ollama on port 11434, LM Studio on 1234, vLLM on 8000). Start one, then try again.'
                : scan.status === 'done'
                  ? `Found ${scan.found.length === 1 ? 'one server' : `${scan.found.length} servers`}.`
                  : ''}
          </span>
        </div>
        {scan.status === 'error' && (
          <p role="alert" className="settings-error">
            {scan.message}
          </p>
        )}
        {scan.status === 'done' && scan.found.length > 0 && (
          <ul className="first-run-cards" aria-label="Local model servers">
            {scan.found.map((server) => {
              const c = localCard(server)
              return (
                <li key={server.baseUrl}>
                  <button
                    type="button"
                    className="first-run-card"
                    onClick={() => setChosen({ card: c, found: server.models })}
                  >
                    <span className="first-run-card-name">
                      <ServerIcon /> {c.label}
                    </span>
                    <span className="first-run-card-blurb">
                      {server.baseUrl} · {modelCountLabel(server.models.length)}
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
