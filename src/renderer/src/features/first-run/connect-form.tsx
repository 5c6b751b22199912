import { useEffect, useId, useRef, useState } from 'react'
import type { FormEvent, JSX } from 'react'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { ExternalLink } from '../../lib/ui/external-link'
import { describedBy, Field } from '../settings/field'
import { KeyInput } from '../settings/key-input'
import { checkTest, emptyForm } from '../settings/provider-form-model'
import type { VerdictView } from '../settings/verdict'
import { countModels, describeVerdict } from '../settings/verdict'
import { StatusArea } from '../settings/verdict-line'
import type { ProviderCard } from './first-run-model'
import { providerName, shortUrl, suggestedModel } from './first-run-model'

type Busy = 'test' | 'save'
const BUSY_TEXT: Record<Busy, string> = {
  test: 'Testing the connection…',
  save: 'Saving…',
}

/**
 * Connect one provider: its Base URL and API key (each with a visible label), Test connection
 * with the verdict in words, then the model to start with; "Save and continue" stores the
 * provider (the key goes to the host's secret store and nowhere else) and makes the model the
 * default. The key lives only in its password field until it is sent; an error keeps everything
 * typed. `found`: the models a local server listed when it was detected (no test needed until
 * the address changes).
 */
export function ConnectForm({
  card,
  found,
  taken,
  onBack,
  onConnected,
}: {
  card: ProviderCard
  found?: readonly string[]
  taken: readonly string[]
  onBack: () => void
  onConnected: (modelRef: string) => void
}): JSX.Element {
  const [baseUrl, setBaseUrl] = useState(card.baseUrl)
  const [busy, setBusy] = useState<Busy | null>(null)
  const [verdict, setVerdict] = useState<VerdictView | null>(
    found ? { tone: 'ok', title: `Found — ${countModels(found.length)}`, detail: null } : null,
  )
  const [models, setModels] = useState<readonly string[] | null>(found ?? null)
  const [model, setModel] = useState(found ? (suggestedModel(found) ?? '') : '')
  const [error, setError] = useState<string | null>(null)
  const [urlError, setUrlError] = useState<string | undefined>(undefined)
  /** The name an earlier try saved the provider under (its default-model step failed). */
  const [savedAs, setSavedAs] = useState<string | null>(null)
  const keyRef = useRef<HTMLInputElement>(null)
  const firstRef = useRef<HTMLInputElement>(null)
  const modelRef = useRef<HTMLSelectElement>(null)
  /** Counts connection tests: an answer to an older one (the fields changed since) is dropped. */
  const testRun = useRef(0)
  const base = useId()
  const id = (field: string): string => `${base}-${field}`
  const connected = verdict?.tone === 'ok' && models !== null

  useEffect(() => {
    ;(found ? modelRef.current : card.baseUrl ? keyRef.current : firstRef.current)?.focus()
  }, [card.baseUrl, found])

  /** The address or key changed: the last verdict and its models no longer apply. */
  const stale = (): void => {
    testRun.current++
    setBusy((b) => (b === 'test' ? null : b))
    setVerdict(null)
    setModels(null)
    setError(null)
    setUrlError(undefined)
  }

  const test = async (): Promise<void> => {
    const address = baseUrl.trim()
    const key = keyRef.current?.value ?? ''
    // The Settings form's own checks (a base URL an endpoint needs, a real http(s) address).
    const form = { ...emptyForm(), type: card.kind === 'anthropic' ? 'anthropic' : 'custom' }
    const checked = checkTest(
      { ...form, baseUrl: address },
      { kind: 'add', existingNames: [] },
      key,
    )
    if (!checked.ok) {
      setUrlError(checked.errors.baseUrl ?? checked.errors.apiKey)
      firstRef.current?.focus()
      return
    }
    const mine = ++testRun.current
    setBusy('test')
    setError(null)
    setUrlError(undefined)
    setVerdict(null)
    try {
      const result = await getClient().call('providers.test', checked.params)
      if (mine !== testRun.current) return
      setVerdict(describeVerdict(result, { kind: card.kind, baseUrl: address }))
      if (result.verdict === 'ok') {
        setModels(result.models)
        setModel(suggestedModel(result.models) ?? '')
      }
    } catch (err) {
      if (mine === testRun.current) setError(errorMessage(err))
    } finally {
      if (mine === testRun.current) setBusy(null)
    }
  }

  const save = async (): Promise<void> => {
    const chosen = model.trim()
    if (!connected || !chosen) return
    setBusy('save')
    setError(null)
    // Saved again under the same name when an earlier try got that far (a save updates by name).
    const name = savedAs ?? providerName(card, baseUrl, taken)
    const key = keyRef.current?.value.trim() ?? ''
    try {
      await getClient().call('providers.save', {
        name,
        kind: card.kind,
        ...(card.preset ? { preset: card.preset } : {}),
        ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
        ...(key ? { apiKey: key } : {}),
        models: models.includes(chosen) ? [...models] : [...models, chosen],
      })
      setSavedAs(name)
    } catch (err) {
      setError(`Could not save: ${errorMessage(err)}`)
      setBusy(null)
      return
    }
    try {
      const result = await getClient().call('models.setDefault', { ref: `${name}/${chosen}` })
      if (keyRef.current) keyRef.current.value = ''
      onConnected(result.defaultModel ?? `${name}/${chosen}`)
    } catch (err) {
      setError(`Saved “${name}”, but could not make ${chosen} the default: ${errorMessage(err)}`)
      setBusy(null)
    }
  }

  const submit = (e: FormEvent): void => {
    e.preventDefault()
    if (busy !== null) return
    void (connected ? save() : test())
  }

  return (
    <form className="first-run-form" aria-label={card.heading} noValidate onSubmit={submit}>
      <div className="first-run-form-head">
        <button type="button" className="btn btn-ghost btn-small" onClick={onBack}>
          ← All providers
        </button>
        <h2>{card.heading}</h2>
      </div>
      <p className="first-run-hint">
        {card.keyUrl ? (
          <>
            Get a key at <ExternalLink url={card.keyUrl}>{shortUrl(card.keyUrl)}</ExternalLink>,
            then paste it below.
          </>
        ) : card.preset === null ? (
          'The address your gateway or server gives for OpenAI-compatible clients, usually ending in /v1.'
        ) : (
          'A server on this computer needs no key.'
        )}
      </p>

      <Field
        id={id('baseUrl')}
        label="Base URL"
        error={urlError}
        help={
          card.kind === 'anthropic'
            ? 'Leave as it is for Anthropic’s own API.'
            : card.baseUrl
              ? 'Filled in for you; change it only for a gateway of your own.'
              : undefined
        }
      >
        <input
          ref={firstRef}
          id={id('baseUrl')}
          className="text-input settings-mono"
          type="url"
          inputMode="url"
          value={baseUrl}
          autoComplete="off"
          spellCheck={false}
          placeholder="https://api.example.com/v1"
          aria-invalid={urlError ? true : undefined}
          aria-describedby={describedBy(id('baseUrl'), {
            help: card.kind === 'anthropic' || card.baseUrl !== '',
            error: urlError,
          })}
          onChange={(e) => {
            setBaseUrl(e.target.value)
            stale()
          }}
        />
      </Field>

      <Field
        id={id('apiKey')}
        label="API key"
        help={
          card.needsKey
            ? 'Kept by Paddock in its secret store on this computer; never shown again, never given to the agent.'
            : 'Leave empty when the server needs none.'
        }
      >
        <KeyInput
          id={id('apiKey')}
          inputRef={keyRef}
          describedBy={describedBy(id('apiKey'), { help: true })}
          onInput={stale}
        />
      </Field>

      <div className="first-run-actions">
        <button
          type={connected ? 'button' : 'submit'}
          className={connected ? 'btn' : 'btn btn-primary'}
          disabled={busy !== null}
          onClick={connected ? () => void test() : undefined}
        >
          Test connection
        </button>
        <StatusArea busy={busy && BUSY_TEXT[busy]} verdict={verdict} />
      </div>
      {error && (
        <p role="alert" className="settings-error">
          {error}
        </p>
      )}

      {connected && (
        <>
          <Field
            id={id('model')}
            label="Model"
            help={
              models.length > 0
                ? 'New sessions start with it; you can switch models in any session.'
                : 'The endpoint lists no models: type the name it expects.'
            }
          >
            {models.length > 0 ? (
              <select
                ref={modelRef}
                id={id('model')}
                className="text-input settings-select"
                value={model}
                aria-describedby={describedBy(id('model'), { help: true })}
                onChange={(e) => setModel(e.target.value)}
              >
                {models.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id('model')}
                className="text-input settings-mono"
                value={model}
                autoComplete="off"
                spellCheck={false}
                aria-describedby={describedBy(id('model'), { help: true })}
                onChange={(e) => setModel(e.target.value)}
              />
            )}
          </Field>
          <div className="first-run-actions">
            <button
              type="submit"
              className="btn btn-primary"
              disabled={busy !== null || !model.trim()}
            >
              Save and continue
            </button>
          </div>
        </>
      )}
    </form>
  )
}
