import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/main/sessions/database'
import { Settings } from '../../src/main/sessions/settings'
import { tempDir } from '../support/temp'
import type { Logger, LogLevel } from '../../src/main/core/logger'
import type { UpdateSettings, UpdaterPort } from '../../src/main/desktop/update-controller'
import {
  FIRST_CHECK_DELAY_MS,
  UPDATE_CHECK_INTERVAL_MS,
  createUpdateController,
  updateSettingsOf,
} from '../../src/main/desktop/update-controller'
import type { UpdateChannel, UpdateNotice } from '../../src/shared/update-bridge'

const HOUR = 60 * 60 * 1000

/** Timers on a virtual clock: `advance` fires what falls due, in order. */
function virtualClock() {
  let now = 0
  let timers: Array<{ at: number; fn: () => void }> = []
  return {
    now: () => now,
    pending: () => timers.map((t) => t.at - now),
    schedule(delayMs: number, fn: () => void): () => void {
      const timer = { at: now + delayMs, fn }
      timers.push(timer)
      return () => {
        timers = timers.filter((t) => t !== timer)
      }
    },
    /** Move the clock on by `ms`, firing due timers and letting their promises settle. */
    async advance(ms: number): Promise<void> {
      const end = now + ms
      for (;;) {
        timers.sort((a, b) => a.at - b.at)
        const next = timers[0]
        if (!next || next.at > end) break
        timers = timers.slice(1)
        now = next.at
        next.fn()
        for (let i = 0; i < 20; i++) await Promise.resolve()
      }
      now = end
    },
  }
}

/** electron-updater as the controller sees it: what it was asked, and scripted answers. */
function fakeUpdater(clock: { now(): number }) {
  const calls: string[] = []
  const checksAt: number[] = []
  let available: string | null = null
  let downloadError: (Error & { code?: string }) | null = null
  let checkError: Error | null = null
  const port: UpdaterPort = {
    check(channel: UpdateChannel) {
      calls.push(`check ${channel}`)
      checksAt.push(clock.now())
      return checkError ? Promise.reject(checkError) : Promise.resolve(available)
    },
    download() {
      calls.push('download')
      return downloadError ? Promise.reject(downloadError) : Promise.resolve()
    },
    install() {
      calls.push('install')
    },
  }
  return {
    port,
    calls,
    checksAt,
    publish(version: string | null) {
      available = version
    },
    failDownload(message: string, code?: string) {
      downloadError = Object.assign(new Error(message), code ? { code } : {})
    },
    fixDownload() {
      downloadError = null
    },
    failCheck(err: Error | null) {
      checkError = err
    },
  }
}

function setup(options: { agents?: boolean; settings?: UpdateSettings } = {}) {
  const clock = virtualClock()
  const updater = fakeUpdater(clock)
  const logs: Array<{ level: LogLevel; message: string; fields?: Record<string, unknown> }> = []
  const logger: Logger = { log: (level, message, fields) => logs.push({ level, message, fields }) }
  const notices: UpdateNotice[] = []
  const state = {
    agents: options.agents ?? false,
    settings: options.settings ?? { enabled: true, channel: 'stable' as UpdateChannel },
  }
  const controller = createUpdateController({
    updater: updater.port,
    settings: () => state.settings,
    agentsRunning: () => Promise.resolve(state.agents),
    schedule: clock.schedule,
    logger,
    notify: (n) => notices.push(n),
  })
  return { clock, updater, logs, notices, state, controller }
}

describe('the update schedule', () => {
  it('checks a little after start, then every 6 hours, on the channel set at each check', async () => {
    const { clock, updater, controller, state } = setup()
    controller.start()
    expect(clock.pending()).toEqual([FIRST_CHECK_DELAY_MS])
    await clock.advance(FIRST_CHECK_DELAY_MS - 1)
    expect(updater.checksAt).toEqual([])
    await clock.advance(1)
    expect(updater.checksAt).toEqual([FIRST_CHECK_DELAY_MS])
    expect(clock.pending()).toEqual([UPDATE_CHECK_INTERVAL_MS])
    state.settings = { enabled: true, channel: 'beta' }
    await clock.advance(18 * HOUR)
    expect(UPDATE_CHECK_INTERVAL_MS).toBe(6 * HOUR)
    expect(updater.checksAt).toEqual([
      FIRST_CHECK_DELAY_MS,
      FIRST_CHECK_DELAY_MS + 6 * HOUR,
      FIRST_CHECK_DELAY_MS + 12 * HOUR,
      FIRST_CHECK_DELAY_MS + 18 * HOUR,
    ])
    expect(updater.calls).toEqual(['check stable', 'check beta', 'check beta', 'check beta'])
    controller.dispose()
    expect(clock.pending()).toEqual([])
  })

  it('does not check while updates are off, and keeps the schedule for when they are on again', async () => {
    const { clock, updater, controller, state } = setup({
      settings: { enabled: false, channel: 'stable' },
    })
    controller.start()
    await clock.advance(13 * HOUR)
    expect(updater.calls).toEqual([])
    state.settings = { enabled: true, channel: 'stable' }
    await clock.advance(6 * HOUR)
    expect(updater.calls).toEqual(['check stable'])
  })

  it('stays quiet on a failed check (logged), and tries again at the next one', async () => {
    const { clock, updater, controller, logs, notices } = setup()
    updater.failCheck(new Error('getaddrinfo ENOTFOUND api.github.com'))
    controller.start()
    await clock.advance(FIRST_CHECK_DELAY_MS)
    expect(notices).toEqual([])
    expect(controller.phase()).toBe('idle')
    expect(logs).toContainEqual({
      level: 'warn',
      message: 'update check failed',
      fields: { error: 'getaddrinfo ENOTFOUND api.github.com', code: undefined },
    })
    updater.failCheck(null)
    updater.publish('1.1.0')
    await clock.advance(6 * HOUR)
    expect(notices).toEqual([{ version: '1.1.0' }])
  })
})

