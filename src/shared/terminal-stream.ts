import type { PaddockEvent } from './events'
import type { TerminalInfo, TerminalScreen } from './terminals'
import { TERMINAL_ACK_EVERY } from './terminals'

/** Where a terminal's output goes: an xterm in the renderer, a headless one in tests. */
export interface TerminalSink {
  /** Write output; call `done` once it has been parsed (xterm's `write(data, callback)`). */
  write(data: string, done: () => void): void
  /** Replace everything shown with a serialized screen (clear, then write it). */
  reset(screen: TerminalScreen): void
}

/** The calls a stream needs (any PaddockClient has them). */
export interface TerminalCalls {
  attach(terminalId: string): Promise<TerminalScreen & { terminal: TerminalInfo }>
  ack(terminalId: string, offset: number): Promise<unknown>
}

/**
 * The client side of one attached terminal (protocol in `contract/terminals.ts`):
 * applies the attach screen, then each `terminal.data` exactly once and in order (duplicates
 * dropped, a gap re-attaches), takes `terminal.reset`, and acknowledges rendered output so the host
 * keeps sending. Feed it every event of the subscription with `handle`; it picks its own.
 */
export class TerminalStream {
  /** Next stream offset expected; null until the attach answer has been applied. */
  private expected: number | null = null
  /** Data that arrived before the attach answer (the host starts streaming at attach). */
  private early: Array<{ offset: number; data: string }> = []
  private rendered = 0
  private acked = 0
  /** Bumped by every screen replacement, so late write callbacks of an old screen are ignored. */
  private generation = 0
  private attaching: Promise<TerminalInfo> | null = null
  private closed = false

  constructor(
    readonly terminalId: string,
    private readonly calls: TerminalCalls,
    private readonly sink: TerminalSink,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Attach (again): the sink gets the current screen, then live output. */
  attach(): Promise<TerminalInfo> {
    this.attaching ??= (async () => {
      this.expected = null
      this.early = []
      try {
        const answer = await this.calls.attach(this.terminalId)
        if (this.closed) return answer.terminal
        this.replace(answer)
        const early = this.early
        this.early = []
        for (const chunk of early) this.apply(chunk.offset, chunk.data)
        return answer.terminal
      } finally {
        this.attaching = null
      }
    })()
    return this.attaching
  }

  /** Feed an event of the subscription; events of other terminals are ignored. */
  handle(event: PaddockEvent): void {
    if (this.closed) return
    if (event.type === 'terminal.data' && event.terminalId === this.terminalId) {
      if (this.expected === null) this.early.push({ offset: event.offset, data: event.data })
      else this.apply(event.offset, event.data)
    } else if (event.type === 'terminal.reset' && event.terminalId === this.terminalId) {
      if (this.expected === null) this.early = []
      this.replace(event)
    }
  }

  /** Stop applying events (the caller detaches on the host if it wants to). */
  close(): void {
    this.closed = true
  }

  /** The stream offset the sink has been given up to (for tests and diagnostics). */
  get position(): number | null {
    return this.expected
  }

  private replace(screen: TerminalScreen): void {
    this.generation++
    this.sink.reset(screen)
    this.expected = screen.offset
    this.rendered = screen.offset
    this.acked = screen.offset
  }

  private apply(offset: number, data: string): void {
    const expected = this.expected ?? 0
    const end = offset + data.length
    if (end <= expected) return
    if (offset > expected) {
      // Something was lost between host and client: start over from a fresh screen.
      this.attach().catch(this.onError)
      return
    }
    const fresh = data.slice(expected - offset)
    this.expected = end
    const generation = this.generation
    this.sink.write(fresh, () => {
      if (generation !== this.generation || this.closed) return
      this.rendered = Math.max(this.rendered, end)
      if (this.rendered - this.acked >= TERMINAL_ACK_EVERY) {
        this.acked = this.rendered
        this.calls.ack(this.terminalId, this.rendered).catch(this.onError)
      }
    })
  }
}
