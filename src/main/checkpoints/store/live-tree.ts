import { join } from 'node:path'
import { describeError } from './errors'
import type { CheckpointFs } from '../git/fs-ops'
import { hashObject } from '../git/git-object'
import type { Oid } from '../git/git-object'
import { parseGitIndex } from '../git/git-index'
import type { IndexEntry } from '../git/git-index'
import type { UserRepo } from '../git/git-repo'
import { HashPool } from './hash-pool'
import { IgnoreRules, isIgnoreFile } from './ignore-rules'
import { deflateLoose, ObjectStore } from '../git/object-store'
import { deflatePacked } from '../git/pack-writer'
import { scan } from './scan'
import type { ScanDeps, Seed } from './scan'
import { StatCacheFile } from './stat-cache'
import type { TreeReader } from '../git/tree-reader'
import type { Unprotected } from './types'
import { DirtyTracker } from './watcher'
import type { WatchBackend } from './watcher'
import { WorktreeState } from './worktree-state'
import type { Tracked } from './worktree-state'

/** Past this many changed paths, one walk of the workspace is cheaper than looking at each. */
const MAX_DIRTY_PATHS = 5000
/** From this many new trees in one snapshot, they go into a pack rather than a file each. */
const BULK_TREES = 64

export interface LiveTreeOptions {
  fs: CheckpointFs
  root: string
  /** Where the stat cache lives (the store's own folder). */
  cacheDir: string
  repo: UserRepo | null
  globalExcludes: string | null
  /** Root-relative folders never captured. */
  excluded: string[]
  objects: ObjectStore
  reader: TreeReader
  sizeCap: number
  statPassMaxFiles: number
  syncTimeoutMs: number
}

/**
 * The workspace as the store sees it now: the watcher and its dirty set, the stat cache and the
 * folder tree of captured files, the ignore rules, the hash workers. `refresh()` brings it up to
 * date and writes the blobs and trees of what changed; committing is the store's business.
 * Not thread-safe: the store calls it under its mutex.
 */
export class LiveTree {
  readonly state = new WorktreeState()
  readonly unprotected = new Map<string, Unprotected>()
  /** Things to tell the next snapshot's caller (a watcher that failed, an index not used). */
  readonly notes: string[] = []
  private readonly pool = new HashPool()
  private readonly rules: IgnoreRules
  private readonly cacheFile: StatCacheFile
  private tracker: DirtyTracker | null = null
  private retry: string[] = []
  private fullPassDue = true
  private seed: Seed | null = null
  private reportedWatcherError: string | null = null
  /** Work done since the last `takeWork()` (background passes included). */
  private work = { hashed: 0, copied: 0 }
  /** Stat-cache changes not yet persisted. */
  private pendingChanged: Array<[string, Tracked | undefined]> = []

  constructor(private readonly o: LiveTreeOptions) {
    this.rules = new IgnoreRules(o.fs, o.root, o.repo, o.globalExcludes)
    this.cacheFile = new StatCacheFile(o.fs, o.cacheDir, o.root)
  }

  /** Subscribe the watcher and load the cache and index seed. Returns the latest checkpoint id. */
  async start(watch: WatchBackend | null): Promise<Oid | null> {
    if (watch) {
      const sentinels = join(this.o.cacheDir, 'sentinel')
      this.tracker = new DirtyTracker(this.o.fs, watch, this.o.root, this.o.excluded, sentinels)
      await this.tracker.start()
      if (this.tracker.error) {
        this.notes.push(this.tracker.error)
        this.reportedWatcherError = this.tracker.error
      }
    }
    const cache = await this.cacheFile.load()
    for (const [path, t] of cache.entries) this.state.set(path, t)
    this.seed = await this.loadSeed()
    return cache.latest
  }

  /** The user's git index as a seed for the first pass, or null (no repo, unsupported index). */
  private async loadSeed(): Promise<Seed | null> {
    const repo = this.o.repo
    if (!repo) return null
    const indexPath = join(repo.gitdir, 'index')
    let buf: Buffer
    let mtimeMs: number
    try {
      buf = await this.o.fs.readFile(indexPath)
      mtimeMs = (await this.o.fs.lstat(indexPath)).mtimeMs
    } catch {
      return null
    }
    const parsed = parseGitIndex(buf)
    if (!parsed.ok) {
      this.notes.push(`git index not used (${parsed.reason}): the first snapshot hashes every file`)
      return null
    }
    const entries = new Map<string, IndexEntry>()
    const prefix = repo.prefix ? `${repo.prefix}/` : ''
    for (const e of parsed.entries) {
      if (prefix && !e.path.startsWith(prefix)) continue
      entries.set(e.path.slice(prefix.length), e)
    }
    return { entries, indexMtimeMs: mtimeMs, objects: new ObjectStore(this.o.fs, repo.commondir) }
  }

  /** The index seed serves the first full pass only; its pack data can go. */
  private async dropSeed(): Promise<void> {
    const seed = this.seed
    this.seed = null
    await seed?.objects.close()
  }

  private scanDeps(): ScanDeps {
    return {
      fs: this.o.fs,
      root: this.o.root,
      state: this.state,
      rules: this.rules,
      objects: this.o.objects,
      pool: this.pool,
      sizeCap: this.o.sizeCap,
      excluded: this.o.excluded,
      unprotected: this.unprotected,
      seed: this.seed,
      now: () => Date.now(),
    }
  }

