import { randomBytes } from 'node:crypto'
import { join } from 'node:path'

// Output budgets: what one tool result may put in front of the model.

/** read: lines per call. */
export const READ_MAX_LINES = 2000
/** read: bytes (UTF-8) of numbered output per call. */
export const READ_MAX_BYTES = 50 * 1024
/** read: files larger than this (bytes) are refused whole; use grep or bash (sed -n) on them. */
export const READ_MAX_FILE_BYTES = 64 * 1024 * 1024
/** read: characters of one line before it is cut with a marker. */
export const MAX_LINE_CHARS = 2000
/** bash: lines of output shown (the tail). */
export const BASH_MAX_LINES = 2000
/** bash: bytes (UTF-8) of output shown (the tail). */
export const BASH_MAX_BYTES = 30 * 1024
/** grep: matching lines per call. */
export const GREP_MAX_MATCHES = 100
/** grep: characters of one output line before it is cut. */
export const GREP_MAX_LINE_CHARS = 500
/** grep (built-in search only): larger files are skipped with a note; rg searches them. */
export const GREP_BUILTIN_MAX_FILE_BYTES = 32 * 1024 * 1024
/** grep: bytes (UTF-8) of output per call. */
export const GREP_MAX_BYTES = 50 * 1024
/** glob: paths per call. */
export const GLOB_MAX_RESULTS = 1000
/** ls: entries per call. */
export const LS_MAX_ENTRIES = 1000
/** Binary sniffing: bytes looked at for a NUL byte. */
export const BINARY_SNIFF_BYTES = 8 * 1024
/**
 * Any tool result: bytes (UTF-8) of its own text the model is shown at most (a one-line note of
 * the cut follows). A backstop above every tool's own budget (a built-in tool stays well under
 * it), so no tool can flood the context.
 */
export const TOOL_RESULT_MAX_BYTES = 256 * 1024

/** Bytes per token assumed when turning a window (tokens) into a byte budget (about 4 for code and English). */
export const BYTES_PER_TOKEN = 4
/** The share of the model's window one tool result may take at most: a fifth. */
export const TOOL_OUTPUT_WINDOW_SHARE = 1 / 5
/** The smallest result budget, whatever the window: a tool must still say something useful. */
export const TOOL_OUTPUT_MIN_BYTES = 4 * 1024
/**
 * Bytes of a result's budget kept for the tool's notes (where the rest is, how to continue): a
 * tool's own output (lines, matches, paths) gets the budget less this, so output and note together
 * stay within the budget.
 */
export const TOOL_NOTE_RESERVE_BYTES = 1024

/**
 * The most bytes (UTF-8) one tool result may put in front of a model whose context window is
 * `contextWindowTokens`: a fifth of the window at 4 bytes a token, never under 4 KB and never over
 * {@link TOOL_RESULT_MAX_BYTES}. 8k window: 6.4 KB; 16k: 12.8 KB; 32k: 25.6 KB; 128k: 100 KB; 1M:
 * 256 KB. Each tool also keeps its own cap ({@link toolBudget}), so from a window of about 64k
 * tokens up the fixed caps apply as before (read 50 KB, bash 30 KB, grep 50 KB).
 */
export function toolOutputBudget(contextWindowTokens: number): number {
  const share = Math.floor(contextWindowTokens * TOOL_OUTPUT_WINDOW_SHARE * BYTES_PER_TOKEN)
  return Math.min(TOOL_RESULT_MAX_BYTES, Math.max(TOOL_OUTPUT_MIN_BYTES, share))
}

/**
 * Bytes of its own output a tool may show under the result budget `outputBudget` (absent: the
 * fixed caps): its own cap `toolCap`, or the budget less room for the tool's notes when smaller.
 */
export function toolBudget(outputBudget: number | undefined, toolCap: number): number {
  return Math.min(toolCap, (outputBudget ?? TOOL_RESULT_MAX_BYTES) - TOOL_NOTE_RESERVE_BYTES)
}

/** A byte count for a note to the model: `6.4 KB`, `50 KB`. */
export function formatKb(bytes: number): string {
  const kb = Math.round((bytes / 1024) * 10) / 10
  return `${kb} KB`
}

/**
 * The first of `lines` that fit in `maxBytes` (UTF-8, each with its newline); always at least one
 * line, cut with {@link headBytes} when it alone is over.
 */
