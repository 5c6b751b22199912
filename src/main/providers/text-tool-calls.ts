import { bareJsonFormat, pythonicFormat } from './text-tool-bare'
import { isOfferedTool, jsonSpanAt, readJson } from './text-tool-json'
import { isBlank, mergeSpans, onlyClosingAfter, spanInCode, trimClosingEnd } from './text-tool-gate'
import { invokeFormat } from './text-tool-invoke'
import { glmFormat, hermesFormat, qwenXmlFormat } from './text-tool-tags'
import {
  deepSeekFormat,
  harmonyFormat,
  kimiFormat,
  markedJsonFormat,
  mistralFormat,
} from './text-tool-tokens'
import type { FoundCall, FoundFailure, Span, TextFormat, TextToolCall } from './text-tool-types'
import { cutSpans, excerpt } from './text-tool-types'

/**
 * Tool calls that open models write into the message text (or the reasoning) instead of the
 * structured `tool_calls`, in every format their chat templates use, read into real calls — and,
 * when a text holds a call that cannot be read, what was recognised and what failed, so the model
 * can be told. Pure and deterministic: a format is recognised by its own markers; a body that
 * does not read is reported, never guessed.
 */

export type { TextToolCall } from './text-tool-types'
export { splitNameMarkup } from './text-tool-tags'

/**
 * Every format, in the order that breaks a tie between markers at the same place. The one whose
 * marker comes first in the text is read first; a later one adds only what lies outside the
 * markup already read (a `to=functions.x` quoted inside a `<tool_call>`'s arguments is theirs).
 */
export const TEXT_FORMATS: readonly TextFormat[] = [
  deepSeekFormat,
  kimiFormat,
  harmonyFormat,
  mistralFormat,
  markedJsonFormat,
  invokeFormat,
  qwenXmlFormat,
  glmFormat,
  hermesFormat,
  bareJsonFormat,
  pythonicFormat,
]

/** Most calls read from one text: more is a runaway model, and none of them is run. */
export const MAX_TEXT_CALLS = 64

/** A call marked in a known format that was not read (or not run). */
export interface TextCallFailure {
  /** The format, as {@link TextFormat.label} names it. */
  format: string
  /** What failed, said for the model. */
  problem: string
}

export interface TextToolCallParse {
  calls: TextToolCall[]
  /** The text without the calls read (and their section markers); `text` when none were. */
  rest: string
  /** The format(s) the calls were read in; null when none were. */
  format: string | null
  /** Leniencies the call envelopes needed (single-quoted strings, trailing commas…). */
  lenient: string[]
  /** Calls marked in a known format that were not read (with calls read: the ones left out). */
  failures: TextCallFailure[]
  /** Call markup was found but is text: quoted in code, or followed by prose. */
  quoted?: boolean
}

interface Found {
  format: TextFormat
  calls: FoundCall[]
  failures: FoundFailure[]
  lenient: string[]
}

/** Whether `span` overlaps one of `taken` (sorted, disjoint). */
function overlaps(span: Span, taken: readonly Span[]): boolean {
  let lo = 0
  let hi = taken.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (taken[mid]![1] <= span[0]) lo = mid + 1
    else hi = mid
  }
  return lo < taken.length && taken[lo]![0] < Math.max(span[1], span[0] + 1)
}

/** Every format's calls and failures, each piece of markup read by the first format to claim it. */
function findAll(text: string, toolNames: readonly string[]): Found[] {
  const located = TEXT_FORMATS.map((format, order) => ({
    format,
    order,
    at: format.locate(text, toolNames),
  }))
    .filter((l) => l.at >= 0)
    .sort((a, b) => a.at - b.at || a.order - b.order)
  const found: Found[] = []
  let taken: Span[] = []
  for (const { format } of located) {
    const r = format.parse(text, toolNames)
    const calls = r.calls.filter((c) => !overlaps(c.span, taken))
    const failures = r.failures.filter((f) => !overlaps(f.span, taken))
    if (!calls.length && !failures.length) continue
    found.push({ format, calls, failures, lenient: calls.length ? (r.lenient ?? []) : [] })
    taken = mergeSpans([...taken, ...calls.map((c) => c.span), ...failures.map((f) => f.span)])
  }
  return found
}

const NOTHING = (text: string): TextToolCallParse => ({
  calls: [],
  rest: text,
  format: null,
  lenient: [],
  failures: [],
})

/**
 * Read the tool calls written in `text`; `toolNames` are the offered tools' names. Markup counts
 * as calls only as templates write calls: after any prose, not followed by more (only whitespace
 * and closing tokens), outside code fences and backticks (see `text-tool-gate.ts`); else the text
 * is an answer that mentions or quotes calls, with nothing to read and nothing to report. Calls
 * are run only when every one names an offered tool and there are at most
 * {@link MAX_TEXT_CALLS}; else none is, and each reason is reported.
 */
