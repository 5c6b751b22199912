import { randomBytes } from 'node:crypto'
import * as fsp from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { errnoCode } from './fs-errors'
import type { DirEntryInfo, FileStat, FsOps } from './types'

function toFileStat(s: Stats): FileStat {
  return {
    isFile: s.isFile(),
    isDirectory: s.isDirectory(),
    isSymbolicLink: s.isSymbolicLink(),
    size: s.size,
    mtimeMs: s.mtimeMs,
    mode: s.mode,
  }
}

/** Longest slice of the target's name kept in a temp file's name (file names stop at 255 bytes). */
const TEMP_NAME_KEEP = 80

/**
 * Write `data` to `path` so that a reader sees either the old content or the new, never a mix, and
 * a failure (disk full, crash) leaves the old file intact: write a temp file in the same folder
 * (same filesystem, so the rename is atomic), fsync it, give it the old file's permission bits,
 * rename it over the target, then fsync the folder so the rename itself survives a crash.
 */
async function writeFileAtomic(path: string, data: Buffer | string): Promise<void> {
  let mode: number | undefined
  try {
    mode = (await fsp.stat(path)).mode & 0o7777
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err
  }
  const dir = dirname(path)
  const tmp = join(
    dir,
    `.${basename(path).slice(0, TEMP_NAME_KEEP)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  )
  const handle = await fsp.open(tmp, 'wx', mode ?? 0o666)
  try {
    await handle.writeFile(data)
    await handle.sync()
    // `open` applies the umask; an existing file's exact bits are restored explicitly.
    if (mode !== undefined) await handle.chmod(mode)
    await handle.close()
    await fsp.rename(tmp, path)
  } catch (err) {
    await handle.close().catch(() => undefined)
    await fsp.rm(tmp, { force: true })
    throw err
  }
  await syncDir(dir)
}

async function syncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined
  try {
    handle = await fsp.open(dir, 'r')
    await handle.sync()
  } catch (err) {
    // Some filesystems refuse fsync on a folder (EINVAL, EISDIR, EPERM): the rename has happened
    // and the data is synced; only the durability of the rename across a power cut is weaker.
    const code = errnoCode(err)
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EBADF') throw err
  } finally {
    await handle?.close()
  }
}

/** The real filesystem, for the engine host. Tests inject their own `FsOps` to cause faults. */
export function createNodeFsOps(): FsOps {
  return {
    readFile: (path) => fsp.readFile(path),
    writeFileAtomic,
    stat: async (path) => toFileStat(await fsp.stat(path)),
    lstat: async (path) => toFileStat(await fsp.lstat(path)),
    realpath: (path) => fsp.realpath(path),
    readdir: async (path): Promise<DirEntryInfo[]> => {
      const entries = await fsp.readdir(path, { withFileTypes: true })
      return entries.map((e) => ({
        name: e.name,
        isFile: e.isFile(),
        isDirectory: e.isDirectory(),
        isSymbolicLink: e.isSymbolicLink(),
      }))
    },
    mkdir: async (path) => {
      await fsp.mkdir(path, { recursive: true })
    },
  }
}
