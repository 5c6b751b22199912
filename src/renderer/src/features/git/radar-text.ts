import type { RadarState, SessionRadar } from '../../../../shared/contract'

/** How many files an overlap line names before "+N more". */
const FIRST_FILES = 2

/** One session's part of the radar's report, or null when it overlaps with no one. */
export function radarOf(radar: RadarState | null, sessionId: string): SessionRadar | null {
  const mine = radar?.sessions.find((s) => s.sessionId === sessionId)
  return mine && mine.overlaps.length > 0 ? mine : null
}

/** "overlaps with “Other” in src/auth.ts, src/db.ts +3 more", one line per other session. */
export function overlapLines(mine: SessionRadar): string[] {
  return mine.overlaps.map((o) => {
    const first = o.files.slice(0, FIRST_FILES).join(', ')
    const more = o.files.length > FIRST_FILES ? ` +${o.files.length - FIRST_FILES} more` : ''
    return `overlaps with “${o.title}” in ${first}${more}`
  })
}

/** "Merge “A” first, then update “B”, then “C”", or null when the radar has no order. */
export function mergeOrderText(radar: RadarState | null, sessionId: string): string | null {
  const order = radar?.mergeOrder ?? []
  if (order.length < 2 || !order.some((o) => o.sessionId === sessionId)) return null
  const [first, ...rest] = order
  if (!first) return null
  return `Merge “${first.title}” first, then update ${rest.map((o) => `“${o.title}”`).join(', then ')}`
}
