import xtermHeadless from '@xterm/headless'
import serializeAddon from '@xterm/addon-serialize'
import type { Terminal as HeadlessTerminal } from '@xterm/headless'
import type { SerializeAddon as SerializeAddonType } from '@xterm/addon-serialize'
import type { TerminalScreen } from '../../shared/terminals'

// Both packages are CommonJS: take the classes off their default export (Node's ESM interop).
const { Terminal } = xtermHeadless
const { SerializeAddon } = serializeAddon

/**
 * The host's own copy of a terminal's screen: a headless xterm that parses everything the shell
 * prints. It is what a (re)attaching client is shown (serialized), what scrollback is saved from,
 * and the consumer whose parsing pace throttles the PTY (`unparsed`).
 */
export class Screen {
  private readonly term: HeadlessTerminal
  private readonly serializer: SerializeAddonType
  /** Stream offset (UTF-16 units) fully parsed into the screen. */
  private parsedOffset = 0
  /** Stream offset handed to the parser. */
  private writtenOffset = 0
  private disposed = false

  constructor(cols: number, rows: number, scrollback: number) {
    this.term = new Terminal({ cols, rows, scrollback, allowProposedApi: true, logLevel: 'off' })
    this.serializer = new SerializeAddon()
    this.term.loadAddon(this.serializer)
  }

  /** Characters written but not yet parsed. */
  get unparsed(): number {
    return this.writtenOffset - this.parsedOffset
  }

  get offset(): number {
    return this.parsedOffset
  }

  get cols(): number {
    return this.term.cols
  }

  get rows(): number {
    return this.term.rows
  }

  /** Lines the buffer holds: scrollback plus the visible rows. */
  get capacity(): number {
    return (this.term.options.scrollback ?? 0) + this.term.rows
  }

  /**
   * Whether plain lines may be dropped before parsing (flood.ts): the normal buffer is active and
   * its scroll region is the whole screen. Reads xterm's internal buffer; unknown shapes say no.
   */
  canSkipLines(): boolean {
    if (this.term.buffer.active.type !== 'normal') return false
    const core = (
      this.term as unknown as {
        _core?: { buffer?: { scrollTop?: unknown; scrollBottom?: unknown } }
      }
    )._core
    const buffer = core?.buffer
    return buffer?.scrollTop === 0 && buffer.scrollBottom === this.term.rows - 1
  }

  /** Parse `text`; `parsed` runs once it is on the screen, with the offset it ends at. */
  write(text: string, parsed: (endOffset: number) => void): void {
    if (this.disposed || text === '') return
    this.writtenOffset += text.length
    const end = this.writtenOffset
    this.term.write(text, () => {
      this.parsedOffset = end
      if (!this.disposed) parsed(end)
    })
  }

  /**
   * Parse `text` and everything still pending now, synchronously (the host is stopping and saves
   * the screen). Uses xterm's internal writeSync; without it, only what was parsed is saved.
   */
  writeNow(text: string): void {
    if (this.disposed) return
    const core = (this.term as unknown as { _core?: { writeSync?: (data: string) => void } })._core
    if (typeof core?.writeSync !== 'function') return
    this.writtenOffset += text.length
    core.writeSync(text)
    this.parsedOffset = this.writtenOffset
  }

  resize(cols: number, rows: number): void {
    if (this.disposed) return
    if (cols !== this.term.cols || rows !== this.term.rows) this.term.resize(cols, rows)
  }

  /**
   * The screen as escape sequences (scrollback included, or its last `scrollback` lines) and the
   * offset it reflects. Everything
   * whose `parsed` callback has run is in it, nothing after (xterm calls back right after parsing a
   * chunk, before parsing the next).
   */
  snapshot(scrollback?: number): TerminalScreen {
    const buffer = this.term.buffer.active
    return {
      screen: this.serializer.serialize(scrollback === undefined ? undefined : { scrollback }),
      cols: this.term.cols,
      rows: this.term.rows,
      cursor: { x: buffer.cursorX, y: buffer.cursorY },
      offset: this.parsedOffset,
    }
  }

  /** The text of the line the cursor is on. */
  cursorLine(): string {
    const buffer = this.term.buffer.active
    return buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(true) ?? ''
  }

  /** The screen's text, lines joined with `\n` (tests and diagnostics). */
  text(): string {
    const buffer = this.term.buffer.active
    const lines: string[] = []
    for (let i = 0; i < buffer.length; i++)
      lines.push(buffer.getLine(i)?.translateToString(true) ?? '')
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
    return lines.join('\n')
  }

  dispose(): void {
    this.disposed = true
    this.term.dispose()
  }
}
