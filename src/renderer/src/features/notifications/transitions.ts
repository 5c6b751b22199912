import type { AgentState } from '../../../../shared/agent-state'
import type { StopReason } from '../../../../shared/entries'
import type { StateTransition } from '../../../../shared/notify-policy'
import type { LiveSession } from '../../app/live-state'
import { agentStateOfLive } from '../../app/live-state'

/**
 * State changes of sessions, derived from the store: each store update is reduced to every
 * session's `agentStateOf` (plus how its last run ended), and compared with the previous one. The
 * notifier (`notify-policy.ts`) decides what is worth telling; this only says what changed. Pure.
 */

export interface SessionMark {
  state: AgentState
  lastStop: StopReason | null
  /** When its latest run started (ms), null when none was seen: tells a run that came and went. */
  runStartedAt: number | null
}

/** Every known session's state now; a session with no live state yet is idle. */
export function marksOf(
  sessionIds: Iterable<string>,
  live: Record<string, LiveSession>,
): Map<string, SessionMark> {
  const marks = new Map<string, SessionMark>()
  for (const id of sessionIds) {
    const l = live[id]
    marks.set(id, {
      state: agentStateOfLive(l),
      lastStop: l?.lastStop ?? null,
      runStartedAt: l?.runStartedAt ?? null,
    })
  }
  return marks
}

/**
 * What changed from `before` to `after`, at `at` (ms). A session new since `before` counts as
 * coming from idle (a session created elsewhere that fails at once is news); a session gone
 * raises nothing. A run that started and ended between the two (a quick answer folded into one
 * store update) counts as coming from `running`: idle → idle is still a finish.
 */
export function transitionsBetween(
  before: ReadonlyMap<string, SessionMark>,
  after: ReadonlyMap<string, SessionMark>,
  at: number,
): StateTransition[] {
  const out: StateTransition[] = []
  for (const [sessionId, mark] of after) {
    const prev = before.get(sessionId)
    const ranBetween =
      mark.state !== 'running' && mark.runStartedAt !== (prev?.runStartedAt ?? null)
    const from = ranBetween ? 'running' : (prev?.state ?? 'idle')
    if (from === mark.state) continue
    out.push({ sessionId, from, to: mark.state, at, lastStop: mark.lastStop })
  }
  return out
}

export interface TransitionTracker {
  /**
   * The changes since the last call. `null` (the host's snapshot is not in yet) forgets what was
   * known: the first snapshot after it is the baseline and raises nothing, so what happened before
   * the window opened does not notify.
   */
  update(marks: ReadonlyMap<string, SessionMark> | null, at: number): StateTransition[]
}

export function createTransitionTracker(): TransitionTracker {
  let last: ReadonlyMap<string, SessionMark> | null = null
  return {
    update(marks, at) {
      if (marks === null) {
        last = null
        return []
      }
      const before = last
      last = marks
      return before === null ? [] : transitionsBetween(before, marks, at)
    },
  }
}
