import { useEffect, useMemo, useState } from 'react'
import { SaveBar } from './save-bar'
import type { ChangeEvent, FormEvent, JSX, ReactNode } from 'react'
import type { EditableSettingKey, SettingsValues } from '../../../../shared/contract'
import { describedBy, Field, SettingsGroupForm } from './field'
import type { SettingChanges, SettingErrors } from './stored-settings'
import { useStoredSettings } from './stored-settings'

/**
 * One stored setting as a form field. Empty means unset: the default (in `placeholder`) applies.
 * A `boolean` is a choice of the default, On and Off, so it too can go back to its default.
 */
export interface SettingFieldSpec {
  key: EditableSettingKey
  label: string
  help: ReactNode
  kind: 'text' | 'number' | 'list' | 'boolean'
  /** Shown after the input: "USD", "ms", "lines". */
  unit?: string
  /** What applies when the field is empty (a `boolean`'s first choice, e.g. "Default (on)"). */
  placeholder?: string
  mono?: boolean
}

/** The field's text for a stored value. */
function textOf(spec: SettingFieldSpec, values: SettingsValues): string {
  const value = values[spec.key]
  if (value === undefined) return ''
  if (Array.isArray(value)) return value.join(', ')
  return String(value)
}

/** The value to store for a field's text; `undefined` unsets it. */
function valueOf(spec: SettingFieldSpec, text: string): unknown {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  if (spec.kind === 'number') return Number(trimmed)
  if (spec.kind === 'boolean') return trimmed === 'true'
  if (spec.kind === 'list')
    return trimmed
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean)
  return trimmed
}

/**
 * A group of stored settings with one Save: each field is checked with the setting's own schema
 * (the one the host checks again) and its error shown under it; nothing is stored while any field
 * is invalid. Values are read when the form is shown.
 */
export function SettingsForm({
  id,
  title,
  description,
  fields,
}: {
  id: string
  title: string
  description: ReactNode
  fields: SettingFieldSpec[]
}): JSX.Element {
  const values = useStoredSettings((s) => s.values)
  const problems = useStoredSettings((s) => s.problems)
  const loadError = useStoredSettings((s) => s.loadError)
  const load = useStoredSettings((s) => s.load)
  const save = useStoredSettings((s) => s.save)
  const [texts, setTexts] = useState<Record<string, string> | null>(null)
  const [errors, setErrors] = useState<SettingErrors>({})
  const [status, setStatus] = useState('')
  const [saving, setSaving] = useState(false)

  useEffect(() => {
    void load()
  }, [load])
  const stored = useMemo(
    () =>
      values === null
        ? null
        : Object.fromEntries(fields.map((f) => [f.key, textOf(f, values)] as const)),
    [values, fields],
  )
  // The fields follow the stored values until the user types.
  const shown = texts ?? stored
  const changed =
    shown !== null && stored !== null && fields.some((f) => shown[f.key] !== stored[f.key])

  const onSubmit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    if (shown === null || stored === null || saving) return
    const changes: SettingChanges = {}
    const notNumbers: SettingErrors = {}
    for (const f of fields) {
      if (shown[f.key] === stored[f.key]) continue
      const value = valueOf(f, shown[f.key] ?? '')
      if (typeof value === 'number' && !Number.isFinite(value))
        notNumbers[f.key] = 'must be a number'
      changes[f.key] = value
    }
    setSaving(true)
    const refused = Object.keys(notNumbers).length > 0 ? notNumbers : await save(changes)
    setSaving(false)
    setErrors(refused)
    if (Object.keys(refused).length > 0) {
      setStatus('')
      const first = fields.find((f) => refused[f.key])
      if (first) document.getElementById(`${id}-${first.key}`)?.focus()
      return
    }
    setTexts(null)
    setStatus(Object.keys(changes).length === 0 ? 'Nothing to save.' : 'Saved.')
  }

  return (
    <SettingsGroupForm
      id={id}
      title={title}
      description={description}
      loadError={loadError}
      retry={() => void load()}
      onSubmit={(e) => void onSubmit(e)}
    >
      {fields.map((f) => {
        const inputId = `${id}-${f.key}`
        const error = errors[f.key] ?? problems[f.key]
        const control = {
          id: inputId,
          disabled: shown === null,
          value: shown?.[f.key] ?? '',
          'aria-invalid': error ? true : undefined,
          'aria-describedby': describedBy(inputId, { help: true, error }),
          onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
            const text = e.target.value
            setTexts({ ...(shown ?? {}), [f.key]: text })
            setStatus('')
            if (errors[f.key]) setErrors({ ...errors, [f.key]: undefined })
          },
        }
        return (
          <Field key={f.key} id={inputId} label={f.label} help={f.help} error={error}>
            <div
              className={
                f.kind === 'text' || f.kind === 'list'
                  ? 'settings-input-unit'
                  : 'settings-input-unit is-number'
              }
            >
              {f.kind === 'boolean' ? (
                <select className="text-input settings-select" {...control}>
                  <option value="">{f.placeholder ?? 'Default'}</option>
                  <option value="true">On</option>
                  <option value="false">Off</option>
                </select>
              ) : (
                <input
                  className={f.mono ? 'text-input settings-mono' : 'text-input'}
                  type="text"
                  inputMode={f.kind === 'number' ? 'decimal' : undefined}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder={f.placeholder}
                  {...control}
                />
              )}
              {f.unit && <span className="settings-unit">{f.unit}</span>}
            </div>
          </Field>
        )
      })}
      <SaveBar
        ready={shown !== null}
        changed={changed}
        saving={saving}
        status={status}
        onRevert={() => {
          setTexts(null)
          setErrors({})
          setStatus('')
        }}
      />
    </SettingsGroupForm>
  )
}
