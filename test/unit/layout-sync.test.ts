import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LayoutClient, PageEvents } from '../../src/renderer/src/app/layout-sync'
import {
  createLayoutSaver,
  layoutFromOldStorage,
  loadLayout,
} from '../../src/renderer/src/app/layout-sync'
import { ContractError } from '../../src/shared/errors'
import type { Layout } from '../../src/shared/layout'
import { EMPTY_LAYOUT, LayoutSchema } from '../../src/shared/layout'

/**
 * The renderer's side of the host-kept layout, against a fake contract client: what it sends
 * (`layout.save` calls, in order) and what it answers, with the page's events and timers faked.
 */

interface FakeHost {
  client: LayoutClient
  /** Every call made, in order. */
  calls: Array<{ method: string; params: unknown }>
  /** What the host has stored (what `layout.get` answers). */
  stored: Layout | null
  /** Make the next `layout.save` calls fail with this error (until set back to null). */
  failSaves: Error | null
  failGet: Error | null
  /** Hold each save until released, to see that saves are sent one at a time. */
  hold: boolean
  release(): void
}

function fakeHost(stored: Layout | null = null): FakeHost {
  const waiting: Array<() => void> = []
  const host: FakeHost = {
    calls: [],
    stored,
    failSaves: null,
    failGet: null,
    hold: false,
    release: () => waiting.splice(0).forEach((go) => go()),
    client: {
      call: (async (method: string, params: unknown) => {
        host.calls.push({ method, params })
        if (method === 'layout.get') {
          if (host.failGet) throw host.failGet
          return { layout: host.stored }
        }
        if (method === 'layout.save') {
          if (host.hold) await new Promise<void>((go) => waiting.push(go))
          if (host.failSaves) throw host.failSaves
          host.stored = LayoutSchema.parse((params as { layout: unknown }).layout)
          return {}
        }
        throw new ContractError('unknown_method', method)
      }) as LayoutClient['call'],
    },
  }
  return host
}

const saves = (host: FakeHost): Layout[] =>
  host.calls
    .filter((c) => c.method === 'layout.save')
    .map((c) => (c.params as { layout: Layout }).layout)

/** A page whose visibility the test sets, with real event targets. */
function fakePage(): PageEvents & { hide(): void; show(): void; unload(): void } {
  const win = new EventTarget()
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' })
  return {
    window: win,
    document: doc,
    hide() {
      doc.visibilityState = 'hidden'
      doc.dispatchEvent(new Event('visibilitychange'))
    },
    show() {
      doc.visibilityState = 'visible'
      doc.dispatchEvent(new Event('visibilitychange'))
    },
    unload() {
      win.dispatchEvent(new Event('pagehide'))
    },
  }
}

const layout = (tabs: string[], patch: Partial<Layout> = {}): Layout => ({
  ...EMPTY_LAYOUT,
  openTabs: tabs,
  panes: tabs.slice(0, 1),
  ...patch,
})

