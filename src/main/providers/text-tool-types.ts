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

/** What one format found in a text. */
export interface FormatParse {
  calls: TextToolCall[]
  /** The text with each call read (and the format's own section markers) cut out. */
  rest: string
  /**
   * Each call marked in this format whose body could not be read, said for the model ("the
   * <function=edit> block has no closing </function>"). Such a piece stays in `rest`.
   */
  failures: string[]
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
}

/** The first line of a piece of text, shortened, for quoting it in a message. */
export function excerpt(text: string, max = 80): string {
  const one = text.trim().replace(/\s+/g, ' ')
  return one.length > max ? `${one.slice(0, max - 1)}…` : one
}

/** `text` without the `[start, end)` spans (sorted, disjoint), then without `drop`, trimmed. */
export function cutSpans(text: string, spans: Array<[number, number]>, drop?: RegExp): string {
  let out = ''
  let at = 0
  for (const [s, e] of spans) {
    out += text.slice(at, s)
    at = e
  }
  out += text.slice(at)
  return (drop ? out.replace(drop, '') : out).trim()
}
