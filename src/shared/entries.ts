import { z } from 'zod'
import type { Entry } from './model'
import { RewindPayloadSchema } from './rewind'
import { CheckpointPayload, RestoreNotePayload, UnprotectedRunPayload } from './checkpoint-entries'

export * from './checkpoint-entries'

/**
 * Payloads of the session log's entries, by entry type. The log stores what happened; the
 * conversation sent to a model is derived from it. Read back from disk, so parsed, not trusted.
 */
export const ToolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Arguments as the model wrote them (JSON text, possibly malformed). */
  arguments: z.string(),
  /**
   * The stream stopped at the output-token limit (finish_reason `length`) before these arguments
   * were complete: the call is never run, and the model is told why.
   */
  truncated: z.boolean().optional(),
})

export const UsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
})
export type UsageRecord = z.infer<typeof UsageSchema>

export const UserMessagePayload = z.object({
  text: z.string(),
  /**
   * How it arrived: a new prompt, a steer mid-run, or a follow-up queued for the end of a run;
   * `correction` is Paddock's own message to the model, not the user's (a tool call it wrote in a
   * form that could not be read, and how to call tools instead; or what it keeps repeating).
   */
  kind: z.enum(['prompt', 'steer', 'follow_up', 'correction']),
  /**
   * A skill the prompt invoked (`/name` at its start): its name, SKILL.md and the instructions
   * recorded at that moment, which the model is sent before the text.
   */
  skill: z.object({ name: z.string(), path: z.string(), body: z.string() }).optional(),
})

export const AssistantMessagePayload = z.object({
  content: z.string(),
  reasoning: z.string(),
  toolCalls: z.array(ToolCallSchema),
  finishReason: z.string(),
  usage: UsageSchema,
  /** The canonical model id (the provider's own name exists only at the SDK boundary). */
  model: z.string(),
  /** USD from the catalog's prices; null when the model's price is unknown. */
  costUsd: z.number().nonnegative().nullable().optional(),
  /** Cut off by an abort: kept for the record, never sent back to a model. */
  partial: z.boolean().optional(),
  /**
   * The wire field the reasoning arrived in; the history sends it back in that same field on the
   * assistant message (thinking-mode Kimi and DeepSeek refuse a tool-call message without it).
   */
  reasoningField: z.enum(['reasoning_content', 'reasoning']).optional(),
})

export const ToolResultPayload = z.object({
  toolCallId: z.string(),
  toolName: z.string(),
  content: z.string(),
  isError: z.boolean(),
  durationMs: z.number().nonnegative(),
  /** Set when the tool never ran to completion: why. */
  synthetic: z.enum(['aborted', 'skipped', 'interrupted', 'refused', 'denied']).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  /**
   * What the history sends back for this call instead of what the model wrote: the tool's own
   * name and the arguments as they were executed (canonical JSON), or valid JSON for a call that
   * never ran. Absent: the call is sent back as written. The raw text stays in the
   * assistant_message entry for the record.
   */
  replay: z.object({ name: z.string(), arguments: z.string() }).optional(),
})

/** Why a session's request prefix changed after its first `context` entry. */
export const PrefixChangeReasonSchema = z.enum([
  /** The tools offered differ from the stored ones (a tool added, removed or redescribed). */
  'tools_changed',
  /**
   * The stored system prompt was of an older Paddock's shape (it listed every tool's description,
   * which the tool definitions also carry) and was brought to the current one, once; the tools
   * are the run's, whether they changed or not.
   */
  'system_changed',
  /**
   * The skills a run found differ from the index in the stored system prompt (a skill added,
   * removed or redescribed): the index was replaced, the rest of the prompt kept byte for byte.
   */
  'skills_changed',
])
export type PrefixChangeReason = z.infer<typeof PrefixChangeReasonSchema>

/**
 * The request prefix every model call of the session sends: the system prompt and the tool
 * definitions, byte for byte. The last `context` entry on the branch is the one in force; a
 * session's first has no `reason`, each later one says why the prefix changed (which costs the
 * provider's prompt cache).
 */
export const ContextPayload = z.object({
  system: z.string(),
  tools: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      parameters: z.record(z.string(), z.unknown()),
    }),
  ),
  model: z.string(),
  reason: PrefixChangeReasonSchema.optional(),
})

export const StopReasonSchema = z.enum([
  'done',
  'max_turns',
  'aborted',
  'error',
  'interrupted',
  /** The conversation no longer fits the model: `message` is what the provider said. */
  'context_overflow',
  /** A spend cap was reached; continuing needs the user's OK. */
  'spend_cap',
])
export type StopReason = z.infer<typeof StopReasonSchema>