/** A localStorage holding `items` (JSON-encoded), as the old renderer wrote it. */
function oldStorage(items: Record<string, unknown>): void {
  const data = new Map(Object.entries(items).map(([k, v]) => [k, JSON.stringify(v)]))
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => data.set(key, value),
    removeItem: (key: string) => data.delete(key),
  })
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('loadLayout', () => {
  it("answers the host's layout and leaves the old storage alone", async () => {
    const host = fakeHost(layout(['s1', 's2'], { sizes: { row: 40 } }))
    oldStorage({ 'paddock.tabs': { openTabs: ['old'], activeTab: 'old' } })
    expect(await loadLayout(host.client)).toEqual(layout(['s1', 's2'], { sizes: { row: 40 } }))
    expect(host.calls.map((c) => c.method)).toEqual(['layout.get'])
  })

  it('builds one from the old tabs and split sizes once, and gives it to the host', async () => {
    const host = fakeHost(null)
    oldStorage({
      'paddock.tabs': { openTabs: ['s1', 's2', 's2', 'gone', 's3'], activeTab: 's2' },
      'paddock.panes': { sidebar: 22.5, 'session-row': 140, broken: 'x' },
    })
    const exists = (id: string): boolean => id !== 'gone'
    const expected: Layout = {
      ...EMPTY_LAYOUT,
      openTabs: ['s1', 's2', 's3'],
      panes: ['s2'],
      sizes: { sidebar: 22.5, 'session-row': 100 },
    }
    expect(await loadLayout(host.client, { exists })).toEqual(expected)
    expect(saves(host)).toEqual([expected])
    // The host has it: the old keys are gone, never read again.
    expect(localStorage.getItem('paddock.tabs')).toBeNull()
    expect(localStorage.getItem('paddock.panes')).toBeNull()
    // Once: the next load (a reload) reads the host's and saves nothing.
    expect(await loadLayout(host.client, { exists })).toEqual(expected)
    expect(saves(host)).toHaveLength(1)
  })

  it('answers null, saving nothing, when neither the host nor the browser has one', async () => {
    const host = fakeHost(null)
    oldStorage({ 'paddock.tabs': 'garbage', 'paddock.panes': [1, 2] })
    expect(await loadLayout(host.client)).toBeNull()
    expect(saves(host)).toEqual([])
    vi.unstubAllGlobals() // no localStorage at all (Node, a sandboxed frame)
    expect(await loadLayout(host.client)).toBeNull()
  })

  it('reports a failed read and falls back to the old storage without saving', async () => {
    const host = fakeHost(null)
    host.failGet = new ContractError('unknown_method', 'Unknown method "layout.get".')
    oldStorage({ 'paddock.tabs': { openTabs: ['s1'], activeTab: null } })
    const errors: unknown[] = []
    const got = await loadLayout(host.client, { onError: (e) => errors.push(e) })
    expect(got).toEqual(layout(['s1']))
    expect(errors).toEqual([host.failGet])
    expect(saves(host)).toEqual([])
  })

  it('keeps the upgraded layout when the host refuses to store it, and says so', async () => {
    const host = fakeHost(null)
    host.failSaves = new ContractError('io_error', 'The disk is full.')
    oldStorage({ 'paddock.tabs': { openTabs: ['s1', 's2'], activeTab: 's2' } })
    const errors: unknown[] = []
    const got = await loadLayout(host.client, { onError: (e) => errors.push(e) })
    expect(got).toEqual(layout(['s1', 's2'], { panes: ['s2'] }))
    expect(errors).toEqual([host.failSaves])
  })

  it('drops ids the host would refuse from the old tabs', () => {
    oldStorage({ 'paddock.tabs': { openTabs: ['', 'x'.repeat(65), 7, 'ok'], activeTab: 7 } })
    expect(layoutFromOldStorage()).toEqual(layout(['ok']))
  })
})

