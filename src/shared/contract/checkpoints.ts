import { z } from 'zod'
import { IdSchema } from '../model'
import { CheckpointFileSchema, UnprotectedFileSchema } from '../entries'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Checkpoints: snapshots of a session's workspace files, and restores.
//
// Each workspace has one shadow store in the data dir (`<dataDir>/checkpoints/<workspaceId>/`, a
// bare git directory). The engine takes a checkpoint before every tool call that may change files,
// after each step's tools ran (`turn-end`), on demand (`checkpoints.create`) and before every
// restore. Each one that changed something is also a `checkpoint` entry in the session log
// (`CheckpointPayload`), which is what timelines list. Ids are commit ids (40 hex). Checkpoints
// belong to the workspace: a session may diff or restore any checkpoint of its workspace.
//
// Errors: `not_found` (unknown checkpoint, or a path not in it), `invalid_params` (a path outside
// the workspace), `store_busy` (another Paddock process has the workspace's store open for writing:
// `list`, `file` and a diff between two checkpoints still work there; restore from that process),
// `io_error` (the store could not be written: nothing was restored).
// ─────────────────────────────────────────────────────────────────────────────────────────────────

export const CheckpointIdSchema = z
  .string()
  .regex(/^[0-9a-f]{40}$/, 'a checkpoint id is 40 lower-case hex digits')

/** Largest text a `checkpoints.file` answer carries, in bytes. */
export const CHECKPOINT_FILE_MAX_BYTES = 1024 * 1024
/** A `checkpoints.diff` answer carries at most this many files and this many patch characters. */
export const CHECKPOINT_DIFF_MAX_FILES = 2000
export const CHECKPOINT_DIFF_MAX_PATCH_CHARS = 2_000_000

const WorkspacePathSchema = z.string().min(1).max(4096)