export const TurnEndPayload = z.object({
  reason: StopReasonSchema,
  message: z.string().optional(),
  /** For an `error` stop the provider explained: `auth` (it refused the key). */
  cause: z.enum(['auth']).optional(),
  /** With `cause`: the configured provider (its name in Settings) whose answer ended the run. */
  provider: z.string().optional(),
})

export const RepairPayload = z.object({
  /** Where the broken part was: the provider's stream, or one tool call's arguments. */
  source: z.enum(['stream', 'arguments']),
  toolCallId: z.string().optional(),
  toolName: z.string().optional(),
  notes: z.array(z.object({ kind: z.string(), detail: z.string() })),
})
export type RepairRecord = z.infer<typeof RepairPayload>

/** The rule that decided a call, as clients show it. */
export const DecidingRuleSchema = z.object({
  tool: z.string(),
  pattern: z.string(),
  action: z.string(),
  source: z.string(),
})

/** One subcommand of a shell line: its own decision and what is risky about it. */
export const SubcommandDecisionSchema = z.object({
  text: z.string(),
  action: z.string(),
  risky: z.array(z.string()),
  reason: z.string(),
})

/** A tool call waiting for the user's decision: everything a client needs to decide. */
export const ApprovalRequestPayload = z.object({
  kind: z.literal('request'),
  approvalId: z.string(),
  toolCallId: z.string(),
  tool: z.string(),
  arguments: z.unknown(),
  /** Why it asks: the deciding rule, or a safeguard, or "the agent seems to repeat itself". */
  reason: z.string(),
  /** The mode of the run that asked (a run resumed after a restart continues in it). */
  mode: z.enum(['ask', 'auto-edit', 'full-auto', 'plan']).optional(),
  rule: DecidingRuleSchema.nullable(),
  /** For bash: each subcommand (and its words), its own decision and what is risky about it. */
  subcommands: z.array(SubcommandDecisionSchema.extend({ argv: z.array(z.string()) })).optional(),
  /**
   * The sandbox blocked this bash command (what it refused): the question is whether to run it
   * once outside the sandbox; "for the session" remembers that for the same command.
   */
  sandbox: z.object({ kind: z.enum(['write', 'read', 'network']), what: z.string() }).optional(),
})
export type ApprovalRequest = z.infer<typeof ApprovalRequestPayload>

export const ApprovalAnswerSchema = z.enum(['allow_once', 'allow_session', 'deny', 'deny_stop'])
export type ApprovalAnswerKind = z.infer<typeof ApprovalAnswerSchema>

export const ApprovalAnswerPayload = z.object({
  kind: z.literal('answer'),
  approvalId: z.string(),
  answer: ApprovalAnswerSchema,
  feedback: z.string().optional(),
  /** The session rule an "allow for this session" added (shown by the UI). */
  rule: z.object({ tool: z.string(), pattern: z.string(), action: z.literal('allow') }).optional(),
  /** Set when another answer's session rule settled this request. */
  coveredBy: z.string().optional(),
  /** The question was withdrawn (the run stopped or moved on) before anyone answered. */
  withdrawn: z.boolean().optional(),
})
export type ApprovalAnswer = z.infer<typeof ApprovalAnswerPayload>

/** The user's OK to spend past a cap: new limits for this session and for today. */
export const SpendApprovalPayload = z.object({
  kind: z.literal('spend'),
  sessionLimitUsd: z.number().nonnegative().optional(),
  dayLimitUsd: z.number().nonnegative().optional(),
})
export type SpendApproval = z.infer<typeof SpendApprovalPayload>

export type UserMessage = z.infer<typeof UserMessagePayload>
export type AssistantMessage = z.infer<typeof AssistantMessagePayload>
export type ToolResultRecord = z.infer<typeof ToolResultPayload>
export type ContextRecord = z.infer<typeof ContextPayload>
export type TurnEnd = z.infer<typeof TurnEndPayload>

/** Why a session changed model: absent on switches recorded before reasons were (the user's). */
export const ModelSwitchReasonSchema = z.enum([
  /** The user picked it (or gave its window with `--context-window`). */
  'user',
  /** The model `from` failed (quota, overload, model not found) after its retries. */
  'fallback',
  /** Back to the model the session fell back from, its cooldown over. */
  'return',
])
export type ModelSwitchReason = z.infer<typeof ModelSwitchReasonSchema>

