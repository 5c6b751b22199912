import { create } from 'zustand'
import type { NotifyPermission } from './deliverer'

/**
 * What Settings → Notifications shows and does: where notifications go (the desktop app or this
 * browser), whether they may be shown, and the two buttons' actions. Filled by the runtime when
 * it starts (`startNotifications`); before that the buttons do nothing.
 */
export interface NotifyStatus {
  kind: 'desktop' | 'browser' | null
  permission: NotifyPermission
  /** Ask the browser's permission (from the button that says so, never on load). */
  requestPermission(): Promise<void>
  /** Show a test notification now (and the tone, when Sound is on). */
  sendTest(): void
}

export const useNotifyStatus = create<NotifyStatus>()(() => ({
  kind: null,
  permission: 'unsupported',
  requestPermission: () => Promise.resolve(),
  sendTest: () => {},
}))
