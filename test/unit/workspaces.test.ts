import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EngineFixture } from '../support/engine'
import { engineFixture } from '../support/engine'

let fx: EngineFixture
beforeEach(() => {
  fx = engineFixture()
})
afterEach(() => fx.cleanup())

async function rejection(params: unknown): Promise<{ code: string; message: string }> {
  const outcome = await fx.engine.call('workspaces.open', params, { transport: 'test' })
  if (outcome.ok) throw new Error('expected a rejection')
  return outcome.error
}

describe('workspaces', () => {
  it('refuses the filesystem root and the home folder itself', async () => {
    const root = await rejection({ path: '/' })
    expect(root.code).toBe('invalid_workspace')
    expect(root.message).toMatch(/filesystem root/)
    const home = await rejection({ path: fx.home })
    expect(home.code).toBe('invalid_workspace')
    expect(home.message).toMatch(/home folder/)
    // Through a symlink or a trailing slash it is still home.
    symlinkSync(fx.home, join(fx.root, 'home-link'))
    expect((await rejection({ path: join(fx.root, 'home-link') })).code).toBe('invalid_workspace')
    expect((await rejection({ path: `${fx.home}/` })).code).toBe('invalid_workspace')
  })

  it('refuses missing folders, files and relative paths with clear errors', async () => {
    expect(await rejection({ path: join(fx.home, 'nope') })).toMatchObject({ code: 'not_found' })
    const file = join(fx.home, 'f.txt')
    writeFileSync(file, 'x')
    expect(await rejection({ path: file })).toMatchObject({ code: 'invalid_workspace' })
    expect(await rejection({ path: 'relative/dir' })).toMatchObject({ code: 'invalid_workspace' })
    expect(await fx.call('workspaces.list', {})).toEqual([])
  })

  it('opens a folder once: reopening returns the same workspace', async () => {
    const dir = join(fx.home, 'proj')
    mkdirSync(dir)
    const a = await fx.call('workspaces.open', { path: dir })
    const b = await fx.call('workspaces.open', { path: `${dir}/` })
    expect(b.id).toBe(a.id)
    expect(a.name).toBe('proj')
    expect(await fx.call('workspaces.list', {})).toHaveLength(1)
  })

  it('lists only sub-folders for the host-side folder browser', async () => {
    mkdirSync(join(fx.home, 'b-dir'))
    mkdirSync(join(fx.home, 'A-dir'))
    mkdirSync(join(fx.home, '.hidden'))
    writeFileSync(join(fx.home, 'file.txt'), '')
    const listing = await fx.call('fs.listDirs', {})
    expect(listing.path).toBe(fx.home)
    expect(listing.entries.map((e) => e.name)).toEqual(['A-dir', 'b-dir'])
    expect(listing.openable).toBe(false)
    const hidden = await fx.call('fs.listDirs', { path: fx.home, showHidden: true })
    expect(hidden.entries.map((e) => e.name)).toContain('.hidden')
    const inner = await fx.call('fs.listDirs', { path: join(fx.home, 'A-dir') })
    expect(inner).toMatchObject({ parent: fx.home, openable: true, entries: [] })
    const root = await fx.call('fs.listDirs', { path: '/' })
    expect(root).toMatchObject({ parent: null, openable: false })
  })
})

