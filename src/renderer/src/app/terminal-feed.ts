import type { PaddockEvent } from '../../../shared/events'

/** The events a terminal view cares about: its output and its shell's state. */
export type TerminalEvent = Extract<
  PaddockEvent,
  { type: 'terminal.data' | 'terminal.reset' | 'terminal.state' | 'terminal.closed' }
>
/**
 * What a session's terminal panel follows: its terminals' events, and the agent's tool calls as
 * they start (`turn.state`) and end (`entry.appended` of `tool_result` entries), to tell which call
 * typed which command.
 */
export type TerminalSessionEvent =
  TerminalEvent | Extract<PaddockEvent, { type: 'turn.state' | 'entry.appended' }>

export type TerminalListener = (event: TerminalEvent) => void
export type TerminalSessionListener = (event: TerminalSessionEvent) => void

/**
 * Per-terminal and per-session channels of terminal events, for the Terminal panel: output goes
 * straight to the terminal it belongs to instead of through the store. The host slice publishes
 * every batch here. All listeners see a batch's events in their order, so a session listener that
 * notes the running tool call has done so before a terminal listener gets that call's output.
 */
export interface TerminalFeed {
  publish(events: readonly PaddockEvent[]): void
  /** One terminal's events (data, reset, state, closed). Returns a disposer. */
  subscribe(terminalId: string, listener: TerminalListener): () => void
  /** A session's terminal events, `turn.state` and tool results. Returns a disposer. */
  subscribeSession(sessionId: string, listener: TerminalSessionListener): () => void
}

function terminalIdOf(event: TerminalEvent): string {
  return event.type === 'terminal.state' ? event.terminal.terminalId : event.terminalId
}

function isTerminalEvent(event: PaddockEvent): event is TerminalEvent {
  return (
    event.type === 'terminal.data' ||
    event.type === 'terminal.reset' ||
    event.type === 'terminal.state' ||
    event.type === 'terminal.closed'
  )
}

function isToolEvent(event: PaddockEvent): boolean {
  return (
    event.type === 'turn.state' ||
    (event.type === 'entry.appended' && event.entry.type === 'tool_result')
  )
}

function add<L>(map: Map<string, Set<L>>, key: string, listener: L): () => void {
  let set = map.get(key)
  if (!set) map.set(key, (set = new Set()))
  set.add(listener)
  return () => {
    set.delete(listener)
    if (set.size === 0 && map.get(key) === set) map.delete(key)
  }
}

/** A failing view must not stop the store from applying the batch: report it and go on. */
function deliver<E>(listener: (event: E) => void, event: E): void {
  try {
    listener(event)
  } catch (err) {
    console.error('A terminal view failed to take an event', err)
  }
}

export function createTerminalFeed(): TerminalFeed {
  const byTerminal = new Map<string, Set<TerminalListener>>()
  const bySession = new Map<string, Set<TerminalSessionListener>>()
  return {
    publish(events) {
      if (byTerminal.size === 0 && bySession.size === 0) return
      for (const event of events) {
        const terminal = isTerminalEvent(event)
        if (!terminal && !isToolEvent(event)) continue
        const session = bySession.get(event.sessionId)
        if (session) for (const l of [...session]) deliver(l, event as TerminalSessionEvent)
        if (!terminal) continue
        const own = byTerminal.get(terminalIdOf(event))
        if (own) for (const l of [...own]) deliver(l, event)
      }
    },
    subscribe: (terminalId, listener) => add(byTerminal, terminalId, listener),
    subscribeSession: (sessionId, listener) => add(bySession, sessionId, listener),
  }
}

/** The renderer's one terminal feed, fed by the host slice. */
export const terminalFeed: TerminalFeed = createTerminalFeed()
