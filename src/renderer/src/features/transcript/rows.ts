import type {
  ApprovalAnswer,
  ApprovalRequest,
  Compaction,
  EntryType,
  ModelSwitch,
  Prune,
  RepairRecord,
  SpendApproval,
  StopReason,
  ToolResultRecord,
  UserMessage,
} from '../../../../shared/entries'
import { parseEntry } from '../../../../shared/entries'
import type { Entry } from '../../../../shared/model'
import type { ReplacedItem } from '../context/compaction-view'
import { replacedItems } from '../context/compaction-view'

/**
 * The conversation as the transcript shows it: one row per thing a person reads, derived purely
 * from the branch's entries (root → leaf). A tool call and everything about it — its result, the
 * approval question it raised and the answer, its repairs — is one row (a card) where
 * the model made the call; the entries that completed it later are not rows of their own.
 */

export interface ToolCallInfo {
  id: string
  name: string
  /** As the model wrote them: JSON text, possibly malformed. */
  arguments: string
}

export interface ApprovalPair {
  request: ApprovalRequest
  answer: ApprovalAnswer | null
}

export type Row =
  | {
      kind: 'user'
      key: string
      entry: Entry
      text: string
      via: UserMessage['kind']
      /** The skill the prompt invoked with `/name`, loaded into what the model was sent. */
      skill?: { name: string; path: string }
    }
  | {
      kind: 'assistant'
      key: string
      entry: Entry
      content: string
      reasoning: string
      /** Cut off by a stop: kept for the record. */
      partial: boolean
    }
  | {
      kind: 'tool'
      key: string
      call: ToolCallInfo
      /** When the model made the call (ms since the epoch): the start of a running call. */
      calledAt: number
      result: ToolResultRecord | null
      approval: ApprovalPair | null
      repairs: RepairRecord[]
    }
  /** A question whose tool call is not in this branch (shown on its own, not lost). */
  | { kind: 'approval'; key: string; approval: ApprovalPair }
  | { kind: 'spend'; key: string; entry: Entry; spend: SpendApproval }
  | { kind: 'repair'; key: string; entry: Entry; repair: RepairRecord }
  | {
      kind: 'turn_end'
      key: string
      entry: Entry
      reason: StopReason
      message: string | null
      /** The provider that refused the run's key: its settings are where to fix it. */
      keyRefusedBy: string | null
    }
  | { kind: 'model'; key: string; entry: Entry; change: ModelSwitch }
  /** The conversation before it is sent as a summary from here on (a card that opens). */
  | {
      kind: 'compaction'
      key: string
      entry: Entry
      compaction: Compaction
      replaced: ReplacedItem[]
      /** Replaced messages not in the loaded branch. */
      missing: number
    }
  | { kind: 'prune'; key: string; entry: Entry; prune: Prune }
  | { kind: 'other'; key: string; entry: Entry; text: string }
  | { kind: 'invalid'; key: string; entry: Entry; error: string }

export type RowKind = Row['kind']

/** Entry types the transcript never shows (checkpoints: the Timeline lists them). */
const HIDDEN_TYPES: ReadonlySet<EntryType> = new Set(['context', 'checkpoint'])

/** Entry types with a view of their own; the others (notes, branch points…) are a labelled line. */
const VIEWED_TYPES: ReadonlySet<EntryType> = new Set([
  'user_message',
  'assistant_message',
  'tool_result',
  'approval',
  'repair',
  'turn_end',
  'model_switch',
  'compaction',
  'prune',
])

/**
 * Stream repair notes that are about how the turn's calls were written (read from the model's text):
 * recorded once for the turn, without a call id, they go on the cards of that turn's calls.
 */
const CALL_NOTE_KINDS: ReadonlySet<string> = new Set(['text_tool_calls'])

/** The line shown for an entry without a view of its own: the first text its payload holds. */
function otherText(payload: unknown): string {
  if (typeof payload === 'string') return payload
  if (typeof payload === 'object' && payload !== null) {
    for (const key of ['text', 'summary', 'message', 'label', 'reason']) {
      const value: unknown = Reflect.get(payload, key)
      if (typeof value === 'string') return value
    }
  }
  return ''
}

function addCallRepair(map: Map<string, RepairRecord[]>, id: string, repair: RepairRecord): void {
  const list = map.get(id) ?? []
  list.push(repair)
  map.set(id, list)
}

