import { useEffect, useState } from 'react'
import { SaveBar } from './save-bar'
import type { FormEvent, JSX } from 'react'
import type { EditableSettingKey, SettingsValues } from '../../../../shared/contract'
import { CheckboxField, LoadError } from './field'
import type { SettingChanges, SettingErrors } from './stored-settings'
import { useStoredSettings } from './stored-settings'

type LoopKey = Extract<EditableSettingKey, `loops.${string}`>

const DETECTORS: ReadonlyArray<{ key: LoopKey; label: string; check: string; help: string }> = [
  {
    key: 'loops.identicalCalls',
    label: 'Identical calls',
    check: 'Ask me',
    help: 'The same tool call three times in a row, with the same result (a call whose result changes is polling).',
  },
  {
    key: 'loops.failingCommand',
    label: 'Failing command',
    check: 'Tell the agent, then ask me',
    help: 'The same command failing with the same output three times in its last ten calls.',
  },
  {
    key: 'loops.repeatedText',
    label: 'Repeated text',
    check: 'Tell the agent, then ask me',
    help: 'The same paragraph in three answers in a row.',
  },
]

/** On unless stored as false: every detector is on by default. */
function onOf(values: SettingsValues, key: LoopKey): boolean {
  return values[key] !== false
}

/**
 * Loops: each loop detector on or off, saved together. On is stored as unset (the default), off as
 * `false`, the same rows `paddock settings` writes.
 */
export function LoopsSection(): JSX.Element {
  const values = useStoredSettings((s) => s.values)
  const problems = useStoredSettings((s) => s.problems)
  const loadError = useStoredSettings((s) => s.loadError)
  const load = useStoredSettings((s) => s.load)
  const save = useStoredSettings((s) => s.save)
  const [draft, setDraft] = useState<Partial<Record<LoopKey, boolean>>>({})
  const [errors, setErrors] = useState<SettingErrors>({})
  const [status, setStatus] = useState('')

  useEffect(() => {
    void load()
  }, [load])
  const shown = (key: LoopKey): boolean => draft[key] ?? (values ? onOf(values, key) : true)
  const changed = values !== null && DETECTORS.some((d) => shown(d.key) !== onOf(values, d.key))

  const onSubmit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    if (values === null) return
    const changes: SettingChanges = {}
    for (const { key } of DETECTORS) {
      if (shown(key) !== onOf(values, key)) changes[key] = shown(key) ? undefined : false
    }
    const refused = await save(changes)
    setErrors(refused)
    if (Object.keys(refused).length > 0) return setStatus('')
    setDraft({})
    setStatus(Object.keys(changes).length === 0 ? 'Nothing to save.' : 'Saved.')
  }

  return (
    <form
      className="settings-group"
      aria-labelledby="loops-title"
      noValidate
      onSubmit={(e) => void onSubmit(e)}
    >
      <div className="settings-group-header">
        <div>
          <h3 id="loops-title">Loop detection</h3>
          <p className="muted">
            When the agent goes in circles, it is told what repeats first; if it repeats again, you
            are asked. Polling a running command never counts.
          </p>
        </div>
      </div>
      <LoadError error={loadError} retry={() => void load()} />
      {DETECTORS.map((d) => {
        const id = `loops-${d.key}`
        return (
          <CheckboxField
            key={d.key}
            id={id}
            label={d.label}
            check={d.check}
            help={d.help}
            error={errors[d.key] ?? problems[d.key]}
            checked={shown(d.key)}
            disabled={values === null}
            onChange={(checked) => {
              setDraft({ ...draft, [d.key]: checked })
              setStatus('')
            }}
          />
        )
      })}
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
    </form>
  )
}
