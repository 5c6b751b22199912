/**
 * The worktrees of a repository, with their size on disk and last activity (for Settings →
 * Worktrees), and pruning the ones whose folder was removed by hand.
 */
import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { git, repoInfo } from './git'

/** One entry of `git worktree list --porcelain -z`. */
export interface WorktreeEntry {
  path: string
  /** The checked-out commit (absent for a bare entry). */
  head?: string
  /** The branch's full ref (`refs/heads/…`), absent when detached. */
  branch?: string
  detached: boolean
  bare: boolean
  locked: boolean
  /** Git thinks the folder is gone (a `prunable` line). */
  prunable: boolean
  /** The main checkout (always the first entry). */
  main: boolean
}

export interface WorktreeListing extends WorktreeEntry {
  /** Whether the folder still exists. */
  exists: boolean
  /**
   * Bytes of regular files, from a bounded walk (`sizeComplete` false when cut short). The main
   * checkout is not walked (size 0, `sizeComplete` false): it is the user's, not Paddock's to prune.
   */
  size: number
  sizeComplete: boolean
  /** The newest modification time seen (ms since the epoch), undefined when nothing was seen. */
  lastActivity?: number
}

/** Parses `git worktree list --porcelain -z`: attribute fields, a blank field between entries. */
export function parseWorktreeList(out: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = []
  let current: WorktreeEntry | undefined
  for (const field of out.split('\0')) {
    if (field === '') {
      if (current) entries.push(current)
      current = undefined
      continue
    }
    const space = field.indexOf(' ')
    const key = space === -1 ? field : field.slice(0, space)
    const value = space === -1 ? '' : field.slice(space + 1)
    if (key === 'worktree') {
      if (current) entries.push(current)
      current = {
        path: value,
        detached: false,
        bare: false,
        locked: false,
        prunable: false,
        main: entries.length === 0,
      }
      continue
    }
    if (!current) continue
    if (key === 'HEAD') current.head = value
    else if (key === 'branch') current.branch = value
    else if (key === 'detached') current.detached = true
    else if (key === 'bare') current.bare = true
    else if (key === 'locked') current.locked = true
    else if (key === 'prunable') current.prunable = true
  }
  if (current) entries.push(current)
  return entries
}

/** The raw entries, without walking the folders. */
export async function worktreeEntries(repoRoot: string, gitBin?: string): Promise<WorktreeEntry[]> {
  const repo = await repoInfo(repoRoot, gitBin)
  const out = await git(['worktree', 'list', '--porcelain', '-z'], { cwd: repo.root, bin: gitBin })
  return parseWorktreeList(out)
}

/** The most entries a size walk visits before it stops (a worktree with node_modules is big). */
export const WALK_LIMIT = 50_000

/** Size and newest mtime of a folder, visiting at most `limit` entries; symlinks are not followed. */
export async function measureFolder(
  root: string,
  limit = WALK_LIMIT,
): Promise<{ exists: boolean; size: number; complete: boolean; lastActivity?: number }> {
  const top = await lstat(root).catch(() => undefined)
  if (!top?.isDirectory()) return { exists: false, size: 0, complete: true }
  let size = 0
  let newest = top.mtimeMs
  let seen = 0
  const stack = [root]
  while (stack.length > 0) {
    const dir = stack.pop() as string
    const names = await readdir(dir).catch(() => [] as string[])
    for (const name of names) {
      if (++seen > limit) return { exists: true, size, complete: false, lastActivity: newest }
      const full = join(dir, name)
      const st = await lstat(full).catch(() => undefined)
      if (!st) continue
      if (st.mtimeMs > newest) newest = st.mtimeMs
      if (st.isDirectory()) stack.push(full)
      else if (st.isFile()) size += st.size
    }
  }
  return { exists: true, size, complete: true, lastActivity: newest }
}

/** Every worktree of the repository with its size and last activity. */
export async function listWorktrees(repoRoot: string, gitBin?: string): Promise<WorktreeListing[]> {
  const entries = await worktreeEntries(repoRoot, gitBin)
  const listed: WorktreeListing[] = []
  for (const entry of entries) {
    const m = entry.main
      ? { exists: true, size: 0, complete: false, lastActivity: undefined }
      : await measureFolder(entry.path)
    listed.push({
      ...entry,
      exists: m.exists,
      size: m.size,
      sizeComplete: m.complete,
      ...(m.lastActivity !== undefined ? { lastActivity: m.lastActivity } : {}),
    })
  }
  return listed
}

/**
 * `git worktree prune`: forgets worktrees whose folder was removed by hand, and reports them
 * (path and branch) so their sessions can say their folder is gone. The branches are kept.
 */
export async function pruneWorktrees(
  repoRoot: string,
  gitBin?: string,
): Promise<{ pruned: WorktreeEntry[] }> {
  const before = await worktreeEntries(repoRoot, gitBin)
  const repo = await repoInfo(repoRoot, gitBin)
  await git(['worktree', 'prune'], { cwd: repo.root, bin: gitBin })
  const after = new Set((await worktreeEntries(repoRoot, gitBin)).map((e) => e.path))
  return { pruned: before.filter((e) => !after.has(e.path)) }
}
