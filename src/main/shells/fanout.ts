import type { EphemeralEvent } from '../../shared/events'
import type { TerminalScreen } from '../../shared/terminals'
import { TERMINAL_ACK_EVERY, TERMINAL_CLIENT_WINDOW } from '../../shared/terminals'

/** Lines of history a `terminal.reset` carries. */
export const RESET_SCROLLBACK = 1000

/** A connected client: where its events go (its event subscription). */
export interface ClientPort {
  readonly id: string
  send(event: EphemeralEvent): void
}

/** Flush a client's batch at most this long after its first character arrived (ms). */
export const FLUSH_MS = 16
/** …or at once when it holds this many characters. */
export const FLUSH_CHARS = 64 * 1024
/**
 * While the shell floods (screen-feed.ts), batches are flushed this often instead: every batch
 * makes each attached client parse and repaint, and nobody reads a flood at 60 frames a second.
 * Fewer, larger frames leave the CPU to the shell and the host, which is what decides how soon
 * the flood is over; a terminal that is not flooding keeps FLUSH_MS (typing is not delayed).
 */
export const FLOOD_FLUSH_MS = 50
/** …or when a batch holds this many characters (well inside TERMINAL_CLIENT_WINDOW). */
export const FLOOD_FLUSH_CHARS = 256 * 1024

/** An ephemeral event before the session's stream stamps it. */
export type TerminalDraft = EphemeralEvent extends infer E
  ? E extends EphemeralEvent
    ? Omit<E, 'seq' | 'at' | 'sessionId' | 'ephemeral'>
    : never
  : never

interface Attachment {
  client: ClientPort
  pending: string[]
  pendingChars: number
  /** Stream offset of the first pending character. */
  pendingStart: number
  /** Offset up to which data has been sent to the client. */
  sent: number
  /** Offset up to which the client has acknowledged rendering. */
  acked: number
  /** Over its window: nothing is sent until it has caught up, then a fresh screen. */
  lagging: boolean
}

/**
 * One terminal's live output to its attached clients: batched (FLUSH_MS / FLUSH_CHARS), and paced
 * per client by acknowledgements. Each client holds at most one batch here and at most
 * TERMINAL_CLIENT_WINDOW unacknowledged characters in flight; a client that falls further behind
 * is dropped to "lagging" and, once it has caught up with what was sent, gets one `terminal.reset`
 * with the current screen instead of the backlog. A slow client never slows the shell or others.
 */
export class Fanout {
  private readonly attachments = new Map<string, Attachment>()
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly terminalId: string,
    /** Stamps a draft into an event of the terminal's session stream. */
    private readonly stamp: (draft: TerminalDraft) => EphemeralEvent,
    /** The screen now; `scrollback` limits how much history it carries (resets need little). */
    private readonly snapshot: (scrollback?: number) => TerminalScreen,
  ) {}

  get size(): number {
    return this.attachments.size
  }

  /** Attach a client (again): its stream starts at the returned screen's offset. */
  attach(client: ClientPort): TerminalScreen {
    const screen = this.snapshot()
    this.attachments.set(client.id, {
      client,
      pending: [],
      pendingChars: 0,
      pendingStart: screen.offset,
      sent: screen.offset,
      acked: screen.offset,
      lagging: false,
    })
    return screen
  }

  detach(clientId: string): boolean {
    return this.attachments.delete(clientId)
  }

  isAttached(clientId: string): boolean {
    return this.attachments.has(clientId)
  }

  /**
   * Output that the screen has parsed, ending at stream offset `end`; `flooding` while the shell
   * prints faster than anyone reads (batches are then flushed less often).
   */
  push(text: string, end: number, flooding = false): void {
    if (this.attachments.size === 0) return
    let full = false
    for (const a of this.attachments.values()) {
      if (a.lagging) continue
      if (a.pendingChars === 0) a.pendingStart = end - text.length
      a.pending.push(text)
      a.pendingChars += text.length
      if (a.pendingChars >= (flooding ? FLOOD_FLUSH_CHARS : FLUSH_CHARS)) full = true
    }
    if (full) this.flush()
    else this.timer ??= setTimeout(() => this.flush(), flooding ? FLOOD_FLUSH_MS : FLUSH_MS)
  }

  /** The client has rendered up to `offset`. */
  ack(clientId: string, offset: number): void {
    const a = this.attachments.get(clientId)
    if (!a) return
    a.acked = Math.max(a.acked, Math.min(offset, a.sent))
    if (a.lagging && a.sent - a.acked < TERMINAL_ACK_EVERY) {
      // A client that fell behind (a flood) gets the recent screen, cheaply; attach gives it all.
      const screen = this.snapshot(RESET_SCROLLBACK)
      a.lagging = false
      a.sent = screen.offset
      a.acked = screen.offset
      a.pending = []
      a.pendingChars = 0
      a.pendingStart = screen.offset
      a.client.send(
        this.stamp({
          type: 'terminal.reset',
          terminalId: this.terminalId,
          reason: 'lagging',
          ...screen,
        }),
      )
    }
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    for (const a of this.attachments.values()) {
      if (a.pendingChars === 0 || a.lagging) continue
      const data = a.pending.length === 1 ? a.pending[0]! : a.pending.join('')
      const start = a.pendingStart
      a.pending = []
      a.pendingChars = 0
      if (a.sent + data.length - a.acked > TERMINAL_CLIENT_WINDOW) {
        a.lagging = true
        continue
      }
      a.sent = start + data.length
      a.client.send(
        this.stamp({ type: 'terminal.data', terminalId: this.terminalId, offset: start, data }),
      )
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.attachments.clear()
  }
}
