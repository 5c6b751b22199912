import * as fsp from 'node:fs/promises'
import type { Dirent, Stats } from 'node:fs'
import { errnoCode } from '../../tools/fs-errors'

// One errno vocabulary for tools and the store.
export { describeError, errnoCode } from '../../tools/fs-errors'
// The store lives in the data folder: owner-only, whatever the umask.
export { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, READ_ONLY_FILE_MODE } from '../../core/private-files'

/** Errors that mean "the path is not there (any more)". */
export function isMissing(err: unknown): boolean {
  const code = errnoCode(err)
  return code === 'ENOENT' || code === 'ENOTDIR'
}

/** What the store needs to know of a path, from `lstat` (symlinks are never followed). */
export interface CpStat {
  isFile: boolean
  isDirectory: boolean
  isSymbolicLink: boolean
  /** Raw `st_mode` (type and permission bits). */
  mode: number
  size: number
  /** Milliseconds with sub-millisecond fraction, as Node reports them. */
  mtimeMs: number
  ctimeMs: number
  ino: number
}

export interface CpDirent {
  name: string
  isFile: boolean
  isDirectory: boolean
  isSymbolicLink: boolean
}

/**
 * Every filesystem operation of the checkpoint store — on the workspace and on the store itself —
 * goes through this interface, so tests inject faults (ENOSPC, EACCES, a process that stops between
 * two writes) and a remote host could swap it. `nodeCheckpointFs` is the real one.
 */
export interface CheckpointFs {
  lstat(path: string): Promise<CpStat>
  readFile(path: string): Promise<Buffer>
  /** A symlink's target, as raw bytes (git stores them byte-exact). */
  readlink(path: string): Promise<Buffer>
  readdir(path: string): Promise<CpDirent[]>
  /** `exclusive`: fail with EEXIST if the path exists. `mode` is subject to the umask. */
  writeFile(path: string, data: Buffer | string, options?: WriteOptions): Promise<void>
  /** Creates the file with `mode` (subject to the umask; default 0o666) if it is missing. */
  appendFile(path: string, data: Buffer | string, mode?: number): Promise<void>
  rename(from: string, to: string): Promise<void>
  unlink(path: string): Promise<void>
  /** Removes an empty directory only (ENOTEMPTY otherwise) — never a tree. */
  rmdir(path: string): Promise<void>
  /**
   * Creates missing parents, each with `mode` (subject to the umask; default 0o777); an existing
   * directory is not an error and keeps its mode.
   */
  mkdir(path: string, mode?: number): Promise<void>
  symlink(target: Buffer, path: string): Promise<void>
  chmod(path: string, mode: number): Promise<void>
  copyFile(from: string, to: string): Promise<void>
  realpath(path: string): Promise<string>
}

export interface WriteOptions {
  mode?: number
  exclusive?: boolean
}

export function toCpStat(s: Stats): CpStat {
  return {
    isFile: s.isFile(),
    isDirectory: s.isDirectory(),
    isSymbolicLink: s.isSymbolicLink(),
    mode: s.mode,
    size: s.size,
    mtimeMs: s.mtimeMs,
    ctimeMs: s.ctimeMs,
    ino: s.ino,
  }
}

function toDirent(d: Dirent): CpDirent {
  return {
    name: d.name,
    isFile: d.isFile(),
    isDirectory: d.isDirectory(),
    isSymbolicLink: d.isSymbolicLink(),
  }
}

/** The real filesystem (node:fs/promises). */
export const nodeCheckpointFs: CheckpointFs = {
  async lstat(path) {
    return toCpStat(await fsp.lstat(path))
  },
  readFile: (path) => fsp.readFile(path),
  readlink: (path) => fsp.readlink(path, { encoding: 'buffer' }),
  async readdir(path) {
    return (await fsp.readdir(path, { withFileTypes: true })).map(toDirent)
  },
  writeFile: (path, data, options) =>
    fsp.writeFile(path, data, {
      mode: options?.mode ?? 0o666,
      flag: options?.exclusive ? 'wx' : 'w',
    }),
  appendFile: (path, data, mode) => fsp.appendFile(path, data, { mode: mode ?? 0o666 }),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  rmdir: (path) => fsp.rmdir(path),
  async mkdir(path, mode) {
    await fsp.mkdir(path, { recursive: true, mode: mode ?? 0o777 })
  },
  symlink: (target, path) => fsp.symlink(target, path),
  chmod: (path, mode) => fsp.chmod(path, mode),
  copyFile: (from, to) => fsp.copyFile(from, to),
  realpath: (path) => fsp.realpath(path),
}
