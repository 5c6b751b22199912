import { join } from 'node:path'
import type { Logger } from '../core/logger'
import { CheckpointError, openCheckpointStore } from './store'
import type { CheckpointFs, CheckpointStore, LockHolder, WatchBackend } from './store'

/**
 * A workspace's store as this process holds it. `writable` false: another process holds it for
 * writing (`busy`, snapshots are skipped) or it could not be opened at all (`store` null).
 */
export interface StoreSlot {
  workspaceId: string
  root: string
  store: CheckpointStore | null
  writable: boolean
  /** Why it is not writable: one line for the user. Null when writable. */
  reason: string | null
  code: 'store_busy' | 'store_unavailable' | null
  /** For `store_busy`: the process holding the store, when its lock says. */
  holder: LockHolder | null
  /** Snapshots since the last prune, and when that was (ms). */
  snapshotsSincePrune: number
  lastPruneAt: number
}

export interface WorkspaceStoreOptions {
  dataDir: string
  home: string
  logger: Logger
  now: () => number
  /** Files larger than this are not captured (read when a store is opened). */
  sizeCap: () => number | undefined
  /** What this process is ("the Paddock web host"), written in the lock of a store it holds. */
  holderName?: string
  /** Fault injection for tests: the store's filesystem and watcher. */
  fs?: CheckpointFs
  watch?: WatchBackend | null
  /** A writable store was opened (prune at start, sweep refs of deleted sessions). */
  onOpened: (slot: StoreSlot) => void
}

export type StoreNeed = 'read' | 'write'

/**
 * One open checkpoint store per workspace and process, opened lazily: read-only for reads (no
 * watcher, no lock), writable when a run starts or a write is asked for. A store another process
 * holds (`store_busy`) is opened read-only, and the reason kept for the steps it cannot protect.
 */
export class WorkspaceStores {
  private readonly slots = new Map<string, StoreSlot>()
  /** Per-workspace chain: opens, upgrades and closes of one workspace's store never overlap. */
  private readonly chains = new Map<string, Promise<unknown>>()
  private closed = false

  constructor(private readonly options: WorkspaceStoreOptions) {}

  /** Where a workspace's store lives (whether or not it exists yet). */
  storeDir(workspaceId: string): string {
    return join(this.options.dataDir, 'checkpoints', workspaceId)
  }

  /**
   * The workspace's store for `need`. For `write`, `retryBusy` tries again to take a store another
   * process held (it may have closed it since); without it a known-busy store stays read-only.
   * Never throws: an unusable store comes back with `store: null` and a reason.
   */
  get(
    workspace: { id: string; path: string },
    need: StoreNeed,
    retryBusy = false,
  ): Promise<StoreSlot> {
    return this.serial(workspace.id, async () => {
      const slot = this.slots.get(workspace.id)
      if (slot?.writable) return slot
      if (this.closed) {
        return this.unusable(workspace, 'store_unavailable', 'Paddock is shutting down.')
      }
      if (need === 'read') return slot?.store ? slot : this.open(workspace, true, slot)
      if (slot && slot.code !== null && !retryBusy) return slot
      return this.open(workspace, false, slot)
    })
  }

  /** The workspace's store if this process holds it for writing now; never opens one. */
  held(workspaceId: string): (StoreSlot & { store: CheckpointStore }) | null {
    const slot = this.slots.get(workspaceId)
    return slot?.writable && slot.store ? (slot as StoreSlot & { store: CheckpointStore }) : null
  }

  /** Slots with a store open (for pruning, sweeping). */
  openSlots(): StoreSlot[] {
    return [...this.slots.values()].filter((s) => s.store !== null)
  }

  /** Close one store (a worktree about to be removed): its watcher stops, its lock is released. */
  close(workspaceId: string): Promise<void> {
    return this.serial(workspaceId, async () => {
      const slot = this.slots.get(workspaceId)
      this.slots.delete(workspaceId)
      await this.closeSlot(slot)
    })
  }

  /** Close every store (stops watchers, releases locks). Later `get` calls reopen. */
  async closeAll(final = false): Promise<void> {
    if (final) this.closed = true
    const ids = [...this.slots.keys()]
    await Promise.all(
      ids.map((id) =>
        this.serial(id, async () => {
          const slot = this.slots.get(id)
          this.slots.delete(id)
          await this.closeSlot(slot)
        }),
      ),
    )
  }