describe('createLayoutSaver', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })

  it('saves once the layout has stayed unchanged for delayMs, the newest only', async () => {
    const host = fakeHost()
    const saver = createLayoutSaver(host.client, { page: null })
    saver.save(layout(['a']))
    await vi.advanceTimersByTimeAsync(200)
    saver.save(layout(['a', 'b']))
    await vi.advanceTimersByTimeAsync(299)
    expect(saves(host)).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(saves(host)).toEqual([layout(['a', 'b'])])
    expect(host.stored).toEqual(layout(['a', 'b']))
  })

  it('honours delayMs', async () => {
    const host = fakeHost()
    const saver = createLayoutSaver(host.client, { delayMs: 1000, page: null })
    saver.save(layout(['a']))
    await vi.advanceTimersByTimeAsync(999)
    expect(saves(host)).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(saves(host)).toHaveLength(1)
  })

  it('skips a layout equal to the last one saved, or to the one loaded', async () => {
    const host = fakeHost(layout(['a']))
    const saver = createLayoutSaver(host.client, { page: null, saved: layout(['a']) })
    saver.save(layout(['a']))
    await saver.flush()
    expect(saves(host)).toEqual([])
    saver.save(layout(['a', 'b']))
    await saver.flush()
    saver.save({ ...layout(['a', 'b']) }) // a new object, the same layout
    await saver.flush()
    expect(saves(host)).toEqual([layout(['a', 'b'])])
    saver.save(layout(['a']))
    await saver.flush()
    expect(saves(host)).toEqual([layout(['a', 'b']), layout(['a'])])
  })

  it('flush sends what is waiting at once and resolves when the host has it', async () => {
    const host = fakeHost()
    const saver = createLayoutSaver(host.client, { page: null })
    saver.save(layout(['a']))
    await saver.flush()
    expect(host.stored).toEqual(layout(['a']))
    // Nothing left for the timer.
    await vi.advanceTimersByTimeAsync(1000)
    expect(saves(host)).toHaveLength(1)
    await saver.flush() // nothing waiting: resolves
  })

  it('saves when the page is hidden or unloaded, not when it is shown', async () => {
    const host = fakeHost()
    const page = fakePage()
    const saver = createLayoutSaver(host.client, { page })
    saver.save(layout(['a']))
    page.show()
    await vi.advanceTimersByTimeAsync(0)
    expect(saves(host)).toEqual([])
    page.hide()
    await vi.advanceTimersByTimeAsync(0)
    expect(saves(host)).toEqual([layout(['a'])])
    saver.save(layout(['b']))
    page.unload()
    await vi.advanceTimersByTimeAsync(0)
    expect(saves(host)).toEqual([layout(['a']), layout(['b'])])
  })

  it('sends one save at a time, in order, so an older layout never lands last', async () => {
    const host = fakeHost()
    host.hold = true
    const saver = createLayoutSaver(host.client, { page: null })
    saver.save(layout(['a']))
    const first = saver.flush()
    saver.save(layout(['b']))
    const second = saver.flush()
    await vi.advanceTimersByTimeAsync(0)
    expect(saves(host)).toEqual([layout(['a'])]) // the second waits for the first
    host.release()
    await first
    await vi.advanceTimersByTimeAsync(0)
    host.release()
    await second
    expect(saves(host)).toEqual([layout(['a']), layout(['b'])])
    expect(host.stored).toEqual(layout(['b']))
  })

  it('reports a failed save to onError, never throws, and sends it again next time', async () => {
    const host = fakeHost()
    const errors: unknown[] = []
    const saver = createLayoutSaver(host.client, { page: null, onError: (e) => errors.push(e) })
    host.failSaves = new ContractError('payload_too_large', 'The layout is 70 KB.')
    saver.save(layout(['a']))
    await expect(saver.flush()).resolves.toBeUndefined()
    expect(errors).toEqual([host.failSaves])
    host.failSaves = null
    saver.save(layout(['a'])) // the same layout: not stored yet, so sent again
    await saver.flush()
    expect(saves(host)).toEqual([layout(['a']), layout(['a'])])
    expect(host.stored).toEqual(layout(['a']))
  })

  it('survives an onError that throws', async () => {
    const host = fakeHost()
    host.failSaves = new Error('socket closed')
    const saver = createLayoutSaver(host.client, {
      page: null,
      onError: () => {
        throw new Error('notice broke')
      },
    })
    saver.save(layout(['a']))
    await expect(saver.flush()).resolves.toBeUndefined()
    host.failSaves = null
    saver.save(layout(['b']))
    await saver.flush()
    expect(host.stored).toEqual(layout(['b']))
  })

  it('dispose saves what is waiting, stops listening, and ignores later saves', async () => {
    const host = fakeHost()
    const page = fakePage()
    const saver = createLayoutSaver(host.client, { page })
    saver.save(layout(['a']))
    saver.dispose()
    await vi.advanceTimersByTimeAsync(0)
    expect(saves(host)).toEqual([layout(['a'])])
    saver.save(layout(['b']))
    page.hide()
    await vi.advanceTimersByTimeAsync(1000)
    expect(saves(host)).toEqual([layout(['a'])])
  })

  it("uses the page's window and document by default", async () => {
    const host = fakeHost()
    const page = fakePage()
    vi.stubGlobal('window', page.window)
    vi.stubGlobal('document', page.document)
    const saver = createLayoutSaver(host.client)
    saver.save(layout(['a']))
    page.hide()
    await vi.advanceTimersByTimeAsync(0)
    expect(saves(host)).toEqual([layout(['a'])])
    saver.dispose()
  })
})
