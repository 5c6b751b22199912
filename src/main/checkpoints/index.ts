/**
 * # Checkpoint store — snapshots of a workspace that cost what changed, and restores that never
 * # delete what they did not capture
 *
 * One shadow git repository per workspace, `<dataDir>/checkpoints/<workspaceId>/` (a bare git
 * directory: `git --git-dir=<storeDir> log refs/paddock/<session>/3` reads it). Written at the
 * object level (loose objects, trees, parentless commits, one ref per checkpoint) — no git binary,
 * no git repository needed, and the user's `.git` is only ever read.
 *
 * ## Use
 *
 * ```ts
 * const store = await openCheckpointStore({ dataDir, workspaceId, root })  // throws CheckpointError
 * const cp = await store.snapshot({ sessionId, reason: 'before-tool', label: 'edit src/a.ts' })
 * if (!cp.ok) warn(cp.message)          // disk full, EACCES…: nothing lost, the step is unprotected
 * else if (cp.changed) record(cp.id, cp.files)   // files: [{path, status, additions, deletions}]
 * await store.list(sessionId)           // [{id, ref, n, reason, label, createdAt, filesChanged…}]
 * await store.diff(a, b)                // or diff(a, 'worktree'): renames, unified patches
 * const r = await store.restore(cp.id, { files: ['src/a.ts'] })   // r.undoId: restore(r.undoId) undoes
 * await store.prune({ maxCount: 500, maxAgeMs: 30 * 86_400_000, maxBytes: 2 ** 30 })
 * await store.deleteSession(sessionId)  // refs gone AND space freed
 * await store.close()                   // stops the watcher, releases the lock
 * ```
 *
 * - **Open once per workspace and process, keep it open.** Opening subscribes a recursive watcher
 *   and starts a stat-only pass over the workspace in the background (seeded from the user's
 *   `.git/index` in a git repository, so blobs are copied, not re-hashed); the first snapshot
 *   waits for it. A second process gets `store_busy` (a lock file; a dead holder's lock is taken
 *   over) — it may open `{ readOnly: true }` for `list` and checkpoint-to-checkpoint `diff`.
 * - **Operations are serialised** per store: a restore waits for a snapshot in flight, and so on.
 *   Call `snapshot` before every tool call that may change files and at the end of each turn; a
 *   snapshot when nothing changed returns the session's last checkpoint with `changed: false`.
 * - **Freshness**: a snapshot sees every change made before it was called (the watcher is synced
 *   through the root folder's own attribute event; a workspace of ≤ `statPassMaxFiles` files is
 *   simply statted whole when the watcher is mid-batch; timeouts and watcher errors fall back to a
 *   full stat pass).
 * - **Ids**: a checkpoint id is its commit id (40 hex). `ref` is `refs/paddock/<session>/<n>`.
 *   Session and workspace ids: letters, digits, `.`, `_`, `-` (they become path segments).
 * - **What is captured**: every file and symlink not ignored by `.gitignore` (nested),
 *   `.git/info/exclude`, the global excludes file or `.paddockignore`; never `.git` (folder or
 *   file) nor the data dir. Files over `sizeCap` (5 MB), unreadable ones and those that kept
 *   changing while read come back in `unprotected` (never fatal). Modes kept: 644/755/symlink.
 * - **Restore** writes only files that differ (temp file + rename, permission bits kept), deletes
 *   a file only if the store captured it and the target lacks it, and first takes a checkpoint
 *   (`undoId`). `skipped` lists what it refused to touch (an uncaptured file where a folder must
 *   go, a symlinked parent). Files restored are not yet recorded: the next snapshot sees them.
 * - **Errors**: methods throw `CheckpointError` (`invalid_input`, `not_found`, `store_closed`,
 *   `store_read_only`, `store_write_failed` for a restore whose undo checkpoint failed); a snapshot
 *   that cannot write the store *returns* `{ ok: false, code: 'store_write_failed', message }`.
 * - **Faults** are injected through `fs` (every filesystem call) and `watch` (the watcher).
 *
 * Durability: objects are written before the ref that names them, the ref by an atomic rename, so
 * a crash (kill -9) leaves no checkpoint or a whole one. The stat cache (path → stat + blob id) is
 * a cache: lost or stale, it only costs re-hashing.
 */
export { openCheckpointStore } from './store'
export type { CheckpointStore, OpenDeps } from './store'
export { CheckpointError } from './errors'
export type { CheckpointErrorCode } from './errors'
export { nodeCheckpointFs } from './fs-ops'
export type { CheckpointFs, CpDirent, CpStat, WriteOptions } from './fs-ops'
export { parcelWatchBackend } from './watcher'
export type { WatchBackend, WatchEvent, WatchSubscription } from './watcher'
export { DEFAULT_SIZE_CAP } from './types'
export type {
  ChangeStatus,
  CheckpointInfo,
  DiffFile,
  DiffResult,
  DiffStatus,
  FileChange,
  OpenOptionsInput,
  PruneLimits,
  PruneResult,
  RestoreOptions,
  RestoreResult,
  SnapshotFailed,
  SnapshotInput,
  SnapshotOk,
  SnapshotResult,
  Unprotected,
  UnprotectedReason,
} from './types'
export { unifiedHunks, countLineChanges } from './line-diff'
