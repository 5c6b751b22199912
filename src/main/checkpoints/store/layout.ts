import { hostname } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { CheckpointError, errnoCode, isMissing } from './errors'
import type { LockHolder } from './errors'
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../git/fs-ops'
import type { CheckpointFs } from '../git/fs-ops'

/** Where a workspace's store lives and what is in it. */
export interface StoreLayout {
  /** The shadow repository: a bare git directory. */
  gitdir: string
  /** Paddock's own files inside it (git ignores unknown folders): cache, lock, temp files. */
  own: string
  tmp: string
  lock: string
  /**
   * Held while GC runs and while the git CLI writes into the store (a deleted worktree's save):
   * objects written before their ref would otherwise look unreachable to GC.
   */
  collect: string
}

export function storeLayout(dataDir: string, workspaceId: string): StoreLayout {
  return layoutOfGitdir(join(dataDir, 'checkpoints', workspaceId))
}

/** The layout of the store whose bare git directory is `gitdir`. */
export function layoutOfGitdir(gitdir: string): StoreLayout {
  const own = join(gitdir, 'paddock')
  return {
    gitdir,
    own,
    tmp: join(own, 'tmp'),
    lock: join(own, 'lock.json'),
    collect: join(own, 'collect.lock'),
  }
}

const CONFIG = `[core]
\trepositoryformatversion = 0
\tfilemode = true
\tbare = true
[gc]
\tauto = 0
`

/** Create the bare repository's skeleton if missing (HEAD, config, objects, refs), owner-only. */
export async function initStore(fs: CheckpointFs, layout: StoreLayout): Promise<void> {
  await fs.mkdir(join(layout.gitdir, 'objects', 'pack'), PRIVATE_DIR_MODE)
  await fs.mkdir(join(layout.gitdir, 'refs', 'heads'), PRIVATE_DIR_MODE)
  await fs.mkdir(join(layout.gitdir, 'refs', 'tags'), PRIVATE_DIR_MODE)
  await fs.mkdir(layout.tmp, PRIVATE_DIR_MODE)
  for (const [name, text] of [
    ['HEAD', 'ref: refs/heads/main\n'],
    ['config', CONFIG],
  ] as const) {
    try {
      await fs.writeFile(join(layout.gitdir, name), text, {
        exclusive: true,
        mode: PRIVATE_FILE_MODE,
      })
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err
    }
  }
}

const LockSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  since: z.number(),
  /** What the process is, for the message another process shows ("the Paddock web host"). */
  name: z.string().max(200).optional(),
})

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return errnoCode(err) === 'EPERM'
  }
}

/**
 * One writer per store: a lock file naming the process. A lock left by a process that died
 * (kill -9) on this host is taken over; one held by a live process is a clear error.
 */
export async function acquireLock(
  fs: CheckpointFs,
  layout: StoreLayout,
  name?: string,
): Promise<void> {
  const mine = JSON.stringify({
    pid: process.pid,
    host: hostname(),
    since: Date.now(),
    ...(name ? { name } : {}),
  })
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(layout.lock, mine, { exclusive: true, mode: PRIVATE_FILE_MODE })
      return
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err
    }
    let holder: z.infer<typeof LockSchema> | null
    try {
      const text = (await fs.readFile(layout.lock)).toString('utf8')
      let parsed: unknown = null
      try {
        parsed = JSON.parse(text)
      } catch {
        // Torn (its writer died mid-write) — or being written this instant: judged by age below.
      }
      const r = LockSchema.safeParse(parsed)
      holder = r.success ? r.data : null
      if (!holder && Date.now() - (await fs.lstat(layout.lock)).mtimeMs < 5000) {
        throw new CheckpointError(
          'store_busy',
          'The checkpoint store is being opened by another process.',
        )
      }
    } catch (err) {
      if (isMissing(err)) continue
      throw err
    }
    if (holder && (holder.host !== hostname() || alive(holder.pid))) {
      const who: LockHolder = { pid: holder.pid, host: holder.host, name: holder.name ?? null }
      const what = who.name ? ` (${who.name})` : ''
      throw new CheckpointError(
        'store_busy',
        `The checkpoint store of this workspace is open in process ${holder.pid} on ${holder.host}${what}; close it there (or open this one read-only).`,
        { holder: who },
      )
    }
    await fs.unlink(layout.lock).catch(() => undefined)
  }
  throw new CheckpointError('store_busy', 'Could not take the checkpoint store lock.')
}

export async function releaseLock(fs: CheckpointFs, layout: StoreLayout): Promise<void> {
  try {
    const parsed = LockSchema.safeParse(
      JSON.parse((await fs.readFile(layout.lock)).toString('utf8')),
    )
    if (parsed.success && parsed.data.pid === process.pid) await fs.unlink(layout.lock)
  } catch {
    // Gone already, or not ours.
  }
}

/** Bytes the store's files take (apparent sizes), to show that a prune freed space. */
export async function storeBytes(fs: CheckpointFs, gitdir: string): Promise<number> {
  let total = 0
  const visit = async (dir: string): Promise<void> => {
    let entries
    try {
      entries = await fs.readdir(dir)
    } catch (err) {
      if (isMissing(err)) return
      throw err
    }
    for (const e of entries) {
      const p = join(dir, e.name)
      if (e.isDirectory) await visit(p)
      else {
        try {
          total += (await fs.lstat(p)).size
        } catch (err) {
          if (!isMissing(err)) throw err
        }
      }
    }
  }
  await visit(gitdir)
  return total
}
