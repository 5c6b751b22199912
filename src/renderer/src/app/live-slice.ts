import type { SessionActivity } from '../../../shared/contract'
import type { PaddockEvent } from '../../../shared/events'
import type { AppSlice } from './app-state'
import type { LiveSession, QueuedMessage } from './live-state'
import { emptyLive, foldLiveEvent } from './live-state'

export * from './live-state'

/**
 * What each session is doing right now, for every session (not only open tabs): the run's state,
 * the assistant message being streamed (live-only deltas, until its entry lands), pending approval
 * questions, queued steers and follow-ups, and whether something happened that the user has not
 * looked at. Fed by the same event stream as the host state, plus one `sessions.activity` call
 * after each snapshot. The state and its folding live in `live-state.ts`.
 */

export interface LiveSlice {
  live: Record<string, LiveSession>
  /** Replace what is known from the host's activity list (after each snapshot). */
  loadActivity(list: SessionActivity[]): void
  /** Fold events in (called with every batch the host slice applies). */
  applyLive(events: PaddockEvent[], onScreen: readonly string[]): void
  markRead(sessionId: string): void
  /** A steer or follow-up is on its way to the host: show it until the log takes it in. */
  addQueued(sessionId: string, message: QueuedMessage): void
  /** Take one back (its call failed). */
  removeQueued(sessionId: string, id: string): void
}

export const createLiveSlice: AppSlice<LiveSlice> = (set, get) => ({
  live: {},
  loadActivity: (list) => {
    const live: Record<string, LiveSession> = {}
    for (const a of list) {
      const prev = get().live[a.sessionId] ?? emptyLive()
      live[a.sessionId] = {
        ...prev,
        running: a.running,
        pendingApprovals: a.pendingApprovals,
        lastStop: a.lastStop,
        ...(a.running ? {} : { turn: null, streaming: null, queued: [] }),
      }
    }
    set({ live })
  },
  applyLive: (events, onScreen) => {
    let live = get().live
    let changed = false
    for (const event of events) {
      if (event.type === 'session.deleted') {
        if (!(event.sessionId in live)) continue
        live = { ...live }
        delete live[event.sessionId]
        changed = true
        continue
      }
      if (event.type === 'session.created') {
        live = { ...live, [event.sessionId]: live[event.sessionId] ?? emptyLive() }
        changed = true
        continue
      }
      const prev = live[event.sessionId]
      if (!prev && event.type !== 'turn.state' && event.type !== 'entry.appended') continue
      const next = foldLiveEvent(prev ?? emptyLive(), event, onScreen.includes(event.sessionId))
      if (next !== prev) {
        live = { ...live, [event.sessionId]: next }
        changed = true
      }
    }
    if (changed) set({ live })
  },
  markRead: (sessionId) => {
    const prev = get().live[sessionId]
    if (!prev || (!prev.unread && !prev.changed)) return
    // Opening a session shows its Changes panel too: its changes count as reviewed.
    set({ live: { ...get().live, [sessionId]: { ...prev, unread: false, changed: false } } })
  },
  addQueued: (sessionId, message) => {
    const prev = get().live[sessionId] ?? emptyLive()
    set({ live: { ...get().live, [sessionId]: { ...prev, queued: [...prev.queued, message] } } })
  },
  removeQueued: (sessionId, id) => {
    const prev = get().live[sessionId]
    if (!prev?.queued.some((q) => q.id === id)) return
    const queued = prev.queued.filter((q) => q.id !== id)
    set({ live: { ...get().live, [sessionId]: { ...prev, queued } } })
  },
})
