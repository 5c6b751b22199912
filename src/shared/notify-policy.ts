import type { AgentState } from './agent-state'
import type { StopReason } from './entries'

/**
 * When to tell the user about a session they are not looking at: a pure decider fed with state
 * changes (from `agentStateOf`), which says which notifications to raise. It does not deliver
 * anything (an OS notification, the Web Notifications API, a sound): the caller does, with what it
 * returns. Changes are batched for {@link NOTIFY_BATCH_MS} so a burst (eight agents finishing
 * together, a state flickering) raises one notification per session, about what is true at the
 * end of the batch. The clock is injected.
 */

/** How long changes are gathered before the batch is decided, in ms. */
export const NOTIFY_BATCH_MS = 2_000

/** What a notification is about. */
export type NotifyEvent = 'approval' | 'input' | 'finished' | 'failed'

export interface StateTransition {
  sessionId: string
  from: AgentState
  to: AgentState
  /** When it happened, ms since the epoch. */
  at: number
  /** How the last run ended, when known: tells a finish (`done`) from a stop the user asked for. */
  lastStop?: StopReason | null
}

/** Which events notify (Settings). */
export interface NotifySettings {
  /** A session waits for an approval or for input. */
  approvalInput: boolean
  finished: boolean
  failed: boolean
  /** Play a sound with a batch. */
  sound: boolean
}

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = {
  approvalInput: true,
  finished: true,
  failed: true,
  sound: false,
}

/** Whether the user sees a session now: the window has focus and the session is on screen. */
export interface Looking {
  windowFocused: boolean
  /** Sessions visible in the window (the active tab, the panes of a split). */
  visibleSessions: ReadonlySet<string>
}

export interface Notification {
  sessionId: string
  event: NotifyEvent
  /** When the change that raised it happened, ms. */
  at: number
  /** Play the sound with this one (at most one per batch, and only when Settings ask for it). */
  sound: boolean
}

/**
 * The event a change is, or null when it is not worth a notification: reaching a waiting state, a
 * failure, or a finish (a run that ended `done`, with or without changes to review). A session
 * that stays in the same state, starts running, or goes idle by being stopped raises nothing.
 */
export function eventOf(t: StateTransition): NotifyEvent | null {
  if (t.from === t.to) return null
  switch (t.to) {
    case 'waiting_approval':
      return 'approval'
    case 'waiting_input':
      return 'input'
    case 'failed':
      return 'failed'
    case 'finished_unreviewed':
      return 'finished'
    case 'idle':
      return t.from === 'running' && t.lastStop === 'done' ? 'finished' : null
    case 'running':
      return null
  }
}

/** Whether the settings let this event notify. */
export function allowed(event: NotifyEvent, settings: NotifySettings): boolean {
  switch (event) {
    case 'approval':
    case 'input':
      return settings.approvalInput
    case 'finished':
      return settings.finished
    case 'failed':
      return settings.failed
  }
}

/** Whether the user is looking at this session right now. */
export function isLooking(sessionId: string, looking: Looking): boolean {
  return looking.windowFocused && looking.visibleSessions.has(sessionId)
}

export interface NotifierOptions {
  /** The clock, ms since the epoch. */
  now: () => number
  /** Batch length in ms (default {@link NOTIFY_BATCH_MS}). */
  batchMs?: number
}

export interface Notifier {
  /** Record a state change (ignored while the user looks at that session). */
  observe(t: StateTransition, looking: Looking): void
  /** When the open batch is due (ms since the epoch), or null when nothing waits. */
  dueAt(): number | null
  /**
   * The notifications of the batch, once it is due (an empty list before, and nothing is lost):
   * one per session, about its latest change, dropped when that change does not notify, the
   * settings turn it off, or the user is looking at the session now.
   */
  take(looking: Looking, settings: NotifySettings): Notification[]
}

export function createNotifier(options: NotifierOptions): Notifier {
  const batchMs = options.batchMs ?? NOTIFY_BATCH_MS
  /** The latest change of each session in the open batch, in the order sessions first changed. */
  let pending = new Map<string, StateTransition>()
  let openedAt: number | null = null

  return {
    observe(t, looking) {
      if (isLooking(t.sessionId, looking)) {
        // What the user saw happen needs no notification, nor does an older change of it.
        pending.delete(t.sessionId)
        return
      }
      if (t.from === t.to) return
      // The latest change wins: a question answered elsewhere in the batch is no longer news.
      pending.delete(t.sessionId)
      pending.set(t.sessionId, t)
      if (openedAt === null && eventOf(t) !== null) openedAt = options.now()
    },
    dueAt() {
      return openedAt === null ? null : openedAt + batchMs
    },
    take(looking, settings) {
      if (openedAt === null || options.now() < openedAt + batchMs) return []
      const batch = pending
      pending = new Map()
      openedAt = null
      const out: Notification[] = []
      for (const t of batch.values()) {
        const event = eventOf(t)
        if (event === null || !allowed(event, settings)) continue
        if (isLooking(t.sessionId, looking)) continue
        out.push({ sessionId: t.sessionId, event, at: t.at, sound: false })
      }
      const first = out[0]
      if (first && settings.sound) out[0] = { ...first, sound: true }
      return out
    },
  }
}

/** The words of a notification about a session titled `title`. */
export function notificationText(event: NotifyEvent, title: string): string {
  switch (event) {
    case 'approval':
      return `${title} is waiting for your approval`
    case 'input':
      return `${title} is waiting for your input`
    case 'finished':
      return `${title} finished`
    case 'failed':
      return `${title} failed`
  }
}
