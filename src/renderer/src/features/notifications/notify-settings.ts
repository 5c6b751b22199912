import type { SettingsValues } from '../../../../shared/contract'
import type { NotifySettings } from '../../../../shared/notify-policy'
import { DEFAULT_NOTIFY_SETTINGS } from '../../../../shared/notify-policy'

/** The stored keys of each notification setting (`notifications.*`, docs/settings.md). */
export const NOTIFY_SETTING_KEYS = {
  approvalInput: 'notifications.approvalInput',
  finished: 'notifications.finished',
  failed: 'notifications.failed',
  sound: 'notifications.sound',
} as const satisfies Record<keyof NotifySettings, keyof SettingsValues>

/** What the stored settings say, an unset key taking its default (`DEFAULT_NOTIFY_SETTINGS`). */
export function notifySettingsOf(values: SettingsValues | null): NotifySettings {
  const out = { ...DEFAULT_NOTIFY_SETTINGS }
  if (values === null) return out
  for (const name of Object.keys(NOTIFY_SETTING_KEYS) as Array<keyof NotifySettings>) {
    const stored = values[NOTIFY_SETTING_KEYS[name]]
    if (typeof stored === 'boolean') out[name] = stored
  }
  return out
}

/** The window's title with the count of sessions waiting on the user: "(2) Paddock". */
export function titleWithCount(base: string, waiting: number): string {
  return waiting > 0 ? `(${waiting}) ${base}` : base
}

/** Text cut to `max` characters with an ellipsis (a long session title is cut, never refused). */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
