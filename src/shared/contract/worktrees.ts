import { z } from 'zod'
import { IdSchema, TimestampSchema } from '../model'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Worktrees: sessions that work in their own git worktree beside the repository. What a
// workspace offers for a new session, every worktree Paddock made (to prune), the sessions deleted
// in the last 30 days (to restore), what deleting a session would lose, and the collision radar.
// Errors: `git_unavailable` (no git binary), `not_a_repository`, `git_failed` (git said no; its
// words in the message), `not_found`.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Where a new session works: the workspace folder itself, or a new git worktree. */
export const SessionPlaceSchema = z.enum(['in-place', 'worktree'])
export type SessionPlace = z.infer<typeof SessionPlaceSchema>

/** A git ref name as a user types it (a base to start from, a branch to create). */
export const RefNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[^\s\0~^:?*[\\-][^\s\0~^:?*[\\]*$/, 'must be a git ref name')

export const ChangedFileSchema = z.object({
  /** Two status letters as `git status --porcelain` gives them (` M`, `??`), or one (`A`, `M`, `D`, `R`). */
  status: z.string(),
  /** Relative to the worktree, with `/`. */
  path: z.string(),
  /** For renames: where it came from. */
  from: z.string().optional(),
})
export type ChangedFile = z.infer<typeof ChangedFileSchema>

/** What deleting a worktree would lose: uncommitted files, commits on neither the base nor a remote. */
export const LossesSchema = z.object({
  dirty: z.array(ChangedFileSchema),
  unpushed: z.array(z.object({ sha: z.string(), subject: z.string() })),
})
export type WorktreeLosses = z.infer<typeof LossesSchema>

export const OverlapSchema = z.object({
  sessionId: IdSchema,
  title: z.string(),
  /** The files both sessions change in ways that would conflict. */
  files: z.array(z.string()),
})

export const SessionRadarSchema = z.object({
  sessionId: IdSchema,
  /** Other live sessions whose work would conflict with this one's. */
  overlaps: z.array(OverlapSchema),
  /** Files that would conflict with the base as it is now. */
  baseConflicts: z.array(z.string()),
})
export type SessionRadar = z.infer<typeof SessionRadarSchema>

export const RadarStateSchema = z.object({
  /** Git older than 2.38 cannot compare without a checkout: the radar says it is unavailable. */
  available: z.boolean(),
  reason: z.string().nullable(),
  /** When the sessions were last compared; null before the first comparison. */
  checkedAt: TimestampSchema.nullable(),
  sessions: z.array(SessionRadarSchema),
  /** A merge order of the overlapping sessions that avoids the conflicts, where one exists. */
  mergeOrder: z.array(z.object({ sessionId: IdSchema, title: z.string() })),
})
export type RadarState = z.infer<typeof RadarStateSchema>

/** The `setup` command of `.paddock/worktree.json`, run in a new worktree session's terminal. */
export const SetupStateSchema = z.object({
  command: z.string(),
  /** `skipped`: the workspace is not trusted, so a command from its files was not run. */
  state: z.enum(['running', 'succeeded', 'failed', 'skipped']),
  exitCode: z.number().int().nullable(),
  /** One line for the user: what happened and what to do. */
  message: z.string(),
})
export type SetupState = z.infer<typeof SetupStateSchema>

export const WorktreeListingSchema = z.object({
  workspaceId: IdSchema,
  path: z.string(),
  /** `paddock/<slug>`, or null for a detached worktree. */
  branch: z.string().nullable(),
  /** The session working there, if any. */
  sessionId: IdSchema.nullable(),
  sessionTitle: z.string().nullable(),
  /** Bytes on disk (a lower bound when `sizeTruncated`). */
  sizeBytes: z.number().nonnegative(),
  sizeTruncated: z.boolean(),
  /** Newest modification time seen in it (ms), or null when gone. */
  lastActivity: TimestampSchema.nullable(),
  /** Removed by hand: `worktrees.prune` forgets it. */
  missing: z.boolean(),
})

export const DeletedSessionSchema = z.object({
  sessionId: IdSchema,
  workspaceId: IdSchema,
  title: z.string(),
  branch: z.string(),
  base: z.string(),
  path: z.string(),
  deletedAt: TimestampSchema,
  /** After this it is gone for good (30 days after the delete). */
  expiresAt: TimestampSchema,
})
export type DeletedSession = z.infer<typeof DeletedSessionSchema>

export const worktreesMethods = {
  /** What the new-session dialog offers for a workspace, and why worktrees are off when they are. */
  'worktrees.support': {
    input: z.object({ workspaceId: IdSchema }).strict(),
    output: z.object({
      available: z.boolean(),
      /** Why a worktree cannot be made here ("not a git repository", "git is not installed"). */
      reason: z.string().nullable(),
      /** The choice to preselect: the workspace's last one, else a worktree in a repository. */
      place: SessionPlaceSchema,
      /** The branch checked out in the workspace (the default base), or null when detached. */
      currentBranch: z.string().nullable(),
      /** Local branches, for picking another base. */
      branches: z.array(z.string()),
      /** The folder new worktrees go in. */
      dir: z.string().nullable(),
    }),
  },
  'worktrees.list': {
    input: z.object({ workspaceId: IdSchema.optional() }).strict(),
    output: z.array(WorktreeListingSchema),
  },
  /** Forget worktrees whose folders were removed by hand (`git worktree prune`). */
  'worktrees.prune': {
    input: z.object({ workspaceId: IdSchema.optional() }).strict(),
    output: z.object({ pruned: z.array(z.string()) }),
  },
  /** Sessions deleted in the last 30 days, newest first: `sessions.restoreDeleted` brings one back. */
  'worktrees.deleted': {
    input: z.object({ workspaceId: IdSchema.optional() }).strict(),
    output: z.array(DeletedSessionSchema),
  },
  /** What `sessions.delete` would lose (nothing for a session in place). */
  'worktrees.deleteCheck': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: z.object({ losesWork: z.boolean(), losses: LossesSchema }),
  },
  /** The collision radar's last comparison (also pushed as `worktrees.radar` events). */
  'worktrees.radar': {
    input: z.object({}).strict(),
    output: RadarStateSchema,
  },
} as const
