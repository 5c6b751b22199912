import BetterSqlite3 from 'better-sqlite3'
import type { Database } from 'better-sqlite3'
import { closeSync, existsSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { ContractError } from '../../shared/errors'
import { PRIVATE_FILE_MODE, makePrivateDir, tightenFiles } from '../core/private-files'
import { MIGRATIONS, SCHEMA_VERSION } from './migrations'
import type { Migration } from './migrations'
import { chooseSqliteBinding, currentRuntime } from './native-binding'

export const DB_FILE_NAME = 'paddock.db'

export interface OpenDatabaseOptions {
  /** Root of the app (where `native/` lives); needed only inside Electron. */
  appRoot?: string
  migrations?: readonly Migration[]
  /** How long a writer waits for another process's write lock before failing, in ms. */
  busyTimeoutMs?: number
}

/**
 * Open (creating if needed) the Paddock database in `dataDir`: WAL mode, foreign keys on, migrated
 * to the current schema. A corrupt file or one written by a newer Paddock is never touched: it
 * fails with `database_corrupt` / `database_too_new` and a message saying what to do. The file,
 * its WAL and its shared-memory file are owner-only (0600), whatever the umask.
 */
export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): Database {
  makePrivateDir(dataDir)
  const file = join(dataDir, DB_FILE_NAME)
  const migrations = options.migrations ?? MIGRATIONS
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0

  const binding = chooseSqliteBinding(options.appRoot ?? '.', currentRuntime(), existsSync)
  if (binding.kind === 'missing') throw new ContractError('internal', binding.message)
  createPrivately(file)

  let db: Database
  try {
    db = new BetterSqlite3(file, {
      timeout: options.busyTimeoutMs ?? 5000,
      ...(binding.kind === 'electron' ? { nativeBinding: binding.path } : {}),
    })
  } catch (err) {
    throw classifyOpenError(err, file)
  }
  try {
    // Check before changing anything: a newer or damaged file must be left exactly as it was.
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > latest) {
      throw new ContractError(
        'database_too_new',
        `The database ${file} has schema version ${version}, but this Paddock knows versions up to ` +
          `${latest}. It was written by a newer Paddock; update Paddock to open it. ` +
          `The file was not changed.`,
      )
    }
    db.pragma('journal_mode = WAL')
    // NORMAL in WAL mode: a committed transaction survives a process crash (kill -9); only an OS
    // crash or power loss can lose the last few commits.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    migrate(db, migrations)
    // SQLite gives the WAL and shm files the database file's mode; made sure of here, since both
    // exist once the migration's transaction has run.
    tightenFiles([file, `${file}-wal`, `${file}-shm`])
    return db
  } catch (err) {
    db.close()
    throw classifyOpenError(err, file)
  }
}

/** SQLite creates a missing database with the umask's mode: create it empty (0600) first. */
function createPrivately(file: string): void {
  try {
    closeSync(openSync(file, 'wx', PRIVATE_FILE_MODE))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw classifyOpenError(err, file)
  }
}

/** Apply every migration newer than `user_version`, each in its own transaction. Idempotent. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  let applied = 0
  for (const m of migrations) {
    const run = db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number
      if (current >= m.version) return false
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
      return true
    })
    // IMMEDIATE: two processes opening a fresh data dir at once must not both migrate.
    if (run.immediate()) applied += 1
  }
  return applied
}

function classifyOpenError(err: unknown, file: string): ContractError {
  if (err instanceof ContractError) return err
  const code = (err as { code?: string }).code ?? ''
  const message = err instanceof Error ? err.message : String(err)
  if (
    code === 'SQLITE_NOTADB' ||
    code === 'SQLITE_CORRUPT' ||
    /not a database|malformed/i.test(message)
  ) {
    return new ContractError(
      'database_corrupt',
      `The database ${file} is damaged or is not a Paddock database (${message}). ` +
        `Paddock did not change it. Move it aside (or restore a backup) and start again; ` +
        `a new empty database will be created.`,
    )
  }
  const fsError = /^E[A-Z]+$/.test(code)
  if (
    code === 'SQLITE_CANTOPEN' ||
    code === 'SQLITE_READONLY' ||
    code === 'SQLITE_FULL' ||
    fsError
  ) {
    return new ContractError('io_error', `Cannot use the database ${file}: ${message}`)
  }
  return new ContractError('internal', `Cannot open the database ${file}: ${message}`)
}

export { SCHEMA_VERSION }
