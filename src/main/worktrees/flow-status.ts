/**
 * The Git area of a session ("Bringing work home"): where its branch stands against its base, what
 * it changed, and whether the checkout it merges into is free. Read-only: nothing here writes to
 * the worktree, its index or the base checkout.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { DirtyFile } from './errors'
import { FilesError, WorktreeError } from './errors'
import { git, gitMaybe } from './git'
import { worktreeEntries } from './list'
import { parseStatusZ } from './safety'

/** The session's worktree as the session records it. */
export interface FlowTarget {
  /** The session's worktree folder. */
  worktreePath: string
  /** Its branch, `paddock/<slug>`. */
  branch: string
  /** The branch it merges into, by name (`main`). */
  base: string
  /** Any folder of the repository (the main checkout); the worktree is used when absent. */
  repoRoot?: string
  /** The git binary; `git` on the PATH by default. */
  gitBin?: string
}

/** One file changed against the base: A(dded), M(odified), D(eleted), R(enamed), T(ype), C(opied). */
export interface ChangedFile {
  status: 'A' | 'M' | 'D' | 'R' | 'C' | 'T'
  path: string
  /** For renames and copies: the path at the merge base. */
  from?: string
}

/** A git operation stopped half-way in a checkout (conflicts, or waiting for `--continue`). */
export type InProgress = 'rebase' | 'merge' | 'cherry-pick' | 'revert'

/** The checkout that has the base branch checked out (usually the user's main checkout). */
export interface BaseCheckout {
  path: string
  /** Its uncommitted changes (untracked files included). */
  dirty: DirtyFile[]
  /** The dirty files a merge of the branch would touch: these make Merge refuse. */
  blocking: string[]
  inProgress?: InProgress
}

export interface FlowStatus {
  /** The branch checked out in the worktree (the recorded one when detached, e.g. mid-rebase). */
  branch: string
  base: string
  /** Commits on the branch that the base does not have. */
  ahead: number
  /** Commits on the base that the branch does not have. */
  behind: number
  /** Uncommitted files of the worktree. */
  uncommitted: DirtyFile[]
  /** Files changed since the merge base, uncommitted work included. */
  changed: ChangedFile[]
  /** Undefined when no checkout holds the base branch. */
  baseCheckout?: BaseCheckout
  inProgress?: InProgress
  /** Files with unresolved conflicts in the worktree. */
  conflicted: string[]
}

