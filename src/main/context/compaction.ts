import { isAbsolute, relative } from 'node:path'
import type { Compaction } from '../../shared/entries'
import { payloadOf } from '../../shared/entries'
import type { Entry } from '../../shared/model'
import { CHARS_PER_TOKEN, sentChars } from './tokens-in-use'

/**
 * The pure side of compaction: where the conversation may be cut, what the summariser is sent, the
 * file lists Paddock keeps itself, and the message that stands for the summarised part. The engine
 * side (calling the model, recording the entry) is `engine/compactor.ts`.
 */

/** The last compaction on a branch and where it sits; null when there is none. */
export interface LastCompaction {
  index: number
  payload: Compaction
  /** Where what it keeps verbatim starts (the entry after it when it keeps nothing before it). */
  keptFrom: number
}

export function lastCompaction(branch: readonly Entry[]): LastCompaction | null {
  for (let i = branch.length - 1; i >= 0; i--) {
    const payload = payloadOf(branch[i]!, 'compaction')
    if (!payload) continue
    let keptFrom = i + 1
    if (payload.firstKeptId !== null) {
      const k = indexOf(branch, payload.firstKeptId, i)
      if (k >= 0) keptFrom = k
    }
    return { index: i, payload, keptFrom }
  }
  return null
}

/** Index of entry `id` before `before` (searched backwards: a cut is near its compaction). */
function indexOf(branch: readonly Entry[], id: string, before: number): number {
  for (let i = before - 1; i >= 0; i--) if (branch[i]!.id === id) return i
  return -1
}

/**
 * Whether the conversation may start at this entry: a user message, or an assistant message that
 * was sent (its tool results follow it). Never a tool result: it would be cut from its call.
 */
export function isCutPoint(entry: Entry): boolean {
  if (entry.type === 'user_message') return payloadOf(entry, 'user_message') !== null
  const message = payloadOf(entry, 'assistant_message')
  return message !== null && !message.partial
}

/** Estimated tokens an entry adds to a request. */
export function entryTokens(entry: Entry): number {
  return Math.ceil(sentChars(entry, false) / CHARS_PER_TOKEN)
}

/**
 * Where to cut the branch so that what follows is sent verbatim: the earliest cut point at or after
 * `from` whose suffix holds at most `keepTokens` (estimated), so the recent part stays as it was.
 * When even the last step is larger, the last cut point (the newest step alone is kept); null when
 * no cut point after `from` leaves anything to summarise (the suffix would be everything).
 */
export function chooseCut(
  branch: readonly Entry[],
  from: number,
  keepTokens: number,
): number | null {
  let suffix = 0
  let best: number | null = null
  let last: number | null = null
  for (let i = branch.length - 1; i > from; i--) {
    const entry = branch[i]!
    suffix += entryTokens(entry)
    if (!isCutPoint(entry)) continue
    last ??= i
    if (suffix <= keepTokens) best = i
    else break
  }
  return best ?? last
}

/** The prompt (`user_message` of kind `prompt`) the turn holding entry `index` answers, if any. */
export function promptBefore(branch: readonly Entry[], index: number, from: number): number | null {
  for (let i = index - 1; i >= from; i--) {
    if (payloadOf(branch[i]!, 'user_message')?.kind === 'prompt') return i
  }
  return null
}

// ─── What the summariser is sent ───────────────────────────────────────────────────────────────

/** Characters of one tool output the summariser sees: enough to know what happened. */
export const SUMMARY_TOOL_OUTPUT_CHARS = 2_000
/** Characters of any other single message the summariser sees. */
export const SUMMARY_MESSAGE_CHARS = 20_000

function clip(text: string, max: number): string {
  if (text.length <= max) return text
  const head = Math.floor(max * 0.7)
  const tail = max - head
  return `${text.slice(0, head)}\n[… ${text.length - max} characters left out …]\n${text.slice(-tail)}`
}

/**
 * One entry as the summariser reads it: who said what, tool calls with their arguments, tool
 * outputs cut to {@link SUMMARY_TOOL_OUTPUT_CHARS}. Bookkeeping entries read as nothing ('').
 */
