/**
 * How a notification reaches the user: the Web Notifications API in a browser, the OS through the
 * desktop app's main process in Electron (`desktop-deliverer.ts`, `web-deliverer.ts`). The runtime
 * (`notifications-runtime.ts`) decides what and when; a deliverer only shows it, reports clicks
 * and sets the "waiting on you" badge where there is one.
 */

/** Whether notifications may be shown: the browser's permission, or `unsupported`. */
export type NotifyPermission = 'granted' | 'denied' | 'default' | 'unsupported'

export interface OutgoingNotification {
  /** The session it is about; null for a test notification. */
  sessionId: string | null
  title: string
  body: string
}

export interface Deliverer {
  kind: 'desktop' | 'browser'
  permission(): NotifyPermission
  /**
   * Ask the user for the permission. Only from a control the user pressed (Settings →
   * Notifications): never on load, where browsers count it against the site.
   */
  requestPermission(): Promise<NotifyPermission>
  /** Show one; a newer one about the same session replaces it. */
  show(n: OutgoingNotification): void
  /** The dock/taskbar badge: sessions waiting on the user (the desktop app only). */
  setBadge(count: number): void
  dispose(): void
}

/** What a click on a notification asks for: bring the window and focus this session. */
export type OnNotificationClick = (sessionId: string | null) => void

/** The `tag` of a session's notifications: one per session, a newer one replaces the older. */
export function tagOf(sessionId: string | null): string {
  return sessionId === null ? 'paddock-test' : `paddock-session-${sessionId}`
}
