/**
 * Deleting a worktree without losing work, and undoing the delete.
 *
 * Before removal the worktree's tip and its dirty tree (tracked changes and untracked files,
 * never ignored ones nor files matching the secret patterns) are saved as one commit whose parent
 * is the tip, under `refs/paddock/deleted/<slug>` in the repository itself. The commit message
 * records the branch, base and folder. `restoreDeleted` checks the tip out again as the branch and
 * lays the saved tree over it as uncommitted changes. Secret files (`isSecretFileName`: `.env*`,
 * `*.pem`, `id_rsa`…) are not stored; the copy list brings the listed ones back.
 *
 * The issue asks for the save in Paddock's checkpoint store; this groundwork keeps it in the
 * repository's refs (invisible to `git branch` and `git log --all`'s usual readers only by
 * namespace) until the checkpoint store is wired in.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { isSecretFileName } from '../core/secret-files'
import { copyIgnoredFiles, readWorktreeConfig } from './copy-files'
import { WorktreeError, WouldLoseWorkError } from './errors'
import { git, gitMaybe, repoInfo } from './git'
import { worktreeEntries } from './list'
import { deleteCheck, losesWork, unpushedCommits } from './safety'
import { BRANCH_PREFIX, DELETED_REF_PREFIX, isSlug, worktreeDir } from './worktree-paths'

export interface DeleteWorktreeInput {
  repoRoot: string
  path: string
  branch: string
  base: string
  /** Delete even when work would be lost (it is still saved to the deleted ref first). */
  force?: boolean
  gitBin?: string
}

export interface DeletedWorktree {
  /** The ref holding the save. */
  ref: string
  /** The save commit (parent: the tip). */
  commit: string
  tip: string
  slug: string
}

function slugOfBranch(branch: string): string {
  if (!branch.startsWith(BRANCH_PREFIX))
    throw new WorktreeError('bad-input', `Not a Paddock branch: ${branch}`)
  const slug = branch.slice(BRANCH_PREFIX.length)
  if (!isSlug(slug)) throw new WorktreeError('bad-input', `Not a Paddock branch: ${branch}`)
  return slug
}

/**
 * The changed or untracked files whose name says they hold secrets (`isSecretFileName`, the rule
 * the checkpoint store follows): never stored in a save. Ignored files are never stored anyway.
 */
export async function secretCandidates(path: string, bin: string | undefined): Promise<string[]> {
  const out = await git(
    ['ls-files', '-z', '--full-name', '--modified', '--others', '--exclude-standard', ':(top)'],
    { cwd: path, bin },
  )
  const files = new Set(out.split('\0').filter((p) => p !== ''))
  return [...files].filter((p) => isSecretFileName(p.slice(p.lastIndexOf('/') + 1)))
}

const PADDOCK_IDENTITY = {
  GIT_AUTHOR_NAME: 'Paddock',
  GIT_AUTHOR_EMAIL: 'paddock@localhost',
  GIT_COMMITTER_NAME: 'Paddock',
  GIT_COMMITTER_EMAIL: 'paddock@localhost',
}

/** A save of a branch whose folder is gone: the tip's own tree, the tip as parent. */
async function saveTip(
  cwd: string,
  branchRef: string,
  message: string,
  bin: string | undefined,
): Promise<{ commit: string; tip: string }> {
  const tip = (await git(['rev-parse', '--verify', `${branchRef}^{commit}`], { cwd, bin })).trim()
  const commit = (
    await git(['commit-tree', `${tip}^{tree}`, '-p', tip, '-m', message], {
      cwd,
      bin,
      env: PADDOCK_IDENTITY,
    })
  ).trim()
  return { commit, tip }
}

/** Saves the tip and the dirty tree of `path` as a commit; returns its sha and the tip. */
async function saveDirtyTree(
  path: string,
  message: string,
  bin: string | undefined,
): Promise<{ commit: string; tip: string }> {
  const tip = (await git(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: path, bin })).trim()
  const tmp = await mkdtemp(join(tmpdir(), 'paddock-index-'))
  try {
    const env = { GIT_INDEX_FILE: join(tmp, 'index') }
    await git(['read-tree', 'HEAD'], { cwd: path, bin, env })
    // Secrets are left out before `add`, so not even a loose blob of one is written.
    const excludes = (await secretCandidates(path, bin)).map((p) => `:(top,exclude,literal)${p}`)
    await git(['add', '-A', '--', ':(top)', ...excludes], { cwd: path, bin, env })
    const tree = (await git(['write-tree'], { cwd: path, bin, env })).trim()
    const commit = (
      await git(['commit-tree', tree, '-p', tip, '-m', message], {
        cwd: path,
        bin,
        env: PADDOCK_IDENTITY,
      })
    ).trim()
    return { commit, tip }
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
}

/**
 * Deletes a Paddock worktree and its branch. Refuses with `WouldLoseWorkError` (listing the
 * dirty files and unpushed commits) unless `force` or nothing would be lost. Either way the tip
 * and dirty tree are saved to `refs/paddock/deleted/<slug>` first.
 */
