import type { PaddockBridge } from '../../lib/api/bridge-client'
import { NotificationClickSchema } from '../../../../shared/notify-bridge'
import type { Deliverer, OnNotificationClick } from './deliverer'

/**
 * Notifications in the desktop app: the main process shows them as OS notifications with the
 * app's icon and sets the dock/taskbar badge (`src/main/desktop/notifications.ts`); a click comes
 * back through the preload with the session to focus. The OS governs the permission, so there is
 * nothing to ask for here.
 */
export function createDesktopDeliverer(
  bridge: PaddockBridge,
  onClick: OnNotificationClick,
): Deliverer {
  const off = bridge.onNotificationClick((raw) => {
    const click = NotificationClickSchema.safeParse(raw)
    if (click.success) onClick(click.data.sessionId)
  })
  return {
    kind: 'desktop',
    permission: () => 'granted',
    requestPermission: () => Promise.resolve('granted'),
    show: (n) => bridge.notify(n),
    setBadge: (count) => bridge.setBadge(count),
    dispose: off,
  }
}
