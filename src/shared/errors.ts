/**
 * Typed errors that cross the contract. Every failure a client can see is one of these codes with a
 * human-readable message; hosts never leak stack traces or raw exceptions.
 */
export const ERROR_CODES = [
  'unknown_method',
  'invalid_params',
  'payload_too_large',
  'unauthorized',
  'not_found',
  'invalid_workspace',
  'session_leased',
  /** The session is running; steer or queue a follow-up instead. */
  'session_busy',
  /** No model is configured for this host or session. */
  'no_model',
  /** "Continue" on a session whose last run finished normally (or never started). */
  'nothing_to_continue',
  /** Another Paddock process holds the workspace's checkpoint store for writing. */
  'store_busy',
  /** The user stopped the work (a compaction) before it finished; nothing was changed. */
  'aborted',
  /** No git binary: worktrees and the git flow are off. */
  'git_unavailable',
  /** The folder is not in a git repository. */
  'not_a_repository',
  /** Git (or a hook it ran) refused; its words are in the message. */
  'git_failed',
  /** Deleting would lose uncommitted work or unpushed commits (listed); confirm with `force`. */
  'would_lose_work',
  'database_corrupt',
  'database_too_new',
  'io_error',
  'internal',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ContractErrorShape {
  code: ErrorCode
  message: string
}

/** An error with a contract code. Thrown inside the engine, turned into `{code, message}` at a boundary. */
export class ContractError extends Error implements ContractErrorShape {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'ContractError'
    this.code = code
  }

  toJSON(): ContractErrorShape {
    return { code: this.code, message: this.message }
  }
}

export function isContractErrorShape(value: unknown): value is ContractErrorShape {
  if (typeof value !== 'object' || value === null) return false
  const v = value as { code?: unknown; message?: unknown }
  return (
    typeof v.message === 'string' &&
    typeof v.code === 'string' &&
    (ERROR_CODES as readonly string[]).includes(v.code)
  )
}
