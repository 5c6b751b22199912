import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { z } from 'zod'
import { buildDiff, summarize } from './changes'
import { isCommit, readCheckpointFile } from './checkpoint-file'
import type { CheckpointFileContent } from './checkpoint-file'
import { CheckpointError, describeError, isStoreWriteError, parseInput } from './errors'
import type { CheckpointFs } from '../git/fs-ops'
import { collectGarbage, reachableFrom } from '../git/gc'
import { decodeCommit, encodeCommit } from '../git/git-object'
import type { Oid } from '../git/git-object'
import { releaseLock, storeBytes } from './layout'
import type { StoreLayout } from './layout'
import { LiveTree } from './live-tree'
import type { LiveTreeOptions } from './live-tree'
import { Mutex } from './mutex'
import { ObjectStore } from '../git/object-store'
import { Catalog } from './catalog'
import { checkpointRef, encodeMessage, RefStore } from '../git/refs'
import type { CheckpointMeta, RefEntry } from '../git/refs'
import { applyRestore, unsafePath } from './restore'
import { changedOutside, expectedRestored } from './changed-outside'
import type { FileRef } from '../git/tree-reader'
import { withCollectLock } from './collect-lock'
import { chooseForPrune, objectSizes } from './retention'
import type { CheckpointStore } from './store'
import { TreeReader } from '../git/tree-reader'
import {
  ChangedOutsideInputSchema,
  CheckpointIdSchema,
  PruneLimitsSchema,
  RestoreInputSchema,
  SegmentSchema,
  SnapshotInputSchema,
} from './types'
import type {
  ChangedOutsideOptions,
  CheckpointInfo,
  DiffResult,
  OpenOptions,
  PruneLimits,
  PruneResult,
  RestoreOptions,
  RestoreResult,
  SnapshotInput,
  SnapshotResult,
} from './types'
import type { WatchBackend } from './watcher'

type LiveOptions = Omit<LiveTreeOptions, 'fs' | 'root' | 'cacheDir' | 'objects' | 'reader'>

