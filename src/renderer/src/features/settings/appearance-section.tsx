import { useEffect, useId, useState } from 'react'
import type { JSX } from 'react'
import type { ThemeChoice } from '../../lib/ui/color-scheme'
import { setThemeChoice, themeChoice } from '../../lib/ui/color-scheme'
import { themeOf } from './settings-sync'
import { useStoredSettings } from './stored-settings'

const CHOICES: ReadonlyArray<{ value: ThemeChoice; label: string; help: string }> = [
  { value: 'system', label: 'Follow the system', help: 'Light or dark as your system is set.' },
  { value: 'light', label: 'Light', help: '' },
  { value: 'dark', label: 'Dark', help: '' },
]

/** Store a theme (unset for the system's) and show it at once; the error in words, or null. */
export async function chooseTheme(theme: ThemeChoice): Promise<string | null> {
  const before = themeChoice()
  setThemeChoice(theme)
  const refused = await useStoredSettings
    .getState()
    .save({ 'appearance.theme': theme === 'system' ? undefined : theme })
  const error = refused['appearance.theme']
  if (error === undefined) return null
  setThemeChoice(before)
  return error
}

/**
 * Settings → Appearance: light, dark, or the system's scheme. A choice applies at once and is
 * stored by the host (`appearance.theme`), so every window and a reload show the same.
 */
export function AppearanceSection(): JSX.Element {
  const values = useStoredSettings((s) => s.values)
  const load = useStoredSettings((s) => s.load)
  const [error, setError] = useState<string | null>(null)
  const [status, setStatus] = useState('')
  /** The choice just made, shown while the host stores it. */
  const [picked, setPicked] = useState<ThemeChoice | null>(null)
  const name = useId()
  useEffect(() => {
    void load()
  }, [load])
  const current = picked ?? themeOf(values) ?? themeChoice()

  const pick = async (theme: ThemeChoice): Promise<void> => {
    setError(null)
    setStatus('')
    setPicked(theme)
    const refused = await chooseTheme(theme)
    setPicked(null)
    if (refused !== null) setError(`Could not save the theme: ${refused}`)
    else setStatus('Saved.')
  }

  return (
    <fieldset className="settings-fieldset" disabled={values === null}>
      <legend>Theme</legend>
      {CHOICES.map((c) => (
        <label key={c.value} className="settings-radio">
          <input
            type="radio"
            name={name}
            value={c.value}
            checked={current === c.value}
            onChange={() => void pick(c.value)}
          />
          <span>{c.label}</span>
          {c.help && <span className="muted"> — {c.help}</span>}
        </label>
      ))}
      {error !== null && (
        <p role="alert" className="panel-error">
          {error}
        </p>
      )}
      <p role="status" className="muted">
        {status}
      </p>
    </fieldset>
  )
}
