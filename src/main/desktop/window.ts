import { BrowserWindow, nativeTheme, session } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Logger } from '../core/logger'
import { CONTENT_SECURITY_POLICY } from '../web/security-headers'
import { guardNavigation } from './navigation'

export interface MainWindowOptions {
  preloadPath: string
  rendererIndexPath: string
  /** electron-vite's dev server, in development only. */
  devServerUrl?: string
  iconPath?: string
  logger?: Logger
}

/**
 * The one app window, locked down: context isolation and the sandbox on, no Node in the renderer,
 * a strict CSP on every response, navigation and redirects away from our renderer and new windows
 * denied (links the user clicks open in the browser through the preload, see `navigation.ts`).
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const rendererUrl = options.devServerUrl ?? pathToFileURL(options.rendererIndexPath).href
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          options.devServerUrl
            ? CONTENT_SECURITY_POLICY.replace(
                "script-src 'self'",
                "script-src 'self' 'unsafe-inline'",
              ).replace("connect-src 'self'", "connect-src 'self' ws:")
            : CONTENT_SECURITY_POLICY,
        ],
      },
    })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  )

  // eng-disable AUXCLICK_JS_CHECK (reason: a middle-click cannot open a window, guardNavigation denies every window.open and navigation away from the app)
  const win = /* eng-disable AUXCLICK_JS_CHECK */ new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Paddock',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1f22' : '#ffffff',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath, // eng-disable PRELOAD_JS_CHECK (reason: our own sandboxed preload, exposing only the contract bridge through contextBridge)
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())

  guardNavigation(win.webContents, {
    appUrl: rendererUrl,
    onRefused: (what, url, reason) =>
      options.logger?.log('warn', `${what} refused`, { url: url.slice(0, 200), reason }),
  })

  void win.loadURL(rendererUrl)
  return win
}

export function appIconPath(appRoot: string): string {
  return join(appRoot, 'resources', 'icon.png')
}
