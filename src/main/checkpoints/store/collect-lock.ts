/**
 * GC against writers from outside the store. The store's own writers run under its lock and
 * mutex, but the git CLI may write into the same bare directory (a deleted worktree's save,
 * src/main/worktrees/delete.ts): loose objects and packs first, the ref last. A GC running in
 * between would see those objects as unreachable and delete them, or delete git's `tmp_*` files.
 * So both take this lock file (exclusive create) for their whole run: GC in
 * `ShadowStore.removeAndCollect`, the git CLI's transfer through `withStoreTransfer`.
 *
 * A holder that died (kill -9) on this host is taken over; otherwise a waiter polls until
 * `waitMs`, then fails with `store_busy` (GC then frees nothing this time; a save is not made and
 * the worktree is not removed).
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import type { CheckpointFs } from '../git/fs-ops'
import { nodeCheckpointFs, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../git/fs-ops'
import { CheckpointError, errnoCode, isMissing } from './errors'
import { initStore, layoutOfGitdir } from './layout'
import type { StoreLayout } from './layout'

const HolderSchema = z.object({ pid: z.number().int(), host: z.string(), token: z.string() })

/** A transfer of a large repository's history can take a while; GC waits for it. */
export const DEFAULT_COLLECT_WAIT_MS = 10 * 60_000

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return errnoCode(err) === 'EPERM'
  }
}

async function takeOver(fs: CheckpointFs, path: string): Promise<boolean> {
  let text: string
  try {
    text = (await fs.readFile(path)).toString('utf8')
  } catch (err) {
    if (isMissing(err)) return true
    throw err
  }
  let parsed: unknown = null
  try {
    parsed = JSON.parse(text)
  } catch {
    // Torn, or being written this instant: judged by age.
  }
  const holder = HolderSchema.safeParse(parsed)
  const stale = holder.success
    ? holder.data.host === hostname() && !alive(holder.data.pid)
    : Date.now() - (await fs.lstat(path).catch(() => ({ mtimeMs: 0 }))).mtimeMs > 5000
  if (stale) await fs.unlink(path).catch(() => undefined)
  return stale
}

/** Runs `fn` holding the layout's collect lock. */
export async function withCollectLock<T>(
  fs: CheckpointFs,
  layout: StoreLayout,
  fn: () => Promise<T>,
  waitMs = DEFAULT_COLLECT_WAIT_MS,
): Promise<T> {
  const token = randomBytes(8).toString('hex')
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), token })
  const deadline = Date.now() + waitMs
  await fs.mkdir(layout.own, PRIVATE_DIR_MODE)
  for (;;) {
    try {
      await fs.writeFile(layout.collect, mine, { exclusive: true, mode: PRIVATE_FILE_MODE })
      break
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err
    }
    if (await takeOver(fs, layout.collect)) continue
    if (Date.now() >= deadline) {
      throw new CheckpointError(
        'store_busy',
        'The checkpoint store is being written by git or collected; try again in a moment.',
      )
    }
    await sleep(50)
  }
  try {
    return await fn()
  } finally {
    try {
      if ((await fs.readFile(layout.collect)).toString('utf8') === mine)
        await fs.unlink(layout.collect)
    } catch {
      // Gone already (taken over as stale).
    }
  }
}

/**
 * For a writer outside the store (the git CLI): creates the store's skeleton at `gitdir` if
 * missing, and keeps GC off while `fn` writes objects and refs into it. Safe with the store open
 * in this or another process: its own writers never delete objects, only GC does.
 */
export async function withStoreTransfer<T>(
  gitdir: string,
  fn: () => Promise<T>,
  options: { fs?: CheckpointFs; waitMs?: number } = {},
): Promise<T> {
  const fs = options.fs ?? nodeCheckpointFs
  const layout = layoutOfGitdir(gitdir)
  await initStore(fs, layout)
  return withCollectLock(fs, layout, fn, options.waitMs)
}