describe('a downloaded update', () => {
  it('downloads in the background and is offered, and later checks wait for the restart', async () => {
    const { clock, updater, controller, notices } = setup()
    updater.publish('1.1.0')
    controller.start()
    await clock.advance(FIRST_CHECK_DELAY_MS)
    expect(updater.calls).toEqual(['check stable', 'download'])
    expect(controller.phase()).toBe('ready')
    expect(notices).toEqual([{ version: '1.1.0' }])
    expect(controller.notice()).toEqual({ version: '1.1.0' })
    await clock.advance(12 * HOUR)
    expect(updater.calls).toEqual(['check stable', 'download'])
    // Never installed by itself.
    expect(updater.calls).not.toContain('install')
  })

  it('is not installed while an agent runs; it is once none does', async () => {
    const { updater, controller, state, logs } = setup({ agents: true })
    updater.publish('1.1.0')
    await controller.checkNow()
    expect(await controller.restart()).toBe('agents_running')
    expect(updater.calls).not.toContain('install')
    expect(logs.map((l) => l.message)).toContain('restart to update refused: an agent is running')
    expect(controller.phase()).toBe('ready')
    state.agents = false
    expect(await controller.restart()).toBe('restarting')
    expect(updater.calls.at(-1)).toBe('install')
  })

  it('is not installed when whether agents run cannot be told', async () => {
    const { updater, controller } = setup()
    const failing = createUpdateController({
      updater: updater.port,
      settings: () => ({ enabled: true, channel: 'stable' }),
      agentsRunning: () => Promise.reject(new Error('database is locked')),
      schedule: () => () => {},
      logger: { log: () => {} },
      notify: () => {},
    })
    updater.publish('1.1.0')
    await failing.checkNow()
    expect(await failing.restart()).toBe('agents_running')
    expect(await controller.restart()).toBe('nothing_ready')
    expect(updater.calls).not.toContain('install')
  })

  it('is discarded when it fails its checksum or signature, never offered, and fetched again later', async () => {
    for (const code of ['ERR_CHECKSUM_MISMATCH', 'ERR_UPDATER_INVALID_SIGNATURE']) {
      const { clock, updater, controller, notices, logs } = setup()
      updater.publish('1.1.0')
      updater.failDownload('sha512 checksum mismatch, expected abc, got def', code)
      controller.start()
      await clock.advance(FIRST_CHECK_DELAY_MS)
      expect(notices).toEqual([])
      expect(controller.phase()).toBe('idle')
      expect(await controller.restart()).toBe('nothing_ready')
      expect(updater.calls).not.toContain('install')
      expect(logs).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          message: 'downloaded update failed verification; discarded',
          fields: expect.objectContaining({ code, version: '1.1.0' }),
        }),
      )
      updater.fixDownload()
      await clock.advance(6 * HOUR)
      expect(updater.calls).toEqual(['check stable', 'download', 'check stable', 'download'])
      expect(notices).toEqual([{ version: '1.1.0' }])
      controller.dispose()
    }
  })

  it('logs any other download failure quietly and offers nothing', async () => {
    const { updater, controller, notices, logs } = setup()
    updater.publish('1.1.0')
    updater.failDownload('socket hang up')
    await controller.checkNow()
    expect(notices).toEqual([])
    expect(logs.at(-1)).toMatchObject({ level: 'warn', message: 'update download failed' })
  })

  it('offers nothing when there is no newer version', async () => {
    const { updater, controller, notices } = setup()
    await controller.checkNow()
    expect(updater.calls).toEqual(['check stable'])
    expect(notices).toEqual([])
    expect(await controller.restart()).toBe('nothing_ready')
  })
})

describe('the update settings', () => {
  it('default to on and stable, and are read as stored; a bad stored value falls back, logged', () => {
    const dir = tempDir('paddock-update-settings-')
    const db = openDatabase(dir.path)
    try {
      const settings = new Settings(db)
      const logs: string[] = []
      const logger: Logger = { log: (_level, message) => logs.push(message) }
      expect(updateSettingsOf(settings, logger)).toEqual({ enabled: true, channel: 'stable' })
      settings.set('updates.channel', 'beta')
      settings.set('updates.enabled', false)
      expect(updateSettingsOf(settings, logger)).toEqual({ enabled: false, channel: 'beta' })
      expect(() => settings.set('updates.channel', 'nightly')).toThrow(/updates.channel/)
      db.prepare("UPDATE settings SET value = '\"nightly\"' WHERE key = 'updates.channel'").run()
      expect(updateSettingsOf(settings, logger).channel).toBe('stable')
      expect(logs).toContain('setting updates.channel unreadable; using the default')
    } finally {
      db.close()
      dir.cleanup()
    }
  })
})
