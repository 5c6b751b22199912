/**
 * # Checkpoint store — snapshots that cost what changed; restores that never delete what they
 * # did not capture
 *
 * One shadow git repository per workspace, `<dataDir>/checkpoints/<workspaceId>/` (a session in its
 * own git worktree has its own, `wt-<sessionId>`: `Store.sessionRoot`) (a bare git
 * directory: `git --git-dir=<storeDir> show refs/paddock/<session>/3:src/a.ts` reads it), written
 * at the object level — loose objects, packs for bulk captures, trees, parentless commits, one ref
 * per checkpoint. No git binary, no git repository needed; the user's `.git` is only ever read.
 *
 * ## Layout
 *
 * - `git/`: the object layer — objects, packs, the user's `.git/index`, refs, GC, tree walks, and
 *   the filesystem seam (`CheckpointFs`). Knows nothing of snapshots.
 * - `store/`: capture (watcher, stat cache, scan, blob capture, restore) and the store proper
 *   (`openCheckpointStore`, behind `store/index.ts`). Every read of the store's objects runs under
 *   its lock, so none sees a GC or a snapshot half done.
 * - Here: this facade, and the engine's glue (`engine-checkpoints.ts`, `handlers.ts`,
 *   `workspace-stores.ts`, `checkpoint-log.ts`), which uses the store only through `./store`.
 *   Code outside this folder imports only this file (lint enforces both).
 *
 * ## Use
 *
 * ```ts
 * const store = await openCheckpointStore({ dataDir, workspaceId, root })  // throws CheckpointError
 * const cp = await store.snapshot({ sessionId, reason: 'before-tool', label: 'edit src/a.ts' })
 * if (!cp.ok) warn(cp.message)          // disk full, EACCES…: nothing lost, this step is unprotected
 * else if (cp.changed) record(cp.id, cp.files)   // files: [{path, status, additions, deletions}]
 * await store.list(sessionId)           // [{id, ref, n, reason, label, createdAt, filesChanged…}]
 * await store.diff(a, b)                // or diff(a, 'worktree'): renames, unified patches
 * await store.readFile(cp.id, 'src/a.ts', maxBytes)   // {path, mode, size, binary, content…}
 * await store.changedOutside(cp.id)    // what a restore would overwrite that others changed
 * const r = await store.restore(cp.id, { files: ['src/a.ts'] })   // store.restore(r.undoId) undoes
 * await store.prune({ maxCount: 500, maxAgeMs: 30 * 86_400_000, maxBytes: 2 ** 30 })
 * await store.deleteSession(sessionId)  // refs gone AND space freed
 * await store.close()                   // stops the watcher and workers, releases the lock
 * ```
 *
 * - **Open once per workspace and process; keep it open.** Opening subscribes a recursive watcher
 *   and starts a stat-only pass over the workspace in the background — seeded from the user's
 *   `.git/index` in a git repository (blobs copied from their objects, not re-hashed) — which the
 *   first snapshot waits for. A second process gets `store_busy` (a lock file; a dead holder's lock
 *   is taken over); it may open with `readOnly: true` for `list`, `readFile`, `isCheckpoint` and
 *   checkpoint-to-checkpoint `diff`.
 * - **Operations are serialised** per store, reads included: a restore waits for a snapshot in
 *   flight, a `readFile` for a prune, and so on.
 *   Snapshot before every tool call that may change files and at the end of each turn. When
 *   nothing changed since the session's last checkpoint, the result is that checkpoint with
 *   `changed: false` (nothing written). `files` lists changes since the workspace's previous
 *   checkpoint of any session; the workspace's very first checkpoint is a `baseline` (no files).
 *   `hashed` / `copied` count the files read since the last result (0 when the cache vouched).
 * - **Freshness**: a snapshot sees every change made before it was called. It sets the root
 *   folder's permission bits to what they are (only its ctime changes) and waits for that event to
 *   come back through the watcher behind every earlier one (where a platform does not report it, a
 *   sentinel file in the store's own folder is the marker); within 550 ms of the watcher's last
 *   delivery that costs its 50 ms batch, so a workspace of ≤ `statPassMaxFiles` (2000) files is
 *   statted whole instead. No watcher, a watcher error or a timeout (`syncTimeoutMs`): a full stat
 *   pass. A file changed within the last 2 s is re-hashed whenever it is looked at (timestamps are
 *   too coarse to vouch for it).
 * - **Ids**: a checkpoint id is its commit id (40 hex); `ref` is `refs/paddock/<session>/<n>`.
 *   Session and workspace ids: letters, digits, `.`, `_`, `-` (they become path segments).
 * - **What is captured**: every file and symlink not ignored by `.gitignore` (nested, and those of
 *   an enclosing repository), `.git/info/exclude`, the global excludes file or `.paddockignore`;
 *   never a `.git` (folder or file) nor the data dir. Files over `sizeCap` (5 MB), unreadable ones
 *   and ones that kept changing while read come back in `unprotected` (never fatal). Modes: 644,
 *   755 (owner's x bit), symlink.
 * - **Restore** writes only files that differ (temp file + rename, the replaced file's permission
 *   bits kept, x as recorded), deletes a file only if the store captured it and the target lacks
 *   it, removes folders only when that left them empty, and first takes a checkpoint (`undoId`,
 *   recorded under `sessionId` or the target's session). `skipped` lists what it refused to touch
 *   (an uncaptured file where a folder must go, a symlinked parent). Restored files are recorded
 *   by the next snapshot, like any other change. `changedOutside` lists, before a restore, the files
 *   it would change that differ from the latest checkpoint (or from what a later restore wrote
 *   there: remembered by the open store, or passed as `lastRestore` from the session's log).
 * - **Errors**: methods throw `CheckpointError` (`invalid_input`, `not_found`, `store_closed`,
 *   `store_read_only`; `store_write_failed` for a restore whose undo checkpoint could not be
 *   written — then nothing was restored). A snapshot that cannot write the store *returns*
 *   `{ ok: false, code: 'store_write_failed', message }`; the next one retries everything.
 * - **Faults** are injected through `fs` (every filesystem call of the store) and `watch` (the
 *   watcher; `null` runs without one).
 *
 * Durability: objects are written before the ref that names them and the ref by an atomic
 * rename, so a crash (kill -9) leaves a whole checkpoint or none. The stat cache (path → stat and
 * blob id, `paddock/stat-cache.*`) is only a cache: lost or stale, it costs re-hashing. Prune and
 * deleteSession delete unreachable objects, pack the rest and clear a crash's leftovers.
 *
 * Deleted worktrees' saves (`../worktrees/deleted-store.ts`) are refs `refs/paddock/deleted/<slug>`
 * the git CLI writes into the store's git directory through `withStoreTransfer` (the store's
 * skeleton made if missing; GC kept off meanwhile by `paddock/collect.lock`). They are not a
 * session (`SAVES_DIR`): never listed, swept or pruned as checkpoints, and GC keeps each with its
 * whole history.
 */
// The store's API, as its own facade (./store/index.ts) exports it.
export * from './store'
// The engine's side: stores per workspace, run hooks, the `checkpoints.*` handlers.
export { EngineCheckpoints } from './engine-checkpoints'
export type { EngineCheckpointsDeps } from './engine-checkpoints'
export { fileGate } from './step-claims'
export { checkpointHandlers, checkpointService } from './handlers'
export type { CheckpointService } from './handlers'
