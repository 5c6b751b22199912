import { payloadOf } from '../../shared/entries'
import type { Entry } from '../../shared/model'

/** Entries read from the end of a branch at first; each further page is four times larger. */
export const FIRST_PAGE = 1_000
const LAST_PAGE = 64_000

/**
 * The part of a session's branch its conversation is derived from. A compacted session is not read
 * whole: what comes before the last compaction's kept part is only in the log (its summary and
 * cumulative file lists stand for it). The branch is read from the end in pages until the last
 * compaction, what it keeps verbatim and its kept prompt are in; a session never compacted (or
 * shorter than a page) is read whole. Everything the engine derives before a model call — the
 * request, the tokens in use, the next compaction's cut and file lists — reads the same from this
 * part as from the whole branch.
 */
export function conversationBranch(read: (limit?: number) => Entry[]): Entry[] {
  for (let limit = FIRST_PAGE; limit <= LAST_PAGE; limit *= 4) {
    const tail = read(limit)
    if (tail.length < limit) return tail
    const start = conversationStart(tail)
    if (start !== null) return tail.slice(start)
  }
  return read()
}

/**
 * Where the conversation starts in `tail` (the end of a branch): the last compaction's first kept
 * entry, or its kept prompt when that is earlier, or the compaction itself when it keeps nothing.
 * Null when `tail` holds no compaction, or not all of what the last one names.
 */
export function conversationStart(tail: readonly Entry[]): number | null {
  for (let i = tail.length - 1; i >= 0; i--) {
    const compaction = payloadOf(tail[i]!, 'compaction')
    if (!compaction) continue
    let start = i
    for (const id of [compaction.firstKeptId, compaction.keptPromptId]) {
      if (id === null || id === undefined) continue
      const at = tail.findIndex((e) => e.id === id)
      if (at < 0) return null
      start = Math.min(start, at)
    }
    return start
  }
  return null
}
