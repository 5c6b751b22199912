import type { Method, MethodInput, MethodOutput } from './contract'
import type { Cursors, PaddockEvent } from './events'
import type { CallOutcome } from './wire'
import { ContractError, isContractErrorShape } from './errors'

export type Disposer = () => void
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed'

/**
 * The contract client every front end uses: `window.paddock` in Electron (preload over IPC), a
 * WebSocket client in the browser, the engine itself in the CLI. Same interface everywhere.
 */
export interface PaddockClient {
  call<M extends Method>(method: M, params: MethodInput<M>): Promise<MethodOutput<M>>
  /**
   * Deliver every event after `since` (per stream; a stream absent from `since` is replayed from its
   * start), then live events, in order. Reconnecting transports resume from the last delivered seq,
   * so the listener sees each event exactly once. `onReplayed` fires each time the backlog has been
   * delivered (after the first subscribe and after each reconnect).
   */
  subscribe(
    since: Cursors,
    onEvent: (event: PaddockEvent) => void,
    onReplayed?: () => void,
  ): Disposer
  onStatus(listener: (status: ConnectionStatus) => void): Disposer
}

/** Turn a transport outcome back into a value or a thrown {@link ContractError}. */
export function unwrapOutcome(outcome: CallOutcome): unknown {
  if (outcome.ok) return outcome.result
  const err = outcome.error
  if (isContractErrorShape(err)) throw new ContractError(err.code, err.message)
  throw new ContractError('internal', String(err.message))
}

/**
 * Tracks the last seq delivered per stream for one subscription and drops anything already seen,
 * so replays after a reconnect never double-apply an event.
 */
export class CursorTracker {
  private readonly cursors: Cursors

  constructor(since: Cursors) {
    this.cursors = { ...since }
  }

  /** True when the event is new for this subscription (and records it). Live-only events always pass. */
  accept(event: { sessionId: string; seq: number; ephemeral?: boolean }): boolean {
    if (event.ephemeral === true) return true
    const last = this.cursors[event.sessionId] ?? 0
    if (event.seq <= last) return false
    this.cursors[event.sessionId] = event.seq
    return true
  }

  snapshot(): Cursors {
    return { ...this.cursors }
  }
}
