import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Logger } from './logger'

/**
 * Modes of what Paddock creates in its data folder, whatever the process umask: transcripts, tool
 * output and keys are the user's alone. Given at creation (`mode` of mkdir / open), so no extra
 * call per file; the umask can only remove bits, never add them. The process umask itself is never
 * changed: files the agent and the user's shells write in a project keep the user's umask.
 */
export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600
/** Files never written again once in place: git objects and packs (git makes them read-only too). */
export const READ_ONLY_FILE_MODE = 0o400

/** Create `dir` (and missing parents) owner-only; an existing folder is left as it is. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
}

/**
 * Make the data folder ready and owner-only: created 0700 (its parents with the usual modes), and
 * when it is not 0700 already — made by an older Paddock, or loosened since — everything in it is
 * tightened once: folders 0700, files 0600, read-only files (git objects) 0400. Symlinks are not
 * followed inside it. A folder that is 0700 is not walked: nobody else can reach what is inside, and the
 * walk stays off the start of every command. The folder's own mode is set last, so a walk cut
 * short is done again at the next start. What the walk cannot change is logged, never fatal.
 */
export function prepareDataDir(dataDir: string, logger: Logger): void {
  mkdirSync(dirname(dataDir), { recursive: true })
  try {
    mkdirSync(dataDir, { mode: PRIVATE_DIR_MODE })
    return
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  if (process.platform === 'win32') return
  // The folder itself may be a link the user made to where the data lives: that is followed.
  if ((statSync(dataDir).mode & 0o777) === PRIVATE_DIR_MODE) return
  const failures: string[] = []
  let changed = 0
  const tighten = (path: string, isDir: boolean): void => {
    try {
      const st = lstatSync(path)
      const want = isDir
        ? PRIVATE_DIR_MODE
        : st.mode & 0o200
          ? PRIVATE_FILE_MODE
          : READ_ONLY_FILE_MODE
      if ((st.mode & 0o7777) !== want) {
        chmodSync(path, want)
        changed += 1
      }
    } catch (err) {
      failures.push(`${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
    }
  }
  const visit = (dir: string): void => {
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch (err) {
      failures.push(`${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
      return
    }
    for (const e of entries) {
      const path = join(dir, e.name)
      if (e.isDirectory()) {
        tighten(path, true)
        visit(path)
      } else if (e.isFile()) tighten(path, false)
      // Symlinks, sockets, pipes: left alone (chmod would follow a link out of the folder).
    }
  }
  visit(dataDir)
  try {
    chmodSync(dataDir, PRIVATE_DIR_MODE)
  } catch (err) {
    failures.push(`${dataDir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
  logger.log(failures.length ? 'warn' : 'info', 'made the data folder owner-only', {
    dataDir,
    changed,
    ...(failures.length ? { failures: failures.slice(0, 20), failed: failures.length } : {}),
  })
}

/**
 * Make files owner-only (0600) if they are looser; missing ones are skipped. For files another
 * library creates with the umask (SQLite's database, its WAL and shared-memory files).
 */
export function tightenFiles(paths: readonly string[]): void {
  if (process.platform === 'win32') return
  for (const path of paths) {
    try {
      const st = lstatSync(path)
      if (st.isFile() && (st.mode & 0o077) !== 0) chmodSync(path, PRIVATE_FILE_MODE)
    } catch {
      // Not there (yet): SQLite makes the WAL and shm files with the database file's mode.
    }
  }
}
