/**
 * The shapes shared by the parsers of tool calls that models write as text (see
 * `text-tool-calls.ts`): each format is one {@link TextFormat}.
 */

/** A tool call read from text: `arguments` is JSON text (repaired later like any call's). */
export interface TextToolCall {
  /** The model's own id for the call, when the format carries one (Kimi's `functions.edit:0`). */
  id?: string
  name: string
  arguments: string
}

/** `[start, end)` in the text a format was given. */
export type Span = [number, number]

/** A call a format read, with the extent of its markup (calls of one list share a span). */
export interface FoundCall extends TextToolCall {
  span: Span
}

/**
 * A call marked in a format whose body could not be read, said for the model ("the
 * <function=edit> block has no closing </function>"), with the extent of what was recognised: to
 * the end of the text when it is cut off, else up to where reading stopped.
 */
export interface FoundFailure {
  problem: string
  span: Span
}

/** What one format found in a text. */
export interface FormatParse {
  calls: FoundCall[]
  failures: FoundFailure[]
  /** Leniencies the envelopes needed (single quotes, trailing commas…), for the repair note. */
  lenient?: string[]
}

/** One way models write tool calls as text. */
export interface TextFormat {
  /** How the format is named in repair notes and to the model. */
  label: string
  /** Where the format's first marker is in `text`, or -1 when it has none. */
  locate(text: string, toolNames: readonly string[]): number
  parse(text: string, toolNames: readonly string[]): FormatParse
  /** The format's section markers, cut from the answer with its calls (only when calls are read). */
  drop?: RegExp
}

/** The first line of a piece of text, shortened, for quoting it in a message. */
export function excerpt(text: string, max = 80): string {
  // Slice before normalising: a megabyte of text is never copied to quote 80 characters of it.
  const from = Math.max(0, text.search(/\S/))
  const one = text
    .slice(from, from + max * 4)
    .trim()
    .replace(/\s+/g, ' ')
  return one.length > max ? `${one.slice(0, max - 1)}…` : one
}

/** `text` without the `[start, end)` spans (sorted, disjoint), then without `drop`, trimmed. */
export function cutSpans(text: string, spans: readonly Span[], drop?: RegExp): string {
  let out = ''
  let at = 0
  for (const [s, e] of spans) {
    if (e <= at) continue
    out += text.slice(at, Math.max(at, s))
    at = e
  }
  out += text.slice(at)
  return (drop ? out.replace(drop, '') : out).trim()
}
