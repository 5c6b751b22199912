import { useEffect, useId, useRef, useState } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import type { ProviderView } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { describedBy, Field } from './field'
import { KeyInput } from './key-input'
import { ModelPicker } from './model-picker'
import type { FieldErrors, FieldName, FormMode, ProviderForm } from './provider-form-model'
import {
  applyType,
  BASE_TYPE_OPTIONS,
  checkSave,
  checkTest,
  emptyForm,
  formFromProvider,
  kindOfType,
  PRESET_TYPE_OPTIONS,
  typeDefaults,
  withExtraModel,
  withFetchedModels,
} from './provider-form-model'
import { SaveWarning } from './save-warning'
import type { TestResult, VerdictView } from './verdict'
import { describeVerdict } from './verdict'
import { StatusArea } from './verdict-line'

type Busy = 'test' | 'fetch' | 'save'
const BUSY_TEXT: Record<Busy, string> = {
  test: 'Testing the connection…',
  fetch: 'Fetching the models…',
  save: 'Saving…',
}
const FIELD_ORDER: readonly FieldName[] = ['name', 'baseUrl', 'apiKey', 'apiKeyEnv']

/**
 * Add or edit a provider, in place. The API key lives only in its password field (uncontrolled: not
 * in React state, not in the DOM's attributes) and is read at the moment it is sent; after a save
 * the field is emptied and the form closes. An error keeps everything the user typed. Save tests a
 * connection nobody tested yet (taking the models it lists) and asks before saving one that failed.
 */
