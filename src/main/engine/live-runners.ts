import type { EntryPayload, EntryType } from '../../shared/entries'
import type { Entry } from '../../shared/model'
import type { Store } from '../sessions/store'
import type { SessionRunner } from './session-runner'

/** A session whose agent is running in this process. */
export interface RunningSession {
  sessionId: string
  title: string
  workspaceId: string
}

/**
 * The runners this process drives, by session. Other domains see it as the one way to append to a
 * session's log from outside a run (through the live runner, so a run's view of its branch stays
 * whole) and to ask which sessions are running.
 */
export class LiveRunners {
  private readonly runners = new Map<string, SessionRunner>()

  constructor(private readonly store: Store) {}

  get(sessionId: string): SessionRunner | undefined {
    return this.runners.get(sessionId)
  }

  add(sessionId: string, runner: SessionRunner): void {
    this.runners.set(sessionId, runner)
  }

  isRunning(sessionId: string): boolean {
    return this.runners.get(sessionId)?.running ?? false
  }

  /** Append an entry to a session's log, through its live runner when it has one. */
  record<T extends EntryType>(sessionId: string, type: T, payload: EntryPayload<T>): Entry {
    return (
      this.runners.get(sessionId)?.record(type, payload) ??
      this.store.appendEntry(sessionId, { type, payload })
    )
  }

  running(): RunningSession[] {
    return [...this.runners.entries()]
      .filter(([, r]) => r.running)
      .map(([sessionId]) => {
        const s = this.store.getSession(sessionId)
        return { sessionId, title: s.title, workspaceId: s.workspaceId }
      })
  }

  /** Stop every run, keeping open approval questions open. */
  suspendAll(): void {
    for (const r of this.runners.values()) r.suspend()
  }

  async settled(): Promise<void> {
    await Promise.all([...this.runners.values()].map((r) => r.settled()))
  }
}
