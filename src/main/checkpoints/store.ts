import { homedir } from 'node:os'
import { join, parse, relative, sep } from 'node:path'
import { performance } from 'node:perf_hooks'
import { buildDiff, summarize } from './changes'
import { CheckpointError, describeError, errnoCode, isMissing } from './errors'
import type { CheckpointFs } from './fs-ops'
import { nodeCheckpointFs } from './fs-ops'
import { collectGarbage, reachableFrom } from './gc'
import { decodeCommit, encodeCommit, hashObject } from './git-object'
import type { Oid } from './git-object'
import { parseGitIndex } from './git-index'
import type { IndexEntry } from './git-index'
import { findUserRepo, globalExcludesFile } from './git-repo'
import type { UserRepo } from './git-repo'
import { HashPool } from './hash-pool'
import { IgnoreRules, isIgnoreFile } from './ignore-rules'
import { acquireLock, initStore, releaseLock, storeBytes, storeLayout } from './layout'
import type { StoreLayout } from './layout'
import { Mutex } from './mutex'
import { deflateLoose, ObjectStore } from './object-store'
import { deflatePacked } from './pack-writer'
import { checkpointRef, decodeMessage, encodeMessage, RefStore } from './refs'
import type { CheckpointMeta, RefEntry } from './refs'
import { applyRestore, unsafePath } from './restore'
import { scan } from './scan'
import type { Seed } from './scan'
import { StatCacheFile } from './stat-cache'
import { TreeReader } from './tree-reader'
import {
  CheckpointIdSchema,
  OpenOptionsSchema,
  PruneLimitsSchema,
  RestoreInputSchema,
  SegmentSchema,
  SnapshotInputSchema,
} from './types'
import type {
  CheckpointInfo,
  DiffResult,
  OpenOptions,
  OpenOptionsInput,
  PruneLimits,
  PruneResult,
  RestoreOptions,
  RestoreResult,
  SnapshotInput,
  SnapshotResult,
  Unprotected,
} from './types'
import { DirtyTracker, parcelWatchBackend } from './watcher'
import type { WatchBackend } from './watcher'
import { WorktreeState } from './worktree-state'
import type { Tracked } from './worktree-state'
import type { z } from 'zod'

/** What `openCheckpointStore` takes besides the serialisable options. */
export interface OpenDeps {
  /** Filesystem operations (default: node:fs) — the fault-injection point. */
  fs?: CheckpointFs
  /** The recursive watcher (default: @parcel/watcher); null to run without one (every snapshot
   * then stats every file). */
  watch?: WatchBackend | null
}

export interface CheckpointStore {
  /** The workspace folder (real path). */
  readonly root: string
  /** The shadow repository (a bare git directory; `git --git-dir=<storeDir>` reads it). */
  readonly storeDir: string
  snapshot(input: SnapshotInput): Promise<SnapshotResult>
  list(sessionId: string): Promise<CheckpointInfo[]>
  diff(from: string, to: string): Promise<DiffResult>
  restore(target: string, options?: RestoreOptions): Promise<RestoreResult>
  prune(limits: PruneLimits): Promise<PruneResult>
  deleteSession(sessionId: string): Promise<PruneResult>
  close(): Promise<void>
}

function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const r = schema.safeParse(value)
  if (!r.success) {
    const issues = r.error.issues
      .map((i) => `${i.path.length ? i.path.join('.') : what}: ${i.message}`)
      .join('; ')
    throw new CheckpointError('invalid_input', `Invalid ${what}: ${issues}`)
  }
  return r.data
}

/** Past this many changed paths, one walk of the workspace is cheaper than looking at each. */
const MAX_DIRTY_PATHS = 5000

/** From this many new trees in one snapshot, they go into a pack rather than a file each. */
const BULK_TREES = 64

function isStoreWriteError(err: unknown): boolean {
  const code = errnoCode(err)
  return (
    code !== undefined &&
    ['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EIO', 'EMFILE', 'ENFILE'].includes(code)
  )
}

