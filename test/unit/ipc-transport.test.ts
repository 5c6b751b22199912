import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { EngineFixture } from '../support/engine'
import { engineFixture } from '../support/engine'

// Electron cannot run here, so its ipcMain is replaced by a recording double: the one place a
// mock is right (docs/CONVENTIONS.md, "Tests").
const handlers = new Map<string, (...args: unknown[]) => unknown>()
const listeners = new Map<string, (...args: unknown[]) => unknown>()
vi.mock('electron', () => ({
  ipcMain: {
    handle: (ch: string, fn: (...a: unknown[]) => unknown) => handlers.set(ch, fn),
    on: (ch: string, fn: (...a: unknown[]) => unknown) => listeners.set(ch, fn),
    removeHandler: (ch: string) => handlers.delete(ch),
    removeAllListeners: (ch: string) => listeners.delete(ch),
  },
}))

const { registerIpcTransport } = await import('../../src/main/ipc/ipc-transport')
const { isTrustedSender } = await import('../../src/main/ipc/sender')

const INDEX = 'file:///opt/paddock/out/renderer/index.html'
let fx: EngineFixture
let dispose: () => void

beforeAll(() => {
  fx = engineFixture('electron')
  dispose = registerIpcTransport({ engine: fx.engine, logger: fx.logger, rendererIndexUrl: INDEX })
})
afterAll(() => {
  dispose()
  fx.cleanup()
})

function fakeSender(
  url: string,
  parent: unknown = null,
): {
  senderFrame: { url: string; parent: unknown }
  sender: {
    id: number
    send: (...a: unknown[]) => void
    isDestroyed: () => boolean
    once: () => void
  }
  sent: unknown[][]
} {
  const sent: unknown[][] = []
  return {
    senderFrame: { url, parent },
    sender: { id: 1, send: (...a) => sent.push(a), isDestroyed: () => false, once: () => {} },
    sent,
  }
}

describe('IPC transport', () => {
  it('answers calls from our window through the same validation as every transport', async () => {
    const call = handlers.get('paddock:call')!
    const e = fakeSender(INDEX)
    expect(await call(e, 'host.info', {})).toMatchObject({ ok: true, result: { kind: 'electron' } })
    expect(await call(e, 'sessions.create', { workspaceId: 'nope', extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_params' },
    })
  })

  it('refuses calls and subscriptions from any other frame', async () => {
    const call = handlers.get('paddock:call')!
    for (const e of [
      fakeSender('https://evil.example/'),
      fakeSender('file:///tmp/other.html'),
      fakeSender(INDEX, { url: INDEX }),
    ]) {
      expect(await call(e, 'host.info', {})).toMatchObject({
        ok: false,
        error: { code: 'unauthorized' },
      })
      listeners.get('paddock:subscribe')!(e, { subId: 1, since: {} })
      expect(e.sent).toEqual([])
    }
  })

  it('replays then streams events to a subscribed window', async () => {
    const dir = join(fx.home, 'p')
    mkdirSync(dir)
    await fx.call('workspaces.open', { path: dir })
    const e = fakeSender(INDEX)
    listeners.get('paddock:subscribe')!(e, { subId: 7, since: {} })
    expect(e.sent.map((m) => m[0])).toEqual(['paddock:event', 'paddock:replayed'])
    const [ws] = await fx.call('workspaces.list', {})
    await fx.call('sessions.create', { workspaceId: ws!.id })
    expect(e.sent[2]).toMatchObject(['paddock:event', 7, { type: 'session.created' }])
  })
})

describe('isTrustedSender', () => {
  it('trusts only the top frame showing our renderer (or the dev server)', () => {
    expect(isTrustedSender({ url: INDEX, parent: null }, INDEX)).toBe(true)
    expect(isTrustedSender({ url: `${INDEX}#/x`, parent: null }, INDEX)).toBe(true)
    expect(isTrustedSender({ url: INDEX, parent: {} }, INDEX)).toBe(false)
    expect(isTrustedSender(null, INDEX)).toBe(false)
    expect(isTrustedSender({ url: 'not a url', parent: null }, INDEX)).toBe(false)
    expect(isTrustedSender({ url: 'http://localhost:5173/', parent: null }, INDEX)).toBe(false)
    expect(
      isTrustedSender(
        { url: 'http://localhost:5173/', parent: null },
        INDEX,
        'http://localhost:5173',
      ),
    ).toBe(true)
  })
})
