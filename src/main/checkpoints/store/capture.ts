import { createHash } from 'node:crypto'
import { describeError, errnoCode, isMissing } from './errors'
import type { CheckpointFs, CpStat } from '../git/fs-ops'
import { gitModeOf, objectHeader } from '../git/git-object'
import type { Oid } from '../git/git-object'
import type { Tracked } from './worktree-state'

/**
 * A file changed within this long before it was hashed is "racy": a later change inside the
 * filesystem's timestamp granularity (a jiffy on Linux, 1–2 s on some filesystems) could leave its
 * stat unchanged, so its cache entry is re-hashed whenever it is checked again.
 */
export const RACY_WINDOW_MS = 2000
/** Attempts at reading a file that keeps changing while it is read. */
const READ_ATTEMPTS = 3

export function sameStat(t: Tracked, st: CpStat): boolean {
  return (
    t.size === st.size &&
    t.mtimeMs === st.mtimeMs &&
    t.ctimeMs === st.ctimeMs &&
    t.ino === st.ino &&
    t.stMode === st.mode
  )
}

export function trackedFrom(st: CpStat, oid: Oid, now: number): Tracked {
  return {
    mode: gitModeOf(st.mode, st.isSymbolicLink),
    oid,
    size: st.size,
    mtimeMs: st.mtimeMs,
    ctimeMs: st.ctimeMs,
    ino: st.ino,
    stMode: st.mode,
    racy: now - st.mtimeMs < RACY_WINDOW_MS,
  }
}

export type ReadOutcome =
  | { kind: 'ok'; content: Buffer; stat: CpStat; stable: boolean }
  | { kind: 'gone' }
  | { kind: 'unreadable'; detail: string }
  | { kind: 'not-a-file' }

function sameStatRaw(a: CpStat, b: CpStat): boolean {
  return (
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs &&
    a.ino === b.ino &&
    a.mode === b.mode
  )
}

/**
 * Read a file or symlink so that the bytes match one stat: stat before, read, stat after, and
 * read again while they differ (a file being written). `stable: false` after the last attempt —
 * the content is kept, and the caller checks the file again next time.
 */
export async function readStable(
  fs: CheckpointFs,
  abs: string,
  before: CpStat,
): Promise<ReadOutcome> {
  let st = before
  for (let attempt = 1; ; attempt++) {
    let content: Buffer
    let after: CpStat
    try {
      if (st.isSymbolicLink) content = await fs.readlink(abs)
      else if (st.isFile) content = await fs.readFile(abs)
      else return { kind: 'not-a-file' }
      after = await fs.lstat(abs)
    } catch (err) {
      if (isMissing(err)) return { kind: 'gone' }
      const code = errnoCode(err)
      // EISDIR/EINVAL: the path became a folder or stopped being a link between stat and read.
      if (code === 'EISDIR' || code === 'EINVAL') return { kind: 'not-a-file' }
      return { kind: 'unreadable', detail: describeError(err) }
    }
    const consistent =
      sameStatRaw(st, after) && (after.isSymbolicLink || content.length === after.size)
    if (consistent) return { kind: 'ok', content, stat: after, stable: true }
    if (attempt >= READ_ATTEMPTS) return { kind: 'ok', content, stat: after, stable: false }
    st = after
    if (!st.isFile && !st.isSymbolicLink) return { kind: 'not-a-file' }
  }
}

export function hashBlob(content: Buffer): Oid {
  return createHash('sha1')
    .update(objectHeader('blob', content.length))
    .update(content)
    .digest('hex')
}
