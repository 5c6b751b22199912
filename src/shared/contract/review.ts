import { z } from 'zod'
import { IdSchema } from '../model'
import { CheckpointIdSchema } from './checkpoints'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Review: the user settling the agent's changes file by file. Diffs come from `checkpoints.*`, a
// file's current text from `workspaces.readFile`; what the review writes back goes through here.
// Errors: `not_found` (unknown session), `invalid_params` (a path outside the workspace).
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Largest file text `workspaces.readFile` returns (and `editedContent` / `review.writeFile`
 * accept), in characters.
 */
export const REVIEW_FILE_MAX_CHARS = 4 * 1024 * 1024

export const reviewMethods = {
  /**
   * Write one file as the user settled it in the review (e.g. some hunks reverted to `base`). A
   * checkpoint is taken first and the write is recorded as a restore (`note` entry): undoable with
   * `checkpoints.undoRestore`, and the agent is told before its next request.
   */
  'review.writeFile': {
    input: z
      .object({
        sessionId: IdSchema,
        path: z.string().min(1).max(4096),
        content: z.string().max(REVIEW_FILE_MAX_CHARS),
        /** The checkpoint the reverted parts come from. */
        base: CheckpointIdSchema,
        /** One line for people, e.g. "Reverted 1 of 2 changes in src/a.ts". */
        text: z.string().min(1).max(500),
      })
      .strict(),
    output: z.object({ undoId: z.string(), entryId: z.string() }),
  },
} as const
