import type { AgentState } from '../../../../shared/agent-state'
import { compareNeedsUser, needsUser } from '../../../../shared/agent-state'
import type { Session } from '../../../../shared/model'
import type { LiveSession } from '../../app/live-state'
import { agentStateOfLive } from '../../app/live-state'

/**
 * The Agents view's order and counts, from the store's sessions and live states: every session of
 * every workspace, what needs the user first (`compareNeedsUser`).
 */

/** When something last happened in a session: the last live event, else its last update. */
export function lastActivityOf(session: Session, live: LiveSession | undefined): number {
  return Math.max(live?.lastActivityAt ?? 0, session.updatedAt)
}

export interface AgentRank {
  id: string
  state: AgentState
  lastActivity: number
}

/** Every session, ranked (what needs the user first, then the most recent). */
export function rankAgents(
  sessions: Record<string, Session>,
  live: Record<string, LiveSession>,
): AgentRank[] {
  return Object.values(sessions)
    .map((s) => ({
      id: s.id,
      state: agentStateOfLive(live[s.id]),
      lastActivity: lastActivityOf(s, live[s.id]),
    }))
    .sort(compareNeedsUser)
}

/** How many sessions wait on the user (a question, input, a failed run). */
export function waitingCount(
  sessions: Record<string, Session>,
  live: Record<string, LiveSession>,
): number {
  let n = 0
  for (const id of Object.keys(sessions)) if (needsUser(agentStateOfLive(live[id]))) n += 1
  return n
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000))
  if (s < 5) return 'just now'
  if (s < 60) return `${s} s ago`
  const min = Math.floor(s / 60)
  if (min < 60) return `${min} min ago`
  const h = Math.floor(min / 60)
  if (h < 48) return `${h} h ago`
  return `${Math.floor(h / 24)} d ago`
}
