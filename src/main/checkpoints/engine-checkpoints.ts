import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Database } from 'better-sqlite3'
import type { AppendEntry, CheckpointRecord } from '../../shared/entries'
import { ContractError } from '../../shared/errors'
import { abortableSleep } from '../core/sleep'
import type { Entry } from '../../shared/model'
import type { Logger } from '../core/logger'
import type { RunCheckpoints, SessionCheckpoints } from '../engine/checkpoint-hooks'
import type { Settings } from '../sessions/settings'
import type { Store } from '../sessions/store'
import { missedRecord, takenRecord } from './checkpoint-log'
import type { RecordContext } from './checkpoint-log'
import { ForeignRuns, HeldElsewhere } from './foreign-runs'
import { CheckpointError, SAVES_DIR } from './store'
import type { CheckpointFs, SnapshotOk, WatchBackend } from './store'
import { WorkspaceStores } from './workspace-stores'
import type { StoreSlot } from './workspace-stores'

/** Defaults of the retention settings (`checkpoints.*`). */
export const RETENTION_DEFAULTS = {
  maxCount: 2000,
  maxAgeDays: 30,
  maxBytes: 2 * 1024 ** 3,
}
/** Prune after this many snapshots of a store, or this long after the last prune. */
const PRUNE_EVERY_SNAPSHOTS = 50
const PRUNE_EVERY_MS = 60 * 60_000

export interface EngineCheckpointsDeps {
  dataDir: string
  home: string
  logger: Logger
  now: () => number
  /** Waits (a run polling for another process's checkpoint); rejects when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  db: Database
  store: Store
  settings: Settings
  /** Append to a session's log — through its runner when it has one, so a live run sees it. */
  append: AppendEntry
  /** Sessions this process is running now. */
  running: () => Array<{ sessionId: string; title: string; workspaceId: string }>
  /** What this process is ("the Paddock web host"): in its stores' locks and labels. */
  holderName?: string
  /** Fault injection for tests: the stores' filesystem and watcher. */
  fs?: CheckpointFs
  watch?: WatchBackend | null
  /**
   * Test hook: awaited before each checkpoint this process takes for a run elsewhere (a holder
   * made slow deterministically).
   */
  foreignGate?: () => Promise<void>
}

export interface WorkspaceRef {
  id: string
  path: string
}

/**
 * The engine's side of checkpoints: one store per workspace (see `WorkspaceStores`), snapshots for
 * runs (before mutating tools, after each step, at the end), their records in the session log, and
 * retention. A checkpoint that cannot be taken never stops an agent: the step is recorded as
 * unprotected, with a one-line reason, and a warning is logged.
 */
export class EngineCheckpoints {
  readonly stores: WorkspaceStores
  private readonly foreign: ForeignRuns

  readonly deps: EngineCheckpointsDeps & Required<Pick<EngineCheckpointsDeps, 'sleep'>>

  constructor(deps: EngineCheckpointsDeps) {
    this.deps = { sleep: abortableSleep, ...deps }
    this.foreign = new ForeignRuns(this, deps.holderName ?? 'this Paddock')
    const sizeCap = (): number | undefined => this.setting('checkpoints.sizeCapBytes')
    this.stores = new WorkspaceStores({
      dataDir: deps.dataDir,
      home: deps.home,
      logger: deps.logger,
      now: deps.now,
      sizeCap,
      ...(deps.holderName ? { holderName: deps.holderName } : {}),
      ...(deps.fs ? { fs: deps.fs } : {}),
      ...(deps.watch !== undefined ? { watch: deps.watch } : {}),
      onOpened: (slot) => this.opened(slot),
    })
  }

  /**
   * An entry was appended to a session's log (by any process): a run another process drives in a
   * workspace whose store this one holds gets its checkpoints taken here (see `ForeignRuns`).
   */
  noticeEntry(sessionId: string, entry: Entry): void {
    this.foreign.noticed(sessionId, entry)
  }

  /** What `SessionRunner` gets: per run, the hooks the agent loop calls. */
  forSession(sessionId: string): SessionCheckpoints {
    return { startRun: (turnId) => this.startRun(sessionId, turnId) }
  }

  /** The store a session's checkpoints go to: its worktree's own, or its workspace's. */
  workspaceOf(sessionId: string): WorkspaceRef {
    const root = this.deps.store.sessionRoot(sessionId)
    return { id: root.storeId, path: root.path }
  }

  /** The session's workspace store for `need`, or a contract error saying why it cannot be had. */
  async slotFor(
    sessionId: string,
    need: 'read' | 'write',
    /** What needs the store, for the error: "A restore". */
    what = 'This',
  ): Promise<StoreSlot & { store: NonNullable<StoreSlot['store']> }> {
    const ws = this.workspaceOf(sessionId)
    const slot = await this.stores.get(ws, need, true)
    if (slot.store && (need === 'read' || slot.writable)) return slot as never
    if (slot.code === 'store_busy') {
      throw new ContractError(
        'store_busy',
        `${slot.reason} ${what} needs it: do it in that Paddock, or close it and try again.`,
      )
    }
    throw new ContractError('io_error', slot.reason ?? 'The checkpoint store is not available.')
  }

