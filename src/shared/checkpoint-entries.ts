import { z } from 'zod'

/**
 * Payloads of the entries that record the workspace's files: `checkpoint`, `unprotected_run` and
 * a restore's `note`. Part of the entry vocabulary in `entries.ts`, which re-exports them.
 */

// ─── Checkpoints ───────────────────────────────────────────────────────────────────────────────

/** Why a checkpoint was taken. */
export const CheckpointReasonSchema = z.enum([
  'before-tool',
  'turn-end',
  'manual',
  'before-restore',
  /** What a restore (or the undo of one) wrote, credited to it rather than to the next run. */
  'after-restore',
])
export type CheckpointReason = z.infer<typeof CheckpointReasonSchema>

/** One file a checkpoint changed, against the workspace's previous checkpoint. */
export const CheckpointFileSchema = z.object({
  /** Workspace-relative, with `/`. */
  path: z.string(),
  status: z.enum(['added', 'modified', 'deleted']),
  /** Lines added and removed; null for binary files (and past the store's counting budget). */
  additions: z.number().int().nonnegative().nullable(),
  deletions: z.number().int().nonnegative().nullable(),
  binary: z.boolean(),
})
export type CheckpointFile = z.infer<typeof CheckpointFileSchema>

/** A file the store did not capture (too large, unreadable…): a restore never touches it. */
export const UnprotectedFileSchema = z.object({
  path: z.string(),
  reason: z.string(),
  /** The size for an oversized file, the error for an unreadable one. */
  detail: z.string().optional(),
})
export type UnprotectedFile = z.infer<typeof UnprotectedFileSchema>

const checkpointCommon = {
  reason: CheckpointReasonSchema,
  /** The tool call it protects (`before-tool`). */
  toolCallId: z.string().optional(),
  toolName: z.string().optional(),
  /** The turn: the `user_message` entry (a prompt) whose run took it; null outside a run. */
  turnId: z.string().nullable(),
  /**
   * The entry it belongs after: the assistant message whose tool call it precedes (`before-tool`)
   * or whose tools' effects it holds (`turn-end`); the session's leaf for `manual` and
   * `before-restore`; the restore's note for `after-restore`. Group by this, not by the entry's position (a background checkpoint may be
   * recorded a little later than the step it belongs to).
   */
  anchorId: z.string().nullable(),
  durationMs: z.number().nonnegative(),
  /** Things the user should know (a watcher that failed, a slow path taken). */
  warnings: z.array(z.string()).optional(),
}

/** A checkpoint taken that changed something (a snapshot that found no change records nothing). */
export const CheckpointTakenPayload = z.object({
  taken: z.literal(true),
  /** The checkpoint id: a commit in the workspace's shadow store (40 hex). */
  id: z.string(),
  /** `refs/paddock/<session>/<n>` in the store. */
  ref: z.string(),
  /** The workspace's first checkpoint: nothing to compare with, so `files` is empty. */
  baseline: z.boolean(),
  /** Files changed since the workspace's previous checkpoint; the first 1000 (see `filesTotal`). */
  files: z.array(CheckpointFileSchema),
  filesTotal: z.number().int().nonnegative(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  /** Files not captured; the first 100 (see `unprotectedTotal`). */
  unprotected: z.array(UnprotectedFileSchema),
  unprotectedTotal: z.number().int().nonnegative(),
  /**
   * Set when another process took it for this session's run: the one holding the workspace's
   * checkpoint store, which the run's own process could not write.
   */
  takenBy: z
    .object({ pid: z.number().int(), host: z.string(), name: z.string().nullable() })
    .optional(),
  /**
   * `files` are what this session did: the workspace's previous snapshot was taken just before one
   * of its tools ran (or before its restore wrote), so the change is that tool's (with anything
   * else changed while it ran). False for what changed while the model worked, between runs, or
   * for a checkpoint taken on demand or before a restore. Absent in older logs.
   */
  ownChanges: z.boolean().optional(),
  ...checkpointCommon,
})

/**
 * A step that could not be protected: no checkpoint was taken (another Paddock process holds the
 * workspace's store, the store could not be written…). The agent went on; `message` says why.
 */
export const CheckpointMissedPayload = z.object({
  taken: z.literal(false),
  code: z.enum(['store_busy', 'store_write_failed', 'store_unavailable', 'snapshot_failed']),
  /** One line for the user. */
  message: z.string(),
  ...checkpointCommon,
})

/** Payload of a `checkpoint` entry. */
export const CheckpointPayload = z.discriminatedUnion('taken', [
  CheckpointTakenPayload,
  CheckpointMissedPayload,
])
export type CheckpointRecord = z.infer<typeof CheckpointPayload>
export type CheckpointTaken = z.infer<typeof CheckpointTakenPayload>

/**
 * A run that changed files without checkpoints: the workspace's checkpoint store was held by
 * another process that did not take them for it (`store_busy`), or could not be opened. Recorded
 * once per run, at its first unprotected step; the UI marks the session with it, `paddock run`
 * prints `message`.
 */
export const UnprotectedRunPayload = z.object({
  code: z.enum(['store_busy', 'store_unavailable']),
  /** One line for the user: why, and who holds the store. */
  message: z.string(),
  /** The process holding the store, when it is known (`name`: "the Paddock web host"…). */
  holder: z
    .object({ pid: z.number().int(), host: z.string(), name: z.string().nullable() })
    .nullable(),
  /** The run: its `user_message` entry. */
  turnId: z.string().nullable(),
})
export type UnprotectedRun = z.infer<typeof UnprotectedRunPayload>

/**
 * Payload of a `note` entry recording a files restore. Undo restores `undoId`; the agent's next
 * request carries a short notice of what was restored (see `deriveMessages`).
 */
export const RestoreNotePayload = z.object({
  kind: z.literal('restore'),
  /** One line for people. */
  text: z.string(),
  /** The checkpoint restored. */
  checkpointId: z.string(),
  /** The checkpoint taken just before the restore: restoring it undoes this one. */
  undoId: z.string(),
  /** The paths asked for; null: every file. */
  files: z.array(z.string()).nullable(),
  /** Files written and deleted (the first 1000 of each; see the totals). */
  written: z.array(z.string()),
  deleted: z.array(z.string()),
  writtenTotal: z.number().int().nonnegative(),
  deletedTotal: z.number().int().nonnegative(),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  /** Set on an undo: the `note` entry of the restore it undid. */
  undoes: z.string().optional(),
  /**
   * Recorded before a restore writes anything (nothing written yet): when no note `completes` it,
   * the restore was cut short, and an undo puts its scope back as the undo checkpoint holds it.
   */
  intent: z.literal(true).optional(),
  /** Set on the note of a finished restore: the `intent` note it completes. */
  completes: z.string().optional(),
})
export type RestoreNote = z.infer<typeof RestoreNotePayload>
