/**
 * Commit and Discard in a session's worktree. A commit is the user's own `git commit`: their
 * hooks (pre-commit, commit-msg…) run and can refuse, and the refusal carries the hook's output.
 */
import type { DirtyFile } from './errors'
import { GitOutputError, WorktreeError } from './errors'
import { exitOutput, git, gitExit } from './git'
import { dirtyFiles, inProgress } from './flow-status'

export interface CommitAllInput {
  worktreePath: string
  /** The commit message (typed, or drafted by the agent). Must not be blank. */
  message: string
  gitBin?: string
}

export interface Committed {
  sha: string
  subject: string
}

/** The commit at HEAD: its id and subject line. */
export async function headCommit(cwd: string, bin?: string): Promise<Committed> {
  const out = await git(['log', '-1', '--format=%H%x00%s'], { cwd, bin })
  const [sha = '', subject = ''] = out.trim().split('\0')
  return { sha, subject }
}

/**
 * `git commit` with the user's hooks (never `--no-verify`); a refusal (a hook, a missing identity)
 * is a `commit-failed` error carrying git's output. Used by commitAll and the squash merge.
 */
export async function commitWithHooks(
  cwd: string,
  message: string,
  bin?: string,
): Promise<Committed> {
  const r = await gitExit(['commit', '-m', message], { cwd, bin })
  if (r.code !== 0)
    throw new GitOutputError(
      'commit-failed',
      'git commit was refused (a hook or git said why)',
      exitOutput(r),
    )
  return headCommit(cwd, bin)
}

/** `git add -A` then `git commit -m message` in the worktree. */
export async function commitAll(input: CommitAllInput): Promise<Committed> {
  const { worktreePath: cwd, gitBin: bin } = input
  const message = typeof input.message === 'string' ? input.message.trim() : ''
  if (message === '') throw new WorktreeError('bad-input', 'A commit message is required')
  const op = await inProgress(cwd, bin)
  if (op === 'rebase')
    throw new WorktreeError(
      'busy',
      'A rebase is in progress in the worktree: resolve it and run git rebase --continue instead of committing',
    )
  await git(['add', '-A'], { cwd, bin })
  const staged = await gitExit(['diff', '--cached', '--quiet'], { cwd, bin })
  // A merge being concluded may have nothing staged beyond HEAD and still be worth committing.
  if (staged.code === 0 && op !== 'merge')
    throw new WorktreeError('nothing-to-commit', 'Nothing to commit: the worktree has no changes')
  return commitWithHooks(cwd, message, bin)
}

/**
 * Throws away the worktree's uncommitted changes: `git reset --hard` and `git clean -fd`. Ignored
 * files (`.env`, build output) stay (no `-x`). Returns the files that were discarded.
 */
export async function discardChanges(input: {
  worktreePath: string
  gitBin?: string
}): Promise<{ discarded: DirtyFile[] }> {
  const { worktreePath: cwd, gitBin: bin } = input
  const op = await inProgress(cwd, bin)
  if (op !== undefined)
    throw new WorktreeError(
      'busy',
      `A ${op} is in progress in the worktree: finish or abort it (git ${op} --abort) before discarding`,
    )
  const discarded = await dirtyFiles(cwd, bin)
  if (discarded.length === 0) return { discarded }
  await git(['reset', '--hard', '--quiet', 'HEAD'], { cwd, bin })
  await git(['clean', '-f', '-d', '--quiet', '--'], { cwd, bin })
  return { discarded }
}
