import { z } from 'zod'
import {
  DirListingSchema,
  EntryTypeSchema,
  EntrySchema,
  HostInfoSchema,
  IdSchema,
  LeaseSchema,
  SessionSchema,
  WorkspaceSchema,
} from './model'
import { CursorsSchema } from './events'
import {
  ApprovalAnswerSchema,
  CheckpointFileSchema,
  StopReasonSchema,
  TurnEndPayload,
  UnprotectedFileSchema,
  UsageSchema,
} from './entries'
import { TERMINAL_INPUT_MAX_CHARS, TerminalInfoSchema, TerminalScreenSchema } from './terminals'

/**
 * The one contract between clients (renderer over IPC or WebSocket, CLI in-process) and the engine.
 * Each method names a strict zod input schema (unknown keys are rejected) and an output schema.
 * Hosts validate every request against it before the engine sees it.
 */

/** Largest serialized request a host accepts, in bytes of UTF-8 JSON. */
export const MAX_REQUEST_BYTES = 256 * 1024

const PathSchema = z.string().min(1).max(4096)
const PromptSchema = z.string().trim().min(1, 'the message is empty').max(200_000)
export const ModeSchema = z.enum(['ask', 'auto-edit', 'full-auto', 'plan'])
const TitleSchema = z.string().trim().min(1, 'title must not be empty').max(200)

/** A provider's name as the user gave it: lower-case letters, digits, `-`, `_`, `.`. */
export const ProviderNameSchema = z
  .string()
  .trim()
  .min(1, 'the provider needs a name')
  .max(40)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-" only')

/**
 * A model as the user picks it: `<provider name>/<model>`. The provider name has no `/`, so the
 * model part may (`openrouter/moonshotai/kimi-k2`, `ollama/qwen3:8b`).
 */
export const ModelRefSchema = z
  .string()
  .trim()
  .max(300)
  .regex(/^[a-z0-9][a-z0-9._-]*\/.+$/, 'a model is named "<provider>/<model>"')

export const ProviderKindSchema = z.enum(['openai', 'anthropic'])

/** A configured provider as clients see it: never its key, only where the key comes from. */
export const ProviderViewSchema = z.object({
  name: z.string(),
  kind: ProviderKindSchema,
  /** Catalog provider this endpoint is (`openrouter`, `ollama`…), for prices and model names. */
  preset: z.string().nullable(),
  baseUrl: z.string(),
  key: z.object({
    /** `stored`: in the SecretStore; `env`: read from a variable; `none`: no key. */
    source: z.enum(['stored', 'env', 'none']),
    /** A masked hint such as `sk-…a1b2`; null when there is no key. */
    hint: z.string().nullable(),
    /** The variable a key is read from (it wins over a stored key when set). */
    env: z.string().nullable(),
  }),
  /** Models offered for this provider (fetched from it or given by the user). */
  models: z.array(z.string()),
  /** Configured by the host's environment (PADDOCK_BASE_URL), not editable here. */
  readOnly: z.boolean(),
})
export type ProviderView = z.infer<typeof ProviderViewSchema>

export const ModelChoiceSchema = z.object({
  ref: z.string(),
  provider: z.string(),
  /** The model's name for the provider (a canonical id or the provider's own name). */
  model: z.string(),
  label: z.string(),
  source: z.enum(['catalog', 'provider', 'local', 'env']),
  contextWindow: z.number().int().positive().nullable(),
})
export type ModelChoice = z.infer<typeof ModelChoiceSchema>

export const ConnectionVerdictSchema = z.enum(['ok', 'bad_key', 'unreachable', 'not_compatible'])

export const SessionActivitySchema = z.object({
  sessionId: IdSchema,
  running: z.boolean(),
  /** Approval questions of the session's branch that have no answer yet (their approval ids). */
  pendingApprovals: z.array(z.string()),
  /** How the last run ended; null when the session never ran. */
  lastStop: StopReasonSchema.nullable(),
})
export type SessionActivity = z.infer<typeof SessionActivitySchema>

