/**
 * Output of a terminal nobody is watching closely (in a pane without focus, or not on screen) is
 * handed to xterm at most every SLOW_WRITE_MS, gathered: xterm then renders that screen a few
 * times a second instead of every frame, which is most of what a streaming terminal costs the
 * page. The terminal of the focused pane, or one with the keyboard, gets its output at once.
 */
export const SLOW_WRITE_MS = 250

type Write = (data: string, done: () => void) => void

export interface PacedTimers {
  set(fn: () => void, ms: number): unknown
  clear(handle: unknown): void
}

const defaultTimers: PacedTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export class PacedWrites {
  private live = false
  private queued: string[] = []
  private dones: Array<() => void> = []
  private timer: unknown = null

  constructor(
    private readonly write: Write,
    private readonly timers: PacedTimers = defaultTimers,
  ) {}

  /** Output arrives: written now when live, else gathered until the next slow tick. */
  push(data: string, done: () => void): void {
    if (this.live && this.queued.length === 0) {
      this.write(data, done)
      return
    }
    this.queued.push(data)
    this.dones.push(done)
    if (this.live) this.flush()
    else if (this.timer === null) {
      this.timer = this.timers.set(() => {
        this.timer = null
        this.flush()
      }, SLOW_WRITE_MS)
    }
  }

  /** Live (focused pane, keyboard) or paced; turning live writes what was gathered at once. */
  setLive(live: boolean): void {
    this.live = live
    if (live) this.flush()
  }

  /** The screen is replaced: what was gathered belonged to the old one and is dropped. */
  drop(): void {
    this.cancel()
    const dones = this.dones
    this.queued = []
    this.dones = []
    for (const done of dones) done()
  }

  dispose(): void {
    this.cancel()
    this.queued = []
    this.dones = []
  }

  private flush(): void {
    this.cancel()
    if (this.queued.length === 0) return
    const data = this.queued.join('')
    const dones = this.dones
    this.queued = []
    this.dones = []
    this.write(data, () => {
      for (const done of dones) done()
    })
  }

  private cancel(): void {
    if (this.timer === null) return
    this.timers.clear(this.timer)
    this.timer = null
  }
}
