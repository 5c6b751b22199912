import type { CheckpointSummary } from '../../../../shared/contract'

/**
 * Paths credited to a session ("Changed by this session"): what its own tools and restores
 * changed. A checkpoint holds what changed since the workspace's previous one, so its files are the
 * session's only when that one was taken just before one of its tools ran (`ownChanges`); a file
 * you edit while the model works lands in the session's next checkpoint without being its doing.
 */
export function creditedPaths(checkpoints: CheckpointSummary[]): Set<string> {
  const touched = new Set<string>()
  for (const c of checkpoints) if (c.ownChanges) for (const f of c.files) touched.add(f.path)
  return touched
}
