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
