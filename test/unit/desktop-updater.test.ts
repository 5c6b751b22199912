import { describe, expect, it, vi } from 'vitest'
import type { Logger } from '../../src/main/core/logger'

// electron-updater needs Electron: its autoUpdater is a recording double here, behind the thin
// adapter of src/main/desktop/updater.ts (docs/CONVENTIONS.md, "Tests").
const fake = {
  autoDownload: true,
  autoInstallOnAppQuit: false,
  allowPrerelease: false,
  allowDowngrade: true,
  channel: null as string | null,
  logger: null as unknown,
  listeners: new Map<string, () => void>(),
  result: null as null | { isUpdateAvailable: boolean; updateInfo: { version: string } },
  calls: [] as string[],
  on(event: string, fn: () => void) {
    this.listeners.set(event, fn)
    return this
  },
  checkForUpdates() {
    this.calls.push(`check channel=${this.channel} prerelease=${this.allowPrerelease}`)
    return Promise.resolve(this.result)
  },
  downloadUpdate() {
    this.calls.push('download')
    return Promise.resolve([])
  },
  quitAndInstall(isSilent: boolean, forceRunAfter: boolean) {
    this.calls.push(`quitAndInstall silent=${isSilent} runAfter=${forceRunAfter}`)
  },
}
vi.mock('electron-updater', () => ({ default: { autoUpdater: fake } }))

const { createElectronUpdater } = await import('../../src/main/desktop/updater')
const logs: string[] = []
const logger: Logger = { log: (level, message) => logs.push(`${level} ${message}`) }

describe('electron-updater behind the update controller', () => {
  it('never downloads by itself, installs on quit, and keeps its errors from throwing', () => {
    createElectronUpdater(logger)
    expect(fake.autoDownload).toBe(false)
    expect(fake.autoInstallOnAppQuit).toBe(true)
    expect(fake.listeners.has('error')).toBe(true)
    ;(fake.logger as { warn(m: string): void }).warn('Cannot find latest.yml')
    expect(logs).toContain('warn updater: Cannot find latest.yml')
  })

  it('checks the channel asked for, never allowing a downgrade, and says which version it found', async () => {
    const port = createElectronUpdater(logger)
    fake.result = { isUpdateAvailable: true, updateInfo: { version: '1.5.0-beta.1' } }
    expect(await port.check('beta')).toBe('1.5.0-beta.1')
    expect(fake.allowDowngrade).toBe(false)
    fake.result = { isUpdateAvailable: false, updateInfo: { version: '1.4.0' } }
    expect(await port.check('stable')).toBeNull()
    expect(fake.allowDowngrade).toBe(false)
    // Not packaged: electron-updater answers null.
    fake.result = null
    expect(await port.check('stable')).toBeNull()
    expect(fake.calls).toEqual([
      'check channel=beta prerelease=true',
      'check channel=latest prerelease=false',
      'check channel=latest prerelease=false',
    ])
  })

  it('installs with the installer shown and the app started again', async () => {
    const port = createElectronUpdater(logger)
    fake.calls = []
    await port.download()
    port.install()
    expect(fake.calls).toEqual(['download', 'quitAndInstall silent=false runAfter=true'])
  })
})