/** Build the rows of a branch. Pure; O(entries). */
export function buildRows(entries: readonly Entry[]): Row[] {
  const parsed = entries.map(parseEntry)

  // Pass 1: what completes a call arrives after it; index it by call and question id.
  const results = new Map<string, ToolResultRecord>()
  const requests = new Map<string, ApprovalRequest>()
  const answers = new Map<string, ApprovalAnswer>()
  const callRepairs = new Map<string, RepairRecord[]>()
  const calls = new Set<string>()
  // Each assistant message's call ids, by entry id: a stream repair names its turn by its parent.
  const turnCalls = new Map<string, string[]>()
  // Stream repairs whose call notes went on cards: what is left of each for a line of its own.
  const rest = new Map<string, RepairRecord>()
  // A finished restore's intent note: its own note says it all.
  const completed = new Set<string>()
  for (const r of parsed) {
    if (!r.ok) continue
    const p = r.entry
    switch (p.type) {
      case 'note':
        if (p.payload.completes) completed.add(p.payload.completes)
        break
      case 'assistant_message':
        for (const call of p.payload.toolCalls) calls.add(call.id)
        turnCalls.set(
          p.id,
          p.payload.toolCalls.map((c) => c.id),
        )
        break
      case 'tool_result':
        // A later result for the same call replaces an earlier one (an answer after a restart
        // replaces the "interrupted" result the restart left).
        results.set(p.payload.toolCallId, p.payload)
        break
      case 'approval':
        if (p.payload.kind === 'request') requests.set(p.payload.toolCallId, p.payload)
        else if (p.payload.kind === 'answer') answers.set(p.payload.approvalId, p.payload)
        break
      case 'repair':
        // A call's own repairs (its arguments, or the stream that carried it) go on its card.
        if (p.payload.toolCallId) {
          addCallRepair(callRepairs, p.payload.toolCallId, p.payload)
        } else if (p.payload.source === 'stream' && p.parentId) {
          // The turn's calls read from text: the note naming the format goes on each of them.
          const ids = turnCalls.get(p.parentId) ?? []
          const onCards = p.payload.notes.filter((n) => CALL_NOTE_KINDS.has(n.kind))
          if (ids.length === 0 || onCards.length === 0) break
          for (const id of ids) addCallRepair(callRepairs, id, { ...p.payload, notes: onCards })
          const notes = p.payload.notes.filter((n) => !CALL_NOTE_KINDS.has(n.kind))
          rest.set(p.id, { ...p.payload, notes })
        }
        break
      default:
        break
    }
  }
  const pairOf = (request: ApprovalRequest | undefined): ApprovalPair | null =>
    request ? { request, answer: answers.get(request.approvalId) ?? null } : null

  // Where each entry is, for the messages a compaction replaced (built only when there is one).
  let indexOf: Map<string, number> | null = null

  // Pass 2: rows in the order things happened.
  const rows: Row[] = []
  const shownResults = new Set<string>()
  for (const [i, entry] of entries.entries()) {
    // Rows keep the entry as it came; `p` below is the same entry with its payload checked.
    const r = parsed[i]!
    if (HIDDEN_TYPES.has(entry.type) || completed.has(entry.id)) continue
    if (!VIEWED_TYPES.has(entry.type)) {
      rows.push({ kind: 'other', key: entry.id, entry, text: otherText(entry.payload) })
      continue
    }
    if (!r.ok) {
      rows.push({ kind: 'invalid', key: entry.id, entry, error: r.error })
      continue
    }
    const p = r.entry
    switch (p.type) {
      case 'user_message':
        rows.push({
          kind: 'user',
          key: entry.id,
          entry,
          text: p.payload.text,
          via: p.payload.kind,
          ...(p.payload.skill
            ? { skill: { name: p.payload.skill.name, path: p.payload.skill.path } }
            : {}),
        })
        break
      case 'assistant_message': {
        const { content, reasoning, toolCalls, partial } = p.payload
        if (content.trim() || reasoning.trim() || toolCalls.length === 0) {
          rows.push({
            kind: 'assistant',
            key: entry.id,
            entry,
            content,
            reasoning,
            partial: partial === true,
          })
        }
        for (const call of toolCalls) {
          shownResults.add(call.id)
          rows.push({
            kind: 'tool',
            key: `tool:${entry.id}:${call.id}`,
            call,
            calledAt: entry.createdAt,
            result: results.get(call.id) ?? null,
            approval: pairOf(requests.get(call.id)),
            repairs: callRepairs.get(call.id) ?? [],
          })
        }
        break
      }
      case 'tool_result': {
        // A result whose call is not in this branch still shows, as a card of its own (once).
        const id = p.payload.toolCallId
        if (calls.has(id) || shownResults.has(id)) break
        shownResults.add(id)
        rows.push({
          kind: 'tool',
          key: `tool:${entry.id}`,
          call: { id, name: p.payload.toolName, arguments: '' },
          calledAt: entry.createdAt,
          result: results.get(id) ?? p.payload,
          approval: pairOf(requests.get(id)),
          repairs: callRepairs.get(id) ?? [],
        })
        break
      }
      case 'approval':
        if (p.payload.kind === 'request') {
          if (!calls.has(p.payload.toolCallId)) {
            rows.push({ kind: 'approval', key: entry.id, approval: pairOf(p.payload)! })
          }
        } else if (p.payload.kind === 'spend') {
          rows.push({ kind: 'spend', key: entry.id, entry, spend: p.payload })
        }
        // An answer is shown as the state of its question's card.
        break
      case 'repair':
        if (p.payload.toolCallId && calls.has(p.payload.toolCallId)) break
        {
          // What its calls' cards did not take, if anything.
          const left = rest.get(entry.id)
          if (left && left.notes.length === 0) break
          rows.push({ kind: 'repair', key: entry.id, entry, repair: left ?? p.payload })
        }
        break
      case 'turn_end':
        // A run that finished normally needs no line; every other stop is worth seeing.
        if (p.payload.reason === 'done') break
        rows.push({
          kind: 'turn_end',
          key: entry.id,
          entry,
          reason: p.payload.reason,
          message: p.payload.message ?? null,
          keyRefusedBy: (p.payload.cause === 'auth' && p.payload.provider) || null,
        })
        break
      case 'model_switch':
        rows.push({ kind: 'model', key: entry.id, entry, change: p.payload })
        break
      case 'compaction': {
        indexOf ??= new Map(entries.map((e, at) => [e.id, at]))
        const { replacedFromId, replacedCount } = p.payload
        const { items, missing } = replacedItems(entries, indexOf, replacedFromId, replacedCount)
        rows.push({
          kind: 'compaction',
          key: entry.id,
          entry,
          compaction: p.payload,
          replaced: items,
          missing,
        })
        break
      }
      case 'prune':
        rows.push({ kind: 'prune', key: entry.id, entry, prune: p.payload })
        break
      default:
        break
    }
  }
  return rows
}