  private async closeSlot(slot: StoreSlot | undefined): Promise<void> {
    if (!slot) return
    try {
      await slot.store?.close()
    } catch (err) {
      this.options.logger.log('warn', 'checkpoint store did not close cleanly', {
        workspace: slot.workspaceId,
        error: String(err),
      })
    }
  }

  private serial<T>(workspaceId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(workspaceId) ?? Promise.resolve()
    const run = prev.then(fn, fn)
    this.chains.set(
      workspaceId,
      run.catch(() => undefined),
    )
    return run
  }

  private unusable(
    workspace: { id: string; path: string },
    code: 'store_busy' | 'store_unavailable',
    reason: string,
  ): StoreSlot {
    return {
      workspaceId: workspace.id,
      root: workspace.path,
      store: null,
      writable: false,
      reason,
      code,
      holder: null,
      snapshotsSincePrune: 0,
      lastPruneAt: this.options.now(),
    }
  }

  private async open(
    workspace: { id: string; path: string },
    readOnly: boolean,
    previous?: StoreSlot,
  ): Promise<StoreSlot> {
    const { options } = this
    const base = {
      dataDir: options.dataDir,
      workspaceId: workspace.id,
      root: workspace.path,
      home: options.home,
      ...(options.fs ? { fs: options.fs } : {}),
      ...(options.watch !== undefined ? { watch: options.watch } : {}),
      ...(options.holderName ? { holderName: options.holderName } : {}),
    }
    let store: CheckpointStore
    try {
      const sizeCap = options.sizeCap()
      store = await openCheckpointStore({
        ...base,
        readOnly,
        ...(sizeCap ? { sizeCap } : {}),
      })
    } catch (err) {
      const busy = err instanceof CheckpointError && err.code === 'store_busy'
      const holder = err instanceof CheckpointError ? err.holder : null
      const message = err instanceof Error ? err.message : String(err)
      options.logger.log(busy ? 'info' : 'warn', 'checkpoint store not opened for writing', {
        workspace: workspace.id,
        error: message,
      })
      // Keep what we had (a read-only store serves list and diff); else open one read-only.
      if (previous?.store) {
        return this.keep(
          previous,
          busy ? 'store_busy' : 'store_unavailable',
          busyReason(message),
          holder,
        )
      }
      let fallback: StoreSlot | null = null
      if (!readOnly) {
        try {
          const ro = await openCheckpointStore({ ...base, readOnly: true })
          fallback = this.slotOf(workspace, ro, false)
        } catch {
          fallback = null
        }
      }
      const code: StoreSlot['code'] = busy ? 'store_busy' : 'store_unavailable'
      const reason = busy
        ? busyReason(message)
        : `The checkpoint store could not be opened: ${message}`
      const slot: StoreSlot = fallback
        ? { ...fallback, code, reason, holder }
        : { ...this.unusable(workspace, code ?? 'store_unavailable', reason), holder }
      this.slots.set(workspace.id, slot)
      return slot
    }
    // A writable store replaces a read-only one opened earlier for reading.
    if (previous) {
      this.slots.delete(workspace.id)
      await this.closeSlot(previous)
    }
    const slot = this.slotOf(workspace, store, !readOnly)
    this.slots.set(workspace.id, slot)
    if (!readOnly) options.onOpened(slot)
    return slot
  }

  private keep(
    slot: StoreSlot,
    code: 'store_busy' | 'store_unavailable',
    reason: string,
    holder: LockHolder | null,
  ): StoreSlot {
    slot.code = code
    slot.reason = reason
    slot.holder = holder
    return slot
  }

  private slotOf(
    workspace: { id: string; path: string },
    store: CheckpointStore,
    writable: boolean,
  ): StoreSlot {
    return {
      workspaceId: workspace.id,
      root: workspace.path,
      store,
      writable,
      reason: null,
      code: null,
      holder: null,
      snapshotsSincePrune: 0,
      lastPruneAt: this.options.now(),
    }
  }
}

/** The store's "open in process N on H" without its advice to open read-only (we did). */
function busyReason(message: string): string {
  const head = message.split(';')[0]!.trim().replace(/\.$/, '')
  return `${head}, so this process takes no checkpoints there.`
}
