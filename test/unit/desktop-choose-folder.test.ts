import { describe, expect, it, vi } from 'vitest'
import { createMemoryLogger } from '../../src/main/core/logger'

// Electron cannot run here: ipcMain and dialog are recording doubles behind src/main/ipc/.
const handlers = new Map<string, (...args: unknown[]) => Promise<unknown>>()
const shown: Array<{ parent: unknown; options: Record<string, unknown> }> = []
let answer: { canceled: boolean; filePaths: string[] } = { canceled: true, filePaths: [] }
vi.mock('electron', () => ({
  ipcMain: {
    handle: (ch: string, fn: (...a: unknown[]) => Promise<unknown>) => handlers.set(ch, fn),
    removeHandler: (ch: string) => handlers.delete(ch),
  },
  dialog: {
    showOpenDialog: (...args: unknown[]) => {
      const options = (args.length === 2 ? args[1] : args[0]) as Record<string, unknown>
      shown.push({ parent: args.length === 2 ? args[0] : null, options })
      return Promise.resolve(answer)
    },
  },
}))

const { registerChooseFolderIpc } = await import('../../src/main/ipc/choose-folder-ipc')
const { IPC } = await import('../../src/main/ipc/channels')

const INDEX = 'file:///opt/paddock/out/renderer/index.html'
const frame = (url: string): { senderFrame: { url: string; parent: null } } => ({
  senderFrame: { url, parent: null },
})

describe('Open folder in the desktop app', () => {
  it('shows the system’s folder dialog, modal to our window, for our window only', async () => {
    const logger = createMemoryLogger()
    const win = { id: 1 }
    const dispose = registerChooseFolderIpc({
      logger,
      rendererIndexUrl: INDEX,
      window: () => win as never,
    })
    const ask = handlers.get(IPC.chooseFolder)!

    // A frame that is not our renderer gets nothing, and no dialog opens.
    expect(await ask(frame('https://evil.example/'))).toBeNull()
    expect(shown).toEqual([])
    expect(logger.lines.join('')).toContain('untrusted frame refused')

    // Cancelled: null. Chosen: the folder's path.
    answer = { canceled: true, filePaths: [] }
    expect(await ask(frame(INDEX))).toBeNull()
    answer = { canceled: false, filePaths: ['/home/ann/code/acme'] }
    expect(await ask(frame(INDEX))).toBe('/home/ann/code/acme')
    expect(shown).toHaveLength(2)
    expect(shown[1]!.parent).toBe(win)
    expect(shown[1]!.options.properties).toEqual(['openDirectory', 'createDirectory'])

    dispose()
    expect(handlers.has(IPC.chooseFolder)).toBe(false)
  })
})
