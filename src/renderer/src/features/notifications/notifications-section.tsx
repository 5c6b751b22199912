import { useEffect, useState } from 'react'
import type { FormEvent, JSX } from 'react'
import type { NotifySettings } from '../../../../shared/notify-policy'
import { DEFAULT_NOTIFY_SETTINGS } from '../../../../shared/notify-policy'
import { CheckboxField, LoadError } from '../settings/field'
import { SaveBar } from '../settings/save-bar'
import type { SettingChanges, SettingErrors } from '../settings/stored-settings'
import { useStoredSettings } from '../settings/stored-settings'
import { DeliveryGroup } from './delivery-group'
import { NOTIFY_SETTING_KEYS, notifySettingsOf } from './notify-settings'

type Name = keyof NotifySettings

const CHOICES: ReadonlyArray<{ name: Name; label: string; check: string; help: string }> = [
  {
    name: 'approvalInput',
    label: 'Waiting on you',
    check: 'Approval or input needed',
    help: 'A session asks to run something, asks you a question, or stopped at its turn limit or spend cap.',
  },
  {
    name: 'finished',
    label: 'Finished',
    check: 'A session finished',
    help: 'Its run ended with an answer (with or without changes to review).',
  },
  {
    name: 'failed',
    label: 'Failed',
    check: 'A session failed',
    help: 'Its run ended with an error, or its conversation no longer fit the model.',
  },
  {
    name: 'sound',
    label: 'Sound',
    check: 'Play a short tone',
    help: 'Once per batch of notifications, however many sessions it is about.',
  },
]

/**
 * Settings → Notifications: where they show (the browser's permission and its button, or the
 * system's), and which events notify, with the tone on or off. A value equal to its default is
 * stored as unset, the rest as a boolean: the same rows `paddock settings` writes.
 */
export function NotificationsSection(): JSX.Element {
  const values = useStoredSettings((s) => s.values)
  const problems = useStoredSettings((s) => s.problems)
  const loadError = useStoredSettings((s) => s.loadError)
  const load = useStoredSettings((s) => s.load)
  const save = useStoredSettings((s) => s.save)
  const [draft, setDraft] = useState<Partial<NotifySettings>>({})
  const [errors, setErrors] = useState<SettingErrors>({})
  const [status, setStatus] = useState('')

  useEffect(() => {
    void load()
  }, [load])
  const stored = notifySettingsOf(values)
  const shown = (name: Name): boolean => draft[name] ?? stored[name]
  const changed = values !== null && CHOICES.some((c) => shown(c.name) !== stored[c.name])

  const onSubmit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    if (values === null) return
    const changes: SettingChanges = {}
    for (const { name } of CHOICES) {
      if (shown(name) === stored[name]) continue
      changes[NOTIFY_SETTING_KEYS[name]] =
        shown(name) === DEFAULT_NOTIFY_SETTINGS[name] ? undefined : shown(name)
    }
    const refused = await save(changes)
    setErrors(refused)
    if (Object.keys(refused).length > 0) return setStatus('')
    setDraft({})
    setStatus(Object.keys(changes).length === 0 ? 'Nothing to save.' : 'Saved.')
  }

  return (
    <>
      <DeliveryGroup />
      <form
        className="settings-group"
        aria-labelledby="notify-events-title"
        noValidate
        onSubmit={(e) => void onSubmit(e)}
      >
        <div className="settings-group-header">
          <div>
            <h3 id="notify-events-title">What notifies</h3>
            <p className="muted">
              Only about sessions you are not looking at: the window is in the background, or the
              session is not on screen. Changes within two seconds make one notification per
              session.
            </p>
          </div>
        </div>
        <LoadError error={loadError} retry={() => void load()} />
        {CHOICES.map((c) => {
          const id = `notify-${c.name}`
          const key = NOTIFY_SETTING_KEYS[c.name]
          return (
            <CheckboxField
              key={c.name}
              id={id}
              label={c.label}
              check={c.check}
              help={c.help}
              error={errors[key] ?? problems[key]}
              checked={shown(c.name)}
              disabled={values === null}
              onChange={(checked) => {
                setDraft({ ...draft, [c.name]: checked })
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
    </>
  )
}
