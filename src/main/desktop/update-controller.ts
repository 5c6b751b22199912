import type { Logger } from '../core/logger'
import type { Settings } from '../sessions/settings'
import type { RestartOutcome, UpdateChannel, UpdateNotice } from '../../shared/update-bridge'

/**
 * When the desktop app looks for, downloads and installs updates. Pure: the updater
 * (electron-updater, `updater.ts`), the timers and what is running are injected, so the rules are
 * tested without Electron:
 * - a check a little after start, then every 6 hours; an update found downloads in the background;
 * - a downloaded update is offered ("Restart to update") and installed only when the user asks and
 *   no agent is running; it is never forced (electron-updater also installs it when the app quits);
 * - a failure is logged and otherwise quiet: the next check tries again;
 * - a download that fails its checksum or signature is discarded (electron-updater removes the
 *   file) and never offered;
 * - `updates.enabled: false` stops checking; `updates.channel` is read before each check.
 */

/** Time between two checks, in ms. */
export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000
/** The first check waits this long after start, in ms, so the window comes first. */
export const FIRST_CHECK_DELAY_MS = 10_000

/** Error codes of a download that is not the file published (electron-updater, builder-util). */
const CORRUPT_DOWNLOAD_CODES = new Set(['ERR_CHECKSUM_MISMATCH', 'ERR_UPDATER_INVALID_SIGNATURE'])

/** What the controller needs of electron-updater. */
export interface UpdaterPort {
  /** Look for a newer version on `channel`: its version, or null when there is none. */
  check(channel: UpdateChannel): Promise<string | null>
  /** Download the version found; rejects on failure (with `code` for a corrupt download). */
  download(): Promise<void>
  /** Quit and install the downloaded version, then start again. */
  install(): void
}

export interface UpdateSettings {
  enabled: boolean
  channel: UpdateChannel
}

/** `updates.enabled` (default on) and `updates.channel` (default stable), as stored. */
export function updateSettingsOf(settings: Pick<Settings, 'read'>, logger: Logger): UpdateSettings {
  return {
    enabled: settings.read('updates.enabled', logger) ?? true,
    channel: settings.read('updates.channel', logger) ?? 'stable',
  }
}

export interface UpdateControllerDeps {
  updater: UpdaterPort
  /** The stored settings, read before each check. */
  settings(): UpdateSettings
  /** Whether an agent of this app is running now. */
  agentsRunning(): Promise<boolean>
  /** Run `fn` after `delayMs`; returns a cancel function. */
  schedule(delayMs: number, fn: () => void): () => void
  logger: Logger
  /** Tells the renderer what to offer (null: nothing). */
  notify(notice: UpdateNotice): void
}

export type UpdatePhase = 'idle' | 'checking' | 'downloading' | 'ready'

export interface UpdateController {
  /** Start the checks: the first after `FIRST_CHECK_DELAY_MS`, then every 6 hours. */
  start(): void
  /** One check now (and the download it leads to); resolves when both are done. */
  checkNow(): Promise<void>
  /** The user asked to restart to update. */
  restart(): Promise<RestartOutcome>
  phase(): UpdatePhase
  /** What the renderer is offered now (for a window that asks after loading). */
  notice(): UpdateNotice
  dispose(): void
}

function errorCode(err: unknown): string | undefined {
  const code: unknown =
    typeof err === 'object' && err !== null ? Reflect.get(err, 'code') : undefined
  return typeof code === 'string' ? code : undefined
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export function createUpdateController(deps: UpdateControllerDeps): UpdateController {
  const { updater, logger } = deps
  let phase: UpdatePhase = 'idle'
  let ready: string | null = null
  let cancelTimer: (() => void) | null = null
  let disposed = false

  const setReady = (version: string | null): void => {
    ready = version
    deps.notify(version === null ? null : { version })
  }

  const plan = (delayMs: number): void => {
    cancelTimer?.()
    if (disposed) return
    cancelTimer = deps.schedule(delayMs, () => {
      cancelTimer = null
      void checkNow().finally(() => plan(UPDATE_CHECK_INTERVAL_MS))
    })
  }

  const checkNow = async (): Promise<void> => {
    // One at a time; an update already downloaded waits for its restart.
    if (phase !== 'idle' || disposed) return
    let settings: UpdateSettings
    try {
      settings = deps.settings()
    } catch (err) {
      logger.log('warn', 'update settings unreadable; not checking', { error: errorMessage(err) })
      return
    }
    if (!settings.enabled) return
    phase = 'checking'
    let version: string | null
    try {
      version = await updater.check(settings.channel)
    } catch (err) {
      phase = 'idle'
      logger.log('warn', 'update check failed', { error: errorMessage(err), code: errorCode(err) })
      return
    }
    if (version === null || disposed) {
      phase = 'idle'
      return
    }
    phase = 'downloading'
    logger.log('info', 'update found; downloading', { version, channel: settings.channel })
    try {
      await updater.download()
    } catch (err) {
      phase = 'idle'
      const code = errorCode(err)
      if (code !== undefined && CORRUPT_DOWNLOAD_CODES.has(code)) {
        logger.log('warn', 'downloaded update failed verification; discarded', {
          version,
          code,
          error: errorMessage(err),
        })
      } else {
        logger.log('warn', 'update download failed', { version, code, error: errorMessage(err) })
      }
      return
    }
    if (disposed) return
    phase = 'ready'
    logger.log('info', 'update downloaded; offered on restart', { version })
    setReady(version)
  }

  return {
    start() {
      plan(FIRST_CHECK_DELAY_MS)
    },
    checkNow,
    async restart() {
      if (phase !== 'ready' || ready === null) return 'nothing_ready'
      let running: boolean
      try {
        running = await deps.agentsRunning()
      } catch (err) {
        // Not knowing counts as running: a restart would stop an agent mid-step.
        logger.log('warn', 'could not tell whether agents run; not restarting', {
          error: errorMessage(err),
        })
        running = true
      }
      if (running) {
        logger.log('info', 'restart to update refused: an agent is running', { version: ready })
        return 'agents_running'
      }
      logger.log('info', 'restarting to update', { version: ready })
      updater.install()
      return 'restarting'
    },
    phase: () => phase,
    notice: () => (ready === null ? null : { version: ready }),
    dispose() {
      disposed = true
      cancelTimer?.()
      cancelTimer = null
    },
  }
}
