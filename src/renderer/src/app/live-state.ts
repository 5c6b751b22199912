import type { AgentFacts, AgentState } from '../../../shared/agent-state'
import { agentStateOf, endsAsking } from '../../../shared/agent-state'
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
  /** The last assistant message without tool calls ended with a question (`endsAsking`). */
  endedAsking: boolean
  /**
   * A checkpoint with the agent's own file changes arrived while the session was not on screen,
   * and the user has not opened the session since (opening it, where its Changes panel is, counts
   * as reviewing them).
   */
  changed: boolean
  /** When something last happened in it (the last event's time, ms); null until one arrives. */
  lastActivityAt: number | null
  /** When the current (or last) run started, ms; null when no run was seen. */
  runStartedAt: number | null
}

export type SessionBadge = 'approval' | 'input' | 'running' | 'error' | 'done' | 'unread'

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
    endedAsking: false,
    changed: false,
    lastActivityAt: null,
    runStartedAt: null,
  }
}

/** The facts the shared state model reads, from a session's live state. */
export function factsOf(live: LiveSession): AgentFacts {
  return {
    running: live.running,
    turnState: live.turn?.state ?? null,
    toolName: live.turn?.toolName ?? null,
    pendingApprovals: live.pendingApprovals.length,
    lastStop: live.lastStop,
    endedAsking: live.endedAsking,
    unreviewedChanges: live.changed,
    lastActivity: live.lastActivityAt,
  }
}

/** A session's state (`agentStateOf`); idle when nothing is known of it. */
export function agentStateOfLive(live: LiveSession | undefined): AgentState {
  return live ? agentStateOf(factsOf(live)) : 'idle'
}

/**
 * The one badge a tab or sidebar entry shows, from the session's state (`agentStateOf`, so the
 * badges, the Agents view and notifications agree); null when there is nothing. What waits on the
 * user stays until it is dealt with (a question, a failed run, a run waiting for input); a clean
 * finish or anything else new shows only until it is looked at.
 */
export function badgeOf(live: LiveSession | undefined): SessionBadge | null {
  if (!live) return null
  switch (agentStateOfLive(live)) {
    case 'waiting_approval':
      return 'approval'
    case 'running':
      return 'running'
    case 'waiting_input':
      return 'input'
    case 'failed':
      return 'error'
    case 'finished_unreviewed':
      return 'done'
    case 'idle':
      if (!live.unread) return null
      return live.lastStop === 'done' ? 'done' : 'unread'
  }
}

/** Words for a badge, for screen readers and the tooltip ("needs approval (2)", "done, unread"). */
export function badgeDescription(badge: SessionBadge, live: LiveSession | undefined): string {
  switch (badge) {
    case 'approval': {
      const n = live?.pendingApprovals.length ?? 0
      return n > 1 ? `needs approval (${n})` : 'needs approval'
    }
    case 'input':
      return live?.unread ? 'waiting for input, unread' : 'waiting for input'
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
        lastActivityAt: event.at,
        runStartedAt: running && !prev.running ? event.at : prev.runStartedAt,
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
      const cur: LiveSession = { ...prev, lastActivityAt: event.at }
      if (entry.type === 'assistant_message') {
        const p = payloadOf(entry, 'assistant_message')
        const toolNames: Record<string, string> = {}
        for (const c of p?.toolCalls ?? []) toolNames[c.id] = c.name
        const endedAsking = p !== null && p.toolCalls.length === 0 && endsAsking(p.content)
        return { ...cur, streaming: null, unread, toolNames, endedAsking }
      }
      if (entry.type === 'checkpoint') {
        const p = payloadOf(entry, 'checkpoint')
        const own = p?.taken === true && !p.baseline && p.filesTotal > 0 && p.ownChanges !== false
        return { ...cur, unread, changed: cur.changed || (own && !active) }
      }
      if (entry.type === 'user_message') {
        const p = payloadOf(entry, 'user_message')
        if (p && (p.kind === 'steer' || p.kind === 'follow_up'))
          return { ...cur, queued: dequeue(cur.queued, p.kind, p.text), unread }
        // A new prompt is the user's answer to any question the agent asked.
        return { ...cur, unread, endedAsking: false }
      }
      if (entry.type === 'turn_end') {
        const reason = payloadOf(entry, 'turn_end')?.reason ?? null
        return {
          ...cur,
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
        if (p?.kind === 'request' && !cur.pendingApprovals.includes(p.approvalId))
          return { ...cur, pendingApprovals: [...cur.pendingApprovals, p.approvalId], unread }
        if (p?.kind === 'answer')
          return {
            ...cur,
            pendingApprovals: cur.pendingApprovals.filter((id) => id !== p.approvalId),
            unread,
          }
      }
      return { ...cur, unread }
    }
    default:
      return prev
  }
}
