import { z } from 'zod'
import { EntrySchema, EntryTypeSchema, IdSchema, LeaseSchema, SessionSchema } from '../model'
import {
  ApprovalAnswerSchema,
  StopReasonSchema,
  TurnEndPayload,
  UsageSchema,
  UserMessagePayload,
} from '../entries'
import { CheckpointIdSchema, checkpointsMethods } from './checkpoints'
import { ModelRefSchema } from './models'
import { ModeSchema } from './policy'
import { REVIEW_FILE_MAX_CHARS } from './review'
import { MAX_FALLBACKS } from './settings'
import { RefNameSchema, SessionPlaceSchema } from './worktrees'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Sessions: conversations with an agent in a workspace — creating and leasing them, reading their
// entry log, running the agent (prompt, steer, approvals, status), and moving through their tree
// (rewinds, branches, forks, restores of files, conversation or both as one action with one undo).
//
// A session's entries form a tree; the session's leaf says which branch is the conversation. A
// rewind appends a `branch_point` entry under the chosen entry (so the log records it and the leaf
// moves there); the next prompt continues from it, and the old branch stays in the tree.
//
// Errors of the tree methods: `not_found` (unknown session, entry or checkpoint), `session_busy`
// (the agent runs: stop it first), and those of `checkpoints.restore` / `checkpoints.undoRestore`
// for the files side.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/** A context window given by the user (`--context-window`): from a tiny local model to 10M. */
export const ContextWindowSchema = z
  .number()
  .int('the context window must be a whole number of tokens')
  .min(1_024, 'the context window must be at least 1,024 tokens')
  .max(10_000_000, 'the context window must be at most 10,000,000 tokens')

/**
 * Models a run falls back on, in order (`paddock run --fallback-model`), none twice. (The run's
 * own model among them is refused when the run is planned: the run may name no model.)
 */
export const FallbackModelsSchema = z
  .array(ModelRefSchema)
  .min(1)
  .max(MAX_FALLBACKS, `at most ${MAX_FALLBACKS} fallback models`)
  .refine((refs) => new Set(refs).size === refs.length, 'a fallback is named twice')

/** Where a model's window came from (see `sessions.status`). */
export const WindowSourceSchema = z.enum(['catalog', 'user', 'run', 'default'])

const TitleSchema = z.string().trim().min(1, 'title must not be empty').max(200)
/** Longest message (prompt, steer, follow-up), in characters. */
export const PROMPT_MAX_CHARS = 200_000
const PromptSchema = z
  .string()
  .trim()
  .min(1, 'the message is empty')
  .max(
    PROMPT_MAX_CHARS,
    'the message is longer than 200,000 characters; put the text in a file in the workspace and mention the file instead',
  )

/**
 * Longest text one `sessions.attachText` call takes, in characters. JSON spends at most 6 bytes on
 * a character (`\u001f`), so a call of this size always fits in `MAX_REQUEST_BYTES`; longer text
 * is sent in chunks, each appended to the file the first call created.
 */
export const ATTACH_CHUNK_MAX_CHARS = 40_000
/** Largest attachment, in bytes of UTF-8. */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
/** The workspace folder attachments are written to, `/`-separated. */
export const ATTACHMENTS_FOLDER = '.paddock/attachments'
/** An attachment's path in the workspace: `.paddock/attachments/<yyyymmdd>-<hhmmss>-<6 hex>.md`. */
export const AttachmentPathSchema = z
  .string()
  .regex(
    /^\.paddock\/attachments\/\d{8}-\d{6}-[0-9a-f]{6}\.md$/,
    'not an attachment: give the path an earlier sessions.attachText returned',
  )

export const SessionActivitySchema = z.object({
  sessionId: IdSchema,
  running: z.boolean(),
  /** Approval questions of the session's branch that have no answer yet (their approval ids). */
  pendingApprovals: z.array(z.string()),
  /** How the last run ended; null when the session never ran. */
  lastStop: StopReasonSchema.nullable(),
})
export type SessionActivity = z.infer<typeof SessionActivitySchema>

