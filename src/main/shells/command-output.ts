import { createWriteStream } from 'node:fs'
import type { WriteStream } from 'node:fs'
import { PRIVATE_FILE_MODE } from '../core/private-files'
import { AnsiStripper } from '../tools/ansi'
import { describeError } from '../tools/fs-errors'

/** Characters kept in memory before the output goes to a spill file. */
const IN_MEMORY_CHARS = 256 * 1024
/** Characters of the end kept in memory once spilling (more than any result shows). */
const TAIL_CHARS = 128 * 1024
/** Bytes the spill file may have waiting to be written before the shell is paused. */
const SPILL_BUFFER = 4 * 1024 * 1024

/**
 * What one of the agent's commands printed, as the model may read it: escape sequences and marks
 * stripped, `\r\n` made `\n`. Small outputs stay in memory; past IN_MEMORY_CHARS everything goes to
 * a spill file and only the end stays in memory. Positions are characters since the command began,
 * so a reader (shell_read) can ask for what is new since its last read.
 */
export class CommandOutput {
  private readonly ansi = new AnsiStripper()
  private chunks: string[] = []
  private kept = 0
  /** Position of the first character held in memory. */
  private keptFrom = 0
  private total = 0
  private newlines = 0
  private lastChar = ''
  private stream: WriteStream | null = null
  private waiters: Array<() => void> = []
  private finished = false
  spillError: string | null = null
  spilled = false

  constructor(readonly spillPath: string) {}

  get length(): number {
    return this.total
  }

  /** Lines in the whole output; a final newline does not start another line. */
  get lineCount(): number {
    if (this.total === 0) return 0
    return this.newlines + (this.lastChar === '\n' ? 0 : 1)
  }

  /** Append raw terminal text. False: the spill file is behind; wait for `onDrain`. */
  push(raw: string): boolean {
    return this.append(this.ansi.push(raw))
  }

  /** The command ended: flush what the stripper held back. */
  end(): void {
    if (this.finished) return
    this.append(this.ansi.flush())
    this.finished = true
  }

  /**
   * Drop a trailing match of `pattern` from what is held in memory (zsh's PROMPT_SP padding that
   * lands between a command's output and its end mark). The spill file keeps it.
   */
  trimTail(pattern: RegExp): void {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join('')]
    const held = this.chunks[0] ?? ''
    const match = pattern.exec(held)
    if (!match || match.index + match[0].length !== held.length || match[0].length === 0) return
    const kept = held.slice(0, match.index)
    const cut = held.slice(match.index)
    for (let i = cut.indexOf('\n'); i !== -1; i = cut.indexOf('\n', i + 1)) this.newlines--
    this.lastChar = kept[kept.length - 1] ?? ''
    this.chunks = [kept]
    this.total -= held.length - kept.length
    this.kept = kept.length
  }

  onDrain(callback: () => void): void {
    if (!this.stream || this.spillError) callback()
    else this.waiters.push(callback)
  }

  /** Text from position `from` on, and whether some of it is only in the spill file. */
  since(from: number): { text: string; missing: number } {
    const start = Math.max(from, 0)
    if (this.chunks.length > 1) this.chunks = [this.chunks.join('')]
    const held = this.chunks[0] ?? ''
    if (start >= this.keptFrom) return { text: held.slice(start - this.keptFrom), missing: 0 }
    return { text: held, missing: this.keptFrom - start }
  }

  /** Close the spill file (when there is one). */
  async close(): Promise<void> {
    this.end()
    const stream = this.stream
    if (!stream || stream.destroyed) return
    await new Promise<void>((resolve) => stream.end(() => resolve()))
  }

  private append(text: string): boolean {
    if (text === '') return true
    this.total += text.length
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.newlines++
    this.lastChar = text[text.length - 1]!
    this.chunks.push(text)
    this.kept += text.length
    let ok = true
    if (this.stream) ok = this.writeSpill(text)
    else if (this.kept > IN_MEMORY_CHARS) {
      // From here on the whole output is on disk: start the file with everything so far.
      this.spilled = true
      this.stream = createWriteStream(this.spillPath, {
        flags: 'wx',
        mode: PRIVATE_FILE_MODE,
        highWaterMark: SPILL_BUFFER,
      })
      this.stream.on('error', (err) => {
        this.spillError = describeError(err)
        this.release()
      })
      this.stream.on('drain', () => this.release())
      ok = this.writeSpill(this.chunks.join(''))
    }
    if (this.stream && this.kept > TAIL_CHARS * 2) {
      const joined = this.chunks.join('')
      const keep = joined.slice(-TAIL_CHARS)
      this.keptFrom += joined.length - keep.length
      this.chunks = [keep]
      this.kept = keep.length
    }
    return ok
  }

  private writeSpill(text: string): boolean {
    if (this.spillError || !this.stream) return true
    return this.stream.write(text)
  }

  private release(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w()
  }
}

/** What a terminal line shows after carriage returns overwrote it (progress bars). */
export function collapseCarriageReturns(text: string): string {
  if (!text.includes('\r')) return text
  return text
    .split('\n')
    .map((line) => {
      const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line
      const at = trimmed.lastIndexOf('\r')
      return at === -1 ? trimmed : trimmed.slice(at + 1)
    })
    .join('\n')
}