export const CheckpointSummarySchema = z.object({
  id: z.string(),
  ref: z.string(),
  /** Its number in the session (1, 2, …). */
  n: z.number().int().positive(),
  /**
   * `before-tool`, `turn-end`, `manual`, `before-restore`, `after-restore` (older stores: a free
   * short text).
   */
  reason: z.string(),
  label: z.string().nullable(),
  /** Milliseconds since the epoch. */
  createdAt: z.number(),
  filesChanged: z.number().int().nonnegative(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  /** Files not captured when it was taken (too large, unreadable). */
  unprotected: z.number().int().nonnegative(),
  /** From the session log (null when the log has no entry for it). */
  entryId: z.string().nullable(),
  toolCallId: z.string().nullable(),
  toolName: z.string().nullable(),
  turnId: z.string().nullable(),
  anchorId: z.string().nullable(),
  /** The files it changed, with +/− (from the log; empty when unknown). */
  files: z.array(CheckpointFileSchema),
  /**
   * Its `files` are the session's doing: changed while one of its tools ran, or by its restore
   * (not what changed while the model worked or between runs). What "Changed by this session" counts.
   */
  ownChanges: z.boolean(),
})
export type CheckpointSummary = z.infer<typeof CheckpointSummarySchema>

export const CheckpointDiffFileSchema = z.object({
  path: z.string(),
  /** For `renamed`: where the file was. */
  oldPath: z.string().optional(),
  status: z.enum(['added', 'modified', 'deleted', 'renamed']),
  binary: z.boolean(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  /** Git modes (`100644`, `100755`, `120000`) before and after; null where absent. */
  oldMode: z.string().nullable(),
  newMode: z.string().nullable(),
  /** Unified diff for a text file; null for a binary file or when left out (`truncated`). */
  patch: z.string().nullable(),
  /** The patch was left out to keep the answer bounded: fetch both sides with `checkpoints.file`. */
  truncated: z.boolean(),
})

const RestoreResultSchema = z.object({
  /** The checkpoint the files now match. */
  checkpointId: z.string(),
  written: z.array(z.string()),
  deleted: z.array(z.string()),
  /** Paths left alone, and why (a restore never deletes what the store did not capture). */
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  /** The checkpoint taken just before: `checkpoints.undoRestore` goes back to it. */
  undoId: z.string(),
  /** Other sessions running in the same workspace (their agents may not expect the change). */
  otherRunningSessions: z.array(z.object({ sessionId: IdSchema, title: z.string() })),
  /** The `note` entry that records this restore in the session log. */
  entryId: z.string(),
  warnings: z.array(z.string()),
  /**
   * Files this restore overwrote or deleted that someone other than Paddock (the user, an editor,
   * another tool) had changed since the workspace's latest checkpoint: their changes are only in
   * the undo checkpoint now. Sorted. Left out by older engines.
   */
  changedOutside: z.array(z.string()).optional(),
})

export const checkpointsMethods = {
  /** The session's checkpoints, oldest first. */
  'checkpoints.list': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: z.array(CheckpointSummarySchema),
  },
  /** Take a checkpoint now. Nothing changed since the session's last one: that one, `changed: false`. */
  'checkpoints.create': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: z.object({
      id: z.string(),
      ref: z.string(),
      changed: z.boolean(),
      baseline: z.boolean(),
      files: z.array(CheckpointFileSchema),
      unprotected: z.array(UnprotectedFileSchema),
      durationMs: z.number().nonnegative(),
      /** The `checkpoint` entry recorded (null when nothing changed). */
      entryId: z.string().nullable(),
    }),
  },
  /** Files that differ between two checkpoints, or a checkpoint and the working tree (default). */
  'checkpoints.diff': {
    input: z
      .object({
        sessionId: IdSchema,
        from: CheckpointIdSchema,
        to: z.union([CheckpointIdSchema, z.literal('worktree')]).optional(),
      })
      .strict(),
    output: z.object({
      from: z.string(),
      to: z.string(),
      files: z.array(CheckpointDiffFileSchema),
      /** Files that differ in all (`files` stops at CHECKPOINT_DIFF_MAX_FILES). */
      totalFiles: z.number().int().nonnegative(),
      /** Files or patches were left out to keep the answer within its bounds. */
      truncated: z.boolean(),
    }),
  },
  /**
   * Put files back as they were at a checkpoint: all of them, or only `files` (files or folders,
   * workspace-relative). Only differing files are written; a file is deleted only when the store
   * captured it and the checkpoint lacks it. A checkpoint is taken first, so it can be undone.
   * Files only: the conversation is not rewound. It overwrites files changed outside Paddock since
   * the latest checkpoint (named in `changedOutside`): ask first with `checkpoints.restorePreview`.
   * A `note` with `intent: true` is logged before anything is written, so a restore cut short
   * (the process killed) is undone by the next `checkpoints.undoRestore`.
   */
  'checkpoints.restore': {
    input: z
      .object({
        sessionId: IdSchema,
        checkpointId: CheckpointIdSchema,
        files: z.array(WorkspacePathSchema).min(1).max(10_000).optional(),
      })
      .strict(),
    output: RestoreResultSchema,
  },
  /**
   * What a `checkpoints.restore` with the same arguments would overwrite of other people's work,
   * without changing anything: the files it would write or delete that someone other than Paddock
   * changed since the workspace's latest checkpoint (or since a restore wrote them). Ask before
   * restoring when `changedOutside` is not empty.
   */
  'checkpoints.restorePreview': {
    input: z
      .object({
        sessionId: IdSchema,
        checkpointId: CheckpointIdSchema,
        files: z.array(WorkspacePathSchema).min(1).max(10_000).optional(),
      })
      .strict(),
    output: z.object({ checkpointId: z.string(), changedOutside: z.array(z.string()) }),
  },
  /** Undo the session's last restore not yet undone (after a restart too: restores are logged). */
  'checkpoints.undoRestore': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: RestoreResultSchema.extend({
      /** The `note` entry of the restore undone. */
      undone: z.string(),
    }),
  },
  /** One file as it was at a checkpoint (text up to CHECKPOINT_FILE_MAX_BYTES). */
  'checkpoints.file': {
    input: z
      .object({ sessionId: IdSchema, checkpointId: CheckpointIdSchema, path: WorkspacePathSchema })
      .strict(),
    output: z.object({
      path: z.string(),
      /** Git mode (`100644`, `100755`, `120000` for a symlink: `content` is its target). */
      mode: z.string(),
      size: z.number().int().nonnegative(),
      binary: z.boolean(),
      /** Null for a binary file or one over the size cap. */
      content: z.string().nullable(),
      tooLarge: z.boolean(),
    }),
  },
} as const
