import type { Span } from './text-tool-types'

/**
 * When text that holds tool-call markup is a call, and when it only talks about one. Chat
 * templates put a model's calls at the end of its message, as markup of their own: so markup
 * quoted in a code fence or in backticks, or followed by more prose ("…I did not run it."), is an
 * explanation or an echo of what the model read (a file, a web page) — text, never a call, and
 * nothing to correct. Pure and linear in the text.
 */

/** Whitespace and the end / closing tokens templates leave after calls. */
const CLOSING =
  /(?:\s+|<\/(?:[｜|]DSML[｜|])?[A-Za-z_][\w:.-]*>|<\|[A-Za-z_/][\w/]*\|>|<[｜|][^｜|<>\n]{1,40}[｜|]>|\[\/TOOL_CALLS\])/y

/** Whether `text` from `from` on holds only whitespace and closing template tokens. */
export function onlyClosingAfter(text: string, from: number): boolean {
  let at = from
  while (at < text.length) {
    CLOSING.lastIndex = at
    if (!CLOSING.exec(text)) return false
    at = CLOSING.lastIndex
  }
  return true
}

const CLOSING_TAIL =
  /(?:<\/(?:[｜|]DSML[｜|])?[A-Za-z_][\w:.-]*>|<\|[A-Za-z_/][\w/]*\|>|<[｜|][^｜|<>\n]{1,40}[｜|]>|\[\/TOOL_CALLS\])$/

/** `text` trimmed, without the closing tokens at its end (left once the calls before them are cut). */
export function trimClosingEnd(text: string): string {
  let t = text.trimEnd()
  for (;;) {
    // Tokens are short: only the tail is matched, never the whole text.
    const m = CLOSING_TAIL.exec(t.slice(-80))
    if (!m) return t.trim()
    t = t.slice(0, t.length - m[0].length).trimEnd()
  }
}

/** Whether `text` is empty but for whitespace and closing template tokens. */
export function isBlank(text: string): boolean {
  return onlyClosingAfter(text, 0)
}

/** `spans` sorted by start and merged where they overlap. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const out: Span[] = []
  for (const [s, e] of sorted) {
    const last = out.at(-1)
    if (last && s < last[1]) last[1] = Math.max(last[1], e)
    else out.push([s, e])
  }
  return out
}

const FENCE = /[ ]{0,3}(`{3,}|~{3,})/y
const TICKS = /`+/g

/**
 * Whether any of `spans` (the calls' markup) starts inside a code fence (``` or ~~~, open to the
 * end when not closed) or an inline code span (a backtick run closed by a run of the same length)
 * of the text around them. The spans are opaque: a fence inside a call (DeepSeek's ```json body)
 * is the call's own.
 */
export function spanInCode(text: string, spans: readonly Span[]): boolean {
  const merged = mergeSpans(spans)
  if (!merged.length) return false
  // The text with each span as one NUL: the markup around the calls, the calls as markers.
  const parts: string[] = []
  const marks: number[] = []
  let at = 0
  let len = 0
  for (const [s, e] of merged) {
    const piece = text.slice(at, s).replace(/\0/g, ' ')
    parts.push(piece, '\0')
    len += piece.length
    marks.push(len)
    len += 1
    at = e
  }
  parts.push(text.slice(at).replace(/\0/g, ' '))
  const masked = parts.join('')
  /** Marks in [from, to). */
  const markIn = (from: number, to: number): boolean => {
    let lo = 0
    let hi = marks.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (marks[mid]! < from) lo = mid + 1
      else hi = mid
    }
    return lo < marks.length && marks[lo]! < to
  }
  // Fenced blocks, line by line; what is outside them is searched for inline code after.
  const outside: Span[] = []
  let fence: string | null = null
  let blockStart = 0
  let segStart = 0
  for (let line = 0; line <= masked.length;) {
    const nl = masked.indexOf('\n', line)
    const lineEnd = nl < 0 ? masked.length : nl
    FENCE.lastIndex = line
    const m = FENCE.exec(masked)
    const run = m && FENCE.lastIndex <= lineEnd ? m[1]! : null
    if (fence === null && run) {
      fence = run
      blockStart = line
      outside.push([segStart, line])
    } else if (fence !== null && run && run[0] === fence[0] && run.length >= fence.length) {
      if (markIn(blockStart, lineEnd)) return true
      fence = null
      segStart = lineEnd
    }
    if (nl < 0) break
    line = nl + 1
  }
  if (fence !== null) {
    if (markIn(blockStart, masked.length)) return true
  } else outside.push([segStart, masked.length])
  // Inline code: each backtick run closes at the next run of the same length, if any.
  const runs: Array<{ at: number; len: number; seg: number }> = []
  outside.forEach(([s, e], seg) => {
    TICKS.lastIndex = s
    for (let m = TICKS.exec(masked); m && m.index < e; m = TICKS.exec(masked)) {
      runs.push({ at: m.index, len: Math.min(m[0].length, e - m.index), seg })
    }
  })
  const byLength = new Map<number, number[]>()
  runs.forEach((r, i) => {
    const list = byLength.get(r.len) ?? []
    list.push(i)
    byLength.set(r.len, list)
  })
  const rank = new Map<number, number>()
  for (const list of byLength.values()) list.forEach((runIndex, k) => rank.set(runIndex, k))
  for (let i = 0; i < runs.length;) {
    const r = runs[i]!
    const same = byLength.get(r.len)!
    const next = same[rank.get(i)! + 1]
    if (next === undefined || runs[next]!.seg !== r.seg) {
      i++
      continue
    }
    if (markIn(r.at + r.len, runs[next]!.at)) return true
    i = next + 1
  }
  return false
}
