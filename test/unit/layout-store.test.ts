import type { Database } from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryLogger } from '../../src/main/core/logger'
import { openDatabase } from '../../src/main/sessions/database'
import { LAYOUT_KEY, LayoutStore } from '../../src/main/sessions/layout-store'
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/main/sessions/migrations'
import { MAX_LAYOUT_BYTES } from '../../src/shared/contract'
import { ContractError } from '../../src/shared/errors'
import type { Layout } from '../../src/shared/layout'
import { EMPTY_LAYOUT } from '../../src/shared/layout'
import { tempDir } from '../support/temp'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

function open(migrations = MIGRATIONS): { db: Database; dir: string } {
  const t = tempDir()
  const db = openDatabase(t.path, { migrations })
  cleanups.push(() => {
    if (db.open) db.close()
    t.cleanup()
  })
  return { db, dir: t.path }
}

/** Workspace `w1` (open) with sessions s1…s4 and workspace `w2` (closed) with session c1. */
function seed(db: Database): void {
  db.exec(`
    INSERT INTO workspaces (id, path, name, created_at, last_opened_at) VALUES ('w1', '/p', 'p', 1, 1);
    INSERT INTO workspaces (id, path, name, created_at, last_opened_at, closed_at)
      VALUES ('w2', '/q', 'q', 1, 1, 5);
  `)
  const add = db.prepare(
    'INSERT INTO sessions (id, workspace_id, title, created_at, updated_at) VALUES (?, ?, ?, 1, 1)',
  )
  for (const id of ['s1', 's2', 's3', 's4']) add.run(id, 'w1', id)
  add.run('c1', 'w2', 'c1')
}

const layout = (patch: Partial<Layout> = {}): Layout => ({
  ...EMPTY_LAYOUT,
  openTabs: ['s1', 's2', 's3'],
  panes: ['s1', 's3'],
  focusedPane: 1,
  sizes: { 'pane-row': 42.5 },
  collapsed: { s3: ['terminal'] },
  ...patch,
})

function raw(db: Database): string | undefined {
  return (
    db.prepare('SELECT value FROM ui_state WHERE key = ?').get(LAYOUT_KEY) as
      { value: string } | undefined
  )?.value
}

function refused(fn: () => unknown): ContractError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ContractError)
    return err as ContractError
  }
  throw new Error('expected a ContractError')
}

describe('migration 5: ui_state', () => {
  it('adds the table to a database at version 4 and keeps its rows', () => {
    const { db, dir } = open(MIGRATIONS.filter((m) => m.version <= 4))
    seed(db)
    expect(db.pragma('user_version', { simple: true })).toBe(4)
    db.close()
    const again = openDatabase(dir)
    cleanups.push(() => again.close())
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(5)
    const columns = (again.prepare('PRAGMA table_info(ui_state)').all() as Array<{ name: string }>)
      .map((c) => c.name)
      .sort()
    expect(columns).toEqual(['key', 'updated_at', 'value'])
    expect(again.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 5 })
    expect(new LayoutStore(again, () => 1, createMemoryLogger()).get()).toBeNull()
  })
})

