import { createWriteStream } from 'node:fs'
import type { WriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { StringDecoder } from 'node:string_decoder'
import { PRIVATE_FILE_MODE } from '../core/private-files'
import { AnsiStripper } from './ansi'
import { describeError } from './fs-errors'

interface Source {
  decoder: StringDecoder
  ansi: AnsiStripper
}

/**
 * Collects a process's output as it arrives, without holding it in memory: every chunk is decoded
 * (UTF-8, characters split across chunks kept whole), stripped of terminal escapes and appended to a
 * spill file on disk; only the last `tailChars` characters stay in memory for the model. `push`
 * returns false when the spill file is behind and the producer should pause until `onDrain`.
 */
export class OutputCapture {
  readonly path: string
  private readonly stream: WriteStream
  private readonly sources = new Map<string, Source>()
  private tail: string[] = []
  private tailLength = 0
  private newlines = 0
  private lastChar = ''
  private chars = 0
  private drainWaiters: Array<() => void> = []
  /** Why the spill file could not be written, if it could not. */
  spillError: string | null = null

  constructor(
    /** A new file in an existing folder (created with `wx`: never overwrites). */
    path: string,
    /** Characters of the end of the output kept in memory (at least the model's byte budget). */
    private readonly tailChars: number,
  ) {
    this.path = path
    this.stream = createWriteStream(path, { flags: 'wx', mode: PRIVATE_FILE_MODE })
    this.stream.on('error', (err) => {
      this.spillError = describeError(err)
      this.releaseWaiters()
    })
    this.stream.on('drain', () => this.releaseWaiters())
  }

  /** Append a chunk from `source` (e.g. 'stdout'). False: wait for `onDrain` before pushing more. */
  push(source: string, chunk: Buffer): boolean {
    let s = this.sources.get(source)
    if (!s) {
      s = { decoder: new StringDecoder('utf8'), ansi: new AnsiStripper() }
      this.sources.set(source, s)
    }
    return this.append(s.ansi.push(s.decoder.write(chunk)))
  }

  onDrain(callback: () => void): void {
    if (this.spillError) callback()
    else this.drainWaiters.push(callback)
  }

  /** Flush what the decoders and strippers hold back and close the spill file. */
  async finish(): Promise<void> {
    for (const s of this.sources.values())
      this.append(s.ansi.push(s.decoder.end()) + s.ansi.flush())
    await new Promise<void>((resolve) => {
      if (this.stream.destroyed || this.spillError) resolve()
      else this.stream.end(() => resolve())
    })
  }

  /** Delete the spill file (when everything fit in the result anyway). */
  async discard(): Promise<void> {
    await rm(this.path, { force: true })
  }

  /** The kept end of the output. */
  tailText(): string {
    if (this.tail.length > 1) this.tail = [this.tail.join('')]
    return this.tail[0] ?? ''
  }

  /** Lines in the whole output; a final newline does not start another line. */
  get totalLines(): number {
    if (this.chars === 0) return 0
    return this.newlines + (this.lastChar === '\n' ? 0 : 1)
  }

  get totalChars(): number {
    return this.chars
  }

  private append(text: string): boolean {
    if (text === '') return true
    this.chars += text.length
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.newlines++
    this.lastChar = text[text.length - 1] ?? ''
    this.tail.push(text)
    this.tailLength += text.length
    while (
      this.tail.length > 1 &&
      this.tailLength - (this.tail[0]?.length ?? 0) >= this.tailChars
    ) {
      this.tailLength -= this.tail.shift()?.length ?? 0
    }
    if (this.tailLength > this.tailChars * 2) {
      const joined = this.tail.join('').slice(-this.tailChars)
      this.tail = [joined]
      this.tailLength = joined.length
    }
    if (this.spillError) return true
    return this.stream.write(text)
  }

  private releaseWaiters(): void {
    const waiters = this.drainWaiters
    this.drainWaiters = []
    for (const w of waiters) w()
  }
}
