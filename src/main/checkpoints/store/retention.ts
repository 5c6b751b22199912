import type { CheckpointFs } from '../git/fs-ops'
import type { Oid } from '../git/git-object'
import type { ObjectStore } from '../git/object-store'
import { isMissing } from './errors'
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

/** The size of every object in the store (packed: from its pack index; loose: on disk), for `maxBytes`. */
export async function objectSizes(
  objects: ObjectStore,
  fs: CheckpointFs,
): Promise<Map<Oid, number>> {
  const sizes = new Map<Oid, number>()
  for (const p of await objects.packReaders()) {
    for (const [oid, size] of p.index.sizes) sizes.set(oid, size)
  }
  for (const oid of await objects.listLoose()) {
    try {
      sizes.set(oid, (await fs.lstat(objects.loosePath(oid))).size)
    } catch (err) {
      if (!isMissing(err)) throw err
    }
  }
  return sizes
}
