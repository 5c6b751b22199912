import { z } from 'zod'
import {
  DirListingSchema,
  EntrySchema,
  HostInfoSchema,
  IdSchema,
  LeaseSchema,
  SessionSchema,
  WorkspaceSchema,
} from './model'
import { CursorsSchema } from './events'
import { ApprovalAnswerSchema, TurnEndPayload, UsageSchema } from './entries'

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
    }),
  },
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
