import type { ErrorCode } from '../../shared/errors'
import { ContractError } from '../../shared/errors'
import { WorktreeError } from './errors'
import type { WorktreeErrorCode } from './errors'

const CODES: Record<WorktreeErrorCode, ErrorCode> = {
  'git-missing': 'git_unavailable',
  'not-a-repo': 'not_a_repository',
  'git-failed': 'git_failed',
  'bad-input': 'invalid_params',
  'bad-config': 'invalid_params',
  'not-found': 'not_found',
  'would-lose-work': 'would_lose_work',
  // The git flow's refusals: git (or a hook) said no, in words the message carries.
  'dirty-worktree': 'git_failed',
  'base-dirty': 'git_failed',
  'base-not-checked-out': 'git_failed',
  busy: 'git_failed',
  'nothing-to-commit': 'git_failed',
  'commit-failed': 'git_failed',
  'merge-conflict': 'git_failed',
  'merge-failed': 'git_failed',
  'no-remote': 'git_failed',
  'push-failed': 'git_failed',
  'gh-failed': 'git_failed',
}

/** The contract's error for a worktree core error; anything else passes through unchanged. */
export function asContractError(error: unknown): unknown {
  if (!(error instanceof WorktreeError)) return error
  return new ContractError(CODES[error.code] ?? 'git_failed', error.message)
}

/** Runs `fn`, turning worktree core errors into contract errors. */
export async function contractErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    throw asContractError(error)
  }
}