export async function deleteWorktree(input: DeleteWorktreeInput): Promise<DeletedWorktree> {
  const bin = input.gitBin
  const repo = await repoInfo(input.repoRoot, bin)
  const slug = slugOfBranch(input.branch)
  const path = resolve(input.path)
  const entry = (await worktreeEntries(repo.root, bin)).find((e) => resolve(e.path) === path)
  if (!entry || entry.main)
    throw new WorktreeError('not-found', `${path} is not a worktree of ${repo.root}`)
  if (entry.branch !== `refs/heads/${input.branch}`)
    throw new WorktreeError('bad-input', `${path} is not on ${input.branch}`)

  // A folder removed by hand: its dirty files are gone already; its commits may not be.
  const gone = !existsSync(path)
  const losses = gone
    ? {
        dirty: [],
        unpushed: await unpushedCommits(repo.root, `refs/heads/${input.branch}`, input.base, bin),
      }
    : await deleteCheck(path, input.base, bin)
  if (losesWork(losses) && input.force !== true) throw new WouldLoseWorkError(path, losses)

  const message = [
    `Paddock: deleted worktree ${slug}`,
    '',
    `Paddock-Branch: ${input.branch}`,
    `Paddock-Base: ${input.base}`,
    `Paddock-Path: ${path}`,
  ].join('\n')
  const saved = gone
    ? await saveTip(repo.root, `refs/heads/${input.branch}`, message, bin)
    : await saveDirtyTree(path, message, bin)
  const ref = `${DELETED_REF_PREFIX}${slug}`
  await git(['update-ref', ref, saved.commit], { cwd: repo.root, bin })

  if (gone) await git(['worktree', 'prune'], { cwd: repo.root, bin })
  else await git(['worktree', 'remove', '--force', '--force', '--', path], { cwd: repo.root, bin })
  await git(['branch', '-D', '--', input.branch], { cwd: repo.root, bin })
  return { ref, commit: saved.commit, tip: saved.tip, slug }
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

/** The deleted worktrees saved in the repository, newest first. */
export async function listDeleted(repoRoot: string, gitBin?: string): Promise<DeletedSave[]> {
  const repo = await repoInfo(repoRoot, gitBin)
  const out = await git(
    [
      'for-each-ref',
      '--sort=-committerdate',
      '--format=%(refname)%00%(objectname)%00%(committerdate:unix)%00%(contents)%00%00',
      DELETED_REF_PREFIX,
    ],
    { cwd: repo.root, bin: gitBin },
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

/** Forgets saves older than `maxAgeMs` (30 days by default). Returns the slugs dropped. */
export async function expireDeleted(
  repoRoot: string,
  maxAgeMs = 30 * 24 * 3600 * 1000,
  now = Date.now(),
  gitBin?: string,
): Promise<string[]> {
  const repo = await repoInfo(repoRoot, gitBin)
  const dropped: string[] = []
  for (const save of await listDeleted(repo.root, gitBin)) {
    if (now - save.deletedAt <= maxAgeMs) continue
    await git(['update-ref', '-d', save.ref], { cwd: repo.root, bin: gitBin })
    dropped.push(save.slug)
  }
  return dropped
}

export interface RestoreDeletedInput {
  repoRoot: string
  slug: string
  /** Where to put it; the folder it was deleted from by default. */
  path?: string
  /** The configured `worktrees.dir`, used when the old folder is taken. */
  root?: string
  gitBin?: string
}

/**
 * Brings a deleted worktree back: the branch at the saved tip, checked out in a worktree, with
 * the saved dirty tree laid over it as uncommitted changes (untracked files untracked again,
 * deletions deleted). The copy list is applied again (secrets were not saved). The save is then
 * dropped.
 */
export async function restoreDeleted(
  input: RestoreDeletedInput,
): Promise<{ path: string; branch: string; base: string; copied: string[] }> {
  const bin = input.gitBin
  if (!isSlug(input.slug))
    throw new WorktreeError('bad-input', `Not a worktree name: ${input.slug}`)
  const repo = await repoInfo(input.repoRoot, bin)
  const save = (await listDeleted(repo.root, bin)).find((s) => s.slug === input.slug)
  if (!save) throw new WorktreeError('not-found', `No deleted worktree named ${input.slug}`)
  const branch = save.branch || `${BRANCH_PREFIX}${save.slug}`
  const opts = { cwd: repo.root, bin }
  const existing = (
    (await gitMaybe(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], opts)) ?? ''
  ).trim()
  const tip = (await git(['rev-parse', '--verify', `${save.commit}^1`], opts)).trim()
  // A branch still at the saved tip is the one a delete cut short left behind: reuse it.
  if (existing !== '' && existing !== tip)
    throw new WorktreeError('bad-input', `The branch ${branch} exists again: rename it first`)
  const path = resolve(input.path ?? (save.path || worktreeDir(repo.root, save.slug, input.root)))

  await git(
    existing === ''
      ? ['worktree', 'add', '--quiet', '-b', branch, '--', path, tip]
      : ['worktree', 'add', '--quiet', '--', path, branch],
    opts,
  )
  // Lay the saved tree over the tip: index and files to the save (removing what it deleted), then
  // the index back to the tip so everything shows as uncommitted, untracked files as untracked.
  await git(['read-tree', '-u', '--reset', `${save.commit}^{tree}`], { cwd: path, bin })
  await git(['reset', '--quiet'], { cwd: path, bin })
  const config = await readWorktreeConfig(repo.root)
  const copied = await copyIgnoredFiles(repo.root, path, config.copy, bin)
  await git(['update-ref', '-d', save.ref], { cwd: repo.root, bin })
  return { path, branch, base: save.base, copied }
}
