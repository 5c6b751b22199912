import type { SessionActivity } from '../../../shared/contract'
import type { StopReason } from '../../../shared/entries'
import type { PaddockEvent, TurnState } from '../../../shared/events'
import type { AppSlice } from './app-state'

/**
 * What each session is doing right now, for every session (not only open tabs): the run's state,
 * the assistant message being streamed (live-only deltas, until its entry lands), pending approval
 * questions and whether something happened that the user has not looked at. Fed by the same event
 * stream as the host state, plus one `sessions.activity` call after each snapshot.
 */

export interface StreamingToolArgs {
  index: number
  name: string | null
  text: string
}

export interface StreamingMessage {
  text: string
  reasoning: string
  toolArgs: StreamingToolArgs[]
}

export interface TurnInfo {
  state: TurnState
  /** For `retrying`: attempt number and the wall-clock time (ms) the retry is due. */
  attempt: number | null
  retryAt: number | null
  message: string | null
  /** For `tool`: the call being run. */
  toolCallId: string | null
  /** When this state began (the event's time). */
  since: number
}

export interface LiveSession {
  running: boolean
  turn: TurnInfo | null
  /** The assistant message streaming now; null between messages. */
  streaming: StreamingMessage | null
  /** Approval ids asked and not answered yet, oldest first. */
  pendingApprovals: string[]
  lastStop: StopReason | null
  /** Entries arrived while this session's tab was not the active one. */
  unread: boolean
}

export type SessionBadge = 'approval' | 'running' | 'error' | 'done' | 'unread'

const ERROR_STOPS: ReadonlySet<StopReason> = new Set<StopReason>([
  'error',
  'context_overflow',
  'spend_cap',
])

export function emptyLive(): LiveSession {
  return {
    running: false,
    turn: null,
    streaming: null,
    pendingApprovals: [],
    lastStop: null,
    unread: false,
  }
}

/** The one badge a tab or sidebar entry shows, most urgent first; null when there is nothing. */
export function badgeOf(live: LiveSession | undefined): SessionBadge | null {
  if (!live) return null
  if (live.pendingApprovals.length > 0) return 'approval'
  if (live.running) return 'running'
  if (!live.unread) return null
  if (live.lastStop && ERROR_STOPS.has(live.lastStop)) return 'error'
  if (live.lastStop === 'done') return 'done'
  return 'unread'
}

export interface LiveSlice {
  live: Record<string, LiveSession>
  /** Replace what is known from the host's activity list (after each snapshot). */
  loadActivity(list: SessionActivity[]): void
  /** Fold events in (called with every batch the host slice applies). */
  applyLive(events: PaddockEvent[], activeTab: string | null): void
  markRead(sessionId: string): void
}

function foldEvent(prev: LiveSession, event: PaddockEvent, active: boolean): LiveSession {
  switch (event.type) {
    case 'turn.state': {
      const turn: TurnInfo = {
        state: event.state,
        attempt: event.attempt ?? null,
        retryAt: event.retryInMs !== undefined ? event.at + event.retryInMs : null,
        message: event.message ?? null,
        toolCallId: event.toolCallId ?? null,
        since: event.at,
      }
      const running = event.state !== 'idle'
      return {
        ...prev,
        turn,
        running,
        // A new request starts a new message; an idle run has none streaming.
        streaming: event.state === 'requesting' || !running ? null : prev.streaming,
      }
    }
    case 'turn.delta': {
      const s = prev.streaming ?? { text: '', reasoning: '', toolArgs: [] }
      if (event.kind === 'text') return { ...prev, streaming: { ...s, text: s.text + event.text } }
      if (event.kind === 'reasoning')
        return { ...prev, streaming: { ...s, reasoning: s.reasoning + event.text } }
      const index = event.index ?? 0
      const toolArgs = [...s.toolArgs]
      const at = toolArgs.findIndex((t) => t.index === index)
      const current = at >= 0 ? toolArgs[at]! : { index, name: null, text: '' }
      const next = {
        index,
        name: event.toolName ?? current.name,
        text: current.text + event.text,
      }
      if (at >= 0) toolArgs[at] = next
      else toolArgs.push(next)
      return { ...prev, streaming: { ...s, toolArgs } }
    }
    case 'entry.appended': {
      const { entry } = event
      const unread = prev.unread || !active
      if (entry.type === 'assistant_message') return { ...prev, streaming: null, unread }
      if (entry.type === 'turn_end') {
        const reason = (entry.payload as { reason?: StopReason }).reason ?? null
        return { ...prev, lastStop: reason, running: false, streaming: null, turn: null, unread }
      }
      if (entry.type === 'approval') {
        const p = entry.payload as { kind?: string; approvalId?: string }
        if (p.kind === 'request' && p.approvalId && !prev.pendingApprovals.includes(p.approvalId))
          return { ...prev, pendingApprovals: [...prev.pendingApprovals, p.approvalId], unread }
        if (p.kind === 'answer' && p.approvalId)
          return {
            ...prev,
            pendingApprovals: prev.pendingApprovals.filter((id) => id !== p.approvalId),
            unread,
          }
      }
      return { ...prev, unread }
    }
    default:
      return prev
  }
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
        ...(a.running ? {} : { turn: null, streaming: null }),
      }
    }
    set({ live })
  },
  applyLive: (events, activeTab) => {
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
      const next = foldEvent(prev ?? emptyLive(), event, event.sessionId === activeTab)
      if (next !== prev) {
        live = { ...live, [event.sessionId]: next }
        changed = true
      }
    }
    if (changed) set({ live })
  },
  markRead: (sessionId) => {
    const prev = get().live[sessionId]
    if (!prev?.unread) return
    set({ live: { ...get().live, [sessionId]: { ...prev, unread: false } } })
  },
})
