import { isAbsolute } from 'node:path'
import { z } from 'zod'
import { OID_RE } from '../git/git-object'

/**
 * A name used as a path segment and a ref component: letters, digits, `.`, `_`, `-`; not starting
 * with `.` or `-`, no `..`, not ending in `.lock` or `.` (git's ref rules, and safe on disk).
 */
export const SegmentSchema = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/, 'letters, digits, ".", "_" and "-" only (max 128)')
  .refine((s) => !s.includes('..') && !s.endsWith('.lock') && !s.endsWith('.'), {
    message: 'must not contain ".." or end in ".lock" or "."',
  })

export const CheckpointIdSchema = z.string().regex(OID_RE, 'a checkpoint id: 40 hex digits')

export const DEFAULT_SIZE_CAP = 5 * 1024 * 1024

export const OpenOptionsSchema = z.object({
  /** The app data dir; the store lives in `<dataDir>/checkpoints/<workspaceId>/`. */
  dataDir: z.string().refine(isAbsolute, 'must be an absolute path'),
  workspaceId: SegmentSchema,
  /** The workspace folder (absolute). Refused: `/` and the home folder. */
  root: z.string().refine(isAbsolute, 'must be an absolute path'),
  /** Files larger than this (bytes) are not captured and are listed as unprotected. */
  sizeCap: z.number().int().positive().default(DEFAULT_SIZE_CAP),
  /** Open for list/diff only: no watcher, no lock, no writes. */
  readOnly: z.boolean().default(false),
  /** How often a stat-only pass over the whole workspace catches what the watcher missed. */
  fullPassIntervalMs: z
    .number()
    .int()
    .positive()
    .default(10 * 60_000),
  /** How long a snapshot waits for the watcher to catch up before it stats every file instead. */
  syncTimeoutMs: z.number().int().positive().default(2000),
  /**
   * In a workspace of at most this many files, a snapshot requested while the watcher is still
   * batching events (it delivers them up to 50 ms late) stats every file instead of waiting.
   */
  statPassMaxFiles: z.number().int().nonnegative().default(2000),
  /** Home folder and `$XDG_CONFIG_HOME` for git's global config (default: this process's). */
  home: z.string().refine(isAbsolute, 'must be an absolute path').optional(),
  xdgConfigHome: z.string().optional(),
  /** What this process is, written in the lock for other processes' messages. */
  holderName: z.string().max(200).optional(),
})
export type OpenOptionsInput = z.input<typeof OpenOptionsSchema>
export type OpenOptions = z.output<typeof OpenOptionsSchema>

export const SnapshotInputSchema = z.object({
  sessionId: SegmentSchema,
  /** Why: `before-tool`, `turn-end`, `manual`, `before-restore`, `after-restore`… (free text, short). */
  reason: z.string().min(1).max(200),
  /** A human label: the tool call, the prompt… */
  label: z.string().max(2000).optional(),
})
export type SnapshotInput = z.input<typeof SnapshotInputSchema>

export const RestoreInputSchema = z.object({
  /** Restore only these paths (files, or folders: everything below them), relative to the root. */
  files: z.array(z.string().min(1).max(4096)).max(10_000).optional(),
  /** The session the undo checkpoint is recorded under (default: the target's session). */
  sessionId: SegmentSchema.optional(),
})
export type RestoreOptions = z.input<typeof RestoreInputSchema>

export const ChangedOutsideInputSchema = RestoreInputSchema.extend({
  /**
   * The session's last restore, from its log: what it wrote and deleted is expected to stay as the
   * target has it while the latest checkpoint is still the one it took first (`undoId`). Used when
   * this process did not see that restore itself (the store was opened after it).
   */
  lastRestore: z
    .object({
      undoId: z.string(),
      target: z.string(),
      paths: z.array(z.string().min(1).max(4096)).max(10_000),
    })
    .optional(),
})
export type ChangedOutsideOptions = z.input<typeof ChangedOutsideInputSchema>

export const PruneLimitsSchema = z
  .object({
    /** Keep at most this many checkpoints in the workspace (newest kept). */
    maxCount: z.number().int().positive().optional(),
    /** Drop checkpoints older than this (ms). */
    maxAgeMs: z.number().int().positive().optional(),
    /** Drop the oldest checkpoints until what the rest need fits in this many bytes. */
    maxBytes: z.number().int().positive().optional(),
  })
  .strict()
export type PruneLimits = z.input<typeof PruneLimitsSchema>

export type ChangeStatus = 'added' | 'modified' | 'deleted'

export interface FileChange {
  path: string
  status: ChangeStatus
  /** Lines added and removed; null for binary files and past the counting budget. */
  additions: number | null
  deletions: number | null
  binary: boolean
}

export type UnprotectedReason =
  'oversized' | 'unreadable' | 'unstable' | 'unsupported-name' | 'secret'

/** A file the store did not capture (so a restore never touches it). */
export interface Unprotected {
  path: string
  reason: UnprotectedReason
  /** Size for `oversized`, the error for `unreadable`. */
  detail: string
}

export interface SnapshotOk {
  ok: true
  /** The checkpoint id: a commit in the store. */
  id: string
  ref: string
  sessionId: string
  /** Sequence number of this checkpoint in its session (1, 2, …). */
  n: number
  /** False when nothing changed since the session's last checkpoint (then `id` is that one's). */
  changed: boolean
  /** The workspace's first checkpoint ever: `files` is empty, there is nothing to compare with. */
  baseline: boolean
  /** Changes since the workspace's previous checkpoint (any session). */
  files: FileChange[]
  unprotected: Unprotected[]
  /** Things the user should know (a watcher that failed, a slow path taken). */
  warnings: string[]
  /** Files read and hashed, and blobs copied from the user's git objects, since the last snapshot. */
  hashed: number
  copied: number
  durationMs: number
}

export interface SnapshotFailed {
  ok: false
  code: 'store_write_failed'
  /** A sentence for the user: what failed and that this step is unprotected. Nothing was lost. */
  message: string
  unprotected: Unprotected[]
  warnings: string[]
  durationMs: number
}

export type SnapshotResult = SnapshotOk | SnapshotFailed

export interface CheckpointInfo {
  id: string
  ref: string
  sessionId: string
  n: number
  reason: string
  label: string | null
  /** Milliseconds since the epoch. */
  createdAt: number
  tree: string
  filesChanged: number
  additions: number
  deletions: number
  unprotected: number
}

export type DiffStatus = ChangeStatus | 'renamed'

export interface DiffFile {
  path: string
  /** For `renamed`: where the file was. */
  oldPath?: string
  status: DiffStatus
  binary: boolean
  additions: number
  deletions: number
  /** Git modes (`100644`, `100755`, `120000`) before and after; null where absent. */
  oldMode: string | null
  newMode: string | null
  /** Unified diff (`--- a/…`, `+++ b/…`, hunks) for text files; null for binary files. */
  patch: string | null
}

export interface DiffResult {
  from: string
  to: string
  files: DiffFile[]
}

export interface RestoreResult {
  /** The checkpoint restored. */
  target: string
  /** Files written (content or mode), relative to the root. */
  written: string[]
  deleted: string[]
  /** Paths left alone, and why (e.g. an uncaptured file stands where a folder must go). */
  skipped: Array<{ path: string; reason: string }>
  /** The checkpoint taken just before: `restore(undoId)` undoes this restore. */
  undoId: string
  warnings: string[]
}

export interface PruneResult {
  /** Checkpoint refs removed. */
  removed: string[]
  kept: number
  /** Bytes the store's files take on disk before and after. */
  bytesBefore: number
  bytesAfter: number
}
