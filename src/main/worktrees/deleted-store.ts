/**
 * Deleted worktrees' saves in Paddock's checkpoint store (a bare git directory in Paddock's data
 * folder, `storeLayout(dataDir, workspaceId).gitdir`), not in the user's repository: the agent
 * works in the repository and could delete a ref there (`git update-ref -d`), and the user's own
 * tooling (`git gc`, `git for-each-ref`) would see it; the data folder is hidden from the agent.
 *
 * Each save is `refs/paddock/deleted/<slug>` in the store, with the branch's whole history (what
 * `git push` sends the first time; later saves only send what is new). The store's GC keeps that
 * history (`RefStore.historyRoots`) and its session sweeps never touch `deleted/`. The git CLI
 * writes into the store under the store's collect lock (`withStoreTransfer`), so a GC can never
 * run between the objects and the ref; receive-pack checks the objects are complete before it
 * writes the ref.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { withStoreTransfer } from '../checkpoints'
import { WorktreeError } from './errors'
import { git, gitMaybe } from './git'
import { DELETED_REF_PREFIX } from './worktree-paths'

const DAY_MS = 24 * 3600 * 1000

/** The shell quoting of one word (git runs `--receive-pack` through `sh`, also on Windows). */
function shellWord(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/** `--git-dir` options for git calls reading or writing the store. */
function inStore(storeGitdir: string, args: string[]): string[] {
  return [`--git-dir=${storeGitdir}`, ...args]
}

/**
 * Sends `commit` (and whatever of its history the store lacks) from the repository at `cwd` to
 * the store as `ref`. `env` points git at the temporary object directory the save was written to.
 * Nothing is written to the user's repository: a push to a path makes no remote-tracking ref.
 */
export async function pushSave(
  cwd: string,
  storeGitdir: string,
  commit: string,
  ref: string,
  env: Record<string, string>,
  bin: string | undefined,
): Promise<void> {
  await withStoreTransfer(storeGitdir, async () => {
    // A save is never overwritten: a second delete of a session with the same slug would lose the
    // first one's work. (New sessions avoid the slugs of restorable saves; this is the backstop.
    // The push below has no `+` either, but a fast-forward would still pass it.)
    const existing = await gitMaybe(
      inStore(storeGitdir, ['rev-parse', '--verify', '--quiet', ref]),
      {
        cwd,
        bin,
      },
    )
    if (existing !== undefined && existing.trim() !== '')
      throw new WorktreeError(
        'bad-input',
        `A deleted worktree named ${ref.slice(DELETED_REF_PREFIX.length)} is saved already: restore or forget it first`,
      )
    // Hooks a global `core.hooksPath` names must not run in the store: point it at a folder that
    // does not exist.
    const receivePack = [
      shellWord(bin ?? 'git'),
      '-c',
      shellWord(`core.hooksPath=${join(storeGitdir, 'paddock', 'no-hooks')}`),
      'receive-pack',
    ].join(' ')
    await git(
      [
        'push',
        '--no-verify',
        '--quiet',
        '--no-follow-tags',
        '--recurse-submodules=no',
        `--receive-pack=${receivePack}`,
        storeGitdir,
        `${commit}:${ref}`,
      ],
      { cwd, bin, env },
    )
    const stored = (
      await git(inStore(storeGitdir, ['rev-parse', '--verify', '--quiet', ref]), { cwd, bin })
    ).trim()
    if (stored !== commit) throw new Error(`The save ${ref} did not reach the checkpoint store`)
  })
}

/**
 * Brings `ref`'s objects from the store into the repository at `cwd`, writing no ref and no
 * FETCH_HEAD there (the caller makes the branch).
 */
export async function fetchSave(
  cwd: string,
  storeGitdir: string,
  ref: string,
  bin: string | undefined,
): Promise<void> {
  await git(
    [
      'fetch',
      '--quiet',
      '--no-tags',
      '--no-write-fetch-head',
      '--no-auto-maintenance',
      '--recurse-submodules=no',
      storeGitdir,
      ref,
    ],
    { cwd, bin },
  )
}

/** Forgets a save (its objects go at the store's next GC). */
export async function dropSave(
  storeGitdir: string,
  ref: string,
  commit: string,
  bin: string | undefined,
): Promise<void> {
  await git(inStore(storeGitdir, ['update-ref', '-d', ref, commit]), { cwd: storeGitdir, bin })
}

/** A saved deleted worktree. */
export interface DeletedSave {
  slug: string
  ref: string
  commit: string
  branch: string
  base: string
  path: string
  /** When it was deleted (ms since the epoch). */
  deletedAt: number
}

function trailer(body: string, name: string): string | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${name}: `))
  return line?.slice(name.length + 2)
}

/** The deleted worktrees saved in the store, newest first (none when the store does not exist). */
export async function listDeleted(storeGitdir: string, gitBin?: string): Promise<DeletedSave[]> {
  if (!existsSync(join(storeGitdir, 'HEAD'))) return []
  const out = await git(
    inStore(storeGitdir, [
      'for-each-ref',
      '--sort=-committerdate',
      '--format=%(refname)%00%(objectname)%00%(committerdate:unix)%00%(contents)%00%00',
      DELETED_REF_PREFIX,
    ]),
    { cwd: storeGitdir, bin: gitBin },
  )
  const saves: DeletedSave[] = []
  for (const record of out.split('\0\0')) {
    const [ref, commit, date, body] = record.replace(/^\n/, '').split('\0')
    if (!ref || !commit || body === undefined) continue
    saves.push({
      slug: ref.slice(DELETED_REF_PREFIX.length),
      ref,
      commit,
      branch: trailer(body, 'Paddock-Branch') ?? '',
      base: trailer(body, 'Paddock-Base') ?? '',
      path: trailer(body, 'Paddock-Path') ?? '',
      deletedAt: Number(date) * 1000,
    })
  }
  return saves
}

/**
 * Forgets saves older than `maxAgeDays` (30 by default) at `now`. Returns the slugs dropped; the
 * space is freed by the store's next GC (prune at start).
 */
export async function expireDeleted(
  storeGitdir: string,
  now = Date.now(),
  maxAgeDays = 30,
  gitBin?: string,
): Promise<string[]> {
  const dropped: string[] = []
  for (const save of await listDeleted(storeGitdir, gitBin)) {
    if (now - save.deletedAt <= maxAgeDays * DAY_MS) continue
    await dropSave(storeGitdir, save.ref, save.commit, gitBin)
    dropped.push(save.slug)
  }
  return dropped
}
