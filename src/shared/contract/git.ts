import { z } from 'zod'
import { IdSchema } from '../model'
import { ChangedFileSchema, SetupStateSchema } from './worktrees'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Git: a worktree session's way home — its status against the base, commit (hooks run as
// for the user's own commit), merge into the base (refused on a base checkout whose uncommitted
// files the merge would touch; a conflict is aborted, never left half-merged), push, pull request
// through `gh`, discard, and "ask the agent to resolve". Errors: `not_found`, `invalid_params` (a
// session in place, an empty message), `git_failed` (git or a hook said no; its words in the
// message), `session_busy` (the agent runs).
// ─────────────────────────────────────────────────────────────────────────────────────────────────

export const GitStatusSchema = z.object({
  branch: z.string(),
  base: z.string(),
  /** Commits on the branch not on the base, and on the base not on the branch. */
  ahead: z.number().int().nonnegative(),
  behind: z.number().int().nonnegative(),
  /** Uncommitted files in the worktree. */
  uncommitted: z.array(ChangedFileSchema),
  /** Files that differ from where the branch left the base, uncommitted work included. */
  changed: z.array(ChangedFileSchema),
  /** The checkout that has the base checked out, where a merge happens (null: none does). */
  baseCheckout: z.object({ path: z.string(), dirty: z.array(z.string()) }).nullable(),
  /** A rebase or merge stopped in the worktree, waiting for conflicts to be resolved. */
  inProgress: z.enum(['rebase', 'merge']).nullable(),
  conflicted: z.array(z.string()),
  /** The remote `push` goes to, or null when the repository has none. */
  remote: z.string().nullable(),
  /** The worktree's setup command, when it had one (since this Paddock started). */
  setup: SetupStateSchema.nullable(),
})
export type GitStatus = z.infer<typeof GitStatusSchema>

export const MergeResultSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('merged'),
    /** `up-to-date`: the base had every commit already; nothing was done. */
    mode: z.enum(['up-to-date', 'fast-forward', 'merge-commit', 'squash']),
    commit: z.string(),
  }),
  /** The merge conflicted and was aborted: the base checkout is as it was. */
  z.object({ outcome: z.literal('conflict'), files: z.array(z.string()), message: z.string() }),
  /** Not merged, nothing touched: why, and the files in the way. */
  z.object({ outcome: z.literal('refused'), reason: z.string(), files: z.array(z.string()) }),
])
export type MergeResult = z.infer<typeof MergeResultSchema>

const SessionOnly = z.object({ sessionId: IdSchema }).strict()

export const gitMethods = {
  'git.status': { input: SessionOnly, output: GitStatusSchema },
  'git.commit': {
    input: z
      .object({
        sessionId: IdSchema,
        message: z.string().trim().min(1, 'a commit message').max(20_000),
      })
      .strict(),
    output: z.object({ commit: z.string(), subject: z.string() }),
  },
  /** A commit message for the uncommitted work, drafted by the session's model (not committed). */
  'git.draftMessage': { input: SessionOnly, output: z.object({ message: z.string() }) },
  'git.merge': {
    input: z
      .object({
        sessionId: IdSchema,
        squash: z.boolean().optional(),
        /** For a squash or merge commit; a default names the session. */
        message: z.string().trim().min(1).max(20_000).optional(),
      })
      .strict(),
    output: MergeResultSchema,
  },
  /**
   * "Ask the agent to resolve": rebase the branch onto the base in the worktree; when it stops on
   * conflicts, tell the agent (a prompt) which files conflict and how to continue.
   */
  'git.resolve': {
    input: SessionOnly,
    output: z.object({ rebased: z.boolean(), files: z.array(z.string()), prompted: z.boolean() }),
  },
  'git.push': {
    input: SessionOnly,
    output: z.object({ remote: z.string(), branch: z.string() }),
  },
  /** Through `gh` when installed and signed in; otherwise the compare URL and what to install. */
  'git.pullRequest': {
    input: z
      .object({
        sessionId: IdSchema,
        title: z.string().trim().min(1).max(300).optional(),
        body: z.string().max(60_000).optional(),
      })
      .strict(),
    output: z.discriminatedUnion('via', [
      z.object({ via: z.literal('gh'), url: z.string() }),
      z.object({ via: z.literal('url'), url: z.string().nullable(), reason: z.string() }),
    ]),
  },
  /** Throw away the worktree's uncommitted changes (ignored files such as `.env` stay). */
  'git.discard': { input: SessionOnly, output: z.object({ files: z.array(z.string()) }) },
  /** The files that differ from the base (for the Changes panel's "against base"). */
  'git.baseDiff': {
    input: SessionOnly,
    output: z.object({
      base: z.string(),
      mergeBase: z.string(),
      files: z.array(ChangedFileSchema),
    }),
  },
  /** One file as the base has it (where the branch left it) and as the worktree has it now. */
  'git.baseFile': {
    input: z.object({ sessionId: IdSchema, path: z.string().min(1).max(4096) }).strict(),
    output: z.object({
      path: z.string(),
      /** Null when the file does not exist on that side, is binary or too large. */
      base: z.string().nullable(),
      current: z.string().nullable(),
      binary: z.boolean(),
      tooLarge: z.boolean(),
    }),
  },
} as const
