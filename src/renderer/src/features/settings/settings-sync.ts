import { useAppStore } from '../../app/store'
import type { ThemeChoice } from '../../lib/ui/color-scheme'
import { setThemeChoice } from '../../lib/ui/color-scheme'
import { useStoredSettings } from './stored-settings'

/** The scheme the stored settings ask for (`appearance.theme`; unset: follow the system). */
export function themeOf(values: Record<string, unknown> | null): ThemeChoice | null {
  if (values === null) return null
  const theme = values['appearance.theme']
  return theme === 'light' || theme === 'dark' ? theme : 'system'
}

/**
 * Keep the stored settings the workbench acts on current: read them once the host answers and
 * again after the connection came back (Settings keeps them current in between; notifications
 * read them as they batch), and show the scheme they choose. Returns a disposer.
 */
export function startSettingsSync(): () => void {
  let asked = false
  const offApp = useAppStore.subscribe((state, prev) => {
    if (!state.ready || (asked && state.resyncs === prev.resyncs)) return
    asked = true
    void useStoredSettings.getState().load()
  })
  const offSettings = useStoredSettings.subscribe((state, prev) => {
    if (state.values === prev.values) return
    const theme = themeOf(state.values)
    if (theme !== null) setThemeChoice(theme)
  })
  return () => {
    offApp()
    offSettings()
  }
}
