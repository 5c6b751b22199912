import { useId, useState } from 'react'
import type { JSX } from 'react'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { describedBy, Field } from './field'
import { ModelOptions } from './model-options'
import { useSettingsStore } from './settings-store'

/** The model new sessions start with, from every configured provider's models. */
export function DefaultModelField(): JSX.Element {
  const models = useSettingsStore((s) => s.models)
  const defaultModel = useSettingsStore((s) => s.defaultModel)
  const onlyModel = useSettingsStore((s) => s.defaultIsOnlyModel)
  const refresh = useSettingsStore((s) => s.refresh)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const id = useId()
  const known = defaultModel !== null && models.some((m) => m.ref === defaultModel)

  const choose = async (ref: string): Promise<void> => {
    setSaving(true)
    setError(null)
    setSaved(null)
    try {
      const result = await getClient().call('models.setDefault', { ref })
      setSaved(`New sessions use ${result.defaultModel}.`)
      await refresh()
    } catch (err) {
      setError(`Could not set the default model: ${errorMessage(err)}`)
    } finally {
      setSaving(false)
    }
  }

  return (
    <Field
      id={id}
      label="Default model"
      error={error ?? undefined}
      help={
        models.length === 0
          ? 'No models yet: add a provider below, then pick its model here.'
          : 'New sessions start with this model; a session can switch to another one.'
      }
    >
      <div className="settings-field-row">
        <select
          id={id}
          className="text-input settings-select default-model"
          value={defaultModel ?? ''}
          disabled={models.length === 0 || saving}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, { help: true, error: error ?? undefined })}
          onChange={(e) => void choose(e.target.value)}
        >
          {defaultModel === null && (
            <option value="" disabled>
              {models.length === 0 ? 'No models available' : 'Choose a model…'}
            </option>
          )}
          {defaultModel !== null && !known && (
            <option value={defaultModel} disabled>
              {defaultModel} (not available)
            </option>
          )}
          <ModelOptions models={models} />
        </select>
        <span role="status" className="settings-saved">
          {saving
            ? 'Saving…'
            : (saved ??
              (onlyModel && defaultModel
                ? `${defaultModel} is the only model, so new sessions use it.`
                : null))}
        </span>
      </div>
    </Field>
  )
}
