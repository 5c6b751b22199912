import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs'

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