export function ProviderFormView({
  mode,
  focus,
  onSaved,
  onCancel,
}: {
  mode: FormMode
  /** The field to start on (else the first one that can be changed). */
  focus?: 'apiKey'
  onSaved: (provider: ProviderView) => void
  onCancel: () => void
}): JSX.Element {
  const [form, setForm] = useState<ProviderForm>(() =>
    mode.kind === 'edit' ? formFromProvider(mode.provider) : emptyForm(),
  )
  const [errors, setErrors] = useState<FieldErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState<Busy | null>(null)
  const [verdict, setVerdict] = useState<VerdictView | null>(null)
  /** The address or key changed since the last test (a new provider starts untested). */
  const [untested, setUntested] = useState(mode.kind === 'add')
  /** A failed test's verdict, shown to confirm a save. */
  const [warning, setWarning] = useState<VerdictView | null>(null)
  const [extraModel, setExtraModel] = useState('')
  const keyRef = useRef<HTMLInputElement>(null)
  const rootRef = useRef<HTMLFormElement>(null)
  const base = useId()
  const id = (field: string): string => `${base}-${field}`
  const editing = mode.kind === 'edit' ? mode.provider : null
  const storedKey = editing !== null && editing.key.source === 'stored'
  const defaults = typeDefaults(form.type)
  const title = editing ? `Edit provider “${editing.name}”` : 'Add provider'

  useEffect(() => {
    const root = rootRef.current
    const first = focus
      ? keyRef.current
      : root?.querySelector<HTMLElement>('select:enabled, input:not([readonly])')
    first?.focus()
    if (focus) root?.scrollIntoView({ block: 'nearest' })
  }, [focus])

  /** The address or key changed: the last verdict no longer applies. */
  const stale = (): void => {
    setVerdict(null)
    setWarning(null)
    setUntested(true)
  }

  /** A change settles that field's error; a new address makes the last verdict stale. */
  const change = (patch: Partial<ProviderForm>, field?: FieldName): void => {
    setForm((f) => ({ ...f, ...patch }))
    if (field === 'baseUrl' || 'clearKey' in patch) stale()
    if (field) setErrors((e) => ({ ...e, [field]: undefined }))
  }

  const showErrors = (found: FieldErrors): void => {
    setErrors(found)
    const first = FIELD_ORDER.find((f) => found[f])
    if (first) document.getElementById(id(first))?.focus()
  }

  /** Test the connection; null when the form or the call failed (it says so). */
  const probe = async (
    purpose: 'test' | 'fetch',
  ): Promise<{ result: TestResult; view: VerdictView } | null> => {
    const checked = checkTest(form, mode, keyRef.current?.value ?? '')
    if (!checked.ok) {
      showErrors(checked.errors)
      return null
    }
    setErrors({})
    setFormError(null)
    setVerdict(null)
    setWarning(null)
    setBusy(purpose)
    const tried = { kind: kindOfType(form.type), baseUrl: form.baseUrl }
    try {
      const result = await getClient().call('providers.test', checked.params)
      const view = describeVerdict(result, tried)
      setVerdict(view)
      setUntested(false)
      if (result.verdict === 'ok' && (purpose === 'fetch' || result.models.length > 0)) {
        setForm((f) => withFetchedModels(f, result.models))
      }
      return { result, view }
    } catch (err) {
      setFormError(errorMessage(err))
      return null
    } finally {
      setBusy(null)
    }
  }

  const save = async (confirmed: boolean): Promise<void> => {
    if (busy !== null) return
    const key = keyRef.current?.value ?? ''
    let checked = checkSave(form, mode, key)
    if (!checked.ok) return showErrors(checked.errors)
    let outcome = verdict
    if (!confirmed && untested) {
      // Nobody tested this address and key: test now, and keep the models it lists.
      const tested = await probe('test')
      if (!tested) return
      outcome = tested.view
      if (tested.result.verdict === 'ok') {
        checked = checkSave(withFetchedModels(form, tested.result.models), mode, key)
        if (!checked.ok) return showErrors(checked.errors)
      }
    }
    if (!confirmed && outcome !== null && outcome.tone !== 'ok') {
      setWarning(outcome)
      return
    }
    setWarning(null)
    setErrors({})
    setFormError(null)
    setBusy('save')
    try {
      const saved = await getClient().call('providers.save', checked.params)
      if (keyRef.current) keyRef.current.value = ''
      onSaved(saved)
    } catch (err) {
      setFormError(`Could not save: ${errorMessage(err)}`)
      setBusy(null)
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>): void => {
    if (e.key !== 'Escape' || e.defaultPrevented) return
    e.preventDefault()
    e.stopPropagation()
    onCancel()
  }

  return (
    <form
      ref={rootRef}
      className="provider-form"
      aria-label={title}
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void save(false)
      }}
      onKeyDown={onKeyDown}
    >
      <h3 className="provider-form-title">{title}</h3>

      <Field
        id={id('type')}
        label="Type"
        help={
          editing
            ? 'A saved provider keeps its type: add another provider for a different one.'
            : 'Presets fill in the name and address.'
        }
      >
        <select
          id={id('type')}
          className="text-input settings-select"
          value={form.type}
          disabled={editing !== null}
          aria-describedby={describedBy(id('type'), { help: true })}
          onChange={(e) => {
            setForm((f) => applyType(f, e.target.value))
            stale()
            setErrors({})
          }}
        >
          {BASE_TYPE_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
          <optgroup label="Presets">
            {PRESET_TYPE_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </optgroup>
        </select>
      </Field>

      <Field
        id={id('name')}
        label="Name"
        error={errors.name}
        help={
          editing
            ? 'Models are named “name/model”, so a saved provider keeps its name.'
            : 'Lower-case letters, digits, “.”, “_” and “-”. Models are picked as “name/model”.'
        }
      >
        <input
          id={id('name')}
          className="text-input"
          value={form.name}
          readOnly={editing !== null}
          autoComplete="off"
          spellCheck={false}
          placeholder="my-endpoint"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy(id('name'), { help: true, error: errors.name })}
          onChange={(e) => change({ name: e.target.value }, 'name')}
        />
      </Field>

      <Field
        id={id('baseUrl')}
        label="Base URL"
        error={errors.baseUrl}
        help={
          kindOfType(form.type) === 'anthropic'
            ? 'Leave as is for Anthropic’s API, or point at a compatible gateway.'
            : 'The address the endpoint’s /chat/completions and /models hang off, usually ending in /v1.'
        }
      >
        <input
          id={id('baseUrl')}
          className="text-input settings-mono"
          type="url"
          inputMode="url"
          value={form.baseUrl}
          autoComplete="off"
          spellCheck={false}
          placeholder={defaults.baseUrl || 'https://api.example.com/v1'}
          aria-invalid={errors.baseUrl ? true : undefined}
          aria-describedby={describedBy(id('baseUrl'), { help: true, error: errors.baseUrl })}
          onChange={(e) => change({ baseUrl: e.target.value }, 'baseUrl')}
        />
      </Field>

      <Field
        id={id('apiKey')}
        label="API key"
        error={errors.apiKey}
        help={
          storedKey
            ? `A key is stored (${editing.key.hint ?? 'hidden'}). Type a new one to replace it.`
            : 'Kept by the host in its secret store, never shown again. A local server needs none.'
        }
      >
        <KeyInput
          id={id('apiKey')}
          inputRef={keyRef}
          describedBy={describedBy(id('apiKey'), { help: true, error: errors.apiKey })}
          invalid={Boolean(errors.apiKey)}
          placeholder={storedKey ? 'Stored — leave empty to keep' : ''}
          onInput={() => {
            stale()
            setErrors((e) => ({ ...e, apiKey: undefined }))
          }}
        />
        {storedKey && (
          <label className="checkbox settings-field-check">
            <input
              type="checkbox"
              checked={form.clearKey}
              onChange={(e) => change({ clearKey: e.target.checked })}
            />
            <span>Remove the stored key</span>
          </label>
        )}
      </Field>

      <Field
        id={id('apiKeyEnv')}
        label="Key from environment variable"
        error={errors.apiKeyEnv}
        help="Optional. When this variable is set where the host runs, its value is the key and wins over a stored one."
      >
        <input
          id={id('apiKeyEnv')}
          className="text-input settings-mono"
          value={form.apiKeyEnv}
          autoComplete="off"
          spellCheck={false}
          placeholder={defaults.keyEnv ?? 'MY_PROVIDER_API_KEY'}
          aria-invalid={errors.apiKeyEnv ? true : undefined}
          aria-describedby={describedBy(id('apiKeyEnv'), { help: true, error: errors.apiKeyEnv })}
          onChange={(e) => change({ apiKeyEnv: e.target.value }, 'apiKeyEnv')}
        />
      </Field>

      <div className="settings-field">
        <span className="settings-field-label" aria-hidden="true">
          Models
        </span>
        <div className="settings-field-control">
          <div className="settings-field-row">
            <button
              type="button"
              className="btn"
              disabled={busy !== null}
              onClick={() => void probe('fetch')}
            >
              Fetch models
            </button>
            <input
              className="text-input settings-models-extra"
              aria-label="Model name"
              placeholder="or add one by name"
              value={extraModel}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => setExtraModel(e.target.value)}
              onKeyDown={(e) => {
                if (e.key !== 'Enter') return
                e.preventDefault()
                setForm((f) => withExtraModel(f, extraModel))
                setExtraModel('')
              }}
            />
            <button
              type="button"
              className="btn"
              disabled={!extraModel.trim()}
              onClick={() => {
                setForm((f) => withExtraModel(f, extraModel))
                setExtraModel('')
              }}
            >
              Add model
            </button>
          </div>
          {form.models !== null && (
            <ModelPicker
              models={form.models}
              selected={form.selected}
              onChange={(selected) => setForm((f) => ({ ...f, selected }))}
            />
          )}
          <p className="settings-field-help">
            {form.models === null
              ? 'Ask the endpoint which models it offers, then keep the ones you want to pick from.'
              : 'The kept models appear in the model pickers as “name/model”.'}
          </p>
        </div>
      </div>

      <div className="provider-form-footer">
        <div className="provider-form-outcome">
          <StatusArea busy={busy && BUSY_TEXT[busy]} verdict={warning ? null : verdict} />
          {formError && (
            <p role="alert" className="settings-error">
              {formError}
            </p>
          )}
        </div>
        <button
          type="button"
          className="btn"
          disabled={busy !== null}
          onClick={() => void probe('test')}
        >
          Test connection
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy !== null}>
          Save
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {warning && (
        <SaveWarning
          name={editing?.name ?? form.name.trim()}
          verdict={warning}
          onSave={() => void save(true)}
          onKeepEditing={() => {
            setWarning(null)
            document.getElementById(id('baseUrl'))?.focus()
          }}
        />
      )}
    </form>
  )
}
