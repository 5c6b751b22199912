import type { Entry } from '../../shared/model'
import { parseEntry, payloadOf } from '../../shared/entries'
import type { ContextRecord, RestoreNote, TurnEnd } from '../../shared/entries'
import type { ChatMessage, ToolCall } from '../providers/types'
import type { Replay } from '../engine/tool-replay'
import { replayableArguments } from '../engine/tool-replay'
import { lastCompaction, summaryMessage } from './compaction'
import { prunePlaceholder, prunedOutputs } from './pruning'
import { promptText } from '../skills/invoke'
import { capToolImages, detailsImages } from './tool-images'

/**
 * Derive the conversation sent to a model from the session's branch (root → leaf). Guarantees the
 * invariants every provider checks: each assistant tool call is answered by exactly one tool result,
 * in the order of the calls, before the next user or assistant message; every call goes back with
 * arguments that are a JSON object, as it was executed (see `replayCall`); partial (aborted)
 * assistant messages and bookkeeping entries are left out. A files restore (a `note` entry) becomes a short
 * notice in a user message, merged with the user message that follows it if one does, so the model
 * knows which files changed under it and roles still alternate.
 *
 * After a `compaction`, its summary (with the file lists) comes first, as a user message, and only
 * the entries it kept follow; a `prune` makes the outputs it names a one-line placeholder.
 *
 * For a model that takes images (`options.images`, the catalog's capability), a tool result's
 * images (`details.images` with their data) go with its message, the oldest left out by the steps
 * of `capToolImages`; otherwise, and for a pruned output, the result's text describes them.
 */
