import { z } from 'zod'
import { IdSchema, WorkspaceSchema } from '../model'
import { PathSchema } from './fs'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Workspaces: the folders sessions work in — opening, trusting and closing them, and reading their
// files (fuzzy file search for the composer, a file's current text for diffs).
// Errors of `workspaces.readFile`: `not_found` (no such file), `invalid_params` (a path outside the
// workspace or a folder).
// ─────────────────────────────────────────────────────────────────────────────────────────────────

export const workspacesMethods = {
  'workspaces.list': {
    input: z.object({}).strict(),
    output: z.array(WorkspaceSchema),
  },
  'workspaces.open': {
    input: z.object({ path: PathSchema }).strict(),
    output: WorkspaceSchema,
  },
  'workspaces.trust': {
    input: z.object({ workspaceId: IdSchema, trusted: z.boolean() }).strict(),
    output: WorkspaceSchema,
  },
  'workspaces.close': {
    input: z.object({ workspaceId: IdSchema }).strict(),
    output: z.object({ workspaceId: IdSchema }),
  },
  'workspaces.files': {
    input: z
      .object({
        workspaceId: IdSchema,
        /** Search this session's folder instead (its worktree, for a worktree session). */
        sessionId: IdSchema.optional(),
        /** Fuzzy query over workspace-relative paths; empty lists the first files. */
        query: z.string().max(500),
        limit: z.number().int().min(1).max(200).optional(),
      })
      .strict(),
    output: z.object({
      /** Best matches first, workspace-relative with `/`. */
      files: z.array(z.string()),
      /** The workspace has more files than were indexed (the index is capped). */
      truncated: z.boolean(),
    }),
  },
  /**
   * A workspace file's current text (UTF-8), for diffs. Binary or over REVIEW_FILE_MAX_CHARS: no
   * content.
   */
  'workspaces.readFile': {
    input: z
      .object({
        workspaceId: IdSchema,
        path: z.string().min(1).max(4096),
        /** Read from this session's folder instead (its worktree, for a worktree session). */
        sessionId: IdSchema.optional(),
      })
      .strict(),
    output: z.object({
      /** Workspace-relative with `/`. */
      path: z.string(),
      exists: z.boolean(),
      size: z.number().int().nonnegative(),
      binary: z.boolean(),
      tooLarge: z.boolean(),
      /** Null when the file is missing, binary or too large. */
      content: z.string().nullable(),
    }),
  },
} as const