async function resolveRoot(fs: CheckpointFs, root: string, home: string): Promise<string> {
  let real: string
  try {
    real = await fs.realpath(root)
  } catch (err) {
    throw new CheckpointError('invalid_input', `Workspace root "${root}": ${describeError(err)}`)
  }
  const st = await fs.lstat(real)
  if (!st.isDirectory)
    throw new CheckpointError('invalid_input', `Workspace root "${root}" is not a folder.`)
  if (real === parse(real).root) {
    throw new CheckpointError(
      'refused_root',
      `Refusing to checkpoint the filesystem root "${real}".`,
    )
  }
  const realHome = await fs.realpath(home).catch(() => home)
  if (real === realHome) {
    throw new CheckpointError(
      'refused_root',
      `Refusing to checkpoint the home folder "${real}" itself: choose a project folder inside it.`,
    )
  }
  return real
}

/** Where `inner` sits below `outer` as a `/`-path, or null when it is not inside. */
function inside(outer: string, inner: string): string | null {
  const rel = relative(outer, inner)
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) return null
  return rel.split(sep).join('/')
}

interface SessionHead {
  n: number
  oid: Oid
  tree: Oid
}

class Store implements CheckpointStore {
  readonly storeDir: string
  private readonly mutex = new Mutex()
  private readonly objects: ObjectStore
  private readonly reader: TreeReader
  private readonly refs: RefStore
  private readonly cacheFile: StatCacheFile
  private readonly state = new WorktreeState()
  private readonly unprotected = new Map<string, Unprotected>()
  private readonly pool = new HashPool()
  private readonly heads = new Map<string, SessionHead | null>()
  private readonly infos = new Map<Oid, CheckpointInfo>()
  private tracker: DirtyTracker | null = null
  private rules: IgnoreRules
  private retry: string[] = []
  private lastTree: Oid | null = null
  private fullPassDue = true
  private seed: Seed | null = null
  private closed = false
  private timer: NodeJS.Timeout | null = null
  private pendingWarnings: string[] = []
  private reportedWatcherError: string | null = null
  /** Work done since the last snapshot result (background passes included). */
  private work = { hashed: 0, copied: 0 }
  /**
   * Write the trees that changed: a few as loose objects, many (a first snapshot) as one pack.
   * Returns the root tree id; every tree is on disk when this returns.
   */
  private async writeTrees(): Promise<Oid> {
    const fresh = new Map<Oid, Buffer>()
    const root = await this.state.writeTrees(async (content, entries) => {
      const oid = hashObject('tree', content)
      if (!fresh.has(oid) && !(await this.objects.has(oid))) fresh.set(oid, content)
      this.reader.remember(oid, entries)
      return oid
    })
    try {
      if (fresh.size >= BULK_TREES) {
        const bulk = this.objects.bulk()
        for (const [oid, content] of fresh) {
          await bulk.add({
            oid,
            type: 'tree',
            size: content.length,
            deflated: deflatePacked(content),
          })
        }
        await bulk.flush()
      } else {
        for (const [oid, content] of fresh)
          await this.objects.writeDeflated(oid, deflateLoose('tree', content))
      }
    } catch (err) {
      // The state believes these trees exist: make it compute (and write) them again.
      this.state.invalidateTrees()
      throw err
    }
    return root
  }

  /** Stat-cache changes not yet persisted. */
  private pendingChanged: Array<[string, Tracked | undefined]> = []

  constructor(
    private readonly fs: CheckpointFs,
    private readonly options: OpenOptions,
    readonly root: string,
    private readonly layout: StoreLayout,
    private readonly repo: UserRepo | null,
    globalExcludes: string | null,
    /** Root-relative folders never captured. */
    private readonly excluded: string[],
  ) {
    this.storeDir = layout.gitdir
    this.objects = new ObjectStore(fs, layout.gitdir)
    this.reader = new TreeReader(this.objects)
    this.refs = new RefStore(fs, layout.gitdir, layout.tmp)
    this.cacheFile = new StatCacheFile(fs, layout.own, root)
    this.rules = new IgnoreRules(fs, root, repo, globalExcludes)
  }