/** The store behind `openCheckpointStore`: commits, refs, diffs, restores and GC over a LiveTree. */
export class ShadowStore implements CheckpointStore {
  readonly storeDir: string
  private readonly mutex = new Mutex()
  private readonly objects: ObjectStore
  private readonly reader: TreeReader
  private readonly refs: RefStore
  private readonly live: LiveTree
  private readonly catalog: Catalog
  /** The tree of the workspace's latest checkpoint (what a snapshot's `files` compare with). */
  private lastTree: Oid | null = null
  /** What restores since that checkpoint left the paths they touched as (null: deleted). */
  private readonly restored = new Map<string, FileRef | null>()
  private closed = false
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly fs: CheckpointFs,
    private readonly options: OpenOptions,
    readonly root: string,
    private readonly layout: StoreLayout,
    live: LiveOptions,
  ) {
    this.storeDir = layout.gitdir
    this.objects = new ObjectStore(fs, layout.gitdir)
    this.reader = new TreeReader(this.objects)
    this.refs = new RefStore(fs, layout.gitdir, layout.tmp)
    this.catalog = new Catalog(this.objects, this.refs)
    this.live = new LiveTree({
      ...live,
      fs,
      root,
      cacheDir: layout.own,
      objects: this.objects,
      reader: this.reader,
    })
  }

  async start(watch: WatchBackend | null): Promise<void> {
    if (this.options.readOnly) return
    await this.objects.listAllLoose()
    const latest = await this.live.start(watch)
    this.lastTree = latest ? await this.treeOf(latest) : null
    // The first full pass runs now, in the background; the first snapshot waits for it. Later
    // ones catch what a watcher might have missed.
    const pass = (): void => {
      void this.mutex
        .run(() => (this.closed ? Promise.resolve() : this.live.fullPass()))
        .catch(() => undefined)
    }
    pass()
    this.timer = setInterval(pass, this.options.fullPassIntervalMs)
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

  private ensureWritable(): void {
    this.ensureOpen()
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

  private async doSnapshot(input: z.output<typeof SnapshotInputSchema>): Promise<SnapshotResult> {
    const t0 = performance.now()
    const warnings = this.live.notes.splice(0)
    let tree: Oid
    try {
      tree = await this.live.refresh(warnings)
    } catch (err) {
      if (!isStoreWriteError(err)) throw err
      return this.failed(err, warnings, t0)
    }
    const head = await this.catalog.head(input.sessionId)
    const unprotected = this.live.unprotectedList()
    const work = this.live.takeWork()
    const result = { sessionId: input.sessionId, unprotected, warnings, ...work }
    if (head && head.tree === tree) {
      await this.live.persist(warnings)
      return {
        ok: true,
        ...result,
        id: head.oid,
        ref: checkpointRef(input.sessionId, head.n),
        n: head.n,
        changed: false,
        baseline: false,
        files: [],
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
      this.catalog.record(id, meta, tree)
      this.lastTree = tree
      this.restored.clear()
      await this.live.persist(warnings, id)
      return {
        ok: true,
        ...result,
        id,
        ref,
        n,
        changed: true,
        baseline,
        files,
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
      unprotected: this.live.unprotectedList(),
      warnings,
      durationMs: performance.now() - t0,
    }
  }

  async list(sessionId: string): Promise<CheckpointInfo[]> {
    const session = parseInput(SegmentSchema, sessionId, 'session id')
    this.ensureOpen()
    return this.mutex.run(() => this.catalog.list(session))
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
      const treeA = (await this.catalog.resolve(a)).tree
      const treeB = b === 'worktree' ? await this.worktree() : (await this.catalog.resolve(b)).tree
      const files = await buildDiff(this.objects, await this.reader.diff(treeA, treeB))
      return { from: a, to: b, files }
    })
  }

  /** The working tree's state, read into the store now. */
  private async worktree(): Promise<Oid> {
    try {
      return await this.live.refresh([])
    } catch (err) {
      if (!isStoreWriteError(err)) throw err
      throw new CheckpointError(
        'store_write_failed',
        `Cannot read the working tree into the store: ${describeError(err)}`,
      )
    }
  }

  async readFile(
    checkpointId: string,
    path: string,
    maxBytes: number,
  ): Promise<CheckpointFileContent> {
    this.ensureOpen()
    const reread = this.options.readOnly
    return this.mutex.run(() =>
      readCheckpointFile(this.objects, checkpointId, path, maxBytes, reread),
    )
  }

  async isCheckpoint(id: string): Promise<boolean> {
    this.ensureOpen()
    return this.mutex.run(() => isCommit(this.objects, id, this.options.readOnly))
  }

  async changedOutside(target: string, options: ChangedOutsideOptions = {}): Promise<string[]> {
    const { lastRestore, ...rest } = parseInput(ChangedOutsideInputSchema, options, 'options')
    const { id, scope } = this.restoreInput(target, rest)
    this.ensureWritable()
    return this.mutex.run(async () => {
      const { tree } = await this.catalog.resolve(id)
      const now = await this.worktree()
      const base = this.lastTree
      const treeOf = (c: string): Promise<Oid | null> =>
        this.catalog.resolve(c).then(
          (r) => r.tree,
          () => null,
        )
      const restored = await expectedRestored(this.reader, treeOf, base, this.restored, lastRestore)
      return changedOutside({ reader: this.reader, base, restored, now, target: tree, scope })
    })
  }

  private restoreInput(
    target: string,
    options: RestoreOptions,
  ): { id: string; opts: z.output<typeof RestoreInputSchema>; scope: string[] | null } {
    const id = parseInput(CheckpointIdSchema, target, 'checkpoint id')
    const opts = parseInput(RestoreInputSchema, options, 'restore options')
    const scope = opts.files?.map((f) => f.replace(/^\.\/+/, '').replace(/\/+$/, '')) ?? null
    for (const f of scope ?? []) {
      if (unsafePath(f)) {
        throw new CheckpointError('invalid_input', `Not a path inside the workspace: "${f}"`)
      }
    }
    return { id, opts, scope }
  }

  async restore(target: string, options: RestoreOptions = {}): Promise<RestoreResult> {
    const { id, opts, scope } = this.restoreInput(target, options)
    this.ensureWritable()
    return this.mutex.run(async () => {
      const { tree, meta } = await this.catalog.resolve(id)
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
        (await this.catalog.head(sessionId))?.tree ?? (await this.catalog.resolve(undo.id)).tree
      const changes = await this.reader.diff(currentTree, tree)
      const outcome = await applyRestore({
        fs: this.fs,
        root: this.root,
        objects: this.objects,
        changes,
        scope,
      })
      const byPath = new Map(changes.map((c) => [c.path, c.new]))
      for (const p of outcome.written) this.restored.set(p, byPath.get(p) ?? null)
      for (const p of outcome.deleted) this.restored.set(p, null)
      // Whatever we touched is looked at again by the next snapshot.
      this.live.recheck([...outcome.written, ...outcome.deleted])
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
        const info = await this.catalog.info(ref)
        if (info) {
          all.push(info)
          refsById.set(info.ref, ref)
        }
      }
      const sizes = parsed.maxBytes === undefined ? null : await objectSizes(this.objects, this.fs)
      const removed = await chooseForPrune(all, parsed, Date.now(), async (c, seen) => {
        let added = 0
        const roots = { commits: [c.id], trees: [], blobs: [] }
        await reachableFrom(this.objects, this.reader, roots, seen, (oid) => {
          added += sizes?.get(oid) ?? 0
        })
        return added
      })
      return this.removeAndCollect(removed.map((c) => refsById.get(c.ref)!))
    })
  }

  async deleteSession(sessionId: string): Promise<PruneResult> {
    const session = parseInput(SegmentSchema, sessionId, 'session id')
    this.ensureWritable()
    return this.mutex.run(async () => this.removeAndCollect(await this.refs.list(session)))
  }

  /**
   * Remove refs, then free what no remaining ref (nor the live workspace state, nor a deleted
   * worktree's save with its history) reaches. Under the collect lock: the git CLI may be writing
   * a save into this directory (see `collect-lock.ts`).
   */
  private removeAndCollect(refs: RefEntry[]): Promise<PruneResult> {
    return withCollectLock(this.fs, this.layout, () => this.removeAndCollectLocked(refs))
  }

  private async removeAndCollectLocked(refs: RefEntry[]): Promise<PruneResult> {
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
    for (const s of sessions) await this.refs.removeSessionDirIfEmpty(s)
    const remaining = await this.refs.all()
    // The live state first, so its blobs are all kept: the next snapshot references them
    // without re-hashing.
    const liveTree = await this.live.refresh([])
    // Packs the git CLI added since they were listed.
    await this.objects.invalidatePacks()
    const reachable = await reachableFrom(this.objects, this.reader, {
      history: await this.refs.historyRoots(),
      commits: remaining.map((r) => r.oid),
      trees: [liveTree, ...(this.lastTree ? [this.lastTree] : [])],
      blobs: this.live.blobs(),
    })
    await collectGarbage(this.fs, this.objects, reachable)
    this.catalog.forget(sessions, reachable)
    await this.live.rewriteCache()
    return {
      removed: refs.map((r) => r.ref),
      kept: remaining.length,
      bytesBefore,
      bytesAfter: await storeBytes(this.fs, this.layout.gitdir),
    }
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    return this.mutex.run(async () => {
      await this.live.close()
      await this.objects.close()
      if (!this.options.readOnly) {
        await this.live.persist([])
        await releaseLock(this.fs, this.layout)
      }
    })
  }
}
