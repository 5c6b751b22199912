/**
 * The merge order the radar suggests. Of two sessions that overlap, whichever merges first merges
 * cleanly and the other must then update (rebase) onto the new base; so the order that makes the
 * fewest sessions update is one that merges first a set of sessions that do not overlap with each
 * other. Finding the largest such set is hard in general; the classic greedy rule is good for the
 * handful of sessions a user runs:
 *
 * 1. Sessions that overlap with no one (and not with the base) first, in the order given.
 * 2. Then rounds: in each, repeatedly take the session with the fewest overlaps among the
 *    candidates (ties: the order given) and drop it and those it overlaps with from the round's
 *    candidates; the round merges cleanly, the dropped ones update after it and go to later rounds.
 * 3. Sessions that already conflict with the base last: they need updating whatever the order.
 */
export interface MergeStep {
  id: string
  /** Sessions merged earlier in the order that this one overlaps with: update after them. */
  updateAfter: string[]
  /** It already conflicts with the base: it must update before it can merge at all. */
  conflictsWithBase: boolean
}

/** `pairs` lists each overlapping pair once, in either orientation. */
export function suggestMergeOrder(
  ids: string[],
  pairs: Array<[string, string]>,
  conflictsWithBase: ReadonlySet<string>,
): MergeStep[] {
  const neighbours = new Map<string, Set<string>>(ids.map((id) => [id, new Set<string>()]))
  for (const [a, b] of pairs) {
    neighbours.get(a)?.add(b)
    neighbours.get(b)?.add(a)
  }
  const order: string[] = []
  const free = ids.filter((id) => neighbours.get(id)!.size === 0 && !conflictsWithBase.has(id))
  order.push(...free)
  let remaining = ids.filter((id) => !free.includes(id) && !conflictsWithBase.has(id))
  while (remaining.length > 0) {
    // One round: a set of sessions that do not overlap with each other, picked greedily.
    const round: string[] = []
    let pool = remaining
    while (pool.length > 0) {
      const degree = (id: string): number => pool.filter((o) => neighbours.get(id)!.has(o)).length
      let best = pool[0]!
      for (const id of pool) if (degree(id) < degree(best)) best = id
      round.push(best)
      pool = pool.filter((id) => id !== best && !neighbours.get(best)!.has(id))
    }
    order.push(...round)
    remaining = remaining.filter((id) => !round.includes(id))
  }
  order.push(...ids.filter((id) => conflictsWithBase.has(id)))
  return order.map((id, i) => ({
    id,
    updateAfter: order.slice(0, i).filter((earlier) => neighbours.get(id)!.has(earlier)),
    conflictsWithBase: conflictsWithBase.has(id),
  }))
}
