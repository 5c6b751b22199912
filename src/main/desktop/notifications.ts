import { Notification, app } from 'electron'
import type { DesktopNotifyRequest, NotificationClick } from '../../shared/notify-bridge'
import { IPC } from '../ipc/channels'

/**
 * OS notifications and the dock/taskbar badge of the desktop app. The renderer decides what to
 * notify (`src/shared/notify-policy.ts`) and asks through the IPC (`ipc/notifications-ipc.ts`);
 * this shows it with the app's icon, keeps one notification per session (a newer one replaces
 * it), and on a click brings the window forward and tells the renderer which session to focus.
 * Electron's parts are injected so the logic runs in tests without Electron.
 */

/** The part of Electron's `Notification` used here. */
export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown
  show(): void
  close(): void
}

export interface NotificationOptions {
  title: string
  body: string
  icon?: string
  /** The renderer plays its own tone (Settings → Notifications → Sound): the OS stays quiet. */
  silent: boolean
}

/** The part of a `BrowserWindow` used here. */
export interface WindowLike {
  isDestroyed(): boolean
  isMinimized(): boolean
  restore(): void
  show(): void
  focus(): void
  webContents: { send(channel: string, ...args: unknown[]): void }
}

export interface DesktopNotificationDeps {
  /** Makes (does not show) a notification: Electron's `new Notification(options)`. */
  create(options: NotificationOptions): NotificationLike
  /** Whether the OS can show notifications (`Notification.isSupported()`). */
  isSupported(): boolean
  /** `app.setBadgeCount`: the dock on macOS, the Unity launcher on Linux; false where unsupported. */
  setBadgeCount(count: number): boolean
  /** The app window, or null once it is gone. */
  window(): WindowLike | null
  /** The app's icon (resources/icon.png, see `appIconPath`). */
  iconPath?: string
}

export interface DesktopNotifications {
  show(request: DesktopNotifyRequest): void
  setBadge(count: number): void
  /** Close what is still on screen. */
  dispose(): void
}

/** Key of a notification in the one-per-session map; a test notification has its own. */
const TEST_KEY = '\u0000test'

export function createDesktopNotifications(deps: DesktopNotificationDeps): DesktopNotifications {
  // Held so they are not garbage-collected while on screen: a collected notification loses its
  // click handler on some platforms.
  const shown = new Map<string, NotificationLike>()
  let badge = -1

  const bringForward = (click: NotificationClick): void => {
    const win = deps.window()
    if (!win || win.isDestroyed()) return
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
    win.webContents.send(IPC.notificationClick, click)
  }

  return {
    show(request) {
      if (!deps.isSupported()) return
      const key = request.sessionId ?? TEST_KEY
      shown.get(key)?.close()
      const n = deps.create({
        title: request.title,
        body: request.body,
        silent: true,
        ...(deps.iconPath ? { icon: deps.iconPath } : {}),
      })
      shown.set(key, n)
      n.on('click', () => bringForward({ sessionId: request.sessionId }))
      n.on('close', () => {
        if (shown.get(key) === n) shown.delete(key)
      })
      n.show()
    },
    setBadge(count) {
      if (count === badge) return
      badge = count
      deps.setBadgeCount(count)
    },
    dispose() {
      for (const n of shown.values()) n.close()
      shown.clear()
    },
  }
}

/** The adapter over Electron's own `Notification` and `app`. */
export function createElectronNotifications(
  window: () => WindowLike | null,
  iconPath?: string,
): DesktopNotifications {
  return createDesktopNotifications({
    create: (options) => new Notification(options),
    isSupported: () => Notification.isSupported(),
    setBadgeCount: (count) => app.setBadgeCount(count),
    window,
    ...(iconPath ? { iconPath } : {}),
  })
}
