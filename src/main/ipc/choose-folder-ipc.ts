import type { BrowserWindow, OpenDialogOptions } from 'electron'
import { dialog, ipcMain } from 'electron'
import type { Logger } from '../core/logger'
import { IPC } from './channels'
import { isTrustedSender } from './sender'

export interface ChooseFolderIpcOptions {
  logger: Logger
  rendererIndexUrl: string
  devServerUrl?: string
  /** The window the dialog belongs to (modal to it); null before it exists. */
  window: () => BrowserWindow | null
}

/**
 * "Open folder" in the desktop app: the system's own folder dialog, modal to our window. Answers
 * the chosen folder's path, or null when the user cancelled or the asking frame is not ours. The
 * renderer then opens it through the contract (`workspaces.open`), which checks it like any path.
 */
export function registerChooseFolderIpc(options: ChooseFolderIpcOptions): () => void {
  const { logger } = options
  ipcMain.handle(IPC.chooseFolder, async (e): Promise<string | null> => {
    if (!isTrustedSender(e.senderFrame, options.rendererIndexUrl, options.devServerUrl)) {
      logger.log('warn', 'choose folder from an untrusted frame refused', {
        url: e.senderFrame?.url,
      })
      return null
    }
    const dialogOptions: OpenDialogOptions = {
      title: 'Open a project folder',
      buttonLabel: 'Open',
      properties: ['openDirectory', 'createDirectory'],
    }
    const win = options.window()
    const result = win
      ? await dialog.showOpenDialog(win, dialogOptions)
      : await dialog.showOpenDialog(dialogOptions)
    return result.canceled ? null : (result.filePaths[0] ?? null)
  })
  return () => {
    ipcMain.removeHandler(IPC.chooseFolder)
  }
}