export function parseTextToolCalls(text: string, toolNames: readonly string[]): TextToolCallParse {
  const found = findAll(text, toolNames)
  const spans = found.flatMap((f) => [...f.calls, ...f.failures].map((x) => x.span))
  if (!spans.length) return NOTHING(text)
  const last = spans.reduce((m, sp) => Math.max(m, sp[1]), 0)
  if (!onlyClosingAfter(text, last) || spanInCode(text, spans)) {
    return { ...NOTHING(text), quoted: true }
  }

  const failures: TextCallFailure[] = found.flatMap((f) =>
    f.failures.map((x) => ({ format: f.format.label, problem: x.problem })),
  )
  const read = found.filter((f) => f.calls.length)
  const count = read.reduce((n, f) => n + f.calls.length, 0)
  const unknown = read.flatMap((f) =>
    f.calls
      .filter((c) => !isOfferedTool(c.name, toolNames))
      .map((c) => ({ format: f.format.label, name: c.name })),
  )
  if (unknown.length || count > MAX_TEXT_CALLS) {
    const offered = toolNames.length ? toolNames.join(', ') : '(none)'
    const refused: TextCallFailure[] = unknown.length
      ? unknown.map((u) => ({
          format: u.format,
          problem: `"${excerpt(u.name, 60)}" is not one of the offered tools (${offered}), so none of the calls was run`,
        }))
      : [
          {
            format: read.map((f) => f.format.label).join(' and '),
            problem: `${count} tool calls were written in one message; at most ${MAX_TEXT_CALLS} are read from text, so none was run — make at most ${MAX_TEXT_CALLS} calls at a time`,
          },
        ]
    return { ...NOTHING(text), failures: [...refused, ...failures] }
  }
  if (!read.length) return { ...NOTHING(text), failures }

  const callSpans = read.flatMap((f) => f.calls.map((c) => c.span))
  let rest = cutSpans(text, mergeSpans(callSpans))
  for (const f of read) if (f.format.drop) rest = rest.replace(f.format.drop, '')
  // When a call is the last markup, the closing tokens after it go with it.
  if (callSpans.reduce((m, sp) => Math.max(m, sp[1]), 0) === last) rest = trimClosingEnd(rest)
  return {
    calls: read.flatMap((f) => f.calls.map(({ span: _span, ...call }) => call)),
    rest: rest.trim(),
    format: read.map((f) => f.format.label).join(' and '),
    lenient: [...new Set(read.flatMap((f) => f.lenient))],
    failures,
  }
}

/** Why a turn without tool calls looks like it meant to make one. */
export interface AttemptedToolCall {
  /** What was recognised ("Qwen3-Coder XML (…)", "a JSON object with "name" and "arguments""). */
  format: string
  /** What was wrong with it, for the model. */
  problem: string
  /** Where it was written. */
  where: 'content' | 'reasoning'
}

const NAME_KEY = /"name"\s*:\s*"([^"\\]{1,100})"/g
const ARGS_KEY = /"(?:arguments|parameters)"\s*:/
/** Braces tried, going back from a "name" key, for the object around it (bounds the work). */
const MAX_ENCLOSING_TRIES = 20

/**
 * A JSON-ish `{"name": "<offered tool>", "arguments": …}` ending a message after prose: not a
 * call (only a message that is nothing but calls counts as one), but clearly meant as one. Like
 * markup, it counts only at the end of the text and outside code.
 */
function jsonishCall(text: string, toolNames: readonly string[]): AttemptedToolCall | null {
  if (!ARGS_KEY.test(text)) return null
  let last: RegExpExecArray | null = null
  for (const m of text.matchAll(NAME_KEY)) if (isOfferedTool(m[1]!, toolNames)) last = m
  if (!last) return null
  // The nearest object around the name: whole (then the JSON was fine, the channel was not), or
  // cut off before its end (then it runs to the end of the text).
  let found: { span: Span; valid: boolean } | null = null
  for (
    let open = text.lastIndexOf('{', last.index), tries = 0;
    open >= 0 && tries < MAX_ENCLOSING_TRIES;
    open = open > 0 ? text.lastIndexOf('{', open - 1) : -1, tries++
  ) {
    const span = jsonSpanAt(text, open)
    if (!span.ok) {
      if (/not closed/.test(span.error)) {
        found = { span: [open, text.length], valid: false }
        break
      }
      continue
    }
    if (span.end < last.index) continue
    found = { span: [open, span.end], valid: readJson(text.slice(open, span.end)).ok }
    break
  }
  if (!found || !onlyClosingAfter(text, found.span[1]) || spanInCode(text, [found.span])) {
    return null
  }
  return {
    format: `a JSON object naming the tool "${last[1]}" with its arguments, written as text`,
    problem: found.valid
      ? 'text in a message is not a tool call, so it was not run'
      : 'it is not valid JSON, so it could not be read',
    where: 'content',
  }
}

/**
 * Whether a turn that made no tool call tried to: a call marked in a known format that did not
 * read, a call written as text that this path did not run (e.g. the Anthropic adapter, which
 * reads no text calls), or a JSON-ish call naming an offered tool. The same rules as for reading
 * decide (see {@link parseTextToolCalls}): markup in code or followed by prose is an answer, and
 * the reasoning counts only when the content is empty.
 */
export function findAttemptedToolCall(
  content: string,
  reasoning: string,
  toolNames: readonly string[],
): AttemptedToolCall | null {
  const [where, text] = isBlank(content)
    ? (['reasoning', reasoning] as const)
    : (['content', content] as const)
  if (!text.trim()) return null
  const parsed = safeParse(text, toolNames)
  if (parsed.calls.length) {
    return {
      format: parsed.format!,
      problem: 'tool calls written as text are not run on this connection',
      where,
    }
  }
  const failure = parsed.failures[0]
  if (failure) return { format: failure.format, problem: failure.problem, where }
  if (parsed.quoted) return null
  const jsonish = jsonishCall(text, toolNames)
  return jsonish ? { ...jsonish, where } : null
}

/**
 * {@link parseTextToolCalls} that never throws: a text that breaks a reader in a way it did not
 * foresee is an answer, not a reason to end the run with an error.
 */
export function safeParse(text: string, toolNames: readonly string[]): TextToolCallParse {
  try {
    return parseTextToolCalls(text, toolNames)
  } catch {
    return NOTHING(text)
  }
}