export function headLines(lines: string[], maxBytes: number): { shown: string[]; cut: boolean } {
  const shown: string[] = []
  let bytes = 0
  for (const line of lines) {
    const size = utf8Length(line) + 1
    if (bytes + size > maxBytes) {
      if (shown.length === 0) shown.push(headBytes(line, maxBytes))
      return { shown, cut: true }
    }
    bytes += size
    shown.push(line)
  }
  return { shown, cut: false }
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** Cut a line longer than `max` characters, saying how long it was. */
export function cutLine(line: string, max: number): string {
  if (line.length <= max) return line
  return `${line.slice(0, max)}… [line cut: ${line.length} characters]`
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, not splitting a character. */
export function headBytes(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8')
  if (buf.length <= maxBytes) return text
  let end = maxBytes
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--
  return buf.subarray(0, end).toString('utf8')
}

/** The longest suffix of `text` that fits in `maxBytes` of UTF-8, not splitting a character. */
export function tailBytes(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8')
  if (buf.length <= maxBytes) return text
  let start = buf.length - maxBytes
  while (start < buf.length && ((buf[start] ?? 0) & 0xc0) === 0x80) start++
  return buf.subarray(start).toString('utf8')
}

export interface Tail {
  /** The shown lines, joined with `\n`. */
  text: string
  /** Lines in the whole text. */
  totalLines: number
  /** 1-based number of the first shown line. */
  firstLine: number
  /** The first shown line was cut at its start to fit the byte budget. */
  partialFirst: boolean
  truncated: boolean
}

/**
 * The last lines of `text` within `maxLines` and `maxBytes`. Lines are `\n`-separated; a final
 * newline does not start another line. When the byte budget cuts into a line, that partial line
 * is dropped unless it is the only one, which is then cut from its start.
 */
export function tailLines(
  text: string,
  maxLines: number,
  maxBytes: number,
  totalLines?: number,
): Tail {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text
  const lines = body === '' ? [] : body.split('\n')
  const total = totalLines ?? lines.length
  let shown = lines.slice(-maxLines)
  let bytes = 0
  let keep = 0
  for (let i = shown.length - 1; i >= 0; i--) {
    const size = utf8Length(shown[i] ?? '') + 1
    if (bytes + size > maxBytes) break
    bytes += size
    keep++
  }
  let partialFirst = false
  if (keep === 0 && shown.length > 0) {
    shown = [tailBytes(shown[shown.length - 1] ?? '', maxBytes)]
    partialFirst = true
  } else {
    shown = shown.slice(shown.length - keep)
  }
  return {
    text: shown.join('\n'),
    totalLines: total,
    firstLine: total - shown.length + 1,
    partialFirst,
    truncated: partialFirst || shown.length < total,
  }
}

/**
 * A tool result's text cut to its first `maxBytes` (UTF-8), then a note of how much was cut and,
 * when the whole text was saved to `spilledTo`, where to page through it with read.
 */
export function capToolResult(
  content: string,
  maxBytes = TOOL_RESULT_MAX_BYTES,
  spilledTo?: string,
): string {
  const size = utf8Length(content)
  if (size <= maxBytes) return content
  const head = headBytes(content, maxBytes)
  const more = spilledTo
    ? ` The whole result is in ${spilledTo}: read it with offset and limit.`
    : ' Ask for less at a time.'
  return (
    `${head}\n… [Result cut: ${size - utf8Length(head)} more bytes over the ` +
    `${formatKb(maxBytes)} limit of a tool result.${more}]`
  )
}

/** A unique spill file path: `<tool>-<UTC timestamp>-<random>.log` in `spillDir`. */
export function spillPath(spillDir: string, tool: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '-')
  return join(spillDir, `${tool}-${stamp}-${randomBytes(4).toString('hex')}.log`)
}

/** Whether the bytes look binary: a NUL byte in the first `BINARY_SNIFF_BYTES`, or mostly invalid
 * UTF-8 there (more than 10 % replacement characters after decoding). */
export function looksBinary(buf: Buffer): boolean {
  const sample = buf.subarray(0, BINARY_SNIFF_BYTES)
  if (sample.includes(0)) return true
  if (sample.length === 0) return false
  const text = sample.toString('utf8')
  let bad = 0
  for (const ch of text) if (ch === '\uFFFD') bad++
  // The sample may end inside a multi-byte character: one replacement char there is not evidence.
  return bad > 1 && bad / text.length > 0.1
}
