import { copyFile, mkdtemp, rm, stat, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { git, gitExit as runGit } from './git'

/**
 * What a worktree would merge: its current state, uncommitted and untracked (not ignored) work
 * included, as a tree and a commit object on top of its HEAD (merge-tree merges commits).
 */
export interface TreeSnapshot {
  head: string
  tree: string
  /** `head` itself when the worktree is clean, else a commit of `tree` whose parent is `head`. */
  commit: string
}

/**
 * The commit object is made with a fixed identity and date so that the same tree on the same HEAD
 * always gives the same commit id: the radar memoises merge results by commit id, and no
 * `user.name` needs to be configured.
 */
const FIXED_IDENTITY: Record<string, string> = {
  GIT_AUTHOR_NAME: 'Paddock radar',
  GIT_AUTHOR_EMAIL: 'radar@paddock.invalid',
  GIT_AUTHOR_DATE: '1700000000 +0000',
  GIT_COMMITTER_NAME: 'Paddock radar',
  GIT_COMMITTER_EMAIL: 'radar@paddock.invalid',
  GIT_COMMITTER_DATE: '1700000000 +0000',
}

/** Read-only git calls must not refresh the worktree's real index behind the agent's back. */
const NO_LOCKS: Record<string, string> = { GIT_OPTIONAL_LOCKS: '0' }

/**
 * Snapshots a worktree without touching its index or its files: everything goes through a
 * temporary index (`GIT_INDEX_FILE`). The temporary index starts as a copy of the worktree's own
 * index when there is one — same content as `git read-tree HEAD` plus what is staged, but with
 * git's stat cache, so `git add -A` re-hashes only changed files instead of all 10k — and
 * otherwise from `git read-tree HEAD`. The new blobs, tree and commit are written to the
 * repository's object store (like `git stash create`); nothing references them, so `git gc`
 * drops them in time.
 */
export async function snapshotTree(worktreePath: string): Promise<TreeSnapshot> {
  const cwd = worktreePath
  const [head = '', headTree = '', indexPath = ''] = (
    await git(['rev-parse', 'HEAD', 'HEAD^{tree}', '--git-path', 'index'], { cwd, env: NO_LOCKS })
  )
    .trim()
    .split('\n')
  const dir = await mkdtemp(join(tmpdir(), 'paddock-radar-'))
  try {
    const tempIndex = join(dir, 'index')
    const env = { ...NO_LOCKS, GIT_INDEX_FILE: tempIndex }
    const copied = await copyIndex(resolve(cwd, indexPath), tempIndex)
    if (!copied) await git(['read-tree', 'HEAD'], { cwd, env })
    let add = await runGit(['add', '-A'], { cwd, env })
    if (add.code !== 0 && copied) {
      // A copied index git cannot use (caught mid-write, say): start again from HEAD.
      await git(['read-tree', 'HEAD'], { cwd, env })
      add = await runGit(['add', '-A'], { cwd, env })
    }
    if (add.code !== 0) throw new Error(`git add -A failed: ${add.stderr.trim()}`)
    const tree = (await git(['write-tree'], { cwd, env })).trim()
    if (tree === headTree) return { head, tree, commit: head }
    const commit = (
      await git(['commit-tree', tree, '-p', head, '-m', 'radar'], {
        cwd,
        env: { ...NO_LOCKS, ...FIXED_IDENTITY },
      })
    ).trim()
    return { head, tree, commit }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * The paths that would conflict if commits `a` and `b` were merged (merge base found by git),
 * computed in memory by `git merge-tree --write-tree`: no checkout, no index touched.
 * Exit 0 = clean, 1 = conflicts, anything else is an error (unrelated histories, bad id…).
 */
export async function mergeConflicts(
  repoRoot: string,
  a: string,
  b: string,
  bin?: string,
): Promise<string[]> {
  if (a === b) return []
  const r = await runGit(
    ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', a, b],
    { cwd: repoRoot, env: NO_LOCKS, bin },
  )
  if (r.code === 0) return []
  if (r.code !== 1) throw new Error(`git merge-tree failed (${r.code}): ${r.stderr.trim()}`)
  // `<tree id>\0<path>\0<path>\0…`; --name-only lists a path once even with several stages.
  const [, ...paths] = r.stdout.split('\0')
  return [...new Set(paths.filter((p) => p.length > 0))].sort()
}

/**
 * Copy the worktree's index for a snapshot, keeping its modification time. Git trusts an entry's
 * cached stat only when the file is older than the index file; an entry written in the same
 * second as the index is "racily clean" and its content is compared. A copy stamped later would
 * make such an entry look clean, and an edit of the same size made in that second would be missed.
 * False when there is no index to copy.
 */
async function copyIndex(from: string, to: string): Promise<boolean> {
  try {
    const { atime, mtime } = await stat(from)
    await copyFile(from, to)
    await utimes(to, atime, mtime)
    return true
  } catch {
    return false
  }
}
