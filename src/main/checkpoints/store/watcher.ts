import { createRequire } from 'node:module'
import { join, sep } from 'node:path'
import { describeError } from './errors'
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../git/fs-ops'
import type { CheckpointFs } from '../git/fs-ops'

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
/** Longest wait, after a sentinel answered, for the workspace's own batch (50 ms, with margin). */
const SENTINEL_SETTLE_MS = 200

/**
 * Feeds the dirty set from the watcher and answers "has every change made before now been seen?".
 *
 * Sync marker, first choice: the root folder's permission bits are set to what they already are.
 * That changes no content or mode (only the folder's ctime) but makes the kernel queue an
 * attribute event for the root behind every event of changes made before it — in the same queue
 * and the same watcher subscription, so when it comes back, every earlier change is in the dirty
 * set. Where the platform does not report that (a timeout, or chmod refused), the marker becomes
 * a sentinel file created in the store's own watched folder: ordered in the kernel's queue too,
 * but delivered through a second subscription, so we let the event loop turn twice before trusting
 * it. When neither answers in time, the store stats every file instead.
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
  /** A sync timed out: a late marker event could answer the next sync too early. */
  private staleSync = false
  private marker: 'root' | 'sentinel' | 'none' = 'root'
  /** The root marker has worked at least once (a later timeout is load, not the platform). */
  private rootAnswered = false
  private sentinelSub: WatchSubscription | null = null
  private readonly sentinelWaiters = new Map<string, () => void>()
  private sentinelCount = 0

  constructor(
    private readonly fs: CheckpointFs,
    private readonly backend: WatchBackend,
    private readonly root: string,
    /** Paths below the root the store must never see (its own folder, when inside). */
    private readonly excluded: string[],
    /** A folder of the store's own for sentinel files (outside the workspace). */
    private readonly sentinelDir: string,
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
   * known (no watcher, no marker works, a timeout): the caller must stat every file.
   */
  async sync(timeoutMs: number): Promise<boolean> {
    if (!this.subscription) return false
    if (this.marker === 'root') {
      const r = await this.syncByRoot(timeoutMs)
      if (r !== 'unsupported') return r
      this.marker = 'sentinel'
      return this.syncBySentinel(timeoutMs)
    }
    if (this.marker === 'sentinel') return this.syncBySentinel(timeoutMs)
    return false
  }

  private async wait(arrived: Promise<void>, timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const ok = await Promise.race([
      arrived.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ])
    clearTimeout(timer)
    return ok
  }

  private async syncByRoot(timeoutMs: number): Promise<boolean | 'unsupported'> {
    const stale = this.staleSync
    let resolveWait!: () => void
    const arrived = new Promise<void>((resolve) => (resolveWait = resolve))
    this.waiters.push(resolveWait)
    try {
      const st = await this.fs.lstat(this.root)
      await this.fs.chmod(this.root, st.mode & 0o7777)
    } catch {
      this.waiters = this.waiters.filter((w) => w !== resolveWait)
      return 'unsupported'
    }
    if (!(await this.wait(arrived, timeoutMs))) {
      this.waiters = this.waiters.filter((w) => w !== resolveWait)
      this.staleSync = true
      // Never seen an answer: this platform's watcher does not report the root's own changes.
      if (!this.rootAnswered) {
        this.marker = 'sentinel'
        this.error =
          'the watcher does not report the workspace folder itself; syncing through a sentinel file in the store'
      }
      return false
    }
    this.rootAnswered = true
    this.staleSync = false
    return !stale
  }

  private async syncBySentinel(timeoutMs: number): Promise<boolean> {
    try {
      if (!this.sentinelSub) {
        await this.fs.mkdir(this.sentinelDir, PRIVATE_DIR_MODE)
        this.sentinelSub = await this.backend.subscribe(
          this.sentinelDir,
          (err, events) => {
            if (err) return
            for (const e of events) this.sentinelWaiters.get(e.path)?.()
          },
          { ignore: [] },
        )
      }
      const name = join(this.sentinelDir, `s-${process.pid}-${++this.sentinelCount}`)
      let resolveWait!: () => void
      const arrived = new Promise<void>((resolve) => (resolveWait = resolve))
      this.sentinelWaiters.set(name, resolveWait)
      const written = performance.now()
      try {
        await this.fs.writeFile(name, '', { mode: PRIVATE_FILE_MODE })
        if (!(await this.wait(arrived, timeoutMs))) return false
      } finally {
        this.sentinelWaiters.delete(name)
        void this.fs.unlink(name).catch(() => undefined)
      }
      // The workspace's events come through the other subscription. A busy one batches them for
      // 50 ms while the quiet sentinel one answers at once, so changes made before the sentinel
      // can arrive after it: wait for a workspace delivery after the write, or for a batch to pass.
      if (written - this.lastDeliveryAt < WATCHER_BATCH_WINDOW_MS) {
        const until = performance.now() + SENTINEL_SETTLE_MS
        while (this.lastDeliveryAt < written && performance.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
      }
      // A delivery in flight through the other subscription: let the event loop turn twice.
      for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve))
      return true
    } catch (err) {
      this.marker = 'none'
      this.error = `no way to sync with the watcher (${describeError(err)}); every snapshot stats every file`
      return false
    }
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
    const sentinel = this.sentinelSub
    this.sentinelSub = null
    if (sentinel) await sentinel.unsubscribe().catch(() => undefined)
  }
}
