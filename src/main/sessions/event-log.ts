import type { Database, Statement } from 'better-sqlite3'
import type { Cursors, EventDraft, PaddockEvent } from '../../shared/events'
import { PaddockEventSchema } from '../../shared/events'
import { ContractError } from '../../shared/errors'
import { redactValuesIn } from '../core/redact'

export interface LoggedEvent {
  /** Global, monotonically increasing position in the log (across streams and processes). */
  id: number
  event: PaddockEvent
}

interface Row {
  id: number
  body: string
}

/**
 * Persisted events. Appends happen inside the same transaction as the state change they describe,
 * so an event exists exactly when its change does, and seq numbers survive restarts.
 */
export class EventLog {
  private readonly nextSeq: Statement<[string], { next: number }>
  private readonly insert: Statement<[string, number, string, string, number]>
  private readonly after: Statement<[number, number], Row>
  private readonly streamAfter: Statement<[string, number], Row>
  private readonly headsStmt: Statement<[], { stream: string; head: number }>
  private readonly maxIdStmt: Statement<[], { id: number | null }>

  constructor(private readonly db: Database) {
    this.nextSeq = db.prepare(
      'SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM events WHERE stream = ?',
    )
    this.insert = db.prepare(
      'INSERT INTO events (stream, seq, type, body, at) VALUES (?, ?, ?, ?, ?)',
    )
    this.after = db.prepare('SELECT id, body FROM events WHERE id > ? ORDER BY id LIMIT ?')
    this.streamAfter = db.prepare(
      'SELECT id, body FROM events WHERE stream = ? AND seq > ? ORDER BY seq',
    )
    this.headsStmt = db.prepare('SELECT stream, MAX(seq) AS head FROM events GROUP BY stream')
    this.maxIdStmt = db.prepare('SELECT MAX(id) AS id FROM events')
  }

  /** Append one event. Call inside a write transaction (the store's `write`). */
  append(draft: EventDraft, at: number): LoggedEvent {
    if (!this.db.inTransaction) throw new Error('EventLog.append must run inside a transaction')
    const seq = this.nextSeq.get(draft.sessionId)!.next
    const event = redactValuesIn({ ...draft, seq, at } as PaddockEvent)
    const info = this.insert.run(draft.sessionId, seq, draft.type, JSON.stringify(event), at)
    return { id: Number(info.lastInsertRowid), event }
  }

  /** Events with a global id greater than `id`, oldest first, at most `limit`. */
  readAfter(id: number, limit = 1000): LoggedEvent[] {
    return this.after.all(id, limit).map(parseRow)
  }

  /** Head seq of every stream. */
  heads(): Cursors {
    const out: Cursors = {}
    for (const r of this.headsStmt.all()) out[r.stream] = r.head
    return out
  }

  /** Last seq of one stream (0 when it has none). */
  head(stream: string): number {
    return this.nextSeq.get(stream)!.next - 1
  }

  maxId(): number {
    return this.maxIdStmt.get()?.id ?? 0
  }

  /**
   * Everything a client with cursors `since` has not seen, in global order, plus the global id it
   * is current to. Streams absent from `since` are replayed from their start. Runs in one read
   * transaction so the result is a consistent cut.
   */
  replay(since: Cursors): { events: LoggedEvent[]; upTo: number } {
    const read = this.db.transaction(() => {
      const upTo = this.maxId()
      const rows: LoggedEvent[] = []
      for (const [stream, head] of Object.entries(this.heads())) {
        const from = since[stream] ?? 0
        if (head <= from) continue
        for (const row of this.streamAfter.all(stream, from)) rows.push(parseRow(row))
      }
      rows.sort((a, b) => a.id - b.id)
      return { events: rows.filter((r) => r.id <= upTo), upTo }
    })
    return read.deferred()
  }

  /** Drop a stream's events before `keepFromSeq` (a deleted session keeps only its tombstone). */
  truncateStream(stream: string, keepFromSeq: number): void {
    this.db.prepare('DELETE FROM events WHERE stream = ? AND seq < ?').run(stream, keepFromSeq)
  }
}

/** Rows are read back from disk, so they are validated like any other input. */
function parseRow(row: Row): LoggedEvent {
  let body: unknown
  try {
    body = JSON.parse(row.body)
  } catch {
    body = undefined
  }
  const parsed = PaddockEventSchema.safeParse(body)
  if (!parsed.success) {
    throw new ContractError('database_corrupt', `Event ${row.id} in the database is not readable.`)
  }
  return { id: row.id, event: parsed.data }
}
