import type { Screen } from './screen'
import { skippableRange } from './flood'

/** Pause the PTY when the screen has this many characters left to parse… */
export const PARSE_HIGH_WATER = 512 * 1024
/** …and resume it below this. */
export const PARSE_LOW_WATER = 64 * 1024
/** Largest piece handed to the parser at once (keeps each parse step short). */
const PARSE_SLICE = 32 * 1024
/** Most characters handed to the parser as one batch. */
const MAX_BATCH = 256 * 1024
/** A backlog this large is checked for plain lines that can be skipped (flood.ts). */
const COLLAPSE_MIN_CHARS = 16 * 1024
/** While a flood is thinned, the screen takes a batch at most this often (ms). */
const FLOOD_FRAME_MS = 33
export interface FeedHooks {
  /** `text` is on the screen, which now reflects the stream up to `endOffset`. */
  parsed(text: string, endOffset: number): void
  /** Too much waits to be parsed: stop reading the shell. */
  pause(): void
  /** The backlog is small again. */
  resume(): void
}

/**
 * What stands between a terminal's output and its screen: a queue the parser takes batches from,
 * pausing the shell above PARSE_HIGH_WATER waiting characters and resuming below PARSE_LOW_WATER,
 * and thinning floods of plain lines (flood.ts) when a backlog builds.
 */
export class ScreenFeed {
  private queue: string[] = []
  private queued = 0
  /** Handed to the parser, not parsed yet. */
  private inFlight = 0
  /** Characters of plain flood skipped before parsing (flood.ts), for diagnostics. */
  skipped = 0
  /** The last batch was thinned: batches wait for a frame's worth of output. */
  private flooding = false
  private floodTimer: NodeJS.Timeout | null = null
  private parsedWaiters: Array<() => void> = []

  constructor(
    private readonly screen: Screen,
    private readonly hooks: FeedHooks,
  ) {}

  /** Put everything queued on the screen now, synchronously (before a save at shutdown). */
  parseNow(): void {
    const rest = this.take(Number.MAX_SAFE_INTEGER)
    this.screen.writeNow(rest)
    if (rest !== '') this.hooks.parsed(rest, this.screen.offset)
  }

  /** Resolves once everything the shell printed so far is on the screen. */
  whenParsed(): Promise<void> {
    if (this.queued === 0 && this.inFlight === 0) return Promise.resolve()
    return new Promise((resolve) => this.parsedWaiters.push(resolve))
  }

  /** Queue output for the screen; the PTY pauses while too much waits to be parsed. */
  push(text: string): void {
    if (text === '') return
    this.queue.push(text)
    this.queued += text.length
    this.pump()
    if (this.queued + this.inFlight > PARSE_HIGH_WATER) this.hooks.pause()
  }

  /**
   * Hand queued output to the screen one batch at a time: while the parser works on a batch, what
   * the shell prints meanwhile queues up, and the next batch takes all of it (then a flood of plain
   * lines can be thinned, flood.ts). A batch goes in slices so the parser yields between them.
   */
  private pump(force = false): void {
    if (this.inFlight > 0) return
    if (this.queued === 0) {
      const waiters = this.parsedWaiters
      this.parsedWaiters = []
      for (const w of waiters) w()
      return
    }
    if (this.flooding && !force && this.queued < MAX_BATCH) {
      // A flood is being thinned: let a frame's worth queue up, so more of it can be skipped.
      this.floodTimer ??= setTimeout(() => {
        this.floodTimer = null
        this.pump(true)
      }, FLOOD_FRAME_MS)
      return
    }
    if (this.floodTimer) {
      clearTimeout(this.floodTimer)
      this.floodTimer = null
    }
    this.flooding = this.collapse()
    const batch = this.take(MAX_BATCH)
    this.inFlight = batch.length
    for (let i = 0; i < batch.length;) {
      let end = Math.min(batch.length, i + PARSE_SLICE)
      if (end < batch.length && (batch.charCodeAt(end - 1) & 0xfc00) === 0xd800) end++
      const slice = batch.slice(i, end)
      i = end
      this.screen.write(slice, (endOffset) => {
        this.inFlight -= slice.length
        this.hooks.parsed(slice, endOffset)
        if (this.inFlight > 0) return
        if (this.queued < PARSE_LOW_WATER) this.hooks.resume()
        this.pump()
      })
    }
  }

  /** Drop plain lines that would scroll out of the buffer unseen (flood.ts). */
  private collapse(): boolean {
    if (this.queued < COLLAPSE_MIN_CHARS || !this.screen.canSkipLines()) return false
    const text = this.queue.length === 1 ? this.queue[0]! : this.queue.join('')
    const range = skippableRange(text, this.screen.capacity + this.screen.rows)
    if (!range) {
      this.queue = [text]
      return false
    }
    const kept = text.slice(0, range.from) + text.slice(range.to)
    this.skipped += range.to - range.from
    this.queue = [kept]
    this.queued = kept.length
    return true
  }

  /** Up to `max` characters off the front of the queue, never splitting a surrogate pair. */
  private take(max: number): string {
    let out = ''
    while (this.queue.length > 0 && out.length < max) {
      const head = this.queue[0]!
      const room = max - out.length
      if (head.length <= room) {
        out += head
        this.queue.shift()
        continue
      }
      let cut = room
      if ((head.charCodeAt(cut - 1) & 0xfc00) === 0xd800) cut++
      out += head.slice(0, cut)
      this.queue[0] = head.slice(cut)
      break
    }
    this.queued -= out.length
    return out
  }

  dispose(): void {
    if (this.floodTimer) clearTimeout(this.floodTimer)
    this.floodTimer = null
    this.queue = []
    this.queued = 0
  }
}