export const TreeEntrySchema = z.object({
  id: IdSchema,
  parentId: IdSchema.nullable(),
  type: EntryTypeSchema,
  createdAt: z.number(),
  /** A short text (at most 120 characters): the prompt, the tool, the checkpoint's files count. */
  summary: z.string(),
  /**
   * A `user_message`'s kind (absent for other entries): `correction` is Paddock's message to the
   * model inside a run, not a prompt of the user's.
   */
  kind: UserMessagePayload.shape.kind.optional(),
})
export type TreeEntry = z.infer<typeof TreeEntrySchema>

export const RestoreScopeSchema = z.enum(['files', 'conversation', 'both'])
export type RestoreScope = z.infer<typeof RestoreScopeSchema>

const ConversationMoveSchema = z.object({
  /** The session's leaf now. */
  leafId: IdSchema,
  /** The leaf before the move (where "switch branch" or "undo" goes back to). */
  from: IdSchema.nullable(),
})

export const sessionsMethods = {
  'sessions.list': {
    input: z.object({ workspaceId: IdSchema.optional() }).strict(),
    output: z.array(SessionSchema),
  },
  /**
   * Without a title a session is "Session N" until its first prompt (`sessions.prompt`), whose
   * words then title it; a title given here or by `sessions.rename` is kept.
   */
  'sessions.create': {
    input: z
      .object({
        workspaceId: IdSchema,
        title: TitleSchema.optional(),
        /** In the folder itself (the default), or in a new git worktree (remembered per workspace). */
        place: SessionPlaceSchema.optional(),
        /** A worktree's base: the workspace's current branch by default. */
        base: RefNameSchema.optional(),
        /** A worktree's branch: `paddock/<slug of the title>` by default. */
        branch: RefNameSchema.optional(),
      })
      .strict(),
    output: SessionSchema,
  },
  'sessions.rename': {
    input: z.object({ sessionId: IdSchema, title: TitleSchema }).strict(),
    output: SessionSchema,
  },
  /**
   * A worktree session: refused with `would_lose_work` while its worktree holds uncommitted work or
   * unpushed commits, unless `force`; its tip and dirty tree are saved first either way and
   * `sessions.restoreDeleted` brings it back for 30 days.
   */
  'sessions.delete': {
    input: z.object({ sessionId: IdSchema, force: z.boolean().optional() }).strict(),
    output: z.object({ sessionId: IdSchema }),
  },
  /** Bring back a deleted worktree session: its conversation, branch, commits and dirty files. */
  'sessions.restoreDeleted': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: SessionSchema,
  },
  'sessions.activity': {
    input: z.object({}).strict(),
    output: z.array(SessionActivitySchema),
  },
  /**
   * Take the session for this process (refused with `session_leased` while another live process
   * drives it). A run that a dead process left mid-way is then recorded as interrupted: its
   * unanswered tool calls get an `interrupted` result and a `turn_end` follows.
   */
  'sessions.lease': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: LeaseSchema,
  },
  'sessions.release': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: z.object({ sessionId: IdSchema }),
  },
  'sessions.entries': {
    input: z
      .object({
        sessionId: IdSchema,
        /** Walk from this entry to the root; defaults to the session's leaf. */
        leafId: IdSchema.optional(),
        /**
         * Only the last `limit` entries of the walk (root-most first); the first one's `parentId`
         * is where the rest continues. Clients open long sessions this way, then fetch the rest.
         */
        limit: z.number().int().min(1).max(1_000_000).optional(),
      })
      .strict(),
    output: z.array(EntrySchema),
  },
  'sessions.prompt': {
    input: z
      .object({
        sessionId: IdSchema,
        text: PromptSchema,
        mode: ModeSchema.optional(),
        /** The model to run with; default: the session's last model, else the default model. */
        model: ModelRefSchema.optional(),
        /** Model calls allowed before the run stops with max_turns. */
        maxTurns: z.number().int().min(1).max(1000).optional(),
        /**
         * The context window of the model this run uses, in tokens, instead of the catalog's or
         * models.json's; the session keeps it until it switches model.
         */
        contextWindow: ContextWindowSchema.optional(),
        /**
         * Models to fall back on in this run, in order, instead of the `models.fallbacks` of the
         * run's model (when it is out of quota, overloaded or not found).
         */
        fallbackModels: FallbackModelsSchema.optional(),
      })
      .strict(),
    output: z.object({ started: z.literal(true) }),
  },
  'sessions.continue': {
    input: z
      .object({
        sessionId: IdSchema,
        mode: ModeSchema.optional(),
        model: ModelRefSchema.optional(),
        maxTurns: z.number().int().min(1).max(1000).optional(),
        contextWindow: ContextWindowSchema.optional(),
        fallbackModels: FallbackModelsSchema.optional(),
        /** The user's OK to go past a spend cap that paused the session (another cap's worth). */
        approveSpend: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ started: z.literal(true) }),
  },
  'sessions.steer': {
    input: z.object({ sessionId: IdSchema, text: PromptSchema }).strict(),
    output: z.object({ queued: z.literal('steer') }),
  },
  'sessions.followUp': {
    input: z.object({ sessionId: IdSchema, text: PromptSchema }).strict(),
    output: z.object({ queued: z.literal('follow_up') }),
  },
  /**
   * Write text too long for a message into a file of the session's workspace (under
   * `ATTACHMENTS_FOLDER`, which ignores itself for git and checkpoints), so a short message can
   * mention it. Without `to`, a new file; with `to`, the text is appended to that attachment.
   * Errors: `not_found` (session, or the attachment `to`), `invalid_params` (the folder leads out
   * of the workspace), `payload_too_large` (the file would pass `ATTACHMENT_MAX_BYTES`).
   */
  'sessions.attachText': {
    input: z
      .object({
        sessionId: IdSchema,
        text: z
          .string()
          .min(1, 'the text is empty')
          .max(
            ATTACH_CHUNK_MAX_CHARS,
            'at most 40,000 characters per call; send longer text in parts, appending with `to`',
          ),
        to: AttachmentPathSchema.optional(),
      })
      .strict(),
    output: z.object({
      /** The attachment, relative to the workspace, `/`-separated: what a message mentions. */
      path: AttachmentPathSchema,
      /** The file's size now, in bytes. */
      bytes: z.number().int().nonnegative(),
    }),
  },
  'sessions.abort': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: z.object({ aborted: z.boolean() }),
  },
  'sessions.answerApproval': {
    input: z
      .object({
        sessionId: IdSchema,
        approvalId: IdSchema,
        answer: ApprovalAnswerSchema,
        /** With a deny: what the model should do instead (it receives this as the tool result). */
        feedback: z.string().max(10_000).optional(),
        /**
         * With an allow of an edit/write: the full file text the user settled on. It is written
         * instead of the model's change, and the model is told the file differs from its proposal.
         */
        editedContent: z.string().max(REVIEW_FILE_MAX_CHARS).optional(),
      })
      .strict(),
    output: z.object({ settled: z.array(IdSchema) }),
  },
  'sessions.status': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: z.object({
      running: z.boolean(),
      /** The last run stopped early (interrupted, aborted, error, max turns): "Continue" applies. */
      canContinue: z.boolean(),
      lastStop: TurnEndPayload.nullable(),
      /** Totals over every model call of the session (all branches), with cost at catalog prices. */
      usage: UsageSchema.extend({ costUsd: z.number().nonnegative(), calls: z.number().int() }),
      /** The model the session runs with next (its last one, else the default); null: none set. */
      model: z.string().nullable(),
      /**
       * Tokens in use (the last response's reported prompt and reply tokens, cached included, plus
       * characters / 4 of what was appended since) against the window of the model the session
       * runs with next.
       */
      context: z.object({
        usedTokens: z.number().int().nonnegative(),
        /** null: no model is set at all. */
        windowTokens: z.number().int().positive().nullable(),
        /**
         * Where the window came from: the bundled catalog, the user's models.json, a run's
         * `--context-window`, or `default` (the model is unknown: 32,768 tokens are assumed).
         * null with a null window.
         */
        windowSource: WindowSourceSchema.nullable(),
        /** True when the window is the default assumed for an unknown model. */
        windowAssumed: z.boolean(),
        /** True when `usedTokens` includes a provider-reported count (else it is all estimate). */
        usedReported: z.boolean(),
      }),
    }),
  },
  /**
   * Compact the session's conversation now (the user asked: `/compact`, "Compact now", `paddock
   * compact`): the history before its recent part is summarised by the session's model (or
   * `model`), with `focus` guiding the summary. Resolves when the `compaction` entry is recorded.
   * Errors: `session_busy` (the agent runs), `no_model`, `invalid_params` (nothing to compact yet),
   * `io_error` (the model failed to summarise: nothing was recorded).
   */
  'sessions.compact': {
    input: z
      .object({
        sessionId: IdSchema,
        focus: z.string().trim().min(1).max(2_000).optional(),
        model: ModelRefSchema.optional(),
      })
      .strict(),
    output: z.object({
      entryId: IdSchema,
      tokensBefore: z.number().int().nonnegative(),
      tokensAfter: z.number().int().nonnegative(),
      /** Entries the summary replaced. */
      replacedCount: z.number().int().nonnegative(),
    }),
  },
  /**
   * Whether the session would fit model `model` as it is: what a client shows before a switch
   * ("This session uses 150k tokens; Kimi K2 holds 128k — it will be compacted first").
   */
  'sessions.contextFit': {
    input: z.object({ sessionId: IdSchema, model: ModelRefSchema }).strict(),
    output: z.object({
      usedTokens: z.number().int().nonnegative(),
      windowTokens: z.number().int().positive(),
      /** Tokens in use past which the session is compacted before a request to this model. */
      thresholdTokens: z.number().int().nonnegative(),
      windowAssumed: z.boolean(),
      /** False: the first request on this model is compacted first. */
      fits: z.boolean(),
      /** The sentence to show when it does not fit; null when it fits. */
      warning: z.string().nullable(),
    }),
  },
  /**
   * What was spent today (the UTC day) across every session, at catalog prices, and the spend caps
   * in force (absent: no cap of that kind), in USD.
   */
  'sessions.spendToday': {
    input: z.object({}).strict(),
    output: z.object({
      spentUsd: z.number().nonnegative(),
      /** When the UTC day began, in ms since the epoch. */
      dayStartedAt: z.number().int(),
      caps: z.object({
        perSessionUsd: z.number().positive().optional(),
        perDayUsd: z.number().positive().optional(),
      }),
    }),
  },
  /** Every entry of the session (oldest first) and its current leaf: the branches to draw. */
  'sessions.tree': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: z.object({ leafId: IdSchema.nullable(), entries: z.array(TreeEntrySchema) }),
  },
  /**
   * Rewind the conversation to `entryId` (its end of turn, when only the turn's end follows it):
   * the next prompt starts a new branch from there. Files are not touched.
   */
  'sessions.rewind': {
    input: z.object({ sessionId: IdSchema, entryId: IdSchema }).strict(),
    output: ConversationMoveSchema.extend({ branchPointId: IdSchema }),
  },
  /** Make another branch the conversation: the session's leaf moves to `leafId`. */
  'sessions.switchBranch': {
    input: z.object({ sessionId: IdSchema, leafId: IdSchema }).strict(),
    output: ConversationMoveSchema,
  },
  /**
   * A new session in the same workspace whose conversation is a copy of this one's history up to
   * `entryId` (new ids; files untouched).
   */
  'sessions.fork': {
    input: z
      .object({
        sessionId: IdSchema,
        entryId: IdSchema,
        title: z.string().trim().min(1).max(200).optional(),
      })
      .strict(),
    output: z.object({ session: SessionSchema, copied: z.number().int().nonnegative() }),
  },
  /**
   * Go back to a checkpoint: its files (`checkpoints.restore`), the conversation (rewound to the
   * checkpoint's entry), or both as one action that one `sessions.undoRestore` undoes.
   */
  'sessions.restore': {
    input: z
      .object({ sessionId: IdSchema, checkpointId: CheckpointIdSchema, scope: RestoreScopeSchema })
      .strict(),
    output: z.object({
      scope: RestoreScopeSchema,
      files: checkpointsMethods['checkpoints.restore'].output.nullable(),
      conversation: ConversationMoveSchema.nullable(),
    }),
  },
  /** Undo the session's last restore or rewind: files back, and the leaf back where it was. */
  'sessions.undoRestore': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: z.object({
      files: checkpointsMethods['checkpoints.undoRestore'].output.nullable(),
      conversation: ConversationMoveSchema.nullable(),
    }),
  },
} as const
