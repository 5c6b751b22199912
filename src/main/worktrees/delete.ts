/**
 * Deleting a worktree without losing work, and undoing the delete.
 *
 * Before removal the worktree's tip and its dirty tree (tracked changes and untracked files,
 * never ignored ones nor files matching the secret patterns) are saved as one commit whose parent
 * is the tip, and sent to Paddock's checkpoint store as `refs/paddock/deleted/<slug>`
 * (`deleted-store.ts` says why there and how). The save is built with a temporary index and a
 * temporary object directory, so the user's repository gets no ref and no object of it. The
 * commit message records the branch, base and folder. `restoreDeleted` fetches it back, checks
 * the tip out again as the branch and lays the saved tree over it as uncommitted changes. Secret
 * files (`isSecretFileName`: `.env*`, `*.pem`, `id_rsa`…) are not stored; the copy list brings the
 * listed ones back.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { isSecretFileName } from '../core/secret-files'
import { copyIgnoredFiles, readWorktreeConfig } from './copy-files'
import { dropSave, fetchSave, listDeleted, pushSave } from './deleted-store'
import { WorktreeError, WouldLoseWorkError } from './errors'
import { git, gitMaybe, repoInfo } from './git'
import { worktreeEntries } from './list'
import { deleteCheck, losesWork, unpushedCommits } from './safety'
import { BRANCH_PREFIX, DELETED_REF_PREFIX, isSlug, worktreeDir } from './worktree-paths'

export interface DeleteWorktreeInput {
  repoRoot: string
  /** The checkpoint store's git directory: `storeLayout(dataDir, workspaceId).gitdir`. */
  storeGitdir: string
  path: string
  branch: string
  base: string
  /**
   * The name of the save (`refs/paddock/deleted/<slug>`); derived from a `paddock/<slug>` branch
   * when absent, so required for a branch the user named.
   */
  slug?: string
  /** Delete even when work would be lost (it is still saved to the deleted ref first). */
  force?: boolean
  gitBin?: string
}

export interface DeletedWorktree {
  /** The ref holding the save, in the checkpoint store. */
  ref: string
  /**
   * The save commit (parent: the tip); null when there was nothing to save (neither the folder
   * nor the branch existed any more), and then nothing was stored.
   */
  commit: string | null
  /** The branch's tip that was saved; null with `commit`. */
  tip: string | null
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

/**
 * Git's environment writing into a temporary object directory, reading the repository's objects
 * through it: the save's blobs, trees and commit never land in the user's repository.
 */
interface Scratch {
  env: Record<string, string>
  dir: string
}

async function scratch(commonDir: string): Promise<Scratch> {
  const dir = await mkdtemp(join(tmpdir(), 'paddock-save-'))
  await mkdir(join(dir, 'objects'))
  return {
    dir,
    env: {
      GIT_OBJECT_DIRECTORY: join(dir, 'objects'),
      GIT_ALTERNATE_OBJECT_DIRECTORIES: join(commonDir, 'objects'),
    },
  }
}

/** A save of a branch whose folder is gone: the tip's own tree, the tip as parent. */
async function saveTip(
  cwd: string,
  branchRef: string,
  message: string,
  s: Scratch,
  bin: string | undefined,
): Promise<{ commit: string; tip: string }> {
  const tip = (await git(['rev-parse', '--verify', `${branchRef}^{commit}`], { cwd, bin })).trim()
  const commit = (
    await git(['commit-tree', `${tip}^{tree}`, '-p', tip, '-m', message], {
      cwd,
      bin,
      env: { ...PADDOCK_IDENTITY, ...s.env },
    })
  ).trim()
  return { commit, tip }
}

/** Saves the tip and the dirty tree of `path` as a commit; returns its sha and the tip. */
async function saveDirtyTree(
  path: string,
  message: string,
  s: Scratch,
  bin: string | undefined,
): Promise<{ commit: string; tip: string }> {
  const tip = (await git(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: path, bin })).trim()
  const env = { ...s.env, GIT_INDEX_FILE: join(s.dir, 'index') }
  await git(['read-tree', 'HEAD'], { cwd: path, bin, env })
  // Secrets are left out before `add`, so not even a loose blob of one is written.
  const excludes = (await secretCandidates(path, bin)).map((p) => `:(top,exclude,literal)${p}`)
  await git(['add', '-A', '--', ':(top)', ...excludes], { cwd: path, bin, env })
  // The excludes above come from the worktree's real index, which misses a secret file the user
  // or agent staged (`git add .env`: neither modified nor untracked there), so `add -A` put it in
  // the temporary index. Every secret path that index holds differently from HEAD goes back to
  // HEAD's version (out of the tree when HEAD has none), so the save never names its content.
  const changed = await git(['diff-index', '--cached', '--name-only', '-z', 'HEAD', '--'], {
    cwd: path,
    bin,
    env,
  })
  const staged = changed
    .split('\0')
    .filter((p) => p !== '' && isSecretFileName(p.slice(p.lastIndexOf('/') + 1)))
  if (staged.length > 0)
    await git(['reset', '-q', 'HEAD', '--', ...staged.map((p) => `:(top,literal)${p}`)], {
      cwd: path,
      bin,
      env,
    })
  const tree = (await git(['write-tree'], { cwd: path, bin, env })).trim()
  const commit = (
    await git(['commit-tree', tree, '-p', tip, '-m', message], {
      cwd: path,
      bin,
      env: { ...PADDOCK_IDENTITY, ...s.env },
    })
  ).trim()
  return { commit, tip }
}