  /** Append a checkpoint record; a log that cannot be written is logged, not thrown. */
  record(sessionId: string, payload: CheckpointRecord): Entry | null {
    try {
      return this.deps.append(sessionId, 'checkpoint', payload)
    } catch (err) {
      this.deps.logger.log('warn', 'could not record a checkpoint', {
        session: sessionId,
        error: String(err),
      })
      return null
    }
  }

  /** A snapshot was taken: prune now and then (in the background, after a step, not before one). */
  noteSnapshot(slot: StoreSlot, mayPrune: boolean): void {
    slot.snapshotsSincePrune += 1
    if (!mayPrune) return
    const due =
      slot.snapshotsSincePrune >= PRUNE_EVERY_SNAPSHOTS ||
      this.deps.now() - slot.lastPruneAt >= PRUNE_EVERY_MS
    if (due) this.prune(slot)
  }

  /** Free a deleted session's refs (and the space only they used). Never throws. */
  async deleteSession(sessionId: string, workspaceId: string): Promise<void> {
    this.foreign.forget(sessionId)
    if (!existsSync(join(this.stores.storeDir(workspaceId), 'refs', 'paddock', sessionId))) return
    try {
      const ws = this.deps.store.getWorkspace(workspaceId)
      const slot = await this.stores.get({ id: ws.id, path: ws.path }, 'write', true)
      if (!slot.writable || !slot.store) {
        this.deps.logger.log('warn', 'checkpoints of a deleted session kept for now', {
          session: sessionId,
          reason: slot.reason,
        })
        return
      }
      const r = await slot.store.deleteSession(sessionId)
      this.deps.logger.log('info', 'checkpoints of a deleted session freed', {
        session: sessionId,
        refs: r.removed.length,
        bytesFreed: r.bytesBefore - r.bytesAfter,
      })
    } catch (err) {
      this.deps.logger.log('warn', 'could not free the checkpoints of a deleted session', {
        session: sessionId,
        error: String(err),
      })
    }
  }

  /** Close every store: watchers stop, locks are released. `final`: no store opens again. */
  close(final = false): Promise<void> {
    return this.stores.closeAll(final)
  }

  // ─── runs ───────────────────────────────────────────────────────────────────────────────────

  private startRun(sessionId: string, turnId: string | null): RunCheckpoints {
    let ws: WorkspaceRef
    try {
      ws = this.workspaceOf(sessionId)
    } catch {
      return NO_CHECKPOINTS
    }
    // Open (or take over) the store now, in the background: the first mutating tool waits for it,
    // the model request does not.
    void this.stores.get(ws, 'write', true)
    // A store another process holds: that process takes this run's checkpoints, or the run is
    // recorded as unprotected.
    const elsewhere = new HeldElsewhere(this, sessionId, turnId)
    let pending: Promise<unknown> = Promise.resolve()
    let lastAnchor: string | null = null
    // Only a step that ran a tool which may change files needs its own checkpoint; whatever else
    // changed meanwhile (your editor) is caught by the next one, or the run's last.
    let mutated = false
    // Whether one of its tools may have run since its last snapshot: what the next snapshot finds
    // changed is then that tool's doing (see `ownChanges`).
    let toolRan = false
    const ctx = (reason: RecordContext['reason'], anchorId: string | null): RecordContext => ({
      reason,
      turnId,
      anchorId,
    })
    return {
      beforeTool: async (call, anchorId, signal) => {
        lastAnchor = anchorId
        mutated = true
        // The previous step's end first: what its tools changed is theirs, not this one's.
        await pending
        const ownChanges = toolRan
        toolRan = true
        const taken = await this.take(sessionId, ws, {
          ...ctx('before-tool', anchorId),
          toolCallId: call.id,
          toolName: call.name,
          ownChanges,
        })
        if (taken || this.stores.held(ws.id)) return
        await elsewhere.before(await this.stores.get(ws, 'write'), call.id, signal)
      },
      afterStep: (anchorId) => {
        lastAnchor = anchorId
        if (!mutated) return
        mutated = false
        const ownChanges = toolRan
        toolRan = false
        pending = pending.then(() =>
          this.take(sessionId, ws, { ...ctx('turn-end', anchorId), ownChanges }),
        )
      },
      settled: async () => {
        await pending
      },
      finish: async () => {
        await pending
        const ownChanges = toolRan
        toolRan = false
        await this.take(sessionId, ws, { ...ctx('turn-end', lastAnchor ?? turnId), ownChanges })
        elsewhere.finish()
      },
    }
  }

