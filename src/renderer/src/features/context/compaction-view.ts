import type { Compaction, CompactionReason, Prune } from '../../../../shared/entries'
import { payloadOf } from '../../../../shared/entries'
import type { Entry } from '../../../../shared/model'
import { formatTokens } from '../transcript/format'

/**
 * What the transcript says about a compaction and a prune, as pure functions: the card's headline,
 * why it happened, and the messages the summary replaced, one short line each.
 */

/** The reason in the headline's brackets: the payload's own word, in plain words for `manual`. */
export const REASON_LABELS: Record<CompactionReason, string> = {
  threshold: 'threshold',
  overflow: 'overflow',
  model_switch: 'model switch',
  manual: 'asked by you',
}

/** The reason in a sentence, shown when the card is open. */
export const REASON_DETAILS: Record<CompactionReason, string> = {
  threshold:
    'The conversation passed the compaction threshold of the model’s window, so its older part was summarised before the next request.',
  overflow:
    'The provider said the request did not fit its window: everything but the last prompt was summarised, and the request was sent again once.',
  model_switch:
    'The session switched to a model whose window could not hold it, so it was summarised before the first request to that model.',
  manual: 'You asked for it (/compact or “Compact now”).',
}

/** "Context compacted: 142k → 19k tokens (threshold)". */
export function compactionHeadline(
  c: Pick<Compaction, 'tokensBefore' | 'tokensAfter' | 'reason'>,
): string {
  return `Context compacted: ${formatTokens(c.tokensBefore)} → ${formatTokens(c.tokensAfter)} tokens (${REASON_LABELS[c.reason]})`
}

/** "3 old tool outputs pruned to save context (about 14k tokens)". */
export function pruneLine(p: Prune): string {
  const n = p.outputs.length
  const what = n === 1 ? '1 old tool output' : `${n} old tool outputs`
  const freed = p.tokensFreed > 0 ? ` (about ${formatTokens(p.tokensFreed)} tokens)` : ''
  return `${what} pruned to save context${freed}; the full outputs stay in the session’s files.`
}

/** One message a compaction replaced: who wrote it and its first line. */
export interface ReplacedItem {
  id: string
  /** "You", "Steer", "Agent", or the tool's name for a tool's output. */
  who: string
  kind: 'user' | 'assistant' | 'tool'
  text: string
  isError: boolean
}

/** Longest line shown per replaced message, in characters. */
const LINE_MAX_CHARS = 160

const VIA: Record<string, string> = {
  prompt: 'You',
  steer: 'Steer',
  follow_up: 'Follow-up',
  correction: 'Paddock',
}

/** The first non-blank line of a text, cut to {@link LINE_MAX_CHARS}. */
export function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? ''
  const trimmed = line.trim()
  return trimmed.length > LINE_MAX_CHARS ? `${trimmed.slice(0, LINE_MAX_CHARS - 1)}…` : trimmed
}

function itemOf(entry: Entry): ReplacedItem {
  const user = payloadOf(entry, 'user_message')
  if (user) {
    return {
      id: entry.id,
      who: VIA[user.kind] ?? 'You',
      kind: 'user',
      text: firstLine(user.text),
      isError: false,
    }
  }
  const reply = payloadOf(entry, 'assistant_message')
  if (reply) {
    const calls = reply.toolCalls.map((c) => c.name)
    const said = firstLine(reply.content)
    const called = calls.length > 0 ? `called ${calls.join(', ')}` : ''
    return {
      id: entry.id,
      who: 'Agent',
      kind: 'assistant',
      text: [said, called].filter(Boolean).join(' · ') || '(no text)',
      isError: false,
    }
  }
  const result = payloadOf(entry, 'tool_result')
  if (result) {
    return {
      id: entry.id,
      who: result.toolName,
      kind: 'tool',
      // `read` numbers its lines ("     1\t# Demo"): the number says nothing here.
      text:
        firstLine(
          result.toolName === 'read' ? result.content.replace(/^ *\d+\t/, '') : result.content,
        ) || '(no output)',
      isError: result.isError,
    }
  }
  return {
    id: entry.id,
    who: entry.type.replace(/_/g, ' '),
    kind:
      entry.type === 'tool_result' ? 'tool' : entry.type === 'user_message' ? 'user' : 'assistant',
    text: '(this entry could not be read)',
    isError: true,
  }
}

/** Entry types a compaction counts as conversation (`replacedCount` counts these). */
const CONVERSATION = new Set(['user_message', 'assistant_message', 'tool_result'])

/**
 * The conversation entries a compaction replaced: `count` of them, from `fromId` on, in the
 * branch as loaded. `missing` counts those not found (not loaded yet, or in another branch).
 */
export function replacedItems(
  entries: readonly Entry[],
  indexOf: ReadonlyMap<string, number>,
  fromId: string | null,
  count: number,
): { items: ReplacedItem[]; missing: number } {
  const start = fromId === null ? undefined : indexOf.get(fromId)
  if (start === undefined) return { items: [], missing: count }
  const items: ReplacedItem[] = []
  for (let i = start; i < entries.length && items.length < count; i++) {
    const entry = entries[i]!
    if (CONVERSATION.has(entry.type)) items.push(itemOf(entry))
  }
  return { items, missing: count - items.length }
}