export function entryText(entry: Entry): string {
  const user = payloadOf(entry, 'user_message')
  if (user) {
    const who =
      user.kind === 'correction'
        ? 'Paddock (to the assistant)'
        : user.skill
          ? `User, with the skill ${user.skill.name} loaded`
          : 'User'
    return `[${who}]: ${clip(user.text, SUMMARY_MESSAGE_CHARS)}`
  }
  const message = payloadOf(entry, 'assistant_message')
  if (message) {
    if (message.partial) return ''
    const parts: string[] = []
    if (message.content) parts.push(`[Assistant]: ${clip(message.content, SUMMARY_MESSAGE_CHARS)}`)
    for (const call of message.toolCalls) {
      parts.push(`[Tool call ${call.name}]: ${clip(call.arguments, SUMMARY_TOOL_OUTPUT_CHARS)}`)
    }
    return parts.join('\n')
  }
  const result = payloadOf(entry, 'tool_result')
  if (result) {
    const status = result.isError ? ' (error)' : ''
    return `[Tool result ${result.toolName}${status}]: ${clip(result.content, SUMMARY_TOOL_OUTPUT_CHARS)}`
  }
  const note = payloadOf(entry, 'note')
  if (note && note.writtenTotal + note.deletedTotal > 0) {
    return `[Paddock]: the user restored ${note.writtenTotal + note.deletedTotal} file(s) to an earlier checkpoint.`
  }
  return ''
}

/**
 * The entries `[from, to)` as text for the summariser, in chunks of at most `maxChars` each (a
 * single entry longer than that is cut to fit). One chunk when it all fits.
 */
export function summaryChunks(
  branch: readonly Entry[],
  from: number,
  to: number,
  maxChars: number,
): string[] {
  const chunks: string[] = []
  let current = ''
  for (let i = from; i < to; i++) {
    const entry = branch[i]!
    if (entry.type === 'compaction' || entry.type === 'prune') continue
    let text = entryText(entry)
    if (!text) continue
    if (text.length > maxChars) text = clip(text, maxChars)
    if (current && current.length + text.length + 2 > maxChars) {
      chunks.push(current)
      current = ''
    }
    current = current ? `${current}\n\n${text}` : text
  }
  if (current) chunks.push(current)
  return chunks
}

export const SUMMARY_SYSTEM = [
  'You are the context summariser of a coding agent. You read a conversation between a user and',
  'an AI coding assistant (with its tool calls and their results) and write the summary the',
  'assistant will continue from: it will not see the conversation again, only your summary.',
  'Do not continue the conversation and do not answer questions in it. Write only the summary.',
].join(' ')

const SUMMARY_SECTIONS = `Use exactly these sections, in Markdown:

## Goal
What the user wants done overall.

## Constraints and preferences
Requirements and preferences the user stated — quote the user's own words verbatim.

## Progress
### Done
### In progress
### Blocked

## Key decisions
Decisions made and why.

## Next steps
What remains, in order.

## Critical context
Exact names, paths, commands, error messages and values the work depends on.

Be concise and specific; keep every fact the assistant needs to continue without rereading files.`

/**
 * The one user message of a summarisation request: the previous summary to update (when there is
 * one), the conversation (or the next chunk of it), and what to focus on.
 */
export function summaryRequest(opts: {
  conversation: string
  previous: string | null
  focus?: string
  /** The part summarised is the start of a turn still going on (the rest of it is kept). */
  turnPrefix?: boolean
}): string {
  const parts: string[] = []
  if (opts.previous) {
    parts.push(
      '<previous-summary>',
      opts.previous,
      '</previous-summary>',
      '',
      'Update the previous summary with the conversation below: keep what still holds, add what is new, move finished items to Done, and drop what no longer matters. Do not summarise the summary itself.',
    )
  } else if (opts.turnPrefix) {
    parts.push(
      'Below is the early part of a turn still in progress (its later steps are kept verbatim). Summarise what was done in it so far.',
    )
  } else {
    parts.push('Summarise the conversation below.')
  }
  parts.push('', '<conversation>', opts.conversation, '</conversation>', '', SUMMARY_SECTIONS)
  if (opts.focus) parts.push('', `The user asks the summary to focus on: ${opts.focus}`)
  return parts.join('\n')
}

// ─── The file lists ────────────────────────────────────────────────────────────────────────────