  /** Stat every file (hash only what changed) and persist the cache. Background or on demand. */
  async fullPass(): Promise<void> {
    this.rules.invalidate()
    const taken = this.tracker?.take()
    try {
      const outcome = await scan(this.scanDeps(), [], true)
      this.work.hashed += outcome.hashed
      this.work.copied += outcome.copied
      this.retry = outcome.retry
      await this.dropSeed()
      this.fullPassDue = false
      this.pendingChanged.length = 0
      await this.cacheFile.rewrite(this.state.files).catch(() => undefined)
    } catch (err) {
      // Put back what the watcher reported; the next snapshot tries again (and reports it).
      if (taken) this.tracker?.putBack(taken.paths, true)
      this.fullPassDue = true
      throw err
    }
  }

  /**
   * Bring the state up to date with the workspace — everything changed before this call — and
   * write the blobs and trees of what changed. Returns the root tree id. Throws only when the
   * store cannot be written (then the next call looks at everything again).
   */
  async refresh(warnings: string[]): Promise<Oid> {
    let full = this.fullPassDue
    const tracker = this.tracker
    if (!tracker) full = true
    else if (!full) {
      // Freshness: every change made before this call must be in the dirty set. Waiting for the
      // watcher's marker costs up to its 50 ms batch when it was busy; a small workspace is
      // cheaper to stat whole.
      if (tracker.busy() && this.state.size <= this.o.statPassMaxFiles) full = true
      else if (!(await tracker.sync(this.o.syncTimeoutMs))) full = true
    }
    const taken = tracker?.take() ?? { paths: new Set<string>(), full: true }
    if (taken.full || taken.paths.size > MAX_DIRTY_PATHS) full = true
    // Say what went wrong with the watcher, each new problem once.
    if (tracker?.error && tracker.error !== this.reportedWatcherError) {
      warnings.push(tracker.error)
      this.reportedWatcherError = tracker.error
    }
    const dirty = new Set([...taken.paths, ...this.retry])
    for (const p of dirty) {
      if (isIgnoreFile(p)) {
        full = true
        break
      }
    }
    if (full) this.rules.invalidate()
    try {
      const outcome = await scan(this.scanDeps(), dirty, full)
      this.work.hashed += outcome.hashed
      this.work.copied += outcome.copied
      this.retry = outcome.retry
      if (full) {
        this.fullPassDue = false
        await this.dropSeed()
      }
      this.pendingChanged.push(...outcome.changed)
      return await this.writeTrees()
    } catch (err) {
      tracker?.putBack(dirty, full)
      if (full) this.fullPassDue = true
      throw err
    }
  }

  /**
   * Write the trees that changed: a few as loose objects, many (a first snapshot) as one pack.
   * Returns the root tree id; every tree is on disk when this returns.
   */
  private async writeTrees(): Promise<Oid> {
    const { objects, reader } = this.o
    const fresh = new Map<Oid, Buffer>()
    const root = await this.state.writeTrees(async (content, entries) => {
      const oid = hashObject('tree', content)
      if (!fresh.has(oid) && !(await objects.has(oid))) fresh.set(oid, content)
      reader.remember(oid, entries)
      return oid
    })
    try {
      if (fresh.size >= BULK_TREES) {
        const bulk = objects.bulk()
        for (const [oid, content] of fresh) {
          const deflated = deflatePacked(content)
          await bulk.add({ oid, type: 'tree', size: content.length, deflated })
        }
        await bulk.flush()
      } else {
        for (const [oid, content] of fresh) {
          await objects.writeDeflated(oid, deflateLoose('tree', content))
        }
      }
    } catch (err) {
      // The state believes these trees exist: make it compute (and write) them again.
      this.state.invalidateTrees()
      throw err
    }
    return root
  }

  takeWork(): { hashed: number; copied: number } {
    const work = this.work
    this.work = { hashed: 0, copied: 0 }
    return work
  }

  unprotectedList(): Unprotected[] {
    return [...this.unprotected.values()].sort((a, b) => (a.path < b.path ? -1 : 1))
  }

  /** Look at these paths again at the next refresh (a restore just wrote them). */
  recheck(paths: string[]): void {
    this.retry.push(...paths)
  }

  /** Blobs the live state references (kept by a GC: the next snapshot reuses them unhashed). */
  blobs(): Oid[] {
    return [...this.state.files.values()].map((t) => t.oid)
  }

  /** Record cache changes (and the latest checkpoint). A failure is a warning: it is a cache. */
  async persist(warnings: string[], latest?: Oid): Promise<void> {
    const changed = this.pendingChanged.splice(0)
    try {
      await this.cacheFile.append(changed, this.state.files, latest)
    } catch (err) {
      warnings.push(`stat cache not saved (${describeError(err)})`)
    }
  }

  /** Write the cache afresh (after a GC: an old log line could name a blob just deleted). */
  async rewriteCache(): Promise<void> {
    this.pendingChanged.length = 0
    await this.cacheFile.rewrite(this.state.files).catch(() => undefined)
  }

  async close(): Promise<void> {
    await this.tracker?.close()
    await this.pool.close()
    await this.dropSeed()
  }
}
