import type { z } from 'zod'
import { errnoCode } from '../git/fs-ops'

// One errno vocabulary for tools, the object layer and the store.
export { describeError, errnoCode, isMissing } from '../git/fs-ops'

/**
 * Typed errors of the checkpoint store. Thrown inside; the wiring layer turns them into contract
 * errors (`invalid_params`, `not_found`, `io_error`…) or warnings the agent and the UI can act on.
 */
export type CheckpointErrorCode =
  /** Bad input to a store method (zod said no). */
  | 'invalid_input'
  /** `/` or the home folder given as a workspace root. */
  | 'refused_root'
  /** Another process holds this workspace's store for writing. */
  | 'store_busy'
  /** The store was opened read-only, or closed. */
  | 'store_read_only'
  | 'store_closed'
  /** An unknown checkpoint id, or a git object missing from the store. */
  | 'not_found'
  /** The store could not be written (disk full, permissions): nothing was lost, the step is unprotected. */
  | 'store_write_failed'
  /** The store's own files are damaged beyond what a cache rebuild repairs. */
  | 'store_corrupt'

/** The process holding a store's lock, as its lock file names it. */
export interface LockHolder {
  pid: number
  host: string
  /** What the process is ("the Paddock web host"), when it said. */
  name: string | null
}

export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode
  /** For `store_busy`: who holds the store, when known. */
  readonly holder: LockHolder | null

  constructor(
    code: CheckpointErrorCode,
    message: string,
    options?: { cause?: unknown; holder?: LockHolder },
  ) {
    super(message, options)
    this.name = 'CheckpointError'
    this.code = code
    this.holder = options?.holder ?? null
  }
}

/** Validate input at the store's boundary; a `CheckpointError('invalid_input')` naming each issue. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const r = schema.safeParse(value)
  if (!r.success) {
    const issues = r.error.issues
      .map((i) => `${i.path.length ? i.path.join('.') : what}: ${i.message}`)
      .join('; ')
    throw new CheckpointError('invalid_input', `Invalid ${what}: ${issues}`)
  }
  return r.data
}

/** Failures writing the store that make a snapshot "unprotected" rather than a crash. */
export function isStoreWriteError(err: unknown): boolean {
  const code = errnoCode(err)
  return (
    code !== undefined &&
    ['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EIO', 'EMFILE', 'ENFILE'].includes(code)
  )
}
