/**
 * Typed errors of the worktree core. Each carries a stable `code` so the hosts (CLI, IPC, UI) can
 * say what happened without parsing messages.
 */

export type WorktreeErrorCode =
  | 'git-missing'
  | 'not-a-repo'
  | 'git-failed'
  | 'bad-input'
  | 'bad-config'
  | 'not-found'
  | 'would-lose-work'
  // The "bringing work home" flow (flow-*.ts):
  | 'dirty-worktree'
  | 'base-dirty'
  | 'base-not-checked-out'
  | 'busy'
  | 'nothing-to-commit'
  | 'commit-failed'
  | 'merge-conflict'
  | 'merge-failed'
  | 'no-remote'
  | 'push-failed'
  | 'gh-failed'

export class WorktreeError extends Error {
  constructor(
    readonly code: WorktreeErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'WorktreeError'
  }
}

/** One file with uncommitted changes, as `git status --porcelain=v1` reports it. */
export interface DirtyFile {
  /** The two status letters (`XY`), e.g. ` M`, `??`, `D `. */
  status: string
  path: string
  /** For renames and copies: the path it came from. */
  from?: string
}

/** One commit that is on neither the base nor any remote. */
export interface UnpushedCommit {
  sha: string
  subject: string
}

/** What deleting a worktree would lose. */
export interface Losses {
  dirty: DirtyFile[]
  unpushed: UnpushedCommit[]
}

/** Delete refused: the worktree holds work that would be lost. Lists it exactly. */
export class WouldLoseWorkError extends WorktreeError {
  constructor(
    readonly path: string,
    readonly losses: Losses,
  ) {
    const parts: string[] = []
    if (losses.dirty.length > 0)
      parts.push(
        `uncommitted changes in ${losses.dirty.map((f) => `${f.path} (${f.status.trim()})`).join(', ')}`,
      )
    if (losses.unpushed.length > 0)
      parts.push(
        `commits on neither the base nor a remote: ${losses.unpushed
          .map((c) => `${c.sha.slice(0, 10)} ${c.subject}`)
          .join(', ')}`,
      )
    super('would-lose-work', `Deleting ${path} would lose ${parts.join('; ')}`)
    this.name = 'WouldLoseWorkError'
  }
}

/**
 * A git step refused with output the user must see (a failing hook's message, push's rejection):
 * `output` carries git's stdout and stderr as printed.
 */
export class GitOutputError extends WorktreeError {
  constructor(
    code: WorktreeErrorCode,
    message: string,
    readonly output: string,
  ) {
    super(code, output.trim() === '' ? message : `${message}:\n${output.trim()}`)
    this.name = 'GitOutputError'
  }
}

/** A refusal that names files: the worktree's or the base checkout's dirty files. */
export class FilesError extends WorktreeError {
  constructor(
    code: WorktreeErrorCode,
    message: string,
    readonly files: string[],
  ) {
    super(code, message)
    this.name = 'FilesError'
  }
}

/**
 * Merging would conflict (found up front by `git merge-tree`, or by the real merge, which was then
 * aborted): the user's checkout is as it was. `files` lists the conflicting paths.
 */
export class MergeConflictError extends WorktreeError {
  constructor(
    readonly branch: string,
    readonly base: string,
    readonly files: string[],
  ) {
    super(
      'merge-conflict',
      `Merging ${branch} into ${base} would conflict in ${files.join(', ') || 'some files'}; nothing was changed`,
    )
    this.name = 'MergeConflictError'
  }
}