describe('sessions', () => {
  it('creates, lists, renames and deletes sessions per workspace', async () => {
    const a = join(fx.home, 'a')
    const b = join(fx.home, 'b')
    mkdirSync(a)
    mkdirSync(b)
    const wa = await fx.call('workspaces.open', { path: a })
    const wb = await fx.call('workspaces.open', { path: b })
    const s1 = await fx.call('sessions.create', { workspaceId: wa.id })
    const s2 = await fx.call('sessions.create', { workspaceId: wa.id, title: '  Fix the parser  ' })
    await fx.call('sessions.create', { workspaceId: wb.id })
    expect(s1.title).toBe('Session 1')
    expect(s2.title).toBe('Fix the parser')
    expect((await fx.call('sessions.list', { workspaceId: wa.id })).map((s) => s.id)).toEqual([
      s1.id,
      s2.id,
    ])
    expect(await fx.call('sessions.list', {})).toHaveLength(3)
    const renamed = await fx.call('sessions.rename', { sessionId: s1.id, title: 'Renamed' })
    expect(renamed.title).toBe('Renamed')
    await fx.call('sessions.delete', { sessionId: s2.id })
    expect((await fx.call('sessions.list', { workspaceId: wa.id })).map((s) => s.title)).toEqual([
      'Renamed',
    ])
    const missing = await fx.engine.call(
      'sessions.rename',
      { sessionId: s2.id, title: 'x' },
      {
        transport: 'test',
      },
    )
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } })
    // Default titles never repeat, even after a delete.
    const s3 = await fx.call('sessions.create', { workspaceId: wa.id })
    expect(s3.title).toBe('Session 2')
    await fx.call('sessions.delete', { sessionId: s3.id })
    await fx.call('sessions.rename', { sessionId: s1.id, title: 'Session 7' })
    expect((await fx.call('sessions.create', { workspaceId: wa.id })).title).toBe('Session 8')
    const empty = await fx.engine.call(
      'sessions.rename',
      { sessionId: s1.id, title: '   ' },
      {
        transport: 'test',
      },
    )
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_params' } })
  })

  it('lists sessions created in the same millisecond in the order they were created', async () => {
    // Ids minted in one millisecond differ only in their random part: the list must not sort by it.
    const pinned = engineFixture('web', { now: () => 1_700_000_000_000 })
    try {
      const dir = join(pinned.home, 'same-ms')
      mkdirSync(dir)
      const ws = await pinned.call('workspaces.open', { path: dir })
      const created: string[] = []
      for (let i = 0; i < 40; i++) {
        created.push((await pinned.call('sessions.create', { workspaceId: ws.id })).id)
      }
      expect(new Set(created.map((id) => pinned.engine.store.getSession(id).createdAt)).size).toBe(
        1,
      )
      expect([...created].sort()).not.toEqual(created)
      const listed = await pinned.call('sessions.list', { workspaceId: ws.id })
      expect(listed.map((s) => s.id)).toEqual(created)
      expect((await pinned.call('sessions.list', {})).map((s) => s.id)).toEqual(created)
    } finally {
      pinned.cleanup()
    }
  })

  it('keeps the session log as a tree whose branch is walked leaf to root', async () => {
    const dir = join(fx.home, 'w')
    mkdirSync(dir)
    const ws = await fx.call('workspaces.open', { path: dir })
    const s = await fx.call('sessions.create', { workspaceId: ws.id })
    const store = fx.engine.store
    const e1 = store.appendEntry(s.id, {
      type: 'user_message',
      payload: { text: 'one', kind: 'prompt' },
    })
    const e2 = store.appendEntry(s.id, {
      type: 'user_message',
      payload: { text: 'two', kind: 'follow_up' },
    })
    // A branch from e1: the old branch stays, the leaf moves.
    const e3 = store.appendEntry(s.id, {
      type: 'user_message',
      payload: { text: 'three', kind: 'prompt' },
      parentId: e1.id,
    })
    const branch = await fx.call('sessions.entries', { sessionId: s.id })
    expect(branch.map((e) => e.id)).toEqual([e1.id, e3.id])
    const old = await fx.call('sessions.entries', { sessionId: s.id, leafId: e2.id })
    expect(old.map((e) => e.payload)).toEqual([
      { text: 'one', kind: 'prompt' },
      { text: 'two', kind: 'follow_up' },
    ])
  })

  it('gives the last entries of a branch with a limit, and the rest from where they continue', async () => {
    const dir = join(fx.home, 'paged')
    mkdirSync(dir)
    const ws = await fx.call('workspaces.open', { path: dir })
    const s = await fx.call('sessions.create', { workspaceId: ws.id })
    const ids: string[] = []
    for (let i = 0; i < 7; i++) {
      ids.push(
        fx.engine.store.appendEntry(s.id, { type: 'turn_end', payload: { reason: 'done' } }).id,
      )
    }
    const tail = await fx.call('sessions.entries', { sessionId: s.id, limit: 3 })
    expect(tail.map((e) => e.id)).toEqual(ids.slice(4))
    expect(tail[0]!.parentId).toBe(ids[3])
    const rest = await fx.call('sessions.entries', { sessionId: s.id, leafId: tail[0]!.parentId! })
    expect([...rest, ...tail].map((e) => e.id)).toEqual(ids)
    const all = await fx.call('sessions.entries', { sessionId: s.id, limit: 100 })
    expect(all.map((e) => e.id)).toEqual(ids)
    expect(all[0]!.parentId).toBeNull()
  })
})
