/**
 * Merge into base, and "Ask the agent to resolve".
 *
 * The merge happens in the checkout that has the base branch checked out (the user's), so it must
 * never leave that checkout half-merged: conflicts are looked for first with `git merge-tree
 * --write-tree` (no checkout touched), and if the real merge still stops, it is aborted before the
 * error is thrown. Dirty files of the base checkout block the merge only when the merge would touch
 * them; the others are left exactly as they are (git merge keeps them).
 */
import { FilesError, MergeConflictError, WorktreeError } from './errors'
import { commitOf, exitOutput, git, gitExit } from './git'
import type { Committed } from './flow-commit'
import { commitWithHooks, headCommit } from './flow-commit'
import type { FlowTarget } from './flow-status'
import {
  blockingFiles,
  checkRefName,
  conflictedFiles,
  dirtyFiles,
  findBaseCheckout,
  inProgress,
  requireClean,
  touchedByBranch,
} from './flow-status'
import { mergeConflicts } from './radar-snapshot'

export interface MergeInput extends FlowTarget {
  /** `git merge --squash`, then one commit (the user's hooks run). */
  squash?: boolean
  /** The message of the merge or squash commit. */
  message?: string
  /** The session title, for the default message: "Merge paddock/<slug> (Title)". */
  title?: string
}

export interface Merged {
  /** `up-to-date`: the base already had every commit of the branch; nothing was done. */
  kind: 'up-to-date' | 'fast-forward' | 'merge' | 'squash'
  /** The base branch's commit afterwards. */
  sha: string
  /** Where the merge ran; absent when only the base ref moved (no checkout holds the base). */
  checkout?: string
}

async function isAncestor(cwd: string, a: string, b: string, bin?: string): Promise<boolean> {
  const r = await gitExit(['merge-base', '--is-ancestor', a, b], { cwd, bin })
  return r.code === 0
}

/** The conflicts merge-tree predicts; empty (no prediction) when this git lacks `--write-tree`. */
async function predictConflicts(
  cwd: string,
  a: string,
  b: string,
  bin?: string,
): Promise<string[]> {
  try {
    return await mergeConflicts(cwd, a, b, bin)
  } catch {
    return [] // git < 2.38: the real merge finds the conflicts and is aborted.
  }
}

/** Puts the base checkout back as it was before a merge that stopped (merge or squash). */
async function undoMerge(checkout: string, bin?: string): Promise<void> {
  const op = await inProgress(checkout, bin)
  if (op === 'merge') await git(['merge', '--abort'], { cwd: checkout, bin })
  // A squash leaves no MERGE_HEAD: reset --merge restores the index and the files the merge
  // touched, and keeps the unstaged changes of the files it did not touch.
  else await git(['reset', '--merge', '--quiet'], { cwd: checkout, bin })
}

/** Merges the session's branch into its base; see the file comment for the guarantees. */
export async function mergeIntoBase(input: MergeInput): Promise<Merged> {
  const { worktreePath, branch, base, gitBin: bin } = input
  checkRefName(branch, 'branch')
  checkRefName(base, 'base')
  const op = await inProgress(worktreePath, bin)
  if (op !== undefined)
    throw new WorktreeError('busy', `A ${op} is in progress in the worktree: finish it first`)
  await requireClean(worktreePath, 'merge', bin)

  const baseCommit = await commitOf(worktreePath, `refs/heads/${base}`, bin).catch(() => {
    throw new WorktreeError('bad-input', `The base ${base} is not a local branch`)
  })
  const branchCommit = await commitOf(worktreePath, `refs/heads/${branch}`, bin)
  const checkout = await findBaseCheckout(input.repoRoot ?? worktreePath, base, bin)
  const where = checkout !== undefined ? { checkout } : {}
  if (await isAncestor(worktreePath, branchCommit, baseCommit, bin))
    return { kind: 'up-to-date', sha: baseCommit, ...where }
  const ff = await isAncestor(worktreePath, baseCommit, branchCommit, bin)

  if (!ff) {
    const predicted = await predictConflicts(worktreePath, baseCommit, branchCommit, bin)
    if (predicted.length > 0) throw new MergeConflictError(branch, base, predicted)
  }

  if (checkout === undefined) {
    if (ff && input.squash !== true) {
      // No checkout to update: moving the ref is the whole fast-forward (old value checked).
      await git(
        [
          'update-ref',
          '-m',
          `merge ${branch}: Fast-forward`,
          `refs/heads/${base}`,
          branchCommit,
          baseCommit,
        ],
        { cwd: worktreePath, bin },
      )
      return { kind: 'fast-forward', sha: branchCommit }
    }
    throw new WorktreeError(
      'base-not-checked-out',
      `No checkout has ${base} checked out, and ${
        input.squash === true ? 'a squash merge' : `${base} cannot be fast-forwarded to ${branch}`
      } needs one: check out ${base} somewhere (or merge ${base} into the branch first)`,
    )
  }

  const baseOp = await inProgress(checkout, bin)
  if (baseOp !== undefined)
    throw new WorktreeError(
      'busy',
      `A ${baseOp} is in progress in ${checkout}: finish it before merging into ${base}`,
    )
  const dirty = await dirtyFiles(checkout, bin)
  const touched = await touchedByBranch(worktreePath, baseCommit, branchCommit, bin)
  const blocking = blockingFiles(dirty, touched)
  if (blocking.length > 0)
    throw new FilesError(
      'base-dirty',
      `${checkout} has uncommitted changes the merge would touch: ${blocking.join(', ')}. Commit or stash them there first`,
      blocking,
    )
  const staged = dirty.filter((f) => f.status[0] !== ' ' && f.status[0] !== '?').map((f) => f.path)
  if (staged.length > 0 && (!ff || input.squash === true))
    throw new FilesError(
      'base-dirty',
      `${checkout} has staged changes (${staged.join(', ')}) that would go into the merge commit: commit or unstage them first`,
      staged,
    )

  const opts = { cwd: checkout, bin }
  if (ff && input.squash !== true) {
    const r = await gitExit(['merge', '--ff-only', '--quiet', branch], opts)
    if (r.code !== 0)
      throw new WorktreeError('merge-failed', `git merge --ff-only refused: ${exitOutput(r)}`)
    return { kind: 'fast-forward', sha: (await headCommit(checkout, bin)).sha, checkout }
  }

  const args =
    input.squash === true
      ? ['merge', '--squash', '--quiet', branch]
      : [
          'merge',
          '--no-ff',
          '--no-edit',
          ...(messageFor(input) !== undefined ? ['-m', messageFor(input) as string] : []),
          branch,
        ]
  const r = await gitExit(args, opts)
  if (r.code !== 0) {
    const conflicts = await conflictedFiles(checkout, bin)
    await undoMerge(checkout, bin)
    if (conflicts.length > 0) throw new MergeConflictError(branch, base, conflicts)
    throw new WorktreeError(
      'merge-failed',
      `git merge failed and was undone in ${checkout}: ${exitOutput(r)}`,
    )
  }
  if (input.squash !== true)
    return { kind: 'merge', sha: (await headCommit(checkout, bin)).sha, checkout }

  let committed: Committed
  try {
    committed = await commitWithHooks(checkout, messageFor(input) ?? `Squash ${branch}`, bin)
  } catch (error) {
    await undoMerge(checkout, bin)
    throw error
  }
  return { kind: 'squash', sha: committed.sha, checkout }
}