const SecretInputSchema = z.string().trim().min(1, 'the key is empty').max(4096)
const EnvNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not an environment variable name')
  .max(128)

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Terminals (issue 7): PTY shells the user and the agent share, owned by the engine host.
//
// Every session has one **agent** terminal (its agent shell: the `bash` tool types its commands
// there) and any number of **user** terminals. Shells live in the host, not in a window: closing or
// reloading a window keeps them running. The session's agent shell is started on first use
// (`terminals.list`, `terminals.attach`, or the agent's first `bash` call).
//
// Live output reaches a client only for the terminals it attached, as ephemeral `terminal.data`
// events on its event subscription (same connection as its calls: attach again after a reconnect).
// Stream positions (`offset`) count UTF-16 code units of the decoded output (JavaScript string
// length) since the terminal started; chunks never split a character.
//
// Client protocol:
//   1. `terminals.attach` → a serialized screen at `offset` (write it into a fresh xterm).
//   2. Apply `terminal.data` whose `offset` equals the expected one, then expect
//      `offset + data.length`. Drop a chunk that ends at or before the expected offset (a
//      duplicate; one that starts before and ends after: apply its tail). A chunk that starts after
//      the expected offset is a gap: attach again.
//   3. Acknowledge what the terminal has rendered with `terminals.ack` (at least every
//      TERMINAL_ACK_EVERY units). The host keeps at most TERMINAL_CLIENT_WINDOW unacknowledged units
//      in flight per client and terminal; a client that falls further behind gets nothing more
//      until it has acknowledged everything sent, then one `terminal.reset` (a fresh screen and its
//      offset) instead of the backlog.
//   `src/shared/terminal-stream.ts` implements this for clients.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

const TerminalSize = {
  cols: z.number().int().min(1).max(100_000),
  rows: z.number().int().min(1).max(100_000),
}

export const terminalsContract = {
  /** The session's terminals, agent terminal first (starting its shell when it is not running). */
  'terminals.list': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: z.array(TerminalInfoSchema),
  },
  /** A new user terminal in the session's workspace. */
  'terminals.create': {
    input: z
      .object({
        sessionId: IdSchema,
        cols: TerminalSize.cols.optional(),
        rows: TerminalSize.rows.optional(),
      })
      .strict(),
    output: TerminalInfoSchema,
  },
  /** The current screen, then live `terminal.data` for this terminal to this client. */
  'terminals.attach': {
    input: z.object({ terminalId: IdSchema }).strict(),
    output: TerminalScreenSchema.extend({ terminal: TerminalInfoSchema }),
  },
  /** Stop the live stream of this terminal to this client. */
  'terminals.detach': {
    input: z.object({ terminalId: IdSchema }).strict(),
    output: z.object({ terminalId: IdSchema }),
  },
  /** The client has rendered the stream up to `offset` (flow control). */
  'terminals.ack': {
    input: z.object({ terminalId: IdSchema, offset: z.number().int().nonnegative() }).strict(),
    output: z.object({ terminalId: IdSchema }),
  },
  /** Keystrokes or pasted text for the shell (as xterm's onData gives them). */
  'terminals.input': {
    input: z
      .object({ terminalId: IdSchema, data: z.string().min(1).max(TERMINAL_INPUT_MAX_CHARS) })
      .strict(),
    output: z.object({ terminalId: IdSchema }),
  },
  /** Resize the PTY (clamped to TERMINAL_COLS/TERMINAL_ROWS; bursts are coalesced). */
  'terminals.resize': {
    input: z.object({ terminalId: IdSchema, ...TerminalSize }).strict(),
    output: z.object({
      terminalId: IdSchema,
      cols: z.number().int().positive(),
      rows: z.number().int().positive(),
    }),
  },
  /** Start a fresh shell in the terminal (after it exited, or to replace a stuck one). */
  'terminals.restart': {
    input: z.object({ terminalId: IdSchema }).strict(),
    output: TerminalInfoSchema,
  },
  /** Kill a user terminal's shell and everything it started, and remove the terminal. */
  'terminals.close': {
    input: z.object({ terminalId: IdSchema }).strict(),
    output: z.object({ terminalId: IdSchema }),
  },
} as const

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Checkpoints (issue 8): snapshots of a session's workspace files, and restores.
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
  /** `before-tool`, `turn-end`, `manual`, `before-restore` (older stores: any short text). */
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
})

