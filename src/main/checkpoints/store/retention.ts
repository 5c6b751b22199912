import type { Oid } from '../git/git-object'
import type { CheckpointInfo } from './types'

export interface RetentionLimits {
  maxCount?: number
  maxAgeMs?: number
  maxBytes?: number
}

/**
 * Which checkpoints a prune removes, from all of a workspace's. Newest first: the newest is always
 * kept; past `maxCount`, older than `maxAgeMs`, or — walking from the newest down, adding what
 * each older checkpoint needs beyond the newer ones (`bytesAdded`) — from the first that takes the
 * total past `maxBytes`, all older ones too. Returned sorted by session, then n.
 */
export async function chooseForPrune(
  all: CheckpointInfo[],
  limits: RetentionLimits,
  now: number,
  /** Bytes of the objects checkpoint `c` needs that are not in `seen` (which it then adds). */
  bytesAdded: (c: CheckpointInfo, seen: Set<Oid>) => Promise<number>,
): Promise<CheckpointInfo[]> {
  const sorted = [...all].sort((x, y) => y.createdAt - x.createdAt || y.n - x.n)
  const drop = new Set<CheckpointInfo>()
  if (limits.maxCount !== undefined) for (const c of sorted.slice(limits.maxCount)) drop.add(c)
  if (limits.maxAgeMs !== undefined) {
    const cutoff = now - limits.maxAgeMs
    for (const c of sorted.slice(1)) if (c.createdAt < cutoff) drop.add(c)
  }
  if (limits.maxBytes !== undefined) {
    const seen = new Set<Oid>()
    let total = 0
    for (let i = 0; i < sorted.length; i++) {
      total += await bytesAdded(sorted[i]!, seen)
      if (total > limits.maxBytes && i > 0) {
        for (const c of sorted.slice(i)) drop.add(c)
        break
      }
    }
  }
  return sorted
    .filter((c) => drop.has(c))
    .sort((x, y) => (x.sessionId < y.sessionId ? -1 : x.sessionId > y.sessionId ? 1 : x.n - y.n))
}
