import { parseJsonLenient } from '../tools/repair-json'
import { TOOL_ALIASES, normaliseName } from '../tools/repair-names'
import type { TextToolCall } from './text-tool-types'

/**
 * JSON pieces of tool calls written as text: finding where a JSON value ends inside prose or
 * between template tokens, and reading a call "envelope" (`{"name": …, "arguments": …}` and its
 * variants) into a name and an arguments string. Pure; never throws.
 */

/** A JSON value's extent in a text: `[start, end)`, or why it has none. */
export type JsonSpan = { ok: true; start: number; end: number } | { ok: false; error: string }

/**
 * The end of the JSON object or array that starts at `start` (a `{` or `[`), found by matching
 * brackets outside double-quoted strings. It says nothing of whether the slice parses.
 */
export function jsonSpanAt(text: string, start: number): JsonSpan {
  const open = text[start]
  if (open !== '{' && open !== '[') return { ok: false, error: 'expected a JSON object' }
  const stack: string[] = []
  let inString = false
  let escaped = false
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!
    if (inString) {
      if (escaped) escaped = false
      else if (ch === '\\') escaped = true
      else if (ch === '"') inString = false
      continue
    }
    if (ch === '"') inString = true
    else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']')
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return { ok: false, error: `an unmatched "${ch}"` }
      if (stack.length === 0) return { ok: true, start, end: i + 1 }
    }
  }
  return { ok: false, error: 'the JSON is not closed (it ends before its last bracket)' }
}

/** The text inside one ``` fence that is the whole of `text`, else `text` itself (trimmed). */
export function unfence(text: string): string {
  const t = text.trim()
  const m = /^```[\w+-]*[ \t]*\n?([\s\S]*?)\n?[ \t]*```$/.exec(t)
  return m ? m[1]!.trim() : t
}

/** A JSON value read from text (leniently: single quotes, trailing commas…), with what it took. */
export type ReadJson =
  { ok: true; value: unknown; lenient: string[] } | { ok: false; error: string }

export function readJson(text: string): ReadJson {
  const r = parseJsonLenient(text)
  if (!r.ok) return { ok: false, error: r.error }
  const lenient = r.fixes.filter((f) => f !== 'non-JSON whitespace')
  return { ok: true, value: r.value, lenient }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Keys a call envelope may carry; with `strict`, any other key means it is not one. */
const ENVELOPE_KEYS = new Set(['name', 'arguments', 'parameters', 'type', 'id', 'function'])

/**
 * One call envelope as open models write it: `{"name", "arguments"}` (Hermes, Qwen, Mistral),
 * `{"name", "parameters"}` (Llama), `{"type": "function", "name", "parameters"}` (Llama 3.2),
 * or OpenAI's own `{"type": "function", "function": {"name", "arguments"}}`. Arguments given as
 * an object become its JSON text; given as a string they are kept as written. Returns why not,
 * as a phrase, when `v` is not one; with `strict` (bare JSON, no markup around it) unknown keys
 * disqualify it, so an ordinary JSON answer with a "name" field is not taken for a call.
 */
export function envelopeCall(v: unknown, strict = false): TextToolCall | string {
  if (!isObject(v)) return 'it is not a JSON object'
  if (strict && Object.keys(v).some((k) => !ENVELOPE_KEYS.has(k))) {
    return `it has keys other than "name" and "arguments"`
  }
  const inner = isObject(v.function) ? v.function : v
  // A tool's definition echoed back (`<tools>` in a system prompt) is not a call to it.
  if ('description' in inner) return 'it is a tool definition (it has a "description"), not a call'
  const name = inner.name
  if (typeof name !== 'string' || name.trim() === '') return 'it has no "name" string'
  if ('arguments' in inner && 'parameters' in inner) {
    return 'it has both "arguments" and "parameters"'
  }
  const args = inner.arguments ?? inner.parameters ?? {}
  const id = typeof v.id === 'string' && v.id ? { id: v.id } : {}
  return {
    ...id,
    name: name.trim(),
    arguments: typeof args === 'string' ? args : JSON.stringify(args),
  }
}

/** Calls from a JSON value that is one envelope or an array of them; else why not. */
export function envelopeCalls(v: unknown, strict = false): TextToolCall[] | string {
  const list = Array.isArray(v) ? v : [v]
  if (list.length === 0) return 'the list of calls is empty'
  const calls: TextToolCall[] = []
  for (const item of list) {
    const c = envelopeCall(item, strict)
    if (typeof c === 'string') return list.length > 1 ? `a call in the list: ${c}` : c
    calls.push(c)
  }
  return calls
}

/** Read `text` (a whole body) as envelope(s); the error names what failed. */
export function readEnvelopes(
  text: string,
  strict = false,
): { ok: true; calls: TextToolCall[]; lenient: string[] } | { ok: false; error: string } {
  const json = readJson(unfence(text))
  if (!json.ok) return { ok: false, error: `the JSON does not parse: ${json.error}` }
  const calls = envelopeCalls(json.value, strict)
  if (typeof calls === 'string') return { ok: false, error: `not a tool call: ${calls}` }
  return { ok: true, calls, lenient: json.lenient }
}

/**
 * The offered tool `name` means, by the rules the tool-name repair applies
 * (`resolveToolName` in `tools/repair-names.ts`): the exact name; else, after cutting template
 * debris (`read<|channel|>…`), a call index (`functions.edit:0`) and a namespace
 * (`functions.`, `default_api:`), the one tool whose name matches normalised; else an alias.
 * Undefined when none does, or when two tools match.
 */
export function offeredTool(name: string, toolNames: readonly string[]): string | undefined {
  if (toolNames.includes(name)) return name
  const cleaned = name.split('<')[0]?.trim() ?? ''
  const unindexed = cleaned.replace(/:\d+$/, '')
  const unprefixed = unindexed.replace(/^.*[.:]/, '')
  const candidates = [...new Set([cleaned, unindexed, unprefixed])].filter((c) => c !== '')
  for (const candidate of candidates) {
    const norm = normaliseName(candidate)
    const matches = toolNames.filter((t) => normaliseName(t) === norm)
    if (matches.length === 1) return matches[0]
    if (matches.length > 1) return undefined
  }
  for (const candidate of candidates) {
    const norm = normaliseName(candidate)
    const alias = Object.entries(TOOL_ALIASES).find(([k]) => normaliseName(k) === norm)
    if (alias && toolNames.includes(alias[1])) return alias[1]
  }
  return undefined
}

/** Whether `name` means one of the offered tools (see {@link offeredTool}). */
export function isOfferedTool(name: string, toolNames: readonly string[]): boolean {
  return offeredTool(name, toolNames) !== undefined
}
