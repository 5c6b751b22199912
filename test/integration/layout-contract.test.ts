/**
 * The workbench layout through the engine's contract (`layout.get` / `layout.save`): stored by
 * the host in the data folder, so it survives the engine closing and another process opening the
 * folder; reconciled against the sessions that exist, so a session deleted here or by another
 * process (the CLI) is gone from the next read; refused whole when invalid; never broadcast; and
 * never torn by a kill -9 in the middle of a save.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LAYOUT_KEY } from '../../src/main/sessions/layout-store'
import type { PaddockEvent } from '../../src/shared/events'
import type { Layout } from '../../src/shared/layout'
import { EMPTY_LAYOUT, MAX_PANES, splitWith, togglePanel } from '../../src/shared/layout'
import type { EngineFixture } from '../support/engine'
import { engineFixture } from '../support/engine'
import { initRepo } from '../support/git-repo'
import { crashLayout } from '../support/layout-samples'
import { REPO_ROOT } from '../support/paths'
import { spawnTs } from '../support/spawn'

const fixtures: EngineFixture[] = []
afterEach(() => {
  // The last one owns the temp folder; the others (put first) share it and close before.
  for (const f of fixtures.splice(0)) f.cleanup()
})

/** An engine on a fresh data folder with a git repository opened as a workspace. */
async function world(): Promise<{ fx: EngineFixture; workspaceId: string }> {
  const fx = engineFixture('web')
  fixtures.push(fx)
  const repo = initRepo(join(fx.root, 'repo'), { 'app.txt': 'v1\n' })
  const ws = await fx.call('workspaces.open', { path: repo })
  return { fx, workspaceId: ws.id }
}

/** Another engine (another process would be the same) on the same data folder. */
function sameFolder(fx: EngineFixture, kind: 'web' | 'cli' | 'electron' = 'cli'): EngineFixture {
  const other = engineFixture(kind, {}, { root: fx.root })
  fixtures.unshift(other) // closed before the one that removes the folder
  return other
}

async function failure(
  fx: EngineFixture,
  params: unknown,
): Promise<{ code: string; message: string }> {
  const outcome = await fx.engine.call('layout.save', params, { transport: 'test' })
  if (outcome.ok) throw new Error('layout.save should have failed')
  return outcome.error
}

/** A layout the split-view UI would make: three tabs, two side by side, sizes, a panel closed. */
function threeTabs(a: string, b: string, c: string): Layout {
  let layout = splitWith(splitWith({ ...EMPTY_LAYOUT, openTabs: [a] }, a), b)
  layout = { ...layout, openTabs: [...layout.openTabs, c] }
  layout = togglePanel(layout, b, 'terminal')
  return { ...layout, sizes: { 'panes-row': 38.5, [`${b}-side`]: 61 } }
}