/** Refuses names git could read as options or that cannot be branch names. */
export function checkRefName(name: string, what: string): void {
  if (
    typeof name !== 'string' ||
    name === '' ||
    name.startsWith('-') ||
    /[\0\s~^:?*[\\]|\.\.|@\{/.test(name)
  )
    throw new WorktreeError('bad-input', `Not a valid ${what}: ${JSON.stringify(name)}`)
}

/** Parses `git diff --name-status -z`: a status field, then one path (two for R and C). */
export function parseNameStatusZ(out: string): ChangedFile[] {
  const fields = out.split('\0')
  const files: ChangedFile[] = []
  for (let i = 0; i < fields.length; i++) {
    const code = fields[i]
    if (code === undefined || code === '') continue
    const letter = code[0] as ChangedFile['status'] | 'U' | 'X'
    if (letter === 'R' || letter === 'C') {
      const from = fields[++i] ?? ''
      const path = fields[++i] ?? ''
      files.push({ status: letter, path, from })
    } else {
      const path = fields[++i] ?? ''
      // U (unmerged) shows mid-conflict: the file changed; X never appears in practice.
      files.push({ status: letter === 'U' || letter === 'X' ? 'M' : letter, path })
    }
  }
  return files
}

/** The uncommitted files of a checkout (untracked files one by one). */
export async function dirtyFiles(cwd: string, bin?: string): Promise<DirtyFile[]> {
  return parseStatusZ(
    await git(['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd, bin }),
  )
}

/** The paths with unresolved conflicts in a checkout. */
export async function conflictedFiles(cwd: string, bin?: string): Promise<string[]> {
  const out = await git(['diff', '--name-only', '--diff-filter=U', '-z'], { cwd, bin })
  return [...new Set(out.split('\0').filter((p) => p !== ''))].sort()
}

/** Which operation, if any, stopped half-way in the checkout at `cwd`. */
export async function inProgress(cwd: string, bin?: string): Promise<InProgress | undefined> {
  const names = ['rebase-merge', 'rebase-apply', 'MERGE_HEAD', 'CHERRY_PICK_HEAD', 'REVERT_HEAD']
  const out = await git(['rev-parse', ...names.flatMap((n) => ['--git-path', n])], { cwd, bin })
  const paths = out.split('\n').map((p) => resolve(cwd, p))
  const has = (i: number): boolean => paths[i] !== undefined && existsSync(paths[i])
  if (has(0) || has(1)) return 'rebase'
  if (has(2)) return 'merge'
  if (has(3)) return 'cherry-pick'
  if (has(4)) return 'revert'
  return undefined
}

/** The merge base of two commits (unrelated histories are refused). */
export async function mergeBase(cwd: string, a: string, b: string, bin?: string): Promise<string> {
  const out = await gitMaybe(['merge-base', a, b], { cwd, bin })
  if (out === undefined || out.trim() === '')
    throw new WorktreeError('bad-input', `${a} and ${b} have no common history`)
  return out.trim()
}

/** The files a merge of `branch` into `base` would touch: changed on the branch since the base. */
export async function touchedByBranch(
  cwd: string,
  base: string,
  branch: string,
  bin?: string,
): Promise<string[]> {
  const mb = await mergeBase(cwd, base, branch, bin)
  const out = await git(['diff', '--name-status', '-z', '-M', mb, branch, '--'], { cwd, bin })
  const paths = parseNameStatusZ(out).flatMap((f) => (f.from ? [f.from, f.path] : [f.path]))
  return [...new Set(paths)].sort()
}

/** The dirty files (and rename origins) that appear in `touched`. */
export function blockingFiles(dirty: DirtyFile[], touched: string[]): string[] {
  const set = new Set(touched)
  const hit = dirty.flatMap((f) => [f.path, ...(f.from ? [f.from] : [])]).filter((p) => set.has(p))
  return [...new Set(hit)].sort()
}

/**
 * The checkout (main or a worktree) that has `base` checked out, found from `git worktree list`
 * in any folder of the repository. Undefined when none does (or its folder is gone).
 */
export async function findBaseCheckout(
  cwd: string,
  base: string,
  bin?: string,
): Promise<string | undefined> {
  const entries = await worktreeEntries(cwd, bin)
  const entry = entries.find(
    (e) => e.branch === `refs/heads/${base}` && !e.bare && !e.prunable && existsSync(e.path),
  )
  return entry?.path
}

/** The changed files of the worktree against the merge base, uncommitted work included. */
export async function changedAgainstBase(
  worktreePath: string,
  mb: string,
  uncommitted: DirtyFile[],
  bin?: string,
): Promise<ChangedFile[]> {
  const out = await git(['diff', '--name-status', '-z', '-M', mb, '--'], {
    cwd: worktreePath,
    bin,
  })
  const changed = parseNameStatusZ(out)
  const seen = new Set(changed.map((f) => f.path))
  for (const f of uncommitted)
    if (f.status === '??' && !seen.has(f.path)) changed.push({ status: 'A', path: f.path })
  return changed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** Refuses when the worktree has uncommitted changes: they would not be part of the operation. */
export async function requireClean(
  worktreePath: string,
  what: string,
  bin?: string,
): Promise<void> {
  const dirty = await dirtyFiles(worktreePath, bin)
  if (dirty.length > 0)
    throw new FilesError(
      'dirty-worktree',
      `The worktree has uncommitted changes (${dirty.map((f) => f.path).join(', ')}): commit them first, then ${what}`,
      dirty.map((f) => f.path),
    )
}

/** The Git area of a session. */
export async function gitStatus(target: FlowTarget): Promise<FlowStatus> {
  const { worktreePath: cwd, base, gitBin: bin } = target
  checkRefName(base, 'base')
  const opts = { cwd, bin }
  const current = (await gitMaybe(['symbolic-ref', '--short', '-q', 'HEAD'], opts))?.trim()
  const counts = await git(['rev-list', '--left-right', '--count', `${base}...HEAD`], opts)
  const [behind = 0, ahead = 0] = counts.trim().split(/\s+/).map(Number)
  const uncommitted = await dirtyFiles(cwd, bin)
  const mb = await mergeBase(cwd, base, 'HEAD', bin)
  const changed = await changedAgainstBase(cwd, mb, uncommitted, bin)
  const op = await inProgress(cwd, bin)
  const conflicted = await conflictedFiles(cwd, bin)

  let baseCheckout: BaseCheckout | undefined
  const basePath = await findBaseCheckout(target.repoRoot ?? cwd, base, bin)
  if (basePath !== undefined) {
    const dirty = await dirtyFiles(basePath, bin)
    const touched = dirty.length > 0 ? await touchedByBranch(cwd, base, 'HEAD', bin) : []
    const baseOp = await inProgress(basePath, bin)
    baseCheckout = {
      path: basePath,
      dirty,
      blocking: blockingFiles(dirty, touched),
      ...(baseOp ? { inProgress: baseOp } : {}),
    }
  }
  return {
    branch: current || target.branch,
    base,
    ahead,
    behind,
    uncommitted,
    changed,
    ...(baseCheckout ? { baseCheckout } : {}),
    ...(op ? { inProgress: op } : {}),
    conflicted,
  }
}
