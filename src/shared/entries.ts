import { z } from 'zod'

/**
 * Payloads of the session log's entries, by entry type. The log stores what happened; the
 * conversation sent to a model is derived from it. Read back from disk, so parsed, not trusted.
 */
export const ToolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Arguments as the model wrote them (JSON text, possibly malformed). */
  arguments: z.string(),
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
  /** How it arrived: a new prompt, a steer mid-run, or a follow-up queued for the end of a run. */
  kind: z.enum(['prompt', 'steer', 'follow_up']),
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
})

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
})

export const RepairPayload = z.object({
  /** Where the broken part was: the provider's stream, or one tool call's arguments. */
  source: z.enum(['stream', 'arguments']),
  toolCallId: z.string().optional(),
  toolName: z.string().optional(),
  notes: z.array(z.object({ kind: z.string(), detail: z.string() })),
})
export type RepairRecord = z.infer<typeof RepairPayload>

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
  rule: z
    .object({ tool: z.string(), pattern: z.string(), action: z.string(), source: z.string() })
    .nullable(),
  /** For bash: each subcommand, its own decision and what is risky about it. */
  subcommands: z
    .array(
      z.object({
        text: z.string(),
        argv: z.array(z.string()),
        action: z.string(),
        risky: z.array(z.string()),
        reason: z.string(),
      }),
    )
    .optional(),
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

/** The session runs with another model from here on (the user picked it). */
export const ModelSwitchPayload = z.object({
  /** `<provider>/<model>` as the user picked it. */
  ref: z.string(),
  /** The ref before, or null for the session's first choice. */
  from: z.string().nullable(),
})
export type ModelSwitch = z.infer<typeof ModelSwitchPayload>