describe('layout over the contract', () => {
  it('comes back after the engine closes, and another process reads the same one', async () => {
    const { fx, workspaceId } = await world()
    expect(await fx.call('layout.get', {})).toEqual({ layout: null })
    const [a, b, c] = await Promise.all(
      ['A', 'B', 'C'].map((title) => fx.call('sessions.create', { workspaceId, title })),
    )
    const saved = threeTabs(a!.id, b!.id, c!.id)
    expect(saved.panes).toEqual([a!.id, b!.id])
    expect(await fx.call('layout.save', { layout: saved })).toEqual({})
    expect(await fx.call('layout.get', {})).toEqual({ layout: saved })

    // A CLI process on the same folder, while the first is open.
    const cli = sameFolder(fx)
    expect(await cli.call('layout.get', {})).toEqual({ layout: saved })

    // The host restarts: the desktop app (or a reloaded browser) comes back as it was.
    fx.engine.close()
    const again = sameFolder(fx, 'electron')
    expect(await again.call('layout.get', {})).toEqual({ layout: saved })
  })

  it('drops a session deleted here or in another process from the next read', async () => {
    const { fx, workspaceId } = await world()
    const a = await fx.call('sessions.create', { workspaceId, title: 'A' })
    const b = await fx.call('sessions.create', { workspaceId, title: 'B' })
    const w = await fx.call('sessions.create', { workspaceId, title: 'W', place: 'worktree' })
    let layout = splitWith(splitWith({ ...EMPTY_LAYOUT, openTabs: [a.id] }, a.id), b.id)
    layout = togglePanel(splitWith(layout, w.id), w.id, 'changes')
    expect(layout.panes).toEqual([a.id, b.id, w.id])
    expect(layout.focusedPane).toBe(2)
    await fx.call('layout.save', { layout })

    // A worktree session is soft-deleted (kept for a restore): gone from the layout.
    await fx.call('sessions.delete', { sessionId: w.id, force: true })
    const afterW = (await fx.call('layout.get', {})).layout!
    expect(afterW).toMatchObject({ openTabs: [a.id, b.id], panes: [a.id, b.id], focusedPane: 1 })
    expect(afterW.collapsed).toEqual({})

    // Deleted by a paddock command while the window is open.
    const cli = sameFolder(fx)
    await cli.call('sessions.delete', { sessionId: b.id })
    expect((await fx.call('layout.get', {})).layout).toEqual({
      ...layout,
      openTabs: [a.id],
      panes: [a.id],
      focusedPane: 0,
      collapsed: {},
    })

    // Restoring the soft-deleted session brings its tab back: the stored layout kept it.
    await fx.call('sessions.restoreDeleted', { sessionId: w.id })
    expect((await fx.call('layout.get', {})).layout?.openTabs).toEqual([a.id, w.id])

    // A closed workspace's sessions are not open in any client: gone too.
    await fx.call('workspaces.close', { workspaceId })
    expect((await fx.call('layout.get', {})).layout).toMatchObject({ openTabs: [], panes: [] })
  })

  it('refuses bad input with a typed error and keeps the stored layout', async () => {
    const { fx, workspaceId } = await world()
    const a = await fx.call('sessions.create', { workspaceId, title: 'A' })
    const good: Layout = { ...EMPTY_LAYOUT, openTabs: [a.id], panes: [a.id] }
    await fx.call('layout.save', { layout: good })

    const tooMany = Array.from({ length: MAX_PANES + 1 }, (_, i) => `s${i}`)
    const panes = await failure(fx, { layout: { ...good, panes: tooMany } })
    expect(panes.code).toBe('invalid_params')
    expect(panes.message).toContain('layout.panes')
    const extra = await failure(fx, { layout: { ...good, theme: 'dark' } })
    expect(extra.code).toBe('invalid_params')
    const size = await failure(fx, { layout: { ...good, sizes: { row: 140 } } })
    expect(size).toMatchObject({ code: 'invalid_params' })
    expect(size.message).toContain('layout.sizes.row')
    expect((await failure(fx, {})).code).toBe('invalid_params')

    // Over 64 KB of JSON although every field is within its bounds.
    const sizes: Record<string, number> = {}
    const collapsed: Layout['collapsed'] = {}
    for (let i = 0; i < 200; i++) {
      const key = `${i}`.padStart(3, '0') + 'é'.repeat(97)
      sizes[key] = 50
      collapsed[key] = ['changes', 'terminal', 'timeline']
    }
    const big = await failure(fx, { layout: { ...good, sizes, collapsed } })
    expect(big.code).toBe('payload_too_large')
    expect(big.message).toMatch(/at most 64 KB/)

    expect(await fx.call('layout.get', {})).toEqual({ layout: good })
  })

  it('is not broadcast: a save adds no event, last write wins', async () => {
    const { fx, workspaceId } = await world()
    const a = await fx.call('sessions.create', { workspaceId, title: 'A' })
    const b = await fx.call('sessions.create', { workspaceId, title: 'B' })
    const seen: PaddockEvent[] = []
    const sub = fx.engine.subscribe({}, (e) => seen.push(e))
    await new Promise((r) => setTimeout(r, 50))
    const count = (): unknown => fx.engine.db.prepare('SELECT COUNT(*) AS n FROM events').get()
    const before = { events: count(), seen: seen.length }

    const first: Layout = { ...EMPTY_LAYOUT, openTabs: [a.id], panes: [a.id] }
    const second: Layout = { ...EMPTY_LAYOUT, openTabs: [a.id, b.id], panes: [b.id] }
    await fx.call('layout.save', { layout: first })
    await sameFolder(fx, 'web').call('layout.save', { layout: second })
    await new Promise((r) => setTimeout(r, 100))
    expect({ events: count(), seen: seen.length }).toEqual(before)
    // The subscription does deliver: a change that is announced arrives.
    await fx.call('sessions.create', { workspaceId, title: 'C' })
    await expect.poll(() => seen.some((e) => e.type === 'session.created')).toBe(true)
    sub.dispose()
    expect(await fx.call('layout.get', {})).toEqual({ layout: second })
  })

  it('keeps one whole layout when the saving process is killed with -9', async () => {
    const { fx } = await world()
    fx.engine.close()
    const dataDir = fx.dataDir
    const writer = join(REPO_ROOT, 'test', 'support', 'layout-writer.ts')
    const whole = [crashLayout(0), crashLayout(1)].map((l) => JSON.stringify(l))
    for (const acks of [5, 40, 150]) {
      await new Promise<void>((resolve, reject) => {
        const child = spawnTs(writer, [dataDir])
        let out = ''
        let err = ''
        child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString()
          if ((out.match(/^ack /gm) ?? []).length >= acks && !child.killed) child.kill('SIGKILL')
        })
        child.once('exit', (_code, signal) =>
          signal === 'SIGKILL' ? resolve() : reject(new Error(`writer ended by itself: ${err}`)),
        )
      })
      const after = sameFolder(fx)
      expect(after.engine.db.pragma('integrity_check', { simple: true })).toBe('ok')
      const row = after.engine.db
        .prepare('SELECT value FROM ui_state WHERE key = ?')
        .get(LAYOUT_KEY) as { value: string }
      expect(whole).toContain(row.value)
      after.engine.close()
    }
  })
})
