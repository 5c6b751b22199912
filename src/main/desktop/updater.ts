import electronUpdater from 'electron-updater'
import type { Logger } from '../core/logger'
import type { Settings } from '../sessions/settings'
import type { UpdateNotice } from '../../shared/update-bridge'
import type { UpdateController, UpdaterPort } from './update-controller'
import { createUpdateController, updateSettingsOf } from './update-controller'

/**
 * The desktop app's updates: electron-updater over GitHub Releases (the `publish` section of
 * electron-builder.yml, written into the packed app as app-update.yml), driven by the rules of
 * `update-controller.ts`. Only the packaged desktop app updates; the web host and the CLI never
 * load this file.
 */

/** electron-updater as the controller's port: no automatic download, the channel per check. */
export function createElectronUpdater(logger: Logger): UpdaterPort {
  const { autoUpdater } = electronUpdater
  autoUpdater.autoDownload = false
  // A downloaded update also installs when the user quits the app: never forced, never lost.
  autoUpdater.autoInstallOnAppQuit = true
  autoUpdater.logger = {
    info: (m: unknown) => logger.log('info', `updater: ${String(m)}`),
    warn: (m: unknown) => logger.log('warn', `updater: ${String(m)}`),
    error: (m: unknown) => logger.log('warn', `updater: ${String(m)}`),
    debug: (m: unknown) => logger.log('debug', `updater: ${String(m)}`),
  }
  // Failures reach the controller through the rejected promises; this keeps the emitter's
  // unhandled 'error' from throwing.
  autoUpdater.on('error', () => {})
  return {
    async check(channel) {
      autoUpdater.allowPrerelease = channel === 'beta'
      autoUpdater.channel = channel === 'beta' ? 'beta' : 'latest'
      // Setting a channel allows downgrades; leaving beta keeps the newer version until stable passes it.
      autoUpdater.allowDowngrade = false
      const result = await autoUpdater.checkForUpdates()
      return result?.isUpdateAvailable ? result.updateInfo.version : null
    },
    async download() {
      await autoUpdater.downloadUpdate()
    },
    install() {
      autoUpdater.quitAndInstall(false, true)
    },
  }
}

export interface DesktopUpdatesOptions {
  logger: Logger
  settings: Pick<Settings, 'read'>
  agentsRunning(): Promise<boolean>
  notify(notice: UpdateNotice): void
}

/** Start checking for updates (packaged app only; see `src/main/index.ts`). */
export function startDesktopUpdates(options: DesktopUpdatesOptions): UpdateController {
  const controller = createUpdateController({
    updater: createElectronUpdater(options.logger),
    settings: () => updateSettingsOf(options.settings, options.logger),
    agentsRunning: options.agentsRunning,
    schedule: (delayMs, fn) => {
      const timer = setTimeout(fn, delayMs)
      // A pending check never keeps the app alive.
      timer.unref()
      return () => clearTimeout(timer)
    },
    logger: options.logger,
    notify: options.notify,
  })
  controller.start()
  return controller
}