/** The commit message: the one given, else "Merge paddock/<slug> (Title)" when a title is known. */
function messageFor(input: MergeInput): string | undefined {
  const given = input.message?.trim()
  if (given) return given
  if (input.title?.trim())
    return `${input.squash === true ? 'Squash' : 'Merge'} ${input.branch} (${input.title.trim()})`
  return undefined
}

export type Rebased =
  | { rebased: true; sha: string }
  | {
      rebased: false
      /** The files with conflict markers, for the user and the agent. */
      conflicts: string[]
      /** A ready-made message telling the agent what to resolve and what to run. */
      agentMessage: string
    }

/** The message handed to the agent when a rebase stops on conflicts. */
export function rebaseAgentMessage(base: string, conflicts: string[]): string {
  return [
    `Your branch conflicts with ${base}. A rebase onto ${base} is in progress in your worktree and stopped on conflicts in:`,
    ...conflicts.map((f) => `- ${f}`),
    '',
    'Resolve the conflict markers (<<<<<<<, =======, >>>>>>>) in each file, keeping both intents, then run',
    '`git add <file>` for each one and `git rebase --continue`. Repeat if the rebase stops again.',
    'Do not run `git rebase --abort`. Run the tests when the rebase is done.',
  ].join('\n')
}

/**
 * "Ask the agent to resolve": `git rebase <base>` in the worktree. A clean rebase returns the new
 * tip; one that stops on conflicts is left in progress (the agent resolves and continues) and the
 * conflicting files come back with a message for the agent. Called again mid-rebase, it reports the
 * current conflicts without starting anything.
 */
export async function resolveByRebase(input: {
  worktreePath: string
  base: string
  gitBin?: string
}): Promise<Rebased> {
  const { worktreePath: cwd, base, gitBin: bin } = input
  checkRefName(base, 'base')
  const op = await inProgress(cwd, bin)
  if (op === 'rebase') {
    const conflicts = await conflictedFiles(cwd, bin)
    return { rebased: false, conflicts, agentMessage: rebaseAgentMessage(base, conflicts) }
  }
  if (op !== undefined)
    throw new WorktreeError('busy', `A ${op} is in progress in the worktree: finish it first`)
  await requireClean(cwd, 'rebase', bin)
  await commitOf(cwd, base, bin)
  const r = await gitExit(['rebase', base], { cwd, bin })
  if (r.code === 0) return { rebased: true, sha: (await headCommit(cwd, bin)).sha }
  const conflicts = await conflictedFiles(cwd, bin)
  const stopped = (await inProgress(cwd, bin)) === 'rebase'
  if (stopped && conflicts.length > 0)
    return { rebased: false, conflicts, agentMessage: rebaseAgentMessage(base, conflicts) }
  // Stopped for another reason (a hook): nothing for the agent to resolve, so put it back.
  if (stopped) await gitExit(['rebase', '--abort'], { cwd, bin })
  throw new WorktreeError('git-failed', `git rebase ${base} failed: ${exitOutput(r)}`)
}
