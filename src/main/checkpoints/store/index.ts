/**
 * The checkpoint store's facade: what the engine glue (`../engine-checkpoints.ts`,
 * `../handlers.ts`, `../workspace-stores.ts`) and `../index.ts` may use of it. The contract is
 * documented in `../index.ts`. Everything below this folder and `../git/` stays private to it.
 */
export { openCheckpointStore } from './store'
export type { CheckpointStore, OpenDeps } from './store'
export { CheckpointError } from './errors'
export { storeLayout } from './layout'
export { withStoreTransfer } from './collect-lock'
export { SAVES_DIR } from '../git/refs'
export type { CheckpointErrorCode, LockHolder } from './errors'
export { nodeCheckpointFs } from '../git/fs-ops'
export type { CheckpointFs, CpDirent, CpStat, WriteOptions } from '../git/fs-ops'
export { parcelWatchBackend } from './watcher'
export type { WatchBackend, WatchEvent, WatchSubscription } from './watcher'
export { DEFAULT_SIZE_CAP } from './types'
export type {
  ChangedOutsideOptions,
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
export type { CheckpointFileContent } from './checkpoint-file'
export { unifiedHunks, countLineChanges } from './line-diff'