  async start(watch: WatchBackend | null): Promise<void> {
    if (this.options.readOnly) return
    if (watch) {
      this.tracker = new DirtyTracker(this.fs, watch, this.root, this.excluded)
      await this.tracker.start()
      if (this.tracker.error) {
        this.pendingWarnings.push(this.tracker.error)
        this.reportedWatcherError = this.tracker.error
      }
    }
    await this.objects.listAllLoose()
    const cache = await this.cacheFile.load()
    for (const [path, t] of cache.entries) this.state.set(path, t)
    this.lastTree = cache.latest ? await this.treeOf(cache.latest) : null
    this.seed = await this.loadSeed()
    // The first full pass runs now, in the background; the first snapshot waits for it.
    void this.mutex.run(() => this.fullPass()).catch(() => undefined)
    this.timer = setInterval(() => {
      void this.mutex.run(() => this.fullPass()).catch(() => undefined)
    }, this.options.fullPassIntervalMs)
    this.timer.unref()
  }

  private async treeOf(commit: Oid): Promise<Oid | null> {
    try {
      const obj = await this.objects.read(commit)
      return obj.type === 'commit' ? decodeCommit(obj.content).tree : null
    } catch {
      return null // pruned away: the next snapshot is a baseline
    }
  }

  /** The user's git index as a seed for the first pass, or null (no repo, unsupported index). */
  private async loadSeed(): Promise<Seed | null> {
    if (!this.repo) return null
    const indexPath = join(this.repo.gitdir, 'index')
    let buf: Buffer
    let mtimeMs: number
    try {
      buf = await this.fs.readFile(indexPath)
      mtimeMs = (await this.fs.lstat(indexPath)).mtimeMs
    } catch {
      return null
    }
    const parsed = parseGitIndex(buf)
    if (!parsed.ok) {
      this.pendingWarnings.push(
        `git index not used (${parsed.reason}): the first snapshot hashes every file`,
      )
      return null
    }
    const entries = new Map<string, IndexEntry>()
    const prefix = this.repo.prefix ? `${this.repo.prefix}/` : ''
    for (const e of parsed.entries) {
      if (prefix && !e.path.startsWith(prefix)) continue
      entries.set(e.path.slice(prefix.length), e)
    }
    return {
      entries,
      indexMtimeMs: mtimeMs,
      objects: new ObjectStore(this.fs, this.repo.commondir),
    }
  }

  /** The index seed serves the first full pass only; its pack data can go. */
  private async dropSeed(): Promise<void> {
    const seed = this.seed
    this.seed = null
    await seed?.objects.close()
  }

  private scanDeps(seed: Seed | null): Parameters<typeof scan>[0] {
    return {
      fs: this.fs,
      root: this.root,
      state: this.state,
      rules: this.rules,
      objects: this.objects,
      pool: this.pool,
      sizeCap: this.options.sizeCap,
      excluded: this.excluded,
      unprotected: this.unprotected,
      seed,
      now: () => Date.now(),
    }
  }

  /** Stat every file (hash only what changed) and persist the cache. Background or on demand. */
  private async fullPass(): Promise<void> {
    if (this.closed) return
    this.rules.invalidate()
    const taken = this.tracker?.take()
    try {
      const outcome = await scan(this.scanDeps(this.seed), [], true)
      this.work.hashed += outcome.hashed
      this.work.copied += outcome.copied
      this.retry = outcome.retry
      await this.dropSeed()
      this.fullPassDue = false
      await this.cacheFile.rewrite(this.state.files).catch(() => undefined)
    } catch (err) {
      // Put back what the watcher reported; the next snapshot tries again (and reports it).
      if (taken) this.tracker?.putBack(taken.paths, true)
      this.fullPassDue = true
      throw err
    }
  }

