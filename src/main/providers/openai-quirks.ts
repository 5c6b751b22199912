import { safeParse, splitNameMarkup } from './text-tool-calls'
import { isBlank } from './text-tool-gate'
import { jsonSpanAt } from './text-tool-json'
import type { ToolCall } from './types'

/**
 * Repairs for the ways OpenAI-compatible servers (vLLM, Ollama, SGLang, gateways in front of open
 * models) bend the streaming tool-call format. Each returns what it did, so the engine can record
 * the repair; none ever drops a call.
 */
export interface QuirkNote {
  kind:
    | 'missing_index'
    | 'missing_id'
    | 'concatenated_calls'
    | 'text_tool_calls'
    | 'unread_text_tool_call'
    | 'duplicate_id'
    | 'name_markup'
    | StreamQuirkKind
  detail: string
}

/**
 * Repairs of the stream itself (openai-deltas.ts, openai-compatible.ts): a call's arguments sent
 * cumulatively or re-sent in full, parallel calls sharing one index, arguments sent as an object,
 * no finish_reason, a call cut off at the output limit, reasoning before a lone `</think>`, a
 * request sent again with the reasoning a server asked for (or without the field it refused), an
 * id that changed mid-call; and one refusal: identical argument objects in a row, not run.
 */
export type StreamQuirkKind =
  | 'cumulative_arguments'
  | 'resent_arguments'
  | 'shared_index'
  | 'object_arguments'
  | 'missing_finish_reason'
  | 'truncated_call'
  | 'think_prefill'
  | 'reasoning_content_required'
  | 'reasoning_field_rejected'
  | 'unstable_id'
  | 'ambiguous_repeat'

/** A tool call being assembled from deltas. */
export interface PartialCall {
  id: string
  name: string
  arguments: string
}

export interface DeltaToolCall {
  index?: number | null
  id?: string | null
  function?: { name?: string | null; arguments?: string | null } | null
}

/**
 * Which call of `calls` a delta without an `index` belongs to (some vLLM and Ollama versions omit
 * it): followed by id — a new id, or a name arriving for a call that already has one and
 * arguments, starts a new call; anything else continues the last call. (The assembler decides
 * first whether a new id only renames the call, openai-deltas.ts.)
 */
export function callIndexFor(
  delta: DeltaToolCall,
  calls: PartialCall[],
  notes: QuirkNote[],
): number {
  const last = calls.length - 1
  const startsNew =
    last < 0 ||
    (delta.id && delta.id !== calls[last]!.id) ||
    (delta.function?.name && calls[last]!.name && calls[last]!.arguments)
  if (!notes.some((n) => n.kind === 'missing_index')) {
    notes.push({ kind: 'missing_index', detail: 'tool call deltas came without an index' })
  }
  return startsNew ? last + 1 : last
}

/**
 * The name of a call being assembled, given a delta's name. Some servers repeat the full name on
 * every delta instead of sending it once; a repeat is not appended (`read` + `read` stays `read`).
 */
export function mergeName(current: string, delta: string | null | undefined): string {
  if (!delta) return current
  if (!current) return delta
  return current === delta ? current : current + delta
}

/** Give every call an id, and make ids unique within the turn and against `usedIds`. */
export function ensureIds(
  calls: PartialCall[],
  usedIds: ReadonlySet<string>,
  notes: QuirkNote[],
): void {
  const seen = new Set(usedIds)
  calls.forEach((c, i) => {
    if (!c.id) {
      c.id = `call_${i}`
      notes.push({ kind: 'missing_id', detail: `tool call ${i + 1} had no id` })
    }
    if (seen.has(c.id)) {
      let n = 2
      while (seen.has(`${c.id}_${n}`)) n += 1
      notes.push({
        kind: 'duplicate_id',
        detail: `tool call id ${c.id} was already used; renamed ${c.id}_${n}`,
      })
      c.id = `${c.id}_${n}`
    }
    seen.add(c.id)
  })
}

/**
 * Split `{"a":1}{"b":2}` (several calls' arguments run together in one call, as some servers do
 * when a model emits parallel calls) into one call per JSON object.
 *
 * The same object twice in a row has two readings: the server sent the arguments again (run
 * once), or the model made identical parallel calls (run each). Nothing is guessed: the call is
 * left as it came, so the repair stage answers it without running anything ("the arguments hold
 * more than one JSON object; send exactly one"), and the note names both readings.
 */
export function splitConcatenatedCalls(calls: PartialCall[], notes: QuirkNote[]): PartialCall[] {
  const out: PartialCall[] = []
  for (const c of calls) {
    const parts = splitJsonObjects(c.arguments)
    if (parts.length < 2) {
      out.push(c)
      continue
    }
    const values = parts.map((p) => canonicalJson(JSON.parse(p)))
    if (values.some((v, i) => i > 0 && v === values[i - 1])) {
      notes.push({
        kind: 'ambiguous_repeat',
        detail: `${c.name || 'a call with no name'}: ${parts.length} argument objects in one call, the same object twice in a row; either the server sent the arguments again (run once) or the model made identical parallel calls (run each). Not run: the model was told to send one JSON object per call`,
      })
      out.push(c)
      continue
    }
    notes.push({
      kind: 'concatenated_calls',
      detail: `${c.name}: ${parts.length} argument objects in one call, split into ${parts.length} calls`,
    })
    parts.forEach((args, i) =>
      out.push({ id: i === 0 ? c.id : `${c.id}_${i + 1}`, name: c.name, arguments: args }),
    )
  }
  return out
}

