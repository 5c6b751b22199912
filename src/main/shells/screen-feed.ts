import type { Screen } from './screen'
import { skippableRange } from './flood'

/** Pause the PTY when the screen has this many characters left to parse… */
export const PARSE_HIGH_WATER = 1024 * 1024
/** …and resume it below this. */
export const PARSE_LOW_WATER = 256 * 1024
/** Largest piece handed to the parser at once (keeps each parse step short). */
const PARSE_SLICE = 16 * 1024
/** Characters handed to the parser and not yet parsed, at most. */
const MAX_IN_FLIGHT = 256 * 1024
/** A backlog this large is thinned (flood.ts) once the parser has caught up. */
const COLLAPSE_AT = 16 * 1024
/** Output faster than this (characters per second) is taken a frame at a time… */
const FLOOD_RATE = 1024 * 1024
/** …measured over windows of this length (ms)… */
const RATE_WINDOW_MS = 50
/**
 * …and the frame (ms). Every frame ends in a thinning pass and a parse of the lines it keeps (up
 * to a screenful of scrollback), so a longer frame drops more and parses less; clients are sent
 * a flood's output at fanout.ts's FLOOD_FLUSH_MS anyway.
 */
const FRAME_MS = 33
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
  private parsedWaiters: Array<() => void> = []
  /** Output rate measurement, and whether the feed is taking output a frame at a time. */
  private windowStart = 0
  private windowChars = 0
  private framing = false
  private frameTimer: NodeJS.Timeout | null = null

  constructor(
    private readonly screen: Screen,
    private readonly hooks: FeedHooks,
  ) {}

  /** Output comes faster than FLOOD_RATE: it is taken a frame at a time and thinned. */
  get flooding(): boolean {
    return this.framing
  }

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
    this.measure(text.length)
    this.queue.push(text)
    this.queued += text.length
    // Output pours in: take it a frame at a time, so what scrolls away unseen can be dropped. A
    // backlog that grows large within a frame while the parser is idle (its state is current, so
    // it tells what may go) is thinned where it is instead of being handed to the parser early:
    // at flood speed half of PARSE_HIGH_WATER arrives in ~10 ms, and parsing then, a screenful of
    // kept lines each time, would parse (and send every client) several times what each frame
    // shows.
    if (this.framing && this.queued >= PARSE_HIGH_WATER / 2 && this.inFlight === 0) this.collapse()
    if (this.framing && this.queued < PARSE_HIGH_WATER / 2) {
      this.frameTimer ??= setTimeout(() => {
        this.frameTimer = null
        this.pump()
      }, FRAME_MS)
    } else this.pump()
    if (this.queued + this.inFlight > PARSE_HIGH_WATER) this.hooks.pause()
  }

  /** Track the output rate: above FLOOD_RATE the feed works in frames. */
  private measure(chars: number): void {
    const now = Date.now()
    if (now - this.windowStart >= RATE_WINDOW_MS) {
      this.framing = this.windowChars >= (FLOOD_RATE * RATE_WINDOW_MS) / 1000
      this.windowStart = now
      this.windowChars = 0
    }
    this.windowChars += chars
  }

  /**
   * Hand queued output to the parser in slices, keeping up to MAX_IN_FLIGHT ahead of it so it never
   * idles between slices. When it falls behind and a backlog of COLLAPSE_AT builds, stop feeding
   * until it has parsed what it has (its state then tells whether lines may be dropped), thin the
   * backlog (flood.ts), and go on.
   */
  private pump(): void {
    if (this.frameTimer && this.queued < PARSE_HIGH_WATER / 2 && this.inFlight === 0) return
    while (this.queued > 0) {
      if (this.inFlight === 0) this.collapse()
      else if (this.queued >= COLLAPSE_AT) return
      if (this.inFlight >= MAX_IN_FLIGHT) return
      const slice = this.take(PARSE_SLICE)
      this.inFlight += slice.length
      this.screen.write(slice, (endOffset) => {
        this.inFlight -= slice.length
        this.hooks.parsed(slice, endOffset)
        if (this.queued + this.inFlight < PARSE_LOW_WATER) this.hooks.resume()
        this.pump()
      })
    }
    if (this.inFlight === 0) {
      const waiters = this.parsedWaiters
      this.parsedWaiters = []
      for (const w of waiters) w()
    }
  }

  /** Drop plain lines that would scroll out of the buffer unseen (flood.ts). */
  private collapse(): boolean {
    if (this.queued < COLLAPSE_AT || !this.screen.canSkipLines()) return false
    const text = this.queue.length === 1 ? this.queue[0]! : this.queue.join('')
    const range = skippableRange(text, this.screen.capacity + this.screen.rows)
    if (!range) {
      this.queue = [text]
      return false
    }
    const kept = text.slice(0, range.from) + range.keep + text.slice(range.to)
    this.skipped += range.to - range.from - range.keep.length
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
    if (this.frameTimer) clearTimeout(this.frameTimer)
    this.frameTimer = null
    this.queue = []
    this.queued = 0
  }
}
