import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { relative, resolve } from 'node:path'
import { resolveDataDir } from '../core/data-dir'
import { isWithin } from '../core/within'
import { pathSafeguard } from '../policy/decide'
import { judgePath } from '../policy/protected-paths'

/**
 * What the repair stage may know about the world beyond the call: the workspace, and a synchronous
 * look at its files. Repairs that depend on what exists (a container path mapped into the
 * workspace, read's line numbers stripped from an edit only when that makes a match) need it;
 * without it they are skipped and only the call's own text is repaired. Synchronous because the
 * repair stage runs for every call of a batch before any of them is scheduled; it is reached only
 * on the rare calls that look like they need it, so the common call does no I/O at all.
 */
export interface RepairContext {
  /** The absolute workspace root: tool paths are relative to it. */
  workspaceRoot: string
  /** The file system the repairs look at (default: this machine's, `nodeRepairFs`). */
  fs?: RepairFs
  /**
   * Whose path rules apply (default: this machine's): `win32` reads a `C:\…` workspace with
   * `path.win32`. Tests of a Windows workspace set it on any machine.
   */
  platform?: NodeJS.Platform
  /**
   * The home and data folders the permission policy protects (default: this user's home folder
   * and Paddock's default data folder). A repair never reads a file the policy protects.
   */
  protect?: { home: string; dataDir: string }
}

/** What is at a path: a file, a folder, something else, or nothing (null). */
export type EntryKind = 'file' | 'dir' | 'other' | null

/** The few synchronous questions repairs ask of the file system. Never throws. */
export interface RepairFs {
  /** What the path names, symlinks followed; null when nothing (or a dangling link) is there. */
  kind(path: string): EntryKind
  /**
   * Whether anything may be there, symlinks not followed: false only when the name is known not
   * to exist (ENOENT, ENOTDIR). A path that cannot be checked (EACCES) counts as existing.
   */
  mayExist(path: string): boolean
  /** The real path (symlinks resolved), or the path itself when it cannot be resolved. */
  realpath(path: string): string
  /** A file's text (UTF-8), or null when it cannot be read or is larger than `maxBytes`. */
  readText(path: string, maxBytes: number): string | null
}

export const nodeRepairFs: RepairFs = {
  kind(path) {
    try {
      const s = statSync(path, { throwIfNoEntry: false })
      if (!s) return null
      return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other'
    } catch {
      return null
    }
  },
  mayExist(path) {
    try {
      return lstatSync(path, { throwIfNoEntry: false }) !== undefined
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      return code !== 'ENOENT' && code !== 'ENOTDIR'
    }
  },
  realpath(path) {
    try {
      return realpathSync.native(path)
    } catch {
      return path
    }
  },
  readText(path, maxBytes) {
    try {
      const s = statSync(path, { throwIfNoEntry: false })
      if (!s?.isFile() || s.size > maxBytes) return null
      return readFileSync(path, 'utf8')
    } catch {
      return null
    }
  },
}

/**
 * The real path of a file a repair may read, or null. Repairs run before the permission check, so
 * what they read must be what any call may see: a file inside the workspace, by its path and by
 * where its symlinks lead, that the policy does not protect, judged by the policy's own rules
 * (`judgePath`: credential and data folders, secret files, outside the workspace; and
 * `pathSafeguard`: `.git/`, secret names). Otherwise nothing is read, so no repair can tell the
 * model anything of a protected file's contents, and the call goes on as sent for the policy to
 * decide.
 */
export function repairMayRead(path: string, ctx: RepairContext): string | null {
  const fs = ctx.fs ?? nodeRepairFs
  const root = resolve(ctx.workspaceRoot)
  const abs = resolve(root, path)
  if (!isWithin(root, abs)) return null
  const realRoot = fs.realpath(root)
  const real = fs.realpath(abs)
  if (!isWithin(realRoot, real)) return null
  const { home, dataDir } = ctx.protect ?? { home: homedir(), dataDir: resolveDataDir() }
  for (const [at, where] of [
    [root, abs],
    [realRoot, real],
  ] as const) {
    if (judgePath(where, { workspaceRoot: at, home, dataDir })) return null
    if (pathSafeguard(relative(at, where) || '.')) return null
  }
  return real
}
