import type { Entry } from '../../shared/model'
import {
  AssistantMessagePayload,
  ContextPayload,
  ToolResultPayload,
  TurnEndPayload,
  UserMessagePayload,
} from '../../shared/entries'
import type { ContextRecord, TurnEnd } from '../../shared/entries'
import type { ChatMessage } from '../providers/types'

/**
 * Parsed payloads by entry, kept by whoever derives repeatedly from the same entries (a run), so
 * each entry is validated once rather than on every model call.
 */
export type ParseMemo = WeakMap<Entry, unknown>

/**
 * Derive the conversation sent to a model from the session's branch (root → leaf). Guarantees the
 * invariants every provider checks: each assistant tool call is answered by exactly one tool result,
 * in the order of the calls, before the next user or assistant message; partial (aborted) assistant
 * messages and bookkeeping entries are left out.
 */
export function deriveMessages(branch: Entry[], memo?: ParseMemo): ChatMessage[] {
  const parse = <T>(
    schema: { safeParse(v: unknown): { success: boolean; data?: T } },
    e: Entry,
  ): { success: boolean; data?: T } => {
    if (!memo) return schema.safeParse(e.payload)
    let hit = memo.get(e) as { success: boolean; data?: T } | undefined
    if (!hit) {
      hit = schema.safeParse(e.payload)
      memo.set(e, hit)
    }
    return hit
  }
  const out: ChatMessage[] = []
  let open: {
    calls: Array<{ id: string; name: string }>
    results: Map<string, ChatMessage>
  } | null = null
  const close = (): void => {
    if (!open) return
    for (const call of open.calls) {
      out.push(
        open.results.get(call.id) ?? {
          role: 'tool',
          toolCallId: call.id,
          toolName: call.name,
          content: 'Interrupted: this tool call never completed.',
          isError: true,
        },
      )
    }
    open = null
  }
  for (const entry of branch) {
    if (entry.type === 'user_message') {
      const p = parse(UserMessagePayload, entry)
      if (!p.success || !p.data) continue
      close()
      out.push({ role: 'user', content: p.data.text })
    } else if (entry.type === 'assistant_message') {
      const p = parse(AssistantMessagePayload, entry)
      if (!p.success || !p.data || p.data.partial) continue
      close()
      out.push({
        role: 'assistant',
        content: p.data.content,
        ...(p.data.reasoning ? { reasoning: p.data.reasoning } : {}),
        toolCalls: p.data.toolCalls,
      })
      if (p.data.toolCalls.length) {
        open = {
          calls: p.data.toolCalls.map((c) => ({ id: c.id, name: c.name })),
          results: new Map(),
        }
      }
    } else if (entry.type === 'tool_result') {
      const p = parse(ToolResultPayload, entry)
      const data = p.data
      if (!p.success || !data || !open) continue
      if (!open.calls.some((c) => c.id === data.toolCallId)) continue
      open.results.set(data.toolCallId, {
        role: 'tool',
        toolCallId: data.toolCallId,
        toolName: data.toolName,
        content: data.content,
        isError: data.isError,
      })
    }
  }
  close()
  return out
}

/** The session's stored request prefix, if a run has started. */
export function findContext(branch: Entry[]): ContextRecord | null {
  for (const entry of branch) {
    if (entry.type !== 'context') continue
    const p = ContextPayload.safeParse(entry.payload)
    if (p.success) return p.data
  }
  return null
}

/** How the last run ended, or null when the branch ends mid-run (or has no run). */
export function lastTurnEnd(branch: Entry[]): TurnEnd | null {
  for (let i = branch.length - 1; i >= 0; i--) {
    const entry = branch[i]!
    if (entry.type === 'turn_end') {
      const p = TurnEndPayload.safeParse(entry.payload)
      return p.success ? p.data : null
    }
    // Bookkeeping after the end (an approval, a repair note) does not reopen the run.
    if (CONVERSATION.has(entry.type)) return null
  }
  return null
}

const CONVERSATION: ReadonlySet<Entry['type']> = new Set([
  'user_message',
  'assistant_message',
  'tool_result',
  'context',
])

/** True when the branch is in the middle of a run: a message after the last turn_end. */
export function isMidRun(branch: Entry[]): boolean {
  for (let i = branch.length - 1; i >= 0; i--) {
    const t = branch[i]!.type
    if (t === 'turn_end') return false
    if (t === 'user_message' || t === 'assistant_message' || t === 'tool_result') return true
  }
  return false
}
