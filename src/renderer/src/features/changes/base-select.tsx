import type { JSX } from 'react'
import type { CheckpointSummary } from '../../../../shared/contract'

/** The base choice that compares the worktree with its base branch instead of a checkpoint. */
export const AGAINST_BASE = 'against-base'

/**
 * The Changes panel's "Base" choice: a checkpoint of the session, or, for a worktree session,
 * its base branch ("Against base (main)"), committed and uncommitted work together.
 */
export function BaseSelect({
  value,
  checkpoints,
  baseBranch,
  onChange,
}: {
  /** A checkpoint id, {@link AGAINST_BASE}, or '' when there is nothing to choose yet. */
  value: string
  checkpoints: readonly CheckpointSummary[]
  /** The worktree's base branch; null for a session in place (no such option). */
  baseBranch: string | null
  onChange: (value: string) => void
}): JSX.Element {
  return (
    <label className="changes-base">
      Base
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {value === '' && (
          <option value="" disabled>
            No checkpoint yet
          </option>
        )}
        {checkpoints.map((c) => (
          <option key={c.id} value={c.id}>
            #{c.n} {c.label ?? c.toolName ?? c.reason} ·{' '}
            {new Date(c.createdAt).toLocaleTimeString()}
          </option>
        ))}
        {baseBranch !== null && <option value={AGAINST_BASE}>Against base ({baseBranch})</option>}
      </select>
    </label>
  )
}
