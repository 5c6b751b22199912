import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { DB_FILE_NAME, migrate, openDatabase } from '../../src/main/sessions/database'
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/main/sessions/migrations'
import { ContractError } from '../../src/shared/errors'
import { tempDir } from '../support/temp'

const dirs: Array<() => void> = []
function dataDir(): string {
  const t = tempDir()
  dirs.push(t.cleanup)
  return t.path
}
afterEach(() => dirs.splice(0).forEach((c) => c()))

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex')

function expectContractError(fn: () => unknown, code: string): ContractError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ContractError)
    expect((err as ContractError).code).toBe(code)
    return err as ContractError
  }
  throw new Error(`expected ${code}`)
}

describe('database', () => {
  it('migrates an empty database to the current schema in WAL mode', () => {
    const dir = dataDir()
    const db = openDatabase(dir)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name)
    expect(tables).toEqual(
      expect.arrayContaining(['entries', 'events', 'leases', 'sessions', 'workspaces']),
    )
    db.close()
  })

  it('running migrations twice in a row applies nothing the second time', () => {
    const dir = dataDir()
    const db = openDatabase(dir)
    db.prepare(
      "INSERT INTO workspaces (id, path, name, created_at, last_opened_at) VALUES ('w1', '/p', 'p', 1, 1)",
    ).run()
    expect(migrate(db, MIGRATIONS)).toBe(0)
    expect(migrate(db, MIGRATIONS)).toBe(0)
    db.close()
    const again = openDatabase(dir)
    expect(again.prepare('SELECT COUNT(*) AS n FROM workspaces').get()).toEqual({ n: 1 })
    again.close()
  })

  it('applies only the migrations newer than the stored version', () => {
    const dir = dataDir()
    const v1 = openDatabase(dir)
    v1.close()
    const next = [
      ...MIGRATIONS,
      {
        version: SCHEMA_VERSION + 1,
        name: 'test column',
        up: (db: BetterSqlite3.Database) => db.exec('ALTER TABLE sessions ADD COLUMN extra TEXT'),
      },
    ]
    const db = openDatabase(dir, { migrations: next })
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1)
    expect(migrate(db, next)).toBe(0)
    db.close()
  })

  it('refuses a database written by a newer Paddock and leaves it untouched', () => {
    const dir = dataDir()
    const raw = new BetterSqlite3(join(dir, DB_FILE_NAME))
    raw.pragma('journal_mode = DELETE')
    raw.exec('CREATE TABLE future (x)')
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`)
    raw.close()
    const before = sha(join(dir, DB_FILE_NAME))
    const err = expectContractError(() => openDatabase(dir), 'database_too_new')
    expect(err.message).toContain(`schema version ${SCHEMA_VERSION + 5}`)
    expect(err.message).toMatch(/update Paddock/i)
    expect(sha(join(dir, DB_FILE_NAME))).toBe(before)
  })

  it('refuses a corrupt database with a clear error and leaves it untouched', () => {
    const dir = dataDir()
    mkdirSync(dir, { recursive: true })
    const file = join(dir, DB_FILE_NAME)
    writeFileSync(
      file,
      Buffer.concat([Buffer.from('definitely not sqlite '), Buffer.alloc(8192, 7)]),
    )
    const before = sha(file)
    const err = expectContractError(() => openDatabase(dir), 'database_corrupt')
    expect(err.message).toContain(file)
    expect(err.message).toMatch(/did not change it/)
    expect(sha(file)).toBe(before)
  })
})