/** Tools whose `path` argument names a file they read; and those that change it. */
const READERS = new Set(['read'])
const WRITERS = new Set(['write', 'edit'])

/** A path as the lists show it: workspace-relative with `/` when inside the workspace. */
function listPath(workspaceRoot: string, path: string): string {
  if (!isAbsolute(path)) return path.replace(/^\.\//, '')
  const rel = relative(workspaceRoot, path)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : path
}

function pathArgument(args: string): string | null {
  try {
    const parsed = JSON.parse(args) as unknown
    if (parsed && typeof parsed === 'object' && 'path' in parsed) {
      const path = (parsed as { path: unknown }).path
      if (typeof path === 'string' && path.length > 0 && path.length < 4096) return path
    }
  } catch {
    // Unreadable arguments name no file.
  }
  return null
}

/**
 * Files read and files modified on the branch up to `to`, computed from what ran — the tool calls
 * that succeeded (as executed) and the checkpoints' changed files — never from a summary's text.
 * A file modified is not listed as read. Sorted. Cumulative: the last compaction before `to` holds
 * the lists up to it, so only what follows it is read (a long session is not walked whole).
 */
export function fileLists(
  branch: readonly Entry[],
  to: number,
  workspaceRoot: string,
): { filesRead: string[]; filesModified: string[] } {
  const read = new Set<string>()
  const modified = new Set<string>()
  let from = 0
  for (let i = to - 1; i >= 0; i--) {
    const previous = payloadOf(branch[i]!, 'compaction')
    if (!previous) continue
    for (const path of previous.filesRead) read.add(path)
    for (const path of previous.filesModified) modified.add(path)
    from = i + 1
    break
  }
  const calls = new Map<string, { name: string; arguments: string }>()
  // A call made before the compaction whose result came after it (a run resumed): its message.
  for (let i = from - 1; i >= 0 && from > 0; i--) {
    const message = payloadOf(branch[i]!, 'assistant_message')
    if (!message) continue
    for (const call of message.toolCalls) calls.set(call.id, call)
    break
  }
  for (let i = from; i < to; i++) {
    const entry = branch[i]!
    const message = payloadOf(entry, 'assistant_message')
    if (message) {
      for (const call of message.toolCalls) calls.set(call.id, call)
      continue
    }
    const result = payloadOf(entry, 'tool_result')
    if (result) {
      if (result.isError) continue
      const call = result.replay ?? calls.get(result.toolCallId)
      const name = result.replay?.name ?? result.toolName
      if (!call) continue
      const path = pathArgument(call.arguments)
      if (!path) continue
      if (READERS.has(name)) read.add(listPath(workspaceRoot, path))
      if (WRITERS.has(name)) modified.add(listPath(workspaceRoot, path))
      continue
    }
    const checkpoint = payloadOf(entry, 'checkpoint')
    if (checkpoint && 'files' in checkpoint && checkpoint.turnId !== null) {
      for (const file of checkpoint.files) modified.add(file.path)
    }
  }
  for (const path of modified) read.delete(path)
  return { filesRead: [...read].sort(), filesModified: [...modified].sort() }
}

// ─── What the model is sent instead ────────────────────────────────────────────────────────────

/** Paths listed per list in the summary message; the rest are counted. */
const LIST_MAX = 200

function list(paths: readonly string[]): string {
  if (paths.length === 0) return '(none)'
  const shown = paths.slice(0, LIST_MAX).map((p) => `- ${p}`)
  if (paths.length > LIST_MAX) shown.push(`- … and ${paths.length - LIST_MAX} more`)
  return shown.join('\n')
}

/**
 * The user message that stands for everything a compaction summarised: the summary, the two file
 * lists, and the prompt of the turn in progress, verbatim, when it was summarised around.
 */
export function summaryMessage(compaction: Compaction, prompt: string | null): string {
  const parts = [
    '[Paddock: context summary] The earlier conversation was compacted to fit the context window. This summary replaces it:',
    '',
    compaction.summary.trim(),
    '',
    `Files read so far (read them again before relying on their content):\n${list(compaction.filesRead)}`,
    '',
    `Files modified so far:\n${list(compaction.filesModified)}`,
  ]
  if (prompt !== null) parts.push('', `The user's current request, verbatim:\n${prompt}`)
  return parts.join('\n')
}