export const checkpointsContract = {
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
   * Files only: the conversation is not rewound.
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

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Review (issue 10): what the diff review needs beyond checkpoints — the current text of a file.
// Errors: `not_found` (no such file), `invalid_params` (a path outside the workspace or a folder).
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Largest file text `workspace.readFile` returns (and `editedContent` accepts), in characters. */
export const REVIEW_FILE_MAX_CHARS = 4 * 1024 * 1024

export const reviewContract = {
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
  /** A workspace file's current text (UTF-8), for diffs. Binary or over the cap: no content. */
  'workspace.readFile': {
    input: z.object({ workspaceId: IdSchema, path: z.string().min(1).max(4096) }).strict(),
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

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Rewind (issue 9): the session tree, conversation rewinds, branches, forks, and restores of files,
// conversation or both as one action with one undo.
//
// A session's entries form a tree; the session's leaf says which branch is the conversation. A
// rewind appends a `branch_point` entry under the chosen entry (so the log records it and the leaf
// moves there); the next prompt continues from it, and the old branch stays in the tree.
//
// Errors: `not_found` (unknown session, entry or checkpoint), `session_busy` (the agent runs: stop
// it first), and those of `checkpoints.restore` / `checkpoints.undoRestore` for the files side.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

export const TreeEntrySchema = z.object({
  id: IdSchema,
  parentId: IdSchema.nullable(),
  type: EntryTypeSchema,
  createdAt: z.number(),
  /** A short text (at most 120 characters): the prompt, the tool, the checkpoint's files count. */
  summary: z.string(),
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

export const rewindContract = {
  /** Every entry of the session (oldest first) and its current leaf: the branches to draw. */
  'sessions.tree': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: z.object({ leafId: IdSchema.nullable(), entries: z.array(TreeEntrySchema) }),
  },
  /**
   * Rewind the conversation to `entryId` (its end of turn, when only the turn's end follows it):
   * the next prompt starts a new branch from there. Files are not touched.
   */
  'session.rewind': {
    input: z.object({ sessionId: IdSchema, entryId: IdSchema }).strict(),
    output: ConversationMoveSchema.extend({ branchPointId: IdSchema }),
  },
  /** Make another branch the conversation: the session's leaf moves to `leafId`. */
  'session.switchBranch': {
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
   * checkpoint's entry), or both as one action that one `session.undoRestore` undoes.
   */
  'session.restore': {
    input: z
      .object({ sessionId: IdSchema, checkpointId: CheckpointIdSchema, scope: RestoreScopeSchema })
      .strict(),
    output: z.object({
      scope: RestoreScopeSchema,
      files: checkpointsContract['checkpoints.restore'].output.nullable(),
      conversation: ConversationMoveSchema.nullable(),
    }),
  },
  /** Undo the session's last restore or rewind: files back, and the leaf back where it was. */
  'session.undoRestore': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: z.object({
      files: checkpointsContract['checkpoints.undoRestore'].output.nullable(),
      conversation: ConversationMoveSchema.nullable(),
    }),
  },
} as const

export const contract = {
  'host.info': {
    input: z.object({}).strict(),
    output: HostInfoSchema,
  },
  'host.snapshot': {
    input: z.object({}).strict(),
    output: z.object({
      workspaces: z.array(WorkspaceSchema),
      sessions: z.array(SessionSchema),
      /** Head seq of every stream at the moment of the snapshot; subscribe from these. */
      cursors: CursorsSchema,
    }),
  },
  'fs.listDirs': {
    input: z.object({ path: PathSchema.optional(), showHidden: z.boolean().optional() }).strict(),
    output: DirListingSchema,
  },
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
  'sessions.list': {
    input: z.object({ workspaceId: IdSchema.optional() }).strict(),
    output: z.array(SessionSchema),
  },
  'sessions.create': {
    input: z.object({ workspaceId: IdSchema, title: TitleSchema.optional() }).strict(),
    output: SessionSchema,
  },
  'sessions.rename': {
    input: z.object({ sessionId: IdSchema, title: TitleSchema }).strict(),
    output: SessionSchema,
  },
  'sessions.delete': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: z.object({ sessionId: IdSchema }),
  },
  'sessions.activity': {
    input: z.object({}).strict(),
    output: z.array(SessionActivitySchema),
  },
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
  'session.prompt': {
    input: z
      .object({
        sessionId: IdSchema,
        text: PromptSchema,
        mode: ModeSchema.optional(),
        /** The model to run with; default: the session's last model, else the default model. */
        model: ModelRefSchema.optional(),
        /** Model calls allowed before the run stops with max_turns. */
        maxTurns: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    output: z.object({ started: z.literal(true) }),
  },
  'session.continue': {
    input: z
      .object({
        sessionId: IdSchema,
        mode: ModeSchema.optional(),
        model: ModelRefSchema.optional(),
        maxTurns: z.number().int().min(1).max(1000).optional(),
        /** The user's OK to go past a spend cap that paused the session (another cap's worth). */
        approveSpend: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ started: z.literal(true) }),
  },
  'session.steer': {
    input: z.object({ sessionId: IdSchema, text: PromptSchema }).strict(),
    output: z.object({ queued: z.literal('steer') }),
  },
  'session.followUp': {
    input: z.object({ sessionId: IdSchema, text: PromptSchema }).strict(),
    output: z.object({ queued: z.literal('follow_up') }),
  },
  'session.abort': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: z.object({ aborted: z.boolean() }),
  },
  'session.answerApproval': {
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
  'policy.preview': {
    input: z
      .object({
        workspaceId: IdSchema,
        mode: ModeSchema,
        tool: z.string().min(1).max(64),
        /** The call's arguments, e.g. {"command": "npm test"} or {"path": "src/a.ts"}. */
        arguments: z.record(z.string(), z.unknown()),
        /** Include session rules of this session. */
        sessionId: IdSchema.optional(),
      })
      .strict(),
    output: z.object({
      action: z.enum(['allow', 'ask', 'deny']),
      reason: z.string(),
      rule: z
        .object({ tool: z.string(), pattern: z.string(), action: z.string(), source: z.string() })
        .nullable(),
      subcommands: z
        .array(
          z.object({
            text: z.string(),
            action: z.string(),
            risky: z.array(z.string()),
            reason: z.string(),
          }),
        )
        .optional(),
    }),
  },
  'session.status': {
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
      /** Prompt tokens of the last model call, against the model's context window. */
      context: z.object({
        usedTokens: z.number().int().nonnegative(),
        windowTokens: z.number().int().positive().nullable(),
      }),
    }),
  },
  'workspace.files': {
    input: z
      .object({
        workspaceId: IdSchema,
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
  'models.list': {
    input: z.object({}).strict(),
    output: z.object({
      models: z.array(ModelChoiceSchema),
      defaultModel: z.string().nullable(),
    }),
  },
  'models.setDefault': {
    input: z.object({ ref: ModelRefSchema }).strict(),
    output: z.object({ defaultModel: z.string() }),
  },
  'providers.list': {
    input: z.object({}).strict(),
    output: z.object({
      providers: z.array(ProviderViewSchema),
      defaultModel: z.string().nullable(),
    }),
  },
  'providers.save': {
    input: z
      .object({
        name: ProviderNameSchema,
        kind: ProviderKindSchema,
        preset: z.string().max(40).optional(),
        /** Required for `openai`; defaults to Anthropic's API for `anthropic`. */
        baseUrl: z
          .url({ protocol: /^https?$/ })
          .max(2000)
          .optional(),
        /** Write-only: stored in the SecretStore, never returned. Absent: keep the stored key. */
        apiKey: SecretInputSchema.optional(),
        /** Remove the stored key (a local server needs none). */
        clearKey: z.boolean().optional(),
        apiKeyEnv: EnvNameSchema.nullable().optional(),
        models: z.array(z.string().trim().min(1).max(300)).max(2000).optional(),
      })
      .strict(),
    output: ProviderViewSchema,
  },
  'providers.remove': {
    input: z.object({ name: ProviderNameSchema }).strict(),
    output: z.object({ name: z.string() }),
  },
  'providers.test': {
    input: z.union([
      z.object({ name: ProviderNameSchema }).strict(),
      z
        .object({
          kind: ProviderKindSchema,
          baseUrl: z
            .url({ protocol: /^https?$/ })
            .max(2000)
            .optional(),
          apiKey: SecretInputSchema.optional(),
          /** Test with a saved provider's stored key (the form left the key field empty). */
          keyFrom: ProviderNameSchema.optional(),
        })
        .strict(),
    ]),
    output: z.object({
      verdict: ConnectionVerdictSchema,
      /** One line a person can act on. */
      message: z.string(),
      /** The models the endpoint lists (empty when it lists none or the test failed). */
      models: z.array(z.string()),
    }),
  },
  'providers.detectLocal': {
    input: z.object({}).strict(),
    output: z.array(
      z.object({ kind: z.string(), baseUrl: z.string(), models: z.array(z.string()) }),
    ),
  },
  // Terminals (issue 7): defined above.
  ...terminalsContract,
  // Checkpoints (issue 8): defined above.
  ...checkpointsContract,
  // Review (issue 10): defined above.
  ...reviewContract,
  // Rewind (issue 9): defined above.
  ...rewindContract,
} as const

export type Contract = typeof contract
export type Method = keyof Contract
export type MethodInput<M extends Method> = z.input<Contract[M]['input']>
export type MethodOutput<M extends Method> = z.output<Contract[M]['output']>
/** The input after validation (defaults applied, strings trimmed): what handlers receive. */
export type MethodParams<M extends Method> = z.output<Contract[M]['input']>

export const METHODS = Object.keys(contract) as Method[]

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name)
}

/** What a client sends to subscribe: the last seq it applied per stream. */
export const SubscribeSchema = z.object({ since: CursorsSchema }).strict()
export type SubscribeRequest = z.infer<typeof SubscribeSchema>
