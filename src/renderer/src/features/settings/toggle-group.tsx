import { useEffect, useState } from 'react'
import type { FormEvent, JSX, ReactNode } from 'react'
import type { EditableSettingKey, SettingsValues } from '../../../../shared/contract'
import { CheckboxField, SettingsGroupForm } from './field'
import { SaveBar } from './save-bar'
import type { SettingChanges, SettingErrors } from './stored-settings'
import { useStoredSettings } from './stored-settings'

/** One on/off setting of a group: its stored key, its default, and how the row reads. */
export interface Toggle {
  key: EditableSettingKey
  fallback: boolean
  label: string
  check: string
  help: string
}

function storedOf(values: SettingsValues, t: Toggle): boolean {
  const v = values[t.key]
  return typeof v === 'boolean' ? v : t.fallback
}

/**
 * A settings group of on/off choices saved together. A value equal to its default is stored as
 * unset, the rest as a boolean: the same rows `paddock settings` writes.
 */
export function ToggleGroup({
  id,
  title,
  description,
  toggles,
}: {
  /** Prefix of the group's element ids. */
  id: string
  title: string
  description: ReactNode
  toggles: readonly Toggle[]
}): JSX.Element {
  const values = useStoredSettings((s) => s.values)
  const problems = useStoredSettings((s) => s.problems)
  const loadError = useStoredSettings((s) => s.loadError)
  const load = useStoredSettings((s) => s.load)
  const save = useStoredSettings((s) => s.save)
  const [draft, setDraft] = useState<Partial<Record<EditableSettingKey, boolean>>>({})
  const [errors, setErrors] = useState<SettingErrors>({})
  const [status, setStatus] = useState('')

  useEffect(() => {
    void load()
  }, [load])
  const shown = (t: Toggle): boolean => draft[t.key] ?? (values ? storedOf(values, t) : t.fallback)
  const changed = values !== null && toggles.some((t) => shown(t) !== storedOf(values, t))

  const onSubmit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    if (values === null) return
    const changes: SettingChanges = {}
    for (const t of toggles) {
      if (shown(t) !== storedOf(values, t))
        changes[t.key] = shown(t) === t.fallback ? undefined : shown(t)
    }
    const refused = await save(changes)
    setErrors(refused)
    if (Object.keys(refused).length > 0) return setStatus('')
    setDraft({})
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
      {toggles.map((t) => (
        <CheckboxField
          key={t.key}
          id={`${id}-${t.key.replace(/^[^.]*\./, '')}`}
          label={t.label}
          check={t.check}
          help={t.help}
          error={errors[t.key] ?? problems[t.key]}
          checked={shown(t)}
          disabled={values === null}
          onChange={(checked) => {
            setDraft({ ...draft, [t.key]: checked })
            setStatus('')
          }}
        />
      ))}
      <SaveBar
        ready={values !== null}
        changed={changed}
        status={status}
        onRevert={() => {
          setDraft({})
          setErrors({})
          setStatus('')
        }}
      />
    </SettingsGroupForm>
  )
}