export function deriveMessages(branch: Entry[], options: { images?: boolean } = {}): ChatMessage[] {
  const out: ChatMessage[] = []
  let open: {
    /** The open assistant message's calls (its own copies): patched when it closes. */
    calls: ToolCall[]
    results: Map<string, { message: ChatMessage; replay: Replay | undefined }>
  } | null = null
  const close = (): void => {
    if (!open) return
    for (const call of open.calls) {
      const result = open.results.get(call.id)
      replayCall(call, result)
      out.push(
        result?.message ?? {
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
  /** The last user message that holds a notice: what follows it directly joins it. */
  let notice: ChatMessage | null = null
  const pushUser = (content: string, isNotice: boolean): void => {
    close()
    const last = out[out.length - 1]
    if (last?.role === 'user' && (isNotice || last === notice)) {
      last.content += `\n\n${content}`
      if (isNotice) notice = last
      return
    }
    const message: ChatMessage = { role: 'user', content }
    out.push(message)
    if (isNotice) notice = message
  }
  // After a compaction, its summary stands for everything before what it kept.
  let start = 0
  const compacted = lastCompaction(branch)
  if (compacted) {
    const promptId = compacted.payload.keptPromptId
    const prompt = promptId ? branch.find((e) => e.id === promptId) : undefined
    const text = prompt ? (payloadOf(prompt, 'user_message')?.text ?? null) : null
    pushUser(summaryMessage(compacted.payload, text), true)
    start = compacted.keptFrom
  }
  const pruned = prunedOutputs(branch)
  for (let i = start; i < branch.length; i++) {
    const parsed = parseEntry(branch[i]!)
    // An entry whose payload does not read is left out of the conversation.
    if (!parsed.ok) continue
    const entry = parsed.entry
    if (entry.type === 'user_message') {
      pushUser(promptText(entry.payload), false)
    } else if (entry.type === 'note') {
      const text = restoreNotice(entry.payload)
      if (text) pushUser(text, true)
    } else if (entry.type === 'branch_point') {
      // A conversation rewind whose files were left as later steps made them.
      if (entry.payload.notice) pushUser(entry.payload.notice, true)
    } else if (entry.type === 'assistant_message') {
      const p = entry.payload
      if (p.partial) continue
      close()
      const toolCalls = p.toolCalls.map((c) => ({ ...c }))
      out.push({
        role: 'assistant',
        content: p.content,
        ...(p.reasoning ? { reasoning: p.reasoning } : {}),
        ...(p.reasoningField ? { reasoningField: p.reasoningField } : {}),
        toolCalls,
      })
      if (toolCalls.length) open = { calls: toolCalls, results: new Map() }
    } else if (entry.type === 'tool_result') {
      const data = entry.payload
      if (!open) continue
      if (!open.calls.some((c) => c.id === data.toolCallId)) continue
      // A later result for the same call (an answer after a restart) replaces the earlier one;
      // the earlier replay stays when the later result has none.
      const earlier = open.results.get(data.toolCallId)?.replay
      const replay = data.replay ?? earlier
      const prunedAs = pruned.get(entry.id)
      const call = open.calls.find((c) => c.id === data.toolCallId)!
      const images = options.images && !prunedAs ? detailsImages(data.details) : []
      open.results.set(data.toolCallId, {
        message: {
          role: 'tool',
          toolCallId: data.toolCallId,
          toolName: replay?.name ?? data.toolName,
          content: prunedAs
            ? prunePlaceholder(
                replay?.name ?? data.toolName,
                replay?.arguments ?? call.arguments,
                prunedAs,
              )
            : data.content,
          isError: data.isError,
          ...(images.length ? { images } : {}),
        },
        replay,
      })
    }
  }
  close()
  if (options.images) capToolImages(out)
  return out
}

/**
 * The call as the history sends it back: as executed when its result says so (`replay`), else as
 * the model wrote it, except that arguments which are not a JSON object (a call interrupted before
 * its result, or a log written before results carried a replay) go back as valid JSON, and the
 * name is the one its result was recorded under (an approval answered after a restart runs the
 * call under the tool's own name). Strict servers answer 400 to every request whose history holds
 * arguments that are not a JSON object.
 */
function replayCall(
  call: ToolCall,
  result: { message: ChatMessage; replay: Replay | undefined } | undefined,
): void {
  if (result?.replay) {
    call.name = result.replay.name
    call.arguments = result.replay.arguments
    return
  }
  if (result?.message.role === 'tool' && result.message.toolName) {
    call.name = result.message.toolName
  }
  call.arguments = replayableArguments(call.arguments)
}

/** Paths listed in a restore notice; the rest are counted. */
const NOTICE_MAX_PATHS = 30

function pathList(paths: string[], total: number): string {
  const shown = paths.slice(0, NOTICE_MAX_PATHS)
  const more = total - shown.length
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '')
}

/**
 * What the model is told after the user restored files: which files, to which checkpoint, and to
 * read them again. Null when the restore changed nothing.
 */
export function restoreNotice(note: RestoreNote): string | null {
  if (note.writtenTotal + note.deletedTotal === 0) return null
  const parts: string[] = []
  if (note.writtenTotal) parts.push(`restored ${pathList(note.written, note.writtenTotal)}`)
  if (note.deletedTotal) parts.push(`deleted ${pathList(note.deleted, note.deletedTotal)}`)
  const what = note.undoes
    ? `undid an earlier restore (back to checkpoint ${note.checkpointId.slice(0, 12)})`
    : `restored files to checkpoint ${note.checkpointId.slice(0, 12)}`
  return (
    `[Paddock note] The user ${what}: ${parts.join('; ')}. These files no longer hold what you ` +
    'last saw or wrote; read them again before relying on their content.'
  )
}

/** The prompt (`user_message` of kind `prompt`) the branch's latest run answers: its entry id. */
export function lastPromptId(branch: Entry[]): string | null {
  for (let i = branch.length - 1; i >= 0; i--) {
    const e = branch[i]!
    if (payloadOf(e, 'user_message')?.kind === 'prompt') return e.id
  }
  return null
}

/**
 * The session's stored request prefix in force (the branch's last `context` entry: a later one
 * replaced the tools), if a run has started.
 */
export function findContext(branch: Entry[]): ContextRecord | null {
  for (let i = branch.length - 1; i >= 0; i--) {
    const p = payloadOf(branch[i]!, 'context')
    if (p) return p
  }
  return null
}

/** How the last run ended, or null when the branch ends mid-run (or has no run). */
export function lastTurnEnd(branch: Entry[]): TurnEnd | null {
  for (let i = branch.length - 1; i >= 0; i--) {
    const entry = branch[i]!
    if (entry.type === 'turn_end') return payloadOf(entry, 'turn_end')
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
