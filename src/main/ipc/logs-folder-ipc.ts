import { ipcMain, shell } from 'electron'
import type { Logger } from '../core/logger'
import { logsDir } from '../core/logger'
import { makePrivateDir } from '../core/private-files'
import { IPC } from './channels'
import { isTrustedSender } from './sender'

export interface LogsFolderIpcOptions {
  logger: Logger
  dataDir: string
  rendererIndexUrl: string
  devServerUrl?: string
}

/**
 * "Open logs folder": the renderer asks, the main process opens `<data folder>/logs` in the
 * system's file manager. Only our window's top frame may ask; the folder is always that one.
 */
export function registerLogsFolderIpc(options: LogsFolderIpcOptions): () => void {
  const { logger } = options
  ipcMain.on(IPC.openLogsFolder, (e) => {
    if (!isTrustedSender(e.senderFrame, options.rendererIndexUrl, options.devServerUrl)) {
      logger.log('warn', 'open logs folder from an untrusted frame refused', {
        url: e.senderFrame?.url,
      })
      return
    }
    const dir = logsDir(options.dataDir)
    try {
      makePrivateDir(dir)
    } catch (err) {
      logger.log('warn', 'cannot create the logs folder', { error: String(err) })
    }
    void shell.openPath(dir).then((error) => {
      if (error) logger.log('warn', 'cannot open the logs folder', { error })
    })
  })
  return () => {
    ipcMain.removeAllListeners(IPC.openLogsFolder)
  }
}
