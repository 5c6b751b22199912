import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createMemoryLogger } from '../../src/main/core/logger'
import { logsFolderOf } from '../../src/renderer/src/app/logs-folder'
import { tempDir } from '../support/temp'

// Electron cannot run here: ipcMain and shell are recording doubles behind src/main/ipc/.
const ipcListeners = new Map<string, (...args: unknown[]) => void>()
const opened: string[] = []
vi.mock('electron', () => ({
  ipcMain: {
    on: (ch: string, fn: (...a: unknown[]) => void) => ipcListeners.set(ch, fn),
    removeAllListeners: (ch: string) => ipcListeners.delete(ch),
  },
  shell: {
    openPath: (path: string) => {
      opened.push(path)
      return Promise.resolve('')
    },
  },
}))

const { registerLogsFolderIpc } = await import('../../src/main/ipc/logs-folder-ipc')
const { IPC } = await import('../../src/main/ipc/channels')

const INDEX = 'file:///opt/paddock/out/renderer/index.html'
const tmp = tempDir()
afterAll(() => tmp.cleanup())

describe('Open logs folder', () => {
  it('opens <data folder>/logs (made owner-only when missing) for our window only', () => {
    const dataDir = join(tmp.path, 'data')
    const logger = createMemoryLogger()
    const dispose = registerLogsFolderIpc({ logger, dataDir, rendererIndexUrl: INDEX })
    const ask = ipcListeners.get(IPC.openLogsFolder)!
    ask({ senderFrame: { url: 'https://evil.example/', parent: null } })
    expect(opened).toEqual([])
    expect(logger.lines.join('')).toContain('untrusted frame refused')
    ask({ senderFrame: { url: INDEX, parent: null } })
    expect(opened).toEqual([join(dataDir, 'logs')])
    expect(existsSync(join(dataDir, 'logs'))).toBe(true)
    if (process.platform !== 'win32') {
      expect(statSync(join(dataDir, 'logs')).mode & 0o077).toBe(0)
    }
    dispose()
    expect(ipcListeners.has(IPC.openLogsFolder)).toBe(false)
  })

  it('names the folder for the page of the web host, in the host’s own path style', () => {
    expect(logsFolderOf({ dataDir: '/home/ann/.config/Paddock', platform: 'linux' })).toBe(
      '/home/ann/.config/Paddock/logs',
    )
    expect(logsFolderOf({ dataDir: 'C:\\Users\\ann\\Paddock', platform: 'win32' })).toBe(
      'C:\\Users\\ann\\Paddock\\logs',
    )
  })
})
