import { app, dialog, shell } from 'electron'
import type { BrowserWindow } from 'electron'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { MethodOutput } from '../shared/contract'
import { ContractError } from '../shared/errors'
import { resolveDataDir } from './core/data-dir'
import { createFileLogger } from './core/logger'
import { captureLoginPath } from './core/login-path'
import type { Engine } from './host/engine'
import { createEngine } from './host/engine'
import { modelFromEnv } from './providers/model-from-env'
import { appIconPath, createMainWindow } from './desktop/window'
import { createDesktopSecretStore } from './desktop/secret-store'
import { registerIpcTransport } from './ipc/ipc-transport'
import { registerOpenExternal } from './ipc/open-external'
import { createElectronNotifications } from './desktop/notifications'
import { registerNotificationsIpc } from './ipc/notifications-ipc'
import { Settings } from './sessions/settings'
import { startDesktopUpdates } from './desktop/updater'
import { registerUpdatesIpc } from './ipc/updates-ipc'
import { IPC } from './ipc/channels'
import { registerChooseFolderIpc } from './ipc/choose-folder-ipc'
import { registerLogsFolderIpc } from './ipc/logs-folder-ipc'

/**
 * Electron entry: thin. It resolves the data dir, starts the engine, wires the IPC transport and
 * opens the window. Everything with state lives in the engine (src/main/host and below).
 */
const here = dirname(fileURLToPath(import.meta.url))
const appRoot = resolve(here, '..', '..')
const dataDirFlag = readFlag(process.argv, '--data-dir')
const dataDir = resolveDataDir({ flag: dataDirFlag })
app.setPath('userData', dataDir)
const logger = createFileLogger(dataDir, 'desktop')

/** `--name=value` or `--name value` from Electron's argv. */
function readFlag(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`))
  if (i < 0) return undefined
  const arg = argv[i]!
  return arg === name ? argv[i + 1] : arg.slice(name.length + 1)
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let engine: Engine | null = null
  let dispose: (() => void) | null = null

  const start = async (): Promise<void> => {
    // A launch from the dock or a .desktop file has a bare PATH: take the login shell's, once,
    // before anything (the engine, the agent's shell, git) looks for a program.
    const loginPath = await captureLoginPath({ env: process.env })
    process.env.PATH = loginPath.path
    if (loginPath.source === 'failed') {
      logger.log('warn', 'login shell PATH not captured', { error: loginPath.error })
    }
    try {
      engine = createEngine({
        loginPath,
        dataDir,
        kind: 'electron',
        logger,
        appRoot,
        watch: true,
        model: (settings) => modelFromEnv(process.env, settings.network()),
        // safeStorage answers only once the app is ready, which it is here.
        secrets: createDesktopSecretStore(dataDir, logger),
        // An MCP server's sign-in page opens in the browser (only http(s) addresses).
        openAuthorization: (_server, url) => {
          if (url.protocol === 'https:' || url.protocol === 'http:')
            void shell.openExternal(url.href) // eng-disable OPEN_EXTERNAL_JS_CHECK (reason: an MCP server's OAuth sign-in page, http(s) only, asked by a server the user configured)
        },
      })
    } catch (err) {
      const message = err instanceof ContractError ? err.message : String(err)
      logger.log('error', 'engine failed to start', { error: message })
      dialog.showErrorBox('Paddock cannot start', message)
      app.exit(1)
      return
    }
    const rendererIndexPath = join(here, '../renderer/index.html')
    const devServerUrl = process.env.ELECTRON_RENDERER_URL
    const rendererIndexUrl = pathToFileURL(rendererIndexPath).href
    const disposeTransport = registerIpcTransport({
      engine,
      logger,
      rendererIndexUrl,
      devServerUrl,
    })
    const disposeLinks = registerOpenExternal({
      logger,
      rendererIndexUrl,
      devServerUrl,
      openExternal: (url) => shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK (reason: only URLs registerOpenExternal let through, http/https/mailto during a user gesture)
    })
    const iconPath = appIconPath(appRoot)
    let win: BrowserWindow | null = null
    const disposeNotifications = registerNotificationsIpc({
      logger,
      rendererIndexUrl,
      devServerUrl,
      notifications: createElectronNotifications(() => win, iconPath),
    })
    const disposeUpdates = wireUpdates(engine, rendererIndexUrl, devServerUrl, () => win)
    const disposeLogsFolder = registerLogsFolderIpc({
      logger,
      dataDir,
      rendererIndexUrl,
      devServerUrl,
    })
    const disposeChooseFolder = registerChooseFolderIpc({
      logger,
      rendererIndexUrl,
      devServerUrl,
      window: () => win,
    })
    dispose = () => {
      disposeUpdates()
      disposeChooseFolder()
      disposeLogsFolder()
      disposeNotifications()
      disposeLinks()
      disposeTransport()
    }
    win = createMainWindow({
      preloadPath: join(here, '../preload/index.cjs'),
      rendererIndexPath,
      devServerUrl,
      iconPath,
      logger,
    })
  }

  /**
   * Updates, in the packaged app only (a development build has no release to update from): checked
   * a little after start and every 6 hours, offered to the window, installed on the user's restart
   * when no agent runs (`desktop/update-controller.ts`).
   */
  const wireUpdates = (
    running: Engine,
    rendererIndexUrl: string,
    devServerUrl: string | undefined,
    window: () => BrowserWindow | null,
  ): (() => void) => {
    if (!app.isPackaged) {
      // The window still asks; it is told there is nothing to install.
      return registerUpdatesIpc({
        logger,
        rendererIndexUrl,
        devServerUrl,
        notice: () => null,
        restart: () => Promise.resolve('nothing_ready'),
      })
    }
    const updates = startDesktopUpdates({
      logger,
      settings: new Settings(running.db),
      agentsRunning: async () => {
        const outcome = await running.call('sessions.activity', {}, { transport: 'updater' })
        if (!outcome.ok) throw new Error(outcome.error.message)
        return (outcome.result as MethodOutput<'sessions.activity'>).some((s) => s.running)
      },
      notify: (notice) => {
        const win = window()
        if (win && !win.isDestroyed()) win.webContents.send(IPC.updateNotice, notice)
      },
    })
    const disposeIpc = registerUpdatesIpc({
      logger,
      rendererIndexUrl,
      devServerUrl,
      notice: () => updates.notice(),
      restart: () => updates.restart(),
    })
    return () => {
      disposeIpc()
      updates.dispose()
    }
  }

  app.on('second-instance', () => {
    // One window per app: a second launch only ends itself (the single-instance lock).
  })
  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => {
    dispose?.()
    engine?.close()
  })
  void app.whenReady().then(start)
}
