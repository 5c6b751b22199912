import type { StopReason } from './entries'
import type { TurnState } from './events'

/**
 * What a session means to the user right now, as one of six states, computed from what a client
 * already knows about it (the live run state, `sessions.activity`, the entries it saw arrive). The
 * one source of truth for the tab and sidebar badges, the Agents view and notifications. Pure: no
 * DOM, no Node.
 */

export const AGENT_STATES = [
  'waiting_approval',
  'waiting_input',
  'failed',
  'finished_unreviewed',
  'running',
  'idle',
] as const
export type AgentState = (typeof AGENT_STATES)[number]

/** What the model needs to know about one session. */
export interface AgentFacts {
  running: boolean
  /** The run's live state (`turn.state`), null when none is known. */
  turnState: TurnState | null
  /** For `turnState === 'tool'`: the name of the tool being run, when known. */
  toolName: string | null
  /** Approval questions not answered yet. */
  pendingApprovals: number
  /** How the last run ended; null when it never ran (or still runs its first). */
  lastStop: StopReason | null
  /** The last run's final answer ended with a question to the user (see {@link endsAsking}). */
  endedAsking: boolean
  /**
   * The agent changed files that the user has not reviewed: a checkpoint with the agent's own
   * changes landed after the last time the user looked at the session (opened it, or its Changes
   * panel). Looking at the session clears it.
   */
  unreviewedChanges: boolean
  /** When something last happened in the session (ms since the epoch); null when unknown. */
  lastActivity: number | null
}

/** Stops after which the agent waits for the user's word before it goes on. */
const INPUT_STOPS: ReadonlySet<StopReason> = new Set<StopReason>(['max_turns', 'spend_cap'])

/** Stops that mean the run failed. */
const FAILED_STOPS: ReadonlySet<StopReason> = new Set<StopReason>(['error', 'context_overflow'])

/**
 * The state of one session. A question waiting beats everything (the run is paused on it); a run
 * in progress is `running`; then how the last run ended: a spend cap, the turn limit or a final
 * answer that asks something wait for input, an error or an overflowing context failed, a clean
 * finish with changes the user has not looked at is `finished_unreviewed`; anything else is idle
 * (never ran, stopped by the user, interrupted, finished and reviewed).
 */
export function agentStateOf(f: AgentFacts): AgentState {
  if (f.pendingApprovals > 0 || f.turnState === 'approval') return 'waiting_approval'
  if (f.running) return 'running'
  if (f.lastStop === null) return 'idle'
  if (INPUT_STOPS.has(f.lastStop)) return 'waiting_input'
  if (f.lastStop === 'done' && f.endedAsking) return 'waiting_input'
  if (FAILED_STOPS.has(f.lastStop)) return 'failed'
  if (f.lastStop === 'done' && f.unreviewedChanges) return 'finished_unreviewed'
  return 'idle'
}

/** Words for a state, as the Agents view and screen readers say it. */
export function agentStateLabel(state: AgentState): string {
  switch (state) {
    case 'waiting_approval':
      return 'waiting for approval'
    case 'waiting_input':
      return 'waiting for input'
    case 'failed':
      return 'failed'
    case 'finished_unreviewed':
      return 'finished, changes to review'
    case 'running':
      return 'running'
    case 'idle':
      return 'idle'
  }
}

/** States in which the agent waits on the user (a notification and the dock badge count them). */
export function needsUser(state: AgentState): boolean {
  return state === 'waiting_approval' || state === 'waiting_input' || state === 'failed'
}

/** How urgent a state is for the user: lower first. */
export function stateRank(state: AgentState): number {
  return AGENT_STATES.indexOf(state)
}

/** The tool a running session is in now, or null (between tools, waiting for the model, idle). */
export function currentTool(f: AgentFacts): string | null {
  return f.running && f.turnState === 'tool' ? f.toolName : null
}

export interface RankedAgent {
  id: string
  state: AgentState
  lastActivity: number | null
}

/**
 * Orders sessions so what needs the user comes first: waiting for approval, waiting for input,
 * failed, finished with unreviewed changes, running, idle; within a state the most recent
 * activity first (unknown last), then by id so the order is stable.
 */
export function compareNeedsUser(a: RankedAgent, b: RankedAgent): number {
  const byState = stateRank(a.state) - stateRank(b.state)
  if (byState !== 0) return byState
  const at = a.lastActivity ?? -Infinity
  const bt = b.lastActivity ?? -Infinity
  if (at !== bt) return bt > at ? 1 : -1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * Whether an assistant's final answer asks the user something: its last non-blank line ends
 * with a question mark (after closing quotes, brackets or emphasis). A heuristic, kept in one
 * place: agents have no "ask the user" tool, so a question at the end is how they ask.
 */
export function endsAsking(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  const last = lines[lines.length - 1]
  if (last === undefined) return false
  return /[?？][\s"'`*_)\]»”’]*$/.test(last)
}
