import type { StopReason } from '../../../shared/entries'
import { payloadOf } from '../../../shared/entries'
import type { PaddockEvent, TurnState } from '../../../shared/events'

/**
 * What each session is doing right now, as pure data and pure functions: the state the live slice
 * keeps per session, how one event changes it, and the badge it earns. (Kept apart from the store
 * so it can be tested and reused without a window.)
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
  /** For `tool`: the call being run, and its tool's name when the answer that asked is known. */
  toolCallId: string | null
  toolName: string | null
  /** When this state began (the event's time). */
  since: number
}

/** A steer or follow-up the user sent that the agent has not taken into the conversation yet. */
export interface QueuedMessage {
  /** Local id, to take it back when the call fails. */
  id: string
  kind: 'steer' | 'follow_up'
  /** As the host stores it (trimmed). */
  text: string
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
  /** Steers and follow-ups sent and not yet in the log (oldest first); dropped when a run ends. */
  queued: QueuedMessage[]
  /** Tool names of the last assistant message's calls, by call id (to say what is running). */
  toolNames: Record<string, string>
}

export type SessionBadge = 'approval' | 'running' | 'error' | 'done' | 'unread'

/** Stops that mean something went wrong: the badge stays red until the next run. */
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
    queued: [],
    toolNames: {},
  }
}

/**
 * The one badge a tab or sidebar entry shows, most urgent first; null when there is nothing.
 * A question waiting for the user beats a run in progress; a failed last run stays red (read or
 * not) until the next run; a clean finish or anything else new shows only until it is looked at.
 */
export function badgeOf(live: LiveSession | undefined): SessionBadge | null {
  if (!live) return null
  if (live.pendingApprovals.length > 0) return 'approval'
  if (live.running) return 'running'
  if (live.lastStop && ERROR_STOPS.has(live.lastStop)) return 'error'
  if (!live.unread) return null
  if (live.lastStop === 'done') return 'done'
  return 'unread'
}

/** Words for a badge, for screen readers and the tooltip ("needs approval (2)", "done, unread"). */
export function badgeDescription(badge: SessionBadge, live: LiveSession | undefined): string {
  switch (badge) {
    case 'approval': {
      const n = live?.pendingApprovals.length ?? 0
      return n > 1 ? `needs approval (${n})` : 'needs approval'
    }
    case 'running':
      return 'running'
    case 'error':
      return live?.unread ? 'error, unread' : 'error'
    case 'done':
      return 'done, unread'
    case 'unread':
      return 'unread'
  }
}

/** The queue without the first message of this kind and text (the one the log just took in). */
function dequeue(
  queued: QueuedMessage[],
  kind: QueuedMessage['kind'],
  text: string,
): QueuedMessage[] {
  let at = queued.findIndex((q) => q.kind === kind && q.text === text.trim())
  // The host may have normalised the text differently: take the oldest of that kind instead.
  if (at < 0) at = queued.findIndex((q) => q.kind === kind)
  return at < 0 ? queued : queued.filter((_, i) => i !== at)
}

/** One event folded into a session's live state (`active`: its tab is the one on screen). */
export function foldLiveEvent(
  prev: LiveSession,
  event: PaddockEvent,
  active: boolean,
): LiveSession {
  switch (event.type) {
    case 'turn.state': {
      const turn: TurnInfo = {
        state: event.state,
        attempt: event.attempt ?? null,
        retryAt: event.retryInMs !== undefined ? event.at + event.retryInMs : null,
        message: event.message ?? null,
        toolCallId: event.toolCallId ?? null,
        toolName: event.toolCallId ? (prev.toolNames[event.toolCallId] ?? null) : null,
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
      if (entry.type === 'assistant_message') {
        const toolNames: Record<string, string> = {}
        for (const c of payloadOf(entry, 'assistant_message')?.toolCalls ?? []) {
          toolNames[c.id] = c.name
        }
        return { ...prev, streaming: null, unread, toolNames }
      }
      if (entry.type === 'user_message') {
        const p = payloadOf(entry, 'user_message')
        if (p && (p.kind === 'steer' || p.kind === 'follow_up'))
          return { ...prev, queued: dequeue(prev.queued, p.kind, p.text), unread }
        return { ...prev, unread }
      }
      if (entry.type === 'turn_end') {
        const reason = payloadOf(entry, 'turn_end')?.reason ?? null
        return {
          ...prev,
          lastStop: reason,
          running: false,
          streaming: null,
          turn: null,
          unread,
          // The host drops what a run did not take in when it ends.
          queued: [],
        }
      }
      if (entry.type === 'approval') {
        const p = payloadOf(entry, 'approval')
        if (p?.kind === 'request' && !prev.pendingApprovals.includes(p.approvalId))
          return { ...prev, pendingApprovals: [...prev.pendingApprovals, p.approvalId], unread }
        if (p?.kind === 'answer')
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