/**
 * Top-level JSON objects laid end to end (apart only by white space and commas), or [] when the
 * text is not exactly that: anything else between them (a stray string, say) leaves the call as
 * it came, to be answered as arguments that are not one JSON object. Each object's extent is found
 * by `jsonSpanAt`, the scanner text tool calls use.
 */
export function splitJsonObjects(text: string): string[] {
  const s = text.trim()
  if (!s.startsWith('{')) return []
  const parts: string[] = []
  let i = 0
  while (i < s.length) {
    const ch = s[i]!
    if (/[\s,]/.test(ch)) i += 1
    else if (ch !== '{') return []
    else {
      const span = jsonSpanAt(s, i)
      if (!span.ok) return []
      parts.push(s.slice(span.start, span.end))
      i = span.end
    }
  }
  return parts.every(isJsonObject) ? parts : []
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text)
    return typeof v === 'object' && v !== null && !Array.isArray(v)
  } catch {
    return false
  }
}

/** JSON text of a value with object keys sorted: equal for the same value, however written. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
}

/** What {@link finishToolCalls} is told about the request and the rest of the turn. */
export interface FinishOptions {
  /** The offered tools' names: a bare JSON message counts as a call only when it names one. */
  toolNames?: readonly string[]
  /** The turn's reasoning: calls written there are read when the content holds none. */
  reasoning?: string
}

/**
 * Tool calls a model wrote as text (in any format of `text-tool-calls.ts`) when the server did
 * not parse them: from the content, or — only when the content is empty — from the reasoning
 * (a call drafted in the reasoning before a final answer is not a call). Returns the calls and
 * the content without them (the reasoning is kept as it came), and notes the format read; calls
 * marked in the same text that were not read get an `unread_text_tool_call` note, from which the
 * engine tells the model (see `tool-call-correction.ts`).
 */
export function extractTextToolCalls(
  content: string,
  notes: QuirkNote[],
  options: FinishOptions = {},
): { content: string; calls: PartialCall[] } {
  const toolNames = options.toolNames ?? []
  const [where, text] = isBlank(content)
    ? ['the reasoning', options.reasoning ?? '']
    : ['the message text', content]
  if (!text.trim()) return { content, calls: [] }
  const parsed = safeParse(text, toolNames)
  if (!parsed.calls.length) return { content, calls: [] }
  const lenient = parsed.lenient.length ? `; read leniently (${parsed.lenient.join(', ')})` : ''
  notes.push({
    kind: 'text_tool_calls',
    detail: `${parsed.calls.length} tool call(s) written as ${parsed.format} in ${where}${lenient}`,
  })
  if (parsed.failures.length) {
    notes.push({
      kind: 'unread_text_tool_call',
      detail: `${parsed.failures.length} more call(s) in ${where} were not read, so not run: ${parsed.failures.map((f) => `${f.format}: ${f.problem}`).join('; ')}`,
    })
  }
  return {
    content: where === 'the message text' ? parsed.rest : content,
    calls: parsed.calls.map((c) => ({ id: c.id ?? '', name: c.name, arguments: c.arguments })),
  }
}

/**
 * GLM's `<arg_key>/<arg_value>` markup leaked into a structured call's name: split into the name
 * and its arguments (see `splitNameMarkup`).
 */
function splitNames(calls: PartialCall[], notes: QuirkNote[]): void {
  for (const c of calls) {
    const split = splitNameMarkup(c.name, c.arguments)
    if (!split) continue
    notes.push({
      kind: 'name_markup',
      detail: `GLM <arg_key>/<arg_value> markup in the tool name "${c.name.slice(0, 60)}" split into ${split.name} and its arguments`,
    })
    c.name = split.name
    c.arguments = split.arguments
  }
}

/** Ids for calls read from text that carry none: fresh, and not an id the turn or history used. */
function textCallIds(calls: PartialCall[], usedIds: ReadonlySet<string>): void {
  const taken = new Set([...usedIds, ...calls.map((c) => c.id)])
  let n = 0
  for (const c of calls) {
    if (c.id) continue
    while (taken.has(`call_text_${n}`)) n += 1
    c.id = `call_text_${n}`
    taken.add(c.id)
  }
}

/** Apply the assembled-turn repairs in order; returns the calls to record. */
export function finishToolCalls(
  raw: PartialCall[],
  content: string,
  usedIds: ReadonlySet<string>,
  notes: QuirkNote[],
  options: FinishOptions = {},
): { content: string; toolCalls: ToolCall[] } {
  // A call with arguments but no name is kept: the repair stage infers its tool when exactly one fits.
  let calls = raw.filter((c) => c.name || c.arguments.trim())
  let text = content
  if (calls.length === 0) {
    const extracted = extractTextToolCalls(content, notes, options)
    calls = extracted.calls
    text = extracted.content
    textCallIds(calls, usedIds)
  } else splitNames(calls, notes)
  calls = splitConcatenatedCalls(calls, notes)
  ensureIds(calls, usedIds, notes)
  return {
    content: text,
    toolCalls: calls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })),
  }
}
