import { ipcMain } from 'electron'
import type { Logger } from '../core/logger'
import type { DesktopNotifications } from '../desktop/notifications'
import { BadgeCountSchema, DesktopNotifyRequestSchema } from '../../shared/notify-bridge'
import { IPC } from './channels'
import { isTrustedSender } from './sender'

export interface NotificationsIpcOptions {
  logger: Logger
  rendererIndexUrl: string
  devServerUrl?: string
  notifications: DesktopNotifications
}

/**
 * The renderer's way to the OS notifications and the badge: only our window's top frame may ask,
 * and every message is parsed (`notify-bridge.ts`) before anything is shown. A refused message is
 * logged, never shown.
 */
export function registerNotificationsIpc(options: NotificationsIpcOptions): () => void {
  const { logger, notifications } = options
  const trusted = (frame: Parameters<typeof isTrustedSender>[0]): boolean =>
    isTrustedSender(frame, options.rendererIndexUrl, options.devServerUrl)

  ipcMain.on(IPC.notify, (e, request: unknown) => {
    if (!trusted(e.senderFrame)) {
      logger.log('warn', 'notification from an untrusted frame refused', {
        url: e.senderFrame?.url,
      })
      return
    }
    const parsed = DesktopNotifyRequestSchema.safeParse(request)
    if (!parsed.success) {
      logger.log('warn', 'bad notification request', { error: parsed.error.message })
      return
    }
    notifications.show(parsed.data)
  })
  ipcMain.on(IPC.badge, (e, count: unknown) => {
    if (!trusted(e.senderFrame)) {
      logger.log('warn', 'badge from an untrusted frame refused', { url: e.senderFrame?.url })
      return
    }
    const parsed = BadgeCountSchema.safeParse(count)
    if (!parsed.success) {
      logger.log('warn', 'bad badge count', { error: parsed.error.message })
      return
    }
    notifications.setBadge(parsed.data)
  })
  return () => {
    ipcMain.removeAllListeners(IPC.notify)
    ipcMain.removeAllListeners(IPC.badge)
    notifications.dispose()
  }
}