  /**
   * Take a checkpoint for a run and record it. Never throws. A store that cannot be written marks
   * a `before-tool` step unprotected; a failed snapshot marks any step unprotected.
   */
  private async take(
    sessionId: string,
    ws: WorkspaceRef,
    ctx: RecordContext,
  ): Promise<SnapshotOk | null> {
    const t0 = performance.now()
    const before = ctx.reason === 'before-tool'
    const label =
      ctx.reason === 'before-tool' ? `Before ${ctx.toolName} (${ctx.toolCallId})` : 'End of a step'
    try {
      const slot = await this.stores.get(ws, 'write')
      if (!slot.writable || !slot.store) {
        if (before) {
          this.record(
            sessionId,
            missedRecord(
              slot.code ?? 'store_unavailable',
              `No checkpoint before this step: ${slot.reason ?? 'the store is not available.'}`,
              ctx,
            ),
          )
        }
        return null
      }
      const cp = await slot.store.snapshot({ sessionId, reason: ctx.reason, label })
      for (const w of cp.warnings) {
        this.deps.logger.log('warn', 'checkpoint warning', { session: sessionId, warning: w })
      }
      if (!cp.ok) {
        this.deps.logger.log('warn', 'checkpoint not taken', {
          session: sessionId,
          error: cp.message,
        })
        this.record(sessionId, missedRecord('store_write_failed', cp.message, ctx, cp.durationMs))
        return null
      }
      this.noteSnapshot(slot, !before)
      if (cp.changed) this.record(sessionId, takenRecord(cp, ctx))
      return cp
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      if (err instanceof CheckpointError && err.code === 'store_closed') {
        this.deps.logger.log('debug', 'checkpoint skipped: store closed', { session: sessionId })
        return null
      }
      this.deps.logger.log('warn', 'checkpoint failed', { session: sessionId, error: message })
      this.record(
        sessionId,
        missedRecord(
          'snapshot_failed',
          `No checkpoint for this step: ${message}. Your files are untouched; the agent went on.`,
          ctx,
          performance.now() - t0,
        ),
      )
      return null
    }
  }

  // ─── retention ──────────────────────────────────────────────────────────────────────────────

  private setting(
    key:
      | 'checkpoints.sizeCapBytes'
      | 'checkpoints.maxCount'
      | 'checkpoints.maxAgeDays'
      | 'checkpoints.maxBytes',
  ): number | undefined {
    return this.deps.settings.read(key, this.deps.logger)
  }

  private limits(): { maxCount: number; maxAgeMs: number; maxBytes: number } {
    return {
      maxCount: this.setting('checkpoints.maxCount') ?? RETENTION_DEFAULTS.maxCount,
      maxAgeMs: Math.round(
        (this.setting('checkpoints.maxAgeDays') ?? RETENTION_DEFAULTS.maxAgeDays) * 86_400_000,
      ),
      maxBytes: this.setting('checkpoints.maxBytes') ?? RETENTION_DEFAULTS.maxBytes,
    }
  }

  private prune(slot: StoreSlot): void {
    const store = slot.store
    if (!store || !slot.writable) return
    slot.snapshotsSincePrune = 0
    slot.lastPruneAt = this.deps.now()
    void store.prune(this.limits()).then(
      (r) => {
        if (r.removed.length) {
          this.deps.logger.log('info', 'checkpoints pruned', {
            workspace: slot.workspaceId,
            removed: r.removed.length,
            kept: r.kept,
            bytesFreed: r.bytesBefore - r.bytesAfter,
          })
        }
      },
      (err: unknown) => {
        if (err instanceof CheckpointError && err.code === 'store_closed') return
        this.deps.logger.log('warn', 'checkpoint prune failed', {
          workspace: slot.workspaceId,
          error: String(err),
        })
      },
    )
  }

  /** A writable store was opened: free refs of sessions deleted meanwhile, then prune. */
  private opened(slot: StoreSlot): void {
    const store = slot.store
    if (!store) return
    let orphans: string[]
    try {
      // `deleted/` holds deleted worktrees' saves, not a session.
      orphans = readdirSync(join(store.storeDir, 'refs', 'paddock')).filter(
        (id) => id !== SAVES_DIR && !this.sessionExists(id),
      )
    } catch {
      orphans = []
    }
    for (const id of orphans) {
      void store.deleteSession(id).catch((err: unknown) => {
        this.deps.logger.log('warn', 'could not free checkpoints of a deleted session', {
          session: id,
          error: String(err),
        })
      })
    }
    this.prune(slot)
  }

  private sessionExists(id: string): boolean {
    return this.deps.db.prepare('SELECT 1 FROM sessions WHERE id = ?').get(id) !== undefined
  }
}

const NO_CHECKPOINTS: RunCheckpoints = {
  beforeTool: () => Promise.resolve(),
  afterStep: () => {},
  settled: () => Promise.resolve(),
  finish: () => Promise.resolve(),
}