/**
 * Deletes a Paddock worktree and its branch. Refuses with `WouldLoseWorkError` (listing the
 * dirty files and unpushed commits) unless `force` or nothing would be lost. Either way the tip
 * and dirty tree are saved to `refs/paddock/deleted/<slug>` in the checkpoint store first; a save
 * that fails leaves the worktree in place.
 */
export async function deleteWorktree(input: DeleteWorktreeInput): Promise<DeletedWorktree> {
  const bin = input.gitBin
  const repo = await repoInfo(input.repoRoot, bin)
  const slug = input.slug ?? slugOfBranch(input.branch)
  if (!isSlug(slug)) throw new WorktreeError('bad-input', `Not a worktree name: ${slug}`)
  const path = resolve(input.path)
  const ref = `${DELETED_REF_PREFIX}${slug}`
  const branchRef = `refs/heads/${input.branch}`
  const entry = (await worktreeEntries(repo.root, bin)).find((e) => resolve(e.path) === path)
  if (entry?.main) throw new WorktreeError('not-found', `${path} is the main checkout`)
  if (entry && entry.branch !== branchRef)
    throw new WorktreeError('bad-input', `${path} is not on ${input.branch}`)
  // Git has no entry for the folder (removed by hand, then pruned): only the branch may be left.
  if (!entry) {
    if (existsSync(path))
      throw new WorktreeError('not-found', `${path} is not a worktree of ${repo.root}`)
    const tip = await gitMaybe(['rev-parse', '--verify', '--quiet', `${branchRef}^{commit}`], {
      cwd: repo.root,
      bin,
    })
    if (tip === undefined || tip.trim() === '') return { ref, commit: null, tip: null, slug }
  }

  // A folder removed by hand: its dirty files are gone already; its commits may not be.
  const gone = !entry || !existsSync(path)
  const losses = gone
    ? { dirty: [], unpushed: await unpushedCommits(repo.root, branchRef, input.base, bin) }
    : await deleteCheck(path, input.base, bin)
  if (losesWork(losses) && input.force !== true) throw new WouldLoseWorkError(path, losses)

  const message = [
    `Paddock: deleted worktree ${slug}`,
    '',
    `Paddock-Branch: ${input.branch}`,
    `Paddock-Base: ${input.base}`,
    `Paddock-Path: ${path}`,
  ].join('\n')
  const s = await scratch(repo.commonDir)
  let saved: { commit: string; tip: string }
  try {
    saved = gone
      ? await saveTip(repo.root, branchRef, message, s, bin)
      : await saveDirtyTree(path, message, s, bin)
    await pushSave(repo.root, input.storeGitdir, saved.commit, ref, s.env, bin)
  } finally {
    await rm(s.dir, { recursive: true, force: true })
  }

  // Only this worktree's entry goes (`git worktree prune` would also drop the user's worktrees
  // on a drive that is not mounted): `remove` of a missing folder removes just its entry.
  if (entry)
    await git(['worktree', 'remove', '--force', '--force', '--', path], { cwd: repo.root, bin })
  await git(['branch', '-D', '--', input.branch], { cwd: repo.root, bin })
  return { ref, commit: saved.commit, tip: saved.tip, slug }
}

export interface RestoreDeletedInput {
  repoRoot: string
  /** The checkpoint store's git directory: `storeLayout(dataDir, workspaceId).gitdir`. */
  storeGitdir: string
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
 * dropped from the store.
 */
export async function restoreDeleted(
  input: RestoreDeletedInput,
): Promise<{ path: string; branch: string; base: string; copied: string[] }> {
  const bin = input.gitBin
  if (!isSlug(input.slug))
    throw new WorktreeError('bad-input', `Not a worktree name: ${input.slug}`)
  const repo = await repoInfo(input.repoRoot, bin)
  const save = (await listDeleted(input.storeGitdir, bin)).find((s) => s.slug === input.slug)
  if (!save) throw new WorktreeError('not-found', `No deleted worktree named ${input.slug}`)
  const branch = save.branch || `${BRANCH_PREFIX}${save.slug}`
  const opts = { cwd: repo.root, bin }
  await fetchSave(repo.root, input.storeGitdir, save.ref, bin)
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
  await dropSave(input.storeGitdir, save.ref, save.commit, bin)
  return { path, branch, base: save.base, copied }
}