/** The failures a run falls back on. */
export const FallbackCauseSchema = z.enum(['quota', 'overloaded', 'model_not_found'])
export type FallbackCause = z.infer<typeof FallbackCauseSchema>

/** Longest failure message a switch keeps (the engine writes at most 500 characters). */
export const FAILURE_MESSAGE_MAX = 2_000

/**
 * The provider's words for a failure: an error page can be many kilobytes of HTML. Clipped when
 * read, not refused, so a log written before the clip still reads.
 */
const FailureMessageSchema = z
  .string()
  .transform((s) =>
    s.length > FAILURE_MESSAGE_MAX ? `${s.slice(0, FAILURE_MESSAGE_MAX - 1)}…` : s,
  )

/** The session runs with another model from here on (the user picked it, or a fallback). */
export const ModelSwitchPayload = z.object({
  /** `<provider>/<model>` as the user picked it. */
  ref: z.string(),
  /** The ref before, or null for the session's first choice. */
  from: z.string().nullable(),
  /**
   * The window the user set for this model for this session (`paddock run --context-window N`),
   * instead of the catalog's or models.json's; it holds until the session switches model. A
   * switch to the same ref that only sets this is how an override is recorded.
   */
  contextWindow: z.number().int().positive().optional(),
  /** Why the model changed (absent: the user's choice). */
  reason: ModelSwitchReasonSchema.optional(),
  /** With reason `fallback`: how `from` failed, and the provider's words. */
  failure: z.object({ kind: FallbackCauseSchema, message: FailureMessageSchema }).optional(),
})
export type ModelSwitch = z.infer<typeof ModelSwitchPayload>

/** Why the conversation was compacted. */
export const CompactionReasonSchema = z.enum([
  /** Tokens in use passed the compaction threshold before a model call. */
  'threshold',
  /** The provider said the request did not fit (the estimate was wrong): compacted, retried once. */
  'overflow',
  /** The session switched to a model whose window could not hold it. */
  'model_switch',
  /** The user asked (`/compact`, "Compact now", `paddock compact`). */
  'manual',
])
export type CompactionReason = z.infer<typeof CompactionReasonSchema>

/**
 * The conversation before `firstKeptId` is replaced, in what models are sent, by `summary` and the
 * two file lists. The raw entries stay in the log (the transcript still shows them); only the
 * derived conversation changes. Written as one entry, so a crash leaves it whole or absent.
 */
export const CompactionPayload = z.object({
  reason: CompactionReasonSchema,
  /** The structured summary (Goal, Constraints and preferences, Progress, …), as the model wrote it. */
  summary: z.string().min(1),
  /**
   * The first entry still sent verbatim (always a user or assistant message: never a tool result
   * apart from its call); null: nothing before this entry is sent verbatim.
   */
  firstKeptId: z.string().nullable(),
  /**
   * The prompt of the turn the cut falls in (or the last prompt, for an overflow): sent verbatim
   * right after the summary, since the entries around it are summarised.
   */
  keptPromptId: z.string().optional(),
  /** Entries the summary replaced (the first and how many: the card lists them). */
  replacedFromId: z.string().nullable(),
  replacedCount: z.number().int().nonnegative(),
  /** Estimated tokens in use before and after. */
  tokensBefore: z.number().int().nonnegative(),
  tokensAfter: z.number().int().nonnegative(),
  /** Workspace-relative paths, cumulative over the branch: from tool calls and checkpoints. */
  filesRead: z.array(z.string()),
  filesModified: z.array(z.string()),
  /** The model that wrote the summary (canonical id). */
  model: z.string(),
  /** What the user asked the summary to focus on (manual compaction). */
  focus: z.string().optional(),
  /** Summarisation requests made (more than one when the history was sent in chunks). */
  requests: z.number().int().positive(),
  durationMs: z.number().nonnegative(),
})
export type Compaction = z.infer<typeof CompactionPayload>

/**
 * Old tool outputs no longer sent in full: each becomes a one-line placeholder naming the file
 * that holds the whole output (written before this entry, in the session's spill folder).
 */
export const PrunePayload = z.object({
  outputs: z.array(
    z.object({
      /** The `tool_result` entry whose output is no longer sent. */
      entryId: z.string(),
      /** Size of the output that was sent, in bytes. */
      bytes: z.number().int().nonnegative(),
      /** Where the whole output is; null when it could not be written (the placeholder says so). */
      file: z.string().nullable(),
    }),
  ),
  tokensBefore: z.number().int().nonnegative(),
  /** Estimated tokens the placeholders free. */
  tokensFreed: z.number().int().nonnegative(),
})
export type Prune = z.infer<typeof PrunePayload>

