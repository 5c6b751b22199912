import { watch } from 'node:fs'
import type { FSWatcher } from 'node:fs'
import type { Cursors, EphemeralEvent, PaddockEvent } from '../../shared/events'
import type { EventLog, LoggedEvent } from '../sessions/event-log'
import type { Logger } from '../core/logger'
import { redactValuesIn } from '../core/redact'

export type EventListener = (event: PaddockEvent) => void

interface Subscriber {
  /** Deliver only events with a global id above this (the replay covered the rest). */
  fromId: number
  listener: EventListener
}

/**
 * Fans out committed events to subscribers in global order. The database is the source of truth:
 * the bus tails the events table, so events committed by another process on the same data dir
 * (the CLI creating a session while the web host runs) reach this host's clients too. Local commits
 * pump at once; other processes' commits are noticed through a watch on the data dir, with a slow
 * timer as a safety net for filesystems whose watch is unreliable.
 */
export class EventBus {
  private lastId: number
  /** Last seq delivered per stream (what a live-only event of that stream is placed after). */
  private readonly heads = new Map<string, number>()
  private readonly subscribers = new Set<Subscriber>()
  private watcher: FSWatcher | null = null
  private timer: NodeJS.Timeout | null = null
  private debounce: NodeJS.Timeout | null = null

  constructor(
    private readonly log: EventLog,
    private readonly logger: Logger,
  ) {
    this.lastId = log.maxId()
  }

  /**
   * Replay what `since` has not seen, then stay subscribed for live events. The replay is handed to
   * the caller (so a transport can send it before a "replayed" marker); live events go to `listener`.
   */
  subscribe(
    since: Cursors,
    listener: EventListener,
  ): { replay: PaddockEvent[]; dispose: () => void } {
    const { events, upTo } = this.log.replay(since)
    const sub: Subscriber = { fromId: upTo, listener }
    this.subscribers.add(sub)
    return {
      replay: events.map((e) => e.event),
      dispose: () => {
        this.subscribers.delete(sub)
      },
    }
  }

  /**
   * Deliver a live-only event (token deltas, turn state) to this process's subscribers now. It is
   * not persisted; it carries the stream's current head seq so clients can place it.
   */
  publishEphemeral(draft: Omit<EphemeralEvent, 'seq'>): void {
    // Live text may repeat a key the model saw: redacted here too (a key split across two deltas
    // is not caught live; the entry that records the text is, see Store.appendEntry).
    const event = redactValuesIn(this.stamp(draft))
    for (const sub of this.subscribers) {
      try {
        sub.listener(event)
      } catch (err) {
        this.logger.log('error', 'event listener failed', { error: String(err) })
      }
    }
  }

  /** A live-only event placed after its stream's current head (for delivery to one client). */
  stamp(draft: Omit<EphemeralEvent, 'seq'>): EphemeralEvent {
    return { ...draft, seq: this.headOf(draft.sessionId) } as EphemeralEvent
  }

  private headOf(stream: string): number {
    let head = this.heads.get(stream)
    if (head === undefined) {
      head = this.log.head(stream)
      this.heads.set(stream, head)
    }
    return head
  }

  /**
   * Deliver events this process just committed. When nothing from another process came in between
   * they go out as they are, without reading them back; otherwise the log is read in order.
   */
  committed(events: LoggedEvent[]): void {
    if (events.length === 0) return
    if (events[0]!.id !== this.lastId + 1) {
      this.pump()
      return
    }
    for (const e of events) this.deliver(e)
  }

  private deliver({ id, event }: LoggedEvent): void {
    this.lastId = id
    this.heads.set(event.sessionId, event.seq)
    for (const sub of this.subscribers) {
      if (id <= sub.fromId) continue
      try {
        sub.listener(event)
      } catch (err) {
        this.logger.log('error', 'event listener failed', { error: String(err) })
      }
    }
  }

  /** Deliver every committed event not yet delivered. */
  pump(): void {
    for (;;) {
      let batch
      try {
        batch = this.log.readAfter(this.lastId, 500)
      } catch (err) {
        this.logger.log('error', 'event bus: cannot read events', { error: String(err) })
        return
      }
      if (batch.length === 0) return
      for (const e of batch) this.deliver(e)
    }
  }

  /** Notice commits by other processes to the database in `dataDir`. */
  watchDataDir(dataDir: string, fallbackMs = 2000): void {
    const schedule = (): void => {
      if (this.debounce) return
      this.debounce = setTimeout(() => {
        this.debounce = null
        this.pump()
      }, 10)
    }
    try {
      this.watcher = watch(dataDir, { persistent: false }, (_type, name) => {
        if (name && String(name).startsWith('paddock.db')) schedule()
      })
      this.watcher.on('error', (err) => {
        this.logger.log('warn', 'data dir watch failed; relying on the timer', {
          error: String(err),
        })
      })
    } catch (err) {
      this.logger.log('warn', 'cannot watch the data dir', { error: String(err) })
    }
    this.timer = setInterval(() => this.pump(), fallbackMs)
    this.timer.unref()
  }

  close(): void {
    this.watcher?.close()
    if (this.timer) clearInterval(this.timer)
    if (this.debounce) clearTimeout(this.debounce)
    this.subscribers.clear()
  }
}
