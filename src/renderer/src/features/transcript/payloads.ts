import { z } from 'zod'
import type {
  ApprovalAnswer,
  ApprovalRequest,
  AssistantMessage,
  ModelSwitch,
  RepairRecord,
  SpendApproval,
  ToolResultRecord,
  TurnEnd,
  UserMessage,
} from '../../../../shared/entries'
import {
  ApprovalAnswerPayload,
  ApprovalRequestPayload,
  AssistantMessagePayload,
  ModelSwitchPayload,
  RepairPayload,
  SpendApprovalPayload,
  ToolResultPayload,
  TurnEndPayload,
  UserMessagePayload,
} from '../../../../shared/entries'
import type { Entry } from '../../../../shared/model'

/**
 * An entry with its payload checked against the schema of its type. Payloads come from disk
 * through the host untyped (`unknown`); the transcript shows a readable "could not read" row for
 * one that does not match instead of crashing the panel.
 */
export type ParsedEntry =
  | { type: 'user_message'; entry: Entry; payload: UserMessage }
  | { type: 'assistant_message'; entry: Entry; payload: AssistantMessage }
  | { type: 'tool_result'; entry: Entry; payload: ToolResultRecord }
  | { type: 'approval_request'; entry: Entry; payload: ApprovalRequest }
  | { type: 'approval_answer'; entry: Entry; payload: ApprovalAnswer }
  | { type: 'approval_spend'; entry: Entry; payload: SpendApproval }
  | { type: 'repair'; entry: Entry; payload: RepairRecord }
  | { type: 'turn_end'; entry: Entry; payload: TurnEnd }
  | { type: 'model_switch'; entry: Entry; payload: ModelSwitch }
  /** Bookkeeping the conversation does not show. */
  | { type: 'hidden'; entry: Entry }
  /** Types without a view of their own (notes, compactions, checkpoints, …): a labelled line. */
  | { type: 'other'; entry: Entry; text: string }
  | { type: 'invalid'; entry: Entry; error: string }

const ApprovalPayload = z.discriminatedUnion('kind', [
  ApprovalRequestPayload,
  ApprovalAnswerPayload,
  SpendApprovalPayload,
])

/** Entry types the transcript never shows (checkpoints: the Timeline lists them). */
const HIDDEN_TYPES: ReadonlySet<Entry['type']> = new Set(['context', 'checkpoint'])

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'unexpected payload'
  const at = issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
  return `${at}${issue.message}`
}

function otherText(payload: unknown): string {
  if (typeof payload === 'string') return payload
  if (typeof payload === 'object' && payload !== null) {
    const p = payload as Record<string, unknown>
    for (const key of ['text', 'summary', 'message', 'label', 'reason']) {
      if (typeof p[key] === 'string') return p[key]
    }
  }
  return ''
}

function parse(entry: Entry): ParsedEntry {
  const fail = (error: z.ZodError): ParsedEntry => ({
    type: 'invalid',
    entry,
    error: describeIssue(error),
  })
  switch (entry.type) {
    case 'user_message': {
      const r = UserMessagePayload.safeParse(entry.payload)
      return r.success ? { type: entry.type, entry, payload: r.data } : fail(r.error)
    }
    case 'assistant_message': {
      const r = AssistantMessagePayload.safeParse(entry.payload)
      return r.success ? { type: entry.type, entry, payload: r.data } : fail(r.error)
    }
    case 'tool_result': {
      const r = ToolResultPayload.safeParse(entry.payload)
      return r.success ? { type: entry.type, entry, payload: r.data } : fail(r.error)
    }
    case 'repair': {
      const r = RepairPayload.safeParse(entry.payload)
      return r.success ? { type: entry.type, entry, payload: r.data } : fail(r.error)
    }
    case 'turn_end': {
      const r = TurnEndPayload.safeParse(entry.payload)
      return r.success ? { type: entry.type, entry, payload: r.data } : fail(r.error)
    }
    case 'model_switch': {
      const r = ModelSwitchPayload.safeParse(entry.payload)
      return r.success ? { type: entry.type, entry, payload: r.data } : fail(r.error)
    }
    case 'approval': {
      const r = ApprovalPayload.safeParse(entry.payload)
      if (!r.success) return fail(r.error)
      const p = r.data
      if (p.kind === 'request') return { type: 'approval_request', entry, payload: p }
      if (p.kind === 'answer') return { type: 'approval_answer', entry, payload: p }
      return { type: 'approval_spend', entry, payload: p }
    }
    default:
      if (HIDDEN_TYPES.has(entry.type)) return { type: 'hidden', entry }
      return { type: 'other', entry, text: otherText(entry.payload) }
  }
}

// Entries are immutable once appended: each is parsed once, however often the rows are rebuilt.
const memo = new WeakMap<Entry, ParsedEntry>()

export function parseEntry(entry: Entry): ParsedEntry {
  let parsed = memo.get(entry)
  if (!parsed) {
    parsed = parse(entry)
    memo.set(entry, parsed)
  }
  return parsed
}