  private ensureWritable(): void {
    if (this.closed) throw new CheckpointError('store_closed', 'The checkpoint store is closed.')
    if (this.options.readOnly) {
      throw new CheckpointError('store_read_only', 'The checkpoint store was opened read-only.')
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new CheckpointError('store_closed', 'The checkpoint store is closed.')
  }

  async snapshot(input: SnapshotInput): Promise<SnapshotResult> {
    const parsed = parseInput(SnapshotInputSchema, input, 'snapshot input')
    this.ensureWritable()
    return this.mutex.run(() => this.doSnapshot(parsed))
  }

  /** Bring the state up to date with the workspace; returns the root tree id and warnings. */
  private async refresh(warnings: string[]): Promise<Oid> {
    let full = this.fullPassDue
    const tracker = this.tracker
    if (!tracker) full = true
    else if (!full) {
      // Freshness: every change made before this call must be in the dirty set. Waiting for the
      // watcher's marker costs up to its 50 ms batch when it was busy; a small workspace is
      // cheaper to stat whole.
      if (tracker.busy() && this.state.size <= this.options.statPassMaxFiles) full = true
      else if (!(await tracker.sync(this.options.syncTimeoutMs))) full = true
    }
    const taken = tracker?.take() ?? { paths: new Set<string>(), full: true }
    if (taken.full || taken.paths.size > MAX_DIRTY_PATHS) full = true
    // Say once what went wrong with the watcher (each new problem once).
    if (tracker?.error && tracker.error !== this.reportedWatcherError) {
      warnings.push(tracker.error)
      this.reportedWatcherError = tracker.error
    }
    const dirty = new Set([...taken.paths, ...this.retry])
    for (const p of dirty) {
      if (isIgnoreFile(p)) {
        this.rules.invalidate()
        full = true
        break
      }
    }
    if (full) this.rules.invalidate()
    try {
      const outcome = await scan(this.scanDeps(this.seed), dirty, full)
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

  private async sessionHead(sessionId: string): Promise<SessionHead | null> {
    if (this.heads.has(sessionId)) return this.heads.get(sessionId) ?? null
    const refs = await this.refs.list(sessionId)
    let head: SessionHead | null = null
    const last = refs[refs.length - 1]
    if (last) {
      const info = await this.info(last)
      head = { n: last.n, oid: last.oid, tree: info?.tree ?? '' }
    }
    this.heads.set(sessionId, head)
    return head
  }

  private async doSnapshot(input: z.output<typeof SnapshotInputSchema>): Promise<SnapshotResult> {
    const t0 = performance.now()
    const warnings = this.pendingWarnings.splice(0)
    let tree: Oid
    try {
      tree = await this.refresh(warnings)
    } catch (err) {
      if (!isStoreWriteError(err)) throw err
      return this.failed(err, warnings, t0)
    }
    const head = await this.sessionHead(input.sessionId)
    const unprotected = [...this.unprotected.values()].sort((a, b) => (a.path < b.path ? -1 : 1))
    const work = this.work
    this.work = { hashed: 0, copied: 0 }
    if (head && head.tree === tree) {
      await this.persistCache(warnings)
      return {
        ok: true,
        id: head.oid,
        ref: checkpointRef(input.sessionId, head.n),
        sessionId: input.sessionId,
        n: head.n,
        changed: false,
        baseline: false,
        files: [],
        unprotected,
        warnings,
        ...work,
        durationMs: performance.now() - t0,
      }
    }
    try {
      const baseline = this.lastTree === null
      const files = baseline
        ? []
        : await summarize(this.objects, await this.reader.diff(this.lastTree!, tree))
      const n = (head?.n ?? 0) + 1
      const createdAt = Date.now()
      const meta: CheckpointMeta = {
        v: 1,
        session: input.sessionId,
        n,
        reason: input.reason,
        label: input.label ?? null,
        createdAt,
        files: files.length,
        additions: files.reduce((s, f) => s + (f.additions ?? 0), 0),
        deletions: files.reduce((s, f) => s + (f.deletions ?? 0), 0),
        unprotected: unprotected.length,
      }
      const commit = encodeCommit({
        tree,
        parents: [],
        time: Math.floor(createdAt / 1000),
        message: encodeMessage(meta),
      })
      // Objects first, the ref last (atomically): a crash before leaves no checkpoint, never a
      // broken one.
      const id = await this.objects.write('commit', commit)
      const ref = await this.refs.write(input.sessionId, n, id)
      this.heads.set(input.sessionId, { n, oid: id, tree })
      this.infos.set(id, this.toInfo(id, meta, tree))
      this.lastTree = tree
      await this.persistCache(warnings, id)
      return {
        ok: true,
        id,
        ref,
        sessionId: input.sessionId,
        n,
        changed: true,
        baseline,
        files,
        unprotected,
        warnings,
        ...work,
        durationMs: performance.now() - t0,
      }
    } catch (err) {
      if (!isStoreWriteError(err)) throw err
      return this.failed(err, warnings, t0)
    }
  }

  private failed(err: unknown, warnings: string[], t0: number): SnapshotResult {
    return {
      ok: false,
      code: 'store_write_failed',
      message: `Checkpoint not taken: the store could not be written (${describeError(err)}). Your files are untouched, but this step is unprotected.`,
      unprotected: [...this.unprotected.values()],
      warnings,
      durationMs: performance.now() - t0,
    }
  }

  private async persistCache(warnings: string[], latest?: Oid): Promise<void> {
    const changed = this.pendingChanged.splice(0)
    try {
      await this.cacheFile.append(changed, this.state.files, latest)
    } catch (err) {
      // Only a cache: the next start re-hashes what it cannot vouch for.
      warnings.push(`stat cache not saved (${describeError(err)})`)
    }
  }

  private toInfo(id: Oid, meta: CheckpointMeta, tree: Oid): CheckpointInfo {
    return {
      id,
      ref: checkpointRef(meta.session, meta.n),
      sessionId: meta.session,
      n: meta.n,
      reason: meta.reason,
      label: meta.label,
      createdAt: meta.createdAt,
      tree,
      filesChanged: meta.files,
      additions: meta.additions,
      deletions: meta.deletions,
      unprotected: meta.unprotected,
    }
  }

  /** A checkpoint's details from its commit (cached: commits never change). */
  private async info(ref: RefEntry): Promise<CheckpointInfo | null> {
    const hit = this.infos.get(ref.oid)
    if (hit) return hit
    try {
      const obj = await this.objects.read(ref.oid)
      if (obj.type !== 'commit') return null
      const commit = decodeCommit(obj.content)
      const meta = decodeMessage(commit.message) ?? {
        v: 1 as const,
        session: ref.sessionId,
        n: ref.n,
        reason: 'unknown',
        label: null,
        createdAt: commit.time * 1000,
        files: 0,
        additions: 0,
        deletions: 0,
        unprotected: 0,
      }
      const info = this.toInfo(ref.oid, { ...meta, session: ref.sessionId, n: ref.n }, commit.tree)
      this.infos.set(ref.oid, info)
      return info
    } catch (err) {
      if (isMissing(err)) return null
      throw err
    }
  }

  async list(sessionId: string): Promise<CheckpointInfo[]> {
    const session = parseInput(SegmentSchema, sessionId, 'session id')
    this.ensureOpen()
    return this.mutex.run(async () => {
      const out: CheckpointInfo[] = []
      for (const ref of await this.refs.list(session)) {
        const info = await this.info(ref)
        if (info) out.push(info)
      }
      return out
    })
  }

  /** A checkpoint id → its tree and metadata; a clear error when it is not one of ours. */
  private async resolveCheckpoint(id: string): Promise<{ tree: Oid; meta: CheckpointMeta | null }> {
    let obj
    try {
      obj = await this.objects.read(id)
    } catch (err) {
      if (isMissing(err))
        throw new CheckpointError('not_found', `No checkpoint ${id} in this workspace.`)
      throw err
    }
    if (obj.type !== 'commit') throw new CheckpointError('not_found', `${id} is not a checkpoint.`)
    const commit = decodeCommit(obj.content)
    return { tree: commit.tree, meta: decodeMessage(commit.message) }
  }

  async diff(from: string, to: string): Promise<DiffResult> {
    const a = parseInput(CheckpointIdSchema, from, 'checkpoint id (from)')
    const b = to === 'worktree' ? to : parseInput(CheckpointIdSchema, to, 'checkpoint id (to)')
    this.ensureOpen()
    if (b === 'worktree' && this.options.readOnly) {
      throw new CheckpointError(
        'store_read_only',
        'A read-only store cannot diff against the working tree.',
      )
    }
    return this.mutex.run(async () => {
      const treeA = (await this.resolveCheckpoint(a)).tree
      let treeB: Oid
      if (b === 'worktree') {
        try {
          treeB = await this.refresh([])
        } catch (err) {
          if (!isStoreWriteError(err)) throw err
          throw new CheckpointError(
            'store_write_failed',
            `Cannot read the working tree into the store: ${describeError(err)}`,
          )
        }
      } else treeB = (await this.resolveCheckpoint(b)).tree
      const files = await buildDiff(this.objects, await this.reader.diff(treeA, treeB))
      return { from: a, to: b, files }
    })
  }

  async restore(target: string, options: RestoreOptions = {}): Promise<RestoreResult> {
    const id = parseInput(CheckpointIdSchema, target, 'checkpoint id')
    const opts = parseInput(RestoreInputSchema, options, 'restore options')
    const scope = opts.files?.map((f) => f.replace(/^\.\/+/, '').replace(/\/+$/, '')) ?? null
    for (const f of scope ?? []) {
      if (unsafePath(f))
        throw new CheckpointError('invalid_input', `Not a path inside the workspace: "${f}"`)
    }
    this.ensureWritable()
    return this.mutex.run(async () => {
      const { tree, meta } = await this.resolveCheckpoint(id)
      const sessionId = opts.sessionId ?? meta?.session
      if (!sessionId) {
        throw new CheckpointError(
          'invalid_input',
          `Checkpoint ${id} names no session: pass sessionId.`,
        )
      }
      // Every restore starts with a checkpoint of the present, so it can be undone.
      const undo = await this.doSnapshot({
        sessionId,
        reason: 'before-restore',
        label: `Before restoring ${id.slice(0, 12)}`,
      })
      if (!undo.ok) {
        throw new CheckpointError('store_write_failed', `Nothing restored: ${undo.message}`)
      }
      const currentTree =
        this.heads.get(sessionId)?.tree ?? (await this.resolveCheckpoint(undo.id)).tree
      const outcome = await applyRestore({
        fs: this.fs,
        root: this.root,
        objects: this.objects,
        changes: await this.reader.diff(currentTree, tree),
        scope,
      })
      // Whatever we touched is checked again by the next snapshot.
      this.retry.push(...outcome.written, ...outcome.deleted)
      return { target: id, ...outcome, undoId: undo.id, warnings: undo.warnings }
    })
  }

  async prune(limits: PruneLimits): Promise<PruneResult> {
    const parsed = parseInput(PruneLimitsSchema, limits, 'prune limits')
    this.ensureWritable()
    return this.mutex.run(async () => {
      const all: CheckpointInfo[] = []
      const refsById = new Map<string, RefEntry>()
      for (const ref of await this.refs.all()) {
        const info = await this.info(ref)
        if (info) {
          all.push(info)
          refsById.set(`${info.sessionId}/${info.n}`, ref)
        }
      }
      all.sort((x, y) => y.createdAt - x.createdAt || y.n - x.n)
      const drop = new Set<CheckpointInfo>()
      if (parsed.maxCount !== undefined) for (const c of all.slice(parsed.maxCount)) drop.add(c)
      if (parsed.maxAgeMs !== undefined) {
        const cutoff = Date.now() - parsed.maxAgeMs
        for (const c of all.slice(1)) if (c.createdAt < cutoff) drop.add(c)
      }
      if (parsed.maxBytes !== undefined) {
        const sizes = await this.objectSizes()
        let total = 0
        // Newest first, what each older checkpoint adds to what the newer ones already need.
        const seen = new Set<Oid>()
        let over = false
        for (let i = 0; i < all.length; i++) {
          const c = all[i]!
          if (!over) {
            const roots = { commits: [c.id], trees: [], blobs: [] }
            await reachableFrom(this.objects, this.reader, roots, seen, (oid) => {
              total += sizes.get(oid) ?? 0
            })
            // The newest checkpoint is always kept.
            if (total > parsed.maxBytes && i > 0) over = true
          }
          if (over) drop.add(c)
        }
      }
      const removed = all
        .filter((c) => drop.has(c))
        .sort((x, y) =>
          x.sessionId < y.sessionId ? -1 : x.sessionId > y.sessionId ? 1 : x.n - y.n,
        )
      return this.removeAndCollect(removed.map((c) => refsById.get(`${c.sessionId}/${c.n}`)!))
    })
  }

  private async objectSizes(): Promise<Map<Oid, number>> {
    const sizes = new Map<Oid, number>()
    for (const p of await this.objects.packReaders()) {
      for (const [oid, size] of p.index.sizes) sizes.set(oid, size)
    }
    for (const oid of await this.objects.listLoose()) {
      try {
        sizes.set(oid, (await this.fs.lstat(this.objects.loosePath(oid))).size)
      } catch (err) {
        if (!isMissing(err)) throw err
      }
    }
    return sizes
  }

  async deleteSession(sessionId: string): Promise<PruneResult> {
    const session = parseInput(SegmentSchema, sessionId, 'session id')
    this.ensureWritable()
    return this.mutex.run(async () => this.removeAndCollect(await this.refs.list(session)))
  }

  /** Remove refs, then free what no remaining ref (or the live workspace state) reaches. */
  private async removeAndCollect(refs: RefEntry[]): Promise<PruneResult> {
    const bytesBefore = await storeBytes(this.fs, this.layout.gitdir)
    // Temp files a crash left (refs never renamed into place).
    for (const d of await this.fs.readdir(this.layout.tmp).catch(() => [])) {
      await this.fs.unlink(join(this.layout.tmp, d.name)).catch(() => undefined)
    }
    const sessions = new Set<string>()
    for (const ref of refs) {
      await this.refs.remove(ref)
      sessions.add(ref.sessionId)
    }
    for (const s of sessions) {
      await this.refs.removeSessionDirIfEmpty(s)
      this.heads.delete(s)
    }
    const remaining = await this.refs.all()
    // Bring the live state up to date first so its blobs are all kept (they are what the next
    // snapshot will reference without re-hashing).
    const warnings: string[] = []
    const liveTree = await this.refresh(warnings)
    const reachable = await reachableFrom(this.objects, this.reader, {
      commits: remaining.map((r) => r.oid),
      trees: [liveTree, ...(this.lastTree ? [this.lastTree] : [])],
      blobs: [...this.state.files.values()].map((t) => t.oid),
    })

    await collectGarbage(this.fs, this.objects, reachable)
    for (const oid of [...this.infos.keys()]) if (!reachable.has(oid)) this.infos.delete(oid)
    // A cache log entry could name a blob just deleted: write the cache afresh.
    this.pendingChanged.length = 0
    await this.cacheFile.rewrite(this.state.files).catch(() => undefined)
    return {
      removed: refs.map((r) => r.ref),
      kept: remaining.length,
      bytesBefore,
      bytesAfter: await storeBytes(this.fs, this.layout.gitdir),
    }
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve()
    return this.mutex.run(async () => {
      this.closed = true
      if (this.timer) clearInterval(this.timer)
      await this.tracker?.close()
      await this.pool.close()
      await this.objects.close()
      await this.seed?.objects.close()
      if (!this.options.readOnly) {
        await this.persistCache([])
        await releaseLock(this.fs, this.layout)
      }
    })
  }
}

/**
 * Open (creating if needed) the checkpoint store of a workspace. See `index.ts` for the contract.
 * Throws `CheckpointError` — `invalid_input`, `refused_root` (`/`, home), `store_busy` (another
 * live process has it open for writing).
 */
export async function openCheckpointStore(
  input: OpenOptionsInput & OpenDeps,
): Promise<CheckpointStore> {
  const { fs: fsOpt, watch, ...rest } = input
  const options = parseInput(OpenOptionsSchema, rest, 'checkpoint store options')
  const fs = fsOpt ?? nodeCheckpointFs
  const home = options.home ?? homedir()
  const root = await resolveRoot(fs, options.root, home)
  const layout = storeLayout(options.dataDir, options.workspaceId)
  if (!options.readOnly) {
    await initStore(fs, layout)
    await acquireLock(fs, layout)
  }
  try {
    const repo = await findUserRepo(fs, root, await fs.realpath(home).catch(() => home))
    const globalExcludes = await globalExcludesFile(
      fs,
      { home, xdgConfigHome: options.xdgConfigHome ?? process.env.XDG_CONFIG_HOME },
      repo,
    )
    const realData = await fs.realpath(options.dataDir).catch(() => options.dataDir)
    const excluded = [inside(root, realData), inside(root, layout.gitdir)].filter(
      (x): x is string => x !== null,
    )
    const store = new Store(fs, options, root, layout, repo, globalExcludes, excluded)
    await store.start(watch === undefined ? parcelWatchBackend : watch)
    return store
  } catch (err) {
    if (!options.readOnly) await releaseLock(fs, layout)
    throw err
  }
}
