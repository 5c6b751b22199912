import { homedir } from 'node:os'
import { parse } from 'node:path'
import { pathWithin } from '../../core/within'
import type { CheckpointFileContent } from './checkpoint-file'
import { CheckpointError, describeError, parseInput } from './errors'
import type { CheckpointFs } from '../git/fs-ops'
import { nodeCheckpointFs } from '../git/fs-ops'
import { findUserRepo, globalExcludesFile } from '../git/git-repo'
import { acquireLock, initStore, releaseLock, storeLayout } from './layout'
import { ShadowStore } from './shadow-store'
import { OpenOptionsSchema } from './types'
import type {
  ChangedOutsideOptions,
  CheckpointInfo,
  DiffResult,
  OpenOptionsInput,
  PruneLimits,
  PruneResult,
  RestoreOptions,
  RestoreResult,
  SnapshotInput,
  SnapshotResult,
} from './types'
import { parcelWatchBackend } from './watcher'
import type { WatchBackend } from './watcher'

/** What `openCheckpointStore` takes besides the serialisable options. */
export interface OpenDeps {
  /** Filesystem operations (default: node:fs) — the fault-injection point. */
  fs?: CheckpointFs
  /**
   * The recursive watcher (default: @parcel/watcher); null to run without one (every snapshot
   * then stats every file).
   */
  watch?: WatchBackend | null
}

/** A workspace's checkpoint store. See `../index.ts` for the contract. */
export interface CheckpointStore {
  /** The workspace folder (real path). */
  readonly root: string
  /** The shadow repository (a bare git directory; `git --git-dir=<storeDir>` reads it). */
  readonly storeDir: string
  snapshot(input: SnapshotInput): Promise<SnapshotResult>
  list(sessionId: string): Promise<CheckpointInfo[]>
  diff(from: string, to: string): Promise<DiffResult>
  restore(target: string, options?: RestoreOptions): Promise<RestoreResult>
  /**
   * The files a restore to `target` (within `options.files`) would change that someone other than
   * Paddock changed since the workspace's latest checkpoint (or since a restore wrote them). Sorted.
   */
  changedOutside(target: string, options?: ChangedOutsideOptions): Promise<string[]>
  /** A file as checkpoint `checkpointId` holds it (content null when binary or over `maxBytes`). */
  readFile(checkpointId: string, path: string, maxBytes: number): Promise<CheckpointFileContent>
  /** Whether `id` names a checkpoint (a commit) in this store. */
  isCheckpoint(id: string): Promise<boolean>
  prune(limits: PruneLimits): Promise<PruneResult>
  deleteSession(sessionId: string): Promise<PruneResult>
  close(): Promise<void>
}

async function resolveRoot(fs: CheckpointFs, root: string, home: string): Promise<string> {
  let real: string
  try {
    real = await fs.realpath(root)
  } catch (err) {
    throw new CheckpointError('invalid_input', `Workspace root "${root}": ${describeError(err)}`)
  }
  if (!(await fs.lstat(real)).isDirectory) {
    throw new CheckpointError('invalid_input', `Workspace root "${root}" is not a folder.`)
  }
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

/**
 * Open (creating if needed) the checkpoint store of a workspace. See `../index.ts` for the
 * contract.
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
    await acquireLock(fs, layout, options.holderName)
  }
  try {
    const repo = await findUserRepo(fs, root, await fs.realpath(home).catch(() => home))
    const globalExcludes = await globalExcludesFile(
      fs,
      { home, xdgConfigHome: options.xdgConfigHome ?? process.env.XDG_CONFIG_HOME },
      repo,
    )
    const realData = await fs.realpath(options.dataDir).catch(() => options.dataDir)
    // The data dir and the store's git dir when they lie below the workspace (not the root itself).
    const excluded = [pathWithin(root, realData), pathWithin(root, layout.gitdir)].filter(
      (x): x is string => !!x,
    )
    const store = new ShadowStore(fs, options, root, layout, {
      repo,
      globalExcludes,
      excluded,
      sizeCap: options.sizeCap,
      statPassMaxFiles: options.statPassMaxFiles,
      syncTimeoutMs: options.syncTimeoutMs,
    })
    await store.start(watch === undefined ? parcelWatchBackend : watch)
    return store
  } catch (err) {
    if (!options.readOnly) await releaseLock(fs, layout)
    throw err
  }
}
