import { createRequire } from 'node:module'
import { sep } from 'node:path'
import { describeError } from './errors'
import type { CheckpointFs } from './fs-ops'

export interface WatchEvent {
  path: string
  type: 'create' | 'update' | 'delete'
}

export interface WatchSubscription {
  unsubscribe(): Promise<void>
}

/**
 * A recursive watcher (@parcel/watcher by default). Injectable so tests can make it fail or drop
 * events — the faults a real one has under load (queue overflow, an error, a watch limit).
 */
export interface WatchBackend {
  subscribe(
    dir: string,
    onEvents: (err: Error | null, events: WatchEvent[]) => void,
    options: { ignore: RegExp[] },
  ): Promise<WatchSubscription>
}

type ParcelModule = {
  subscribe(
    dir: string,
    fn: (err: Error | null, events: WatchEvent[]) => unknown,
    opts?: { ignore?: Array<string | RegExp> },
  ): Promise<WatchSubscription>
}

let parcel: ParcelModule | null = null

/** @parcel/watcher, loaded on first use (a native module: not needed by read-only users). */
export const parcelWatchBackend: WatchBackend = {
  subscribe(dir, onEvents, options) {
    parcel ??= createRequire(import.meta.url)('@parcel/watcher') as ParcelModule
    return parcel.subscribe(dir, onEvents, options)
  },
}

/** More dirty paths than this and we stop listing them: the next snapshot does a full pass. */
const MAX_DIRTY = 100_000
/**
 * @parcel/watcher delivers an event at once when it has been quiet for 500 ms, else batches for
 * 50 ms. Within this long after a delivery, a new event is likely to wait for the batch.
 */
export const WATCHER_BATCH_WINDOW_MS = 550

/**
 * Feeds the dirty set from the watcher and answers "has every change made before now been seen?".
 *
 * Sync: the root folder's permission bits are set to what they already are. That changes no
 * content or mode (only the folder's ctime) but makes the kernel queue an attribute event for the
 * root — behind every event of changes made before it, in the same queue and the same watcher
 * subscription, so when it comes back every earlier change is in the dirty set. (A sentinel file
 * in a second watched folder would travel through a second subscription, whose callbacks may run
 * before the first one's.) When that fails or times out, the store stats every file instead.
 */
export class DirtyTracker {
  private dirty = new Set<string>()
  /** Events were lost (watcher error, overflow, too many): the next snapshot must do a full pass. */
  private lost = false
  private subscription: WatchSubscription | null = null
  private waiters: Array<() => void> = []
  /** When the watcher last delivered anything (ms, performance clock). */
  lastDeliveryAt = 0
  error: string | null = null
  /** A sync timed out: a late root event could answer the next sync too early. */
  private staleSync = false

  constructor(
    private readonly fs: CheckpointFs,
    private readonly backend: WatchBackend,
    private readonly root: string,
    /** Paths below the root the store must never see (its own folder, when inside). */
    private readonly excluded: string[],
  ) {}

  get active(): boolean {
    return this.subscription !== null
  }

  async start(): Promise<void> {
    try {
      this.subscription = await this.backend.subscribe(
        this.root,
        (err, events) => this.onEvents(err, events),
        {
          ignore: [/[\\/]\.git([\\/]|$)/],
        },
      )
    } catch (err) {
      this.error = `file watcher unavailable (${describeError(err)}); every snapshot stats every file`
      this.lost = true
    }
  }

  private onEvents(err: Error | null, events: WatchEvent[]): void {
    this.lastDeliveryAt = performance.now()
    if (err) {
      this.error = `file watcher error (${err.message}); the next snapshot stats every file`
      this.lost = true
    }
    let sawRoot = false
    const prefix = this.root.endsWith(sep) ? this.root : this.root + sep
    for (const e of events) {
      if (e.path === this.root) {
        // The root itself: our sync marker, or the root deleted/renamed (then nothing is watched).
        if (e.type === 'delete') this.lost = true
        sawRoot = true
        continue
      }
      if (!e.path.startsWith(prefix)) continue
      const rel = e.path.slice(prefix.length).split(sep).join('/')
      if (this.excluded.some((x) => rel === x || rel.startsWith(`${x}/`))) continue
      if (this.dirty.size >= MAX_DIRTY) this.lost = true
      else this.dirty.add(rel)
    }
    if (this.lost) this.dirty.clear()
    // Resolve after the whole batch is in the dirty set.
    if (sawRoot && this.waiters.length > 0) {
      const waiters = this.waiters
      this.waiters = []
      for (const w of waiters) w()
    }
  }

  /** Whether a sync now would likely wait for the watcher's 50 ms batch. */
  busy(): boolean {
    return performance.now() - this.lastDeliveryAt < WATCHER_BATCH_WINDOW_MS
  }

  /**
   * Wait until every change made before this call is in the dirty set. False when that cannot be
   * known (no watcher, the marker failed or timed out): the caller must stat every file.
   */
  async sync(timeoutMs: number): Promise<boolean> {
    if (!this.subscription) return false
    const stale = this.staleSync
    let timer: NodeJS.Timeout | undefined
    let resolveWait!: () => void
    const arrived = new Promise<void>((resolve) => (resolveWait = resolve))
    this.waiters.push(resolveWait)
    try {
      const st = await this.fs.lstat(this.root)
      await this.fs.chmod(this.root, st.mode & 0o7777)
    } catch (err) {
      this.waiters = this.waiters.filter((w) => w !== resolveWait)
      this.error = `could not mark the workspace root for the watcher (${describeError(err)}); snapshots stat every file`
      return false
    }
    const ok = await Promise.race([
      arrived.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ])
    clearTimeout(timer)
    if (!ok) {
      this.waiters = this.waiters.filter((w) => w !== resolveWait)
      this.staleSync = true
      return false
    }
    this.staleSync = false
    return !stale
  }

  /** Take the dirty paths seen so far. `full`: events were lost — stat everything. */
  take(): { paths: Set<string>; full: boolean } {
    const out = { paths: this.dirty, full: this.lost || !this.subscription }
    this.dirty = new Set()
    this.lost = false
    return out
  }

  /** Put back paths a failed snapshot did not finish with. */
  putBack(paths: Iterable<string>, full: boolean): void {
    for (const p of paths) this.dirty.add(p)
    if (full) this.lost = true
  }

  async close(): Promise<void> {
    const sub = this.subscription
    this.subscription = null
    for (const w of this.waiters) w()
    this.waiters = []
    // @parcel/watcher fails to unsubscribe when a watched folder was deleted meanwhile (the kernel
    // already dropped that watch); the subscription is gone either way.
    if (sub) await sub.unsubscribe().catch(() => undefined)
  }
}