/** Payload of an `approval` entry: a question, its answer, or the user's OK to spend past a cap. */
export const ApprovalPayload = z.discriminatedUnion('kind', [
  ApprovalRequestPayload,
  ApprovalAnswerPayload,
  SpendApprovalPayload,
])

// ─── The entry map ──────────────────────────────────────────────────────────────────────────────

/**
 * Every entry type of the session log and the schema of its payload: the one place both the main
 * side and the renderer learn what an entry holds. A new entry type is added here, with its payload;
 * `Store.appendEntry` then takes exactly that payload and `parseEntry` reads it back.
 */
export const ENTRY_PAYLOADS = {
  user_message: UserMessagePayload,
  assistant_message: AssistantMessagePayload,
  tool_result: ToolResultPayload,
  approval: ApprovalPayload,
  model_switch: ModelSwitchPayload,
  checkpoint: CheckpointPayload,
  /** A run that took no checkpoints of its own, and why. */
  unprotected_run: UnprotectedRunPayload,
  /** Where a rewind moved the leaf to. */
  branch_point: RewindPayloadSchema,
  /** A files restore (also the review's writes, which undo like one). */
  note: RestoreNotePayload,
  /** The byte-stable request prefix of a session: system prompt, tool specs, model. */
  context: ContextPayload,
  /** Why a run of the agent stopped: done, max_turns, aborted, error, interrupted… */
  turn_end: TurnEndPayload,
  /** A deviation from the contract that Paddock repaired instead of failing (stream or arguments). */
  repair: RepairPayload,
  /** The conversation before a point is sent as a summary from here on. */
  compaction: CompactionPayload,
  /** Old tool outputs are sent as placeholders from here on. */
  prune: PrunePayload,
} as const

export type EntryType = keyof typeof ENTRY_PAYLOADS
export const ENTRY_TYPES = Object.keys(ENTRY_PAYLOADS) as [EntryType, ...EntryType[]]
export const EntryTypeSchema = z.enum(ENTRY_TYPES)

/** The payload an entry of type `T` holds. */
export type EntryPayload<T extends EntryType> = z.infer<(typeof ENTRY_PAYLOADS)[T]>

/** What is appended: a type and its payload (`T` a single type at every call site). */
export interface EntryDraft<T extends EntryType = EntryType> {
  type: T
  payload: EntryPayload<T>
}

/** Append one entry to a session's log (a store, or a live runner that keeps its branch whole). */
export type AppendEntry = <T extends EntryType>(
  sessionId: string,
  type: T,
  payload: EntryPayload<T>,
) => Entry

/** An entry whose payload was checked against its type's schema: `type` narrows `payload`. */
export type TypedEntry<T extends EntryType = EntryType> = {
  [K in T]: Omit<Entry, 'type' | 'payload'> & { type: K; payload: EntryPayload<K> }
}[T]

/** `parseEntry`'s answer: the typed entry, or why its payload does not read (`entry` as it came). */
export type EntryParseResult =
  { ok: true; entry: TypedEntry } | { ok: false; entry: Entry; error: string }

// Entries are immutable once appended: each is parsed once, however often it is read.
const parsed = new WeakMap<Entry, EntryParseResult>()

/**
 * Check an entry's payload against the schema of its type. Payloads come back from disk and over
 * the wire untyped; one that does not match (or a type this version does not know) is reported,
 * never thrown, so a reader can skip it or show it as unreadable.
 */
export function parseEntry(entry: Entry): EntryParseResult {
  let result = parsed.get(entry)
  if (!result) {
    result = parse(entry)
    parsed.set(entry, result)
  }
  return result
}

/** The payload of `entry` when it is of type `type` and reads; null otherwise. */
export function payloadOf<T extends EntryType>(entry: Entry, type: T): EntryPayload<T> | null {
  if (entry.type !== type) return null
  const result = parseEntry(entry)
  return result.ok ? (result.entry.payload as EntryPayload<T>) : null
}

function parse(entry: Entry): EntryParseResult {
  const type: string = entry.type
  if (!Object.hasOwn(ENTRY_PAYLOADS, type)) {
    return { ok: false, entry, error: `unknown entry type "${type}"` }
  }
  const r = ENTRY_PAYLOADS[entry.type].safeParse(entry.payload)
  if (!r.success) return { ok: false, entry, error: describeIssue(r.error) }
  return { ok: true, entry: { ...entry, payload: r.data } as TypedEntry }
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'unexpected payload'
  const at = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : ''
  return `${at}${issue.message}`
}
