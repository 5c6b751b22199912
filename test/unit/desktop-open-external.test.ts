import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createMemoryLogger } from '../../src/main/core/logger'

// Electron cannot run here, so its ipcMain is replaced by a recording double (docs/CONVENTIONS.md,
// "Tests"); shell.openExternal is passed in, and here it only records what it was asked to open.
const listeners = new Map<string, (...args: unknown[]) => unknown>()
vi.mock('electron', () => ({
  ipcMain: {
    on: (ch: string, fn: (...a: unknown[]) => unknown) => listeners.set(ch, fn),
    removeAllListeners: (ch: string) => listeners.delete(ch),
  },
}))

const { registerOpenExternal } = await import('../../src/main/ipc/open-external')

const INDEX = 'file:///opt/paddock/out/renderer/index.html'
const logger = createMemoryLogger()
const opened: string[] = []
let dispose: () => void

beforeAll(() => {
  dispose = registerOpenExternal({
    logger,
    rendererIndexUrl: INDEX,
    openExternal: async (url) => {
      opened.push(url)
    },
  })
})
afterAll(() => dispose())

function ask(
  request: unknown,
  frame: { url: string; parent: unknown } = { url: INDEX, parent: null },
): void {
  const listener = listeners.get('paddock:open-external')
  if (!listener) throw new Error('no open-external listener')
  listener({ senderFrame: frame }, request)
}

describe('opening a link from the desktop window', () => {
  it('opens a web address the user clicked in our window, in canonical form', () => {
    opened.length = 0
    ask({ url: 'https://EXAMPLE.com/a%20b', userGesture: true })
    ask({ url: 'mailto:dev@example.com', userGesture: true })
    expect(opened).toEqual(['https://example.com/a%20b', 'mailto:dev@example.com'])
  })

  it('opens nothing the user did not click or type for', () => {
    opened.length = 0
    ask({ url: 'https://example.com/', userGesture: false })
    expect(opened).toEqual([])
    expect(logger.lines.join('\n')).toContain('not opened by a click or key press')
  })

  it('opens nothing for other schemes or addresses that hide their host', () => {
    opened.length = 0
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,x',
      'http://127.0.0.1:5173@evil.com/',
    ]) {
      ask({ url, userGesture: true })
    }
    expect(opened).toEqual([])
  })

  it('refuses malformed requests and other frames', () => {
    opened.length = 0
    ask('https://example.com/')
    ask({ url: 'https://example.com/', userGesture: true, extra: 1 })
    ask({ url: 42, userGesture: true })
    ask({ url: 'https://example.com/', userGesture: true }, { url: INDEX, parent: {} })
    ask(
      { url: 'https://example.com/', userGesture: true },
      { url: 'https://evil.example/', parent: null },
    )
    expect(opened).toEqual([])
    expect(logger.lines.join('\n')).toContain('untrusted frame')
    expect(logger.lines.join('\n')).toContain('bad open link request')
  })
})
