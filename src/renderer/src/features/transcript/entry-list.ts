import type { Entry } from '../../../../shared/model'

/**
 * What to do with entries appended to a session whose branch (root → leaf) is held in memory:
 * - `append`: they continue the branch (each one's parent is the entry before it) — add them;
 * - `unchanged`: all of them are already held (a replay, or a fetch that already had them);
 * - `refetch`: one of them starts elsewhere in the tree (a rewind, a fork, a gap) — the held
 *   branch is no longer the session's; load it again.
 */
export type AppendDecision =
  { kind: 'append'; added: Entry[] } | { kind: 'unchanged' } | { kind: 'refetch' }

export function decideAppend(
  branch: readonly Entry[],
  isHeld: (id: string) => boolean,
  incoming: readonly Entry[],
): AppendDecision {
  let lastId = branch.length > 0 ? branch[branch.length - 1]!.id : null
  const added: Entry[] = []
  for (const entry of incoming) {
    if (isHeld(entry.id) || added.some((e) => e.id === entry.id)) continue
    if (entry.parentId !== lastId) return { kind: 'refetch' }
    added.push(entry)
    lastId = entry.id
  }
  return added.length > 0 ? { kind: 'append', added } : { kind: 'unchanged' }
}

/** The id of the branch's last entry (the leaf it reaches), or null when it is empty. */
export function lastIdOf(branch: readonly Entry[]): string | null {
  return branch.length > 0 ? branch[branch.length - 1]!.id : null
}