describe('LayoutStore', () => {
  it('answers null when no layout was ever saved', () => {
    const { db } = open()
    expect(new LayoutStore(db, () => 1, createMemoryLogger()).get()).toBeNull()
  })

  it('stores a layout as one JSON row and reads it back as saved', () => {
    const { db } = open()
    seed(db)
    const store = new LayoutStore(db, () => 1234, createMemoryLogger())
    store.save(layout())
    expect(store.get()).toEqual(layout())
    expect(JSON.parse(raw(db)!)).toEqual(layout())
    expect(db.prepare('SELECT updated_at FROM ui_state').get()).toEqual({ updated_at: 1234 })
    // The last save wins, in the same row.
    store.save(layout({ panes: ['s2'], focusedPane: 0 }))
    expect(store.get()).toMatchObject({ panes: ['s2'], focusedPane: 0 })
    expect(db.prepare('SELECT COUNT(*) AS n FROM ui_state').get()).toEqual({ n: 1 })
  })

  it('drops deleted, soft-deleted and closed-workspace sessions on get, keeping the row', () => {
    const { db } = open()
    seed(db)
    const store = new LayoutStore(db, () => 1, createMemoryLogger())
    const saved = layout({
      openTabs: ['s1', 's2', 's3', 's4', 'c1'],
      panes: ['s1', 's3', 'c1', 's4'],
      focusedPane: 3,
      collapsed: { s3: ['terminal'], s4: ['changes'], c1: ['timeline'] },
    })
    store.save(saved)
    db.prepare('UPDATE sessions SET deleted_at = 9 WHERE id = ?').run('s4') // a worktree delete
    db.prepare('DELETE FROM sessions WHERE id = ?').run('s1') // a plain delete
    expect(store.get()).toEqual({
      ...saved,
      openTabs: ['s2', 's3'],
      panes: ['s3'],
      focusedPane: 0,
      collapsed: { s3: ['terminal'] },
    })
    // The stored row is left as saved: a soft-deleted session restored comes back.
    expect(JSON.parse(raw(db)!)).toEqual(saved)
    db.prepare('UPDATE sessions SET deleted_at = NULL WHERE id = ?').run('s4')
    expect(store.get()?.openTabs).toEqual(['s2', 's3', 's4'])
  })

  it('shows the first tab left when every pane went', () => {
    const { db } = open()
    seed(db)
    const store = new LayoutStore(db, () => 1, createMemoryLogger())
    store.save(layout({ openTabs: ['s1', 's2'], panes: ['s1'], focusedPane: 0 }))
    db.prepare('DELETE FROM sessions WHERE id = ?').run('s1')
    expect(store.get()).toMatchObject({ openTabs: ['s2'], panes: ['s2'], focusedPane: 0 })
  })

  for (const [name, value] of [
    ['not JSON', '{"openTabs": ['],
    ['an older shape', JSON.stringify({ openTabs: ['s1'], activeTab: 's1' })],
    ['a newer shape', JSON.stringify({ ...layout(), version: 2 })],
    ['a wrong type', JSON.stringify({ ...layout(), focusedPane: 'one' })],
    ['not an object', 'null'],
  ] as const) {
    it(`answers a stored value that is ${name} as null, and logs it`, () => {
      const { db } = open()
      seed(db)
      const logger = createMemoryLogger()
      db.prepare('INSERT INTO ui_state (key, value, updated_at) VALUES (?, ?, 1)').run(
        LAYOUT_KEY,
        value,
      )
      const store = new LayoutStore(db, () => 1, logger)
      expect(store.get()).toBeNull()
      expect(logger.lines.join('')).toMatch(/"level":"warn".*stored layout/)
      // A save replaces it.
      store.save(layout())
      expect(store.get()).toEqual(layout())
    })
  }

  it('refuses an invalid layout and keeps the stored one', () => {
    const { db } = open()
    seed(db)
    const store = new LayoutStore(db, () => 1, createMemoryLogger())
    store.save(layout())
    const before = raw(db)
    const err = refused(() => store.save({ ...layout(), panes: ['a', 'b', 'c', 'd', 'e'] }))
    expect(err.code).toBe('invalid_params')
    expect(err.message).toMatch(/^Not a valid layout: panes/)
    expect(refused(() => store.save({ ...layout(), extra: 1 })).code).toBe('invalid_params')
    expect(raw(db)).toBe(before)
  })

  it(`refuses a layout over ${MAX_LAYOUT_BYTES / 1024} KB of JSON and keeps the stored one`, () => {
    const { db } = open()
    seed(db)
    const store = new LayoutStore(db, () => 1, createMemoryLogger())
    store.save(layout())
    const before = raw(db)
    // Valid by the schema (200 sizes and 200 collapsed entries, keys of 100 characters), but
    // multi-byte keys make it larger than the host keeps.
    const key = (i: number): string => `${i}`.padStart(3, '0') + '€'.repeat(97)
    const sizes: Record<string, number> = {}
    const collapsed: Layout['collapsed'] = {}
    for (let i = 0; i < 200; i++) {
      sizes[key(i)] = 50
      collapsed[key(i)] = ['changes', 'terminal', 'timeline']
    }
    const big = layout({ sizes, collapsed })
    expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(MAX_LAYOUT_BYTES)
    const err = refused(() => store.save(big))
    expect(err.code).toBe('payload_too_large')
    expect(err.message).toMatch(/The layout is \d+ KB; the host stores at most 64 KB/)
    expect(raw(db)).toBe(before)
  })
})
