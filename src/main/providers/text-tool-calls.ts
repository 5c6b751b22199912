import { bareJsonFormat, pythonicFormat } from './text-tool-bare'
import { isOfferedTool, jsonSpanAt, readJson } from './text-tool-json'
import { invokeFormat } from './text-tool-invoke'
import { glmFormat, hermesFormat, qwenXmlFormat } from './text-tool-tags'
import {
  deepSeekFormat,
  harmonyFormat,
  kimiFormat,
  markedJsonFormat,
  mistralFormat,
} from './text-tool-tokens'
import type { TextFormat, TextToolCall } from './text-tool-types'

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
 * marker comes first in the text is tried first; the next only when it read no call.
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

/** A call marked in a known format whose body could not be read. */
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
  /** The format the calls were read in; null when none were. */
  format: string | null
  /** Leniencies the call envelopes needed (single-quoted strings, trailing commas…). */
  lenient: string[]
  /** Calls marked in a known format that did not read (with calls read: the ones left out). */
  failures: TextCallFailure[]
}

/** Read the tool calls written in `text`; `toolNames` are the offered tools' names. */
export function parseTextToolCalls(text: string, toolNames: readonly string[]): TextToolCallParse {
  const located = TEXT_FORMATS.map((format, order) => ({
    format,
    order,
    at: format.locate(text, toolNames),
  }))
    .filter((l) => l.at >= 0)
    .sort((a, b) => a.at - b.at || a.order - b.order)
  const failures: TextCallFailure[] = []
  for (const { format } of located) {
    const r = format.parse(text, toolNames)
    const mine = r.failures.map((problem) => ({ format: format.label, problem }))
    if (r.calls.length) {
      return {
        calls: r.calls,
        rest: r.rest,
        format: format.label,
        lenient: [...new Set(r.lenient ?? [])],
        failures: mine,
      }
    }
    failures.push(...mine)
  }
  return { calls: [], rest: text, format: null, lenient: [], failures }
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
 * A JSON-ish `{"name": "<offered tool>", "arguments": …}` written in prose: not a call (only a
 * message that is nothing but calls counts as one), but clearly meant as one.
 */
function jsonishCall(text: string, toolNames: readonly string[]): AttemptedToolCall | null {
  if (!ARGS_KEY.test(text)) return null
  for (const m of text.matchAll(NAME_KEY)) {
    if (!isOfferedTool(m[1]!, toolNames)) continue
    const format = `a JSON object naming the tool "${m[1]}" with its arguments, written as text`
    // The nearest object around the name that reads: then the JSON was fine, the channel was not.
    for (
      let open = text.lastIndexOf('{', m.index), tries = 0;
      open >= 0 && tries < MAX_ENCLOSING_TRIES;
      open = text.lastIndexOf('{', open - 1), tries++
    ) {
      const span = jsonSpanAt(text, open)
      if (!span.ok || span.end < m.index) continue
      const json = readJson(text.slice(span.start, span.end))
      if (json.ok) {
        return {
          format,
          problem: 'text in a message is not a tool call, so it was not run',
          where: 'content',
        }
      }
      break
    }
    return { format, problem: 'it is not valid JSON, so it could not be read', where: 'content' }
  }
  return null
}

/**
 * Whether a turn that made no tool call tried to: a call marked in a known format that did not
 * read, a call written as text that this path did not run (e.g. the Anthropic adapter, which
 * reads no text calls), or a JSON-ish call naming an offered tool. Content first, then reasoning.
 */
export function findAttemptedToolCall(
  content: string,
  reasoning: string,
  toolNames: readonly string[],
): AttemptedToolCall | null {
  for (const [where, text] of [
    ['content', content],
    ['reasoning', reasoning],
  ] as const) {
    if (!text.trim()) continue
    const parsed = parseTextToolCalls(text, toolNames)
    if (parsed.calls.length) {
      return {
        format: parsed.format!,
        problem: 'tool calls written as text are not run on this connection',
        where,
      }
    }
    const failure = parsed.failures[0]
    if (failure) return { format: failure.format, problem: failure.problem, where }
    const jsonish = jsonishCall(text, toolNames)
    if (jsonish) return { ...jsonish, where }
  }
  return null
}
