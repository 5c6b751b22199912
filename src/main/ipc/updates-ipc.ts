import { ipcMain } from 'electron'
import type { Logger } from '../core/logger'
import type { RestartOutcome, UpdateNotice } from '../../shared/update-bridge'
import { IPC } from './channels'
import { isTrustedSender } from './sender'

export interface UpdatesIpcOptions {
  logger: Logger
  rendererIndexUrl: string
  devServerUrl?: string
  /** The update waiting for a restart, if any. */
  notice(): UpdateNotice
  restart(): Promise<RestartOutcome>
}

/**
 * The renderer's way to the "Restart to update" banner: what waits (asked once the page loads;
 * later changes are sent on `IPC.updateNotice`) and the restart request. Only our window's top
 * frame may ask.
 */
export function registerUpdatesIpc(options: UpdatesIpcOptions): () => void {
  const { logger } = options
  const trusted = (frame: Parameters<typeof isTrustedSender>[0]): boolean =>
    isTrustedSender(frame, options.rendererIndexUrl, options.devServerUrl)

  ipcMain.handle(IPC.updateGet, (e): UpdateNotice => {
    if (!trusted(e.senderFrame)) return null
    return options.notice()
  })
  ipcMain.handle(IPC.updateRestart, async (e): Promise<RestartOutcome> => {
    if (!trusted(e.senderFrame)) {
      logger.log('warn', 'restart to update from an untrusted frame refused', {
        url: e.senderFrame?.url,
      })
      return 'nothing_ready'
    }
    return options.restart()
  })
  return () => {
    ipcMain.removeHandler(IPC.updateGet)
    ipcMain.removeHandler(IPC.updateRestart)
  }
}
