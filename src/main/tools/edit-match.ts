import { similarity } from './similar'

/**
 * Finding `old_string` in a file when the model's copy is not byte-exact.
 *
 * Three passes, each tried only when the previous one found nothing:
 * 1. exact: the string as given;
 * 2. folded: both sides compared after folding CRLF to LF, dropping trailing spaces and tabs on
 *    every line, and mapping smart quotes to straight ones, Unicode dashes to `-` and odd spaces
 *    (NBSP, U+2000–U+200A, U+202F, U+205F, U+3000) to a space. Every folded character remembers
 *    the range of the original it came from, so a match maps back to exact original offsets;
 * 3. indentation: whole lines compared without their leading whitespace, accepted when the file's
 *    indentation differs from old_string's by the same amount on every non-blank line (tabs
 *    counted as 4, 2 or 8 columns, so tabs-vs-spaces is a shift of zero). new_string is then
 *    re-indented by that shift, in the file's style (tabs or spaces). A first line given without
 *    any indentation (a common way to copy a block) may differ from the shift: the match then
 *    starts at that line's first non-blank character, as an exact match of that text would.
 *
 * The file text passed in has no BOM; callers put it back.
 */

export type MatchKind = 'exact' | 'folded' | 'indentation'

export interface Replacement {
  /** Offsets in the file text (UTF-16 units), end exclusive. */
  start: number
  end: number
  text: string
}

export interface Closest {
  startLine: number
  endLine: number
  /** 0..1, from line-by-line bigram similarity. */
  score: number
  lines: string[]
}

export type MatchOutcome =
  | { kind: 'found'; how: MatchKind; replacements: Replacement[] }
  | { kind: 'ambiguous'; how: MatchKind; lines: number[] }
  | { kind: 'not_found'; closest: Closest | null }

const FOLD: Record<string, string> = {}
for (const c of '\u2018\u2019\u201A\u201B\u2032') FOLD[c] = "'"
for (const c of '\u201C\u201D\u201E\u201F\u2033') FOLD[c] = '"'
for (const c of '\u2010\u2011\u2012\u2013\u2014\u2015\u2212') FOLD[c] = '-'
for (const c of '\u00A0\u202F\u205F\u3000') FOLD[c] = ' '
for (let cp = 0x2000; cp <= 0x200a; cp++) FOLD[String.fromCharCode(cp)] = ' '

function foldChar(c: string): string {
  return FOLD[c] ?? c
}

/** Fold one line's characters and drop its trailing whitespace (no line breaks inside). */
export function foldLine(line: string): string {
  let out = ''
  for (const c of line) out += foldChar(c)
  return out.replace(/[ \t\r]+$/, '')
}

interface FoldedLine {
  /** Where the line starts in the folded text and in the original. */
  folded: number
  original: number
  /** Folded length of the line's text (trailing whitespace dropped). */
  length: number
  /** Original range of the line break (`\r\n` or `\n`); -1 for a last line without one. */
  breakStart: number
  breakEnd: number
}

interface Folded {
  text: string
  lines: FoldedLine[]
}

function isBlankAfterFold(c: string): boolean {
  return c === ' ' || c === '\t' || FOLD[c] === ' '
}

/**
 * Fold a whole text. Folding maps characters one to one inside a line, so each line only records
 * where it starts on both sides; offsets map back through the line they fall in.
 */
function fold(src: string): Folded {
  const parts: string[] = []
  const lines: FoldedLine[] = []
  let folded = 0
  let pos = 0
  for (;;) {
    const nl = src.indexOf('\n', pos)
    const lineEnd = nl === -1 ? src.length : nl
    const contentEnd = nl > pos && src[nl - 1] === '\r' ? nl - 1 : lineEnd
    let keep = contentEnd
    while (keep > pos && isBlankAfterFold(src[keep - 1] ?? '')) keep--
    let line = ''
    for (let i = pos; i < keep; i++) line += foldChar(src[i] ?? '')
    lines.push({
      folded,
      original: pos,
      length: line.length,
      breakStart: nl === -1 ? -1 : contentEnd,
      breakEnd: nl === -1 ? -1 : nl + 1,
    })
    parts.push(line)
    folded += line.length
    if (nl === -1) break
    parts.push('\n')
    folded += 1
    pos = nl + 1
  }
  return { text: parts.join(''), lines }
}

function lineAt(f: Folded, index: number): FoldedLine {
  let lo = 0
  let hi = f.lines.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if ((f.lines[mid]?.folded ?? 0) <= index) lo = mid
    else hi = mid - 1
  }
  return f.lines[lo] as FoldedLine
}

/** Original offset where folded character `index` starts. */
function originalStart(f: Folded, index: number): number {
  const line = lineAt(f, index)
  const off = index - line.folded
  return off < line.length ? line.original + off : line.breakStart
}

/** Original offset just after folded character `index`. */
function originalEnd(f: Folded, index: number): number {
  const line = lineAt(f, index)
  const off = index - line.folded
  return off < line.length ? line.original + off + 1 : line.breakEnd
}

function findAll(hay: string, needle: string): number[] {
  const found: number[] = []
  if (needle === '') return found
  let at = hay.indexOf(needle)
  while (at !== -1) {
    found.push(at)
    at = hay.indexOf(needle, at + needle.length)
  }
  return found
}

/** 1-based line number of each offset (offsets ascending). */
export function lineNumbers(text: string, offsets: number[]): number[] {
  const out: number[] = []
  let line = 1
  let pos = 0
  for (const off of offsets) {
    for (; pos < off && pos < text.length; pos++) if (text.charCodeAt(pos) === 10) line++
    out.push(line)
  }
  return out
}

interface Line {
  start: number
  /** End of the text, before `\r\n` or `\n`. */
  contentEnd: number
  /** After the line break (or the end of the text). */
  end: number
  folded: string
}

function splitLines(text: string): Line[] {
  const lines: Line[] = []
  let start = 0
  while (start < text.length) {
    const nl = text.indexOf('\n', start)
    const end = nl === -1 ? text.length : nl + 1
    const contentEnd = nl === -1 ? text.length : text[nl - 1] === '\r' ? nl - 1 : nl
    lines.push({ start, contentEnd, end, folded: foldLine(text.slice(start, contentEnd)) })
    start = end
  }
  return lines
}

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? ''
}

function indentWidth(indent: string, tab: number): number {
  let w = 0
  for (const c of indent) w = c === '\t' ? (Math.floor(w / tab) + 1) * tab : w + 1
  return w
}

function renderIndent(width: number, tab: number, useTabs: boolean): string {
  if (!useTabs) return ' '.repeat(width)
  return '\t'.repeat(Math.floor(width / tab)) + ' '.repeat(width % tab)
}

interface IndentFit {
  shift: number
  looseFirst: boolean
}

function fitIndent(file: Line[], at: number, old: string[], tab: number): IndentFit | null {
  const diffs: Array<number | null> = []
  for (let j = 0; j < old.length; j++) {
    const o = old[j] ?? ''
    const f = file[at + j]?.folded ?? ''
    if (o === '') {
      if (f !== '') return null
      diffs.push(null)
      continue
    }
    if (f.trimStart() !== o.trimStart()) return null
    diffs.push(indentWidth(indentOf(f), tab) - indentWidth(indentOf(o), tab))
  }
  const rest = diffs.slice(1).filter((d): d is number => d !== null)
  const first = diffs[0] ?? null
  const shift = rest[0] ?? first
  if (shift === null) return null
  if (rest.some((d) => d !== shift)) return null
  let looseFirst = false
  if (first !== null && first !== shift) {
    if (indentOf(old[0] ?? '') !== '') return null
    looseFirst = true
  }
  return { shift, looseFirst }
}

function splitTrailingNewline(text: string): { body: string; newline: boolean } {
  return text.endsWith('\n')
    ? { body: text.slice(0, -1), newline: true }
    : { body: text, newline: false }
}

function matchIndentation(text: string, oldText: string, newText: string): Replacement[] {
  const file = splitLines(text)
  const { body: oldBody, newline: oldNewline } = splitTrailingNewline(oldText)
  const old = oldBody.split('\n').map(foldLine)
  if (old.every((l) => l === '') || old.length > file.length) return []
  const anyTabs =
    old.some((l) => indentOf(l).includes('\t')) ||
    file.some((l) => indentOf(l.folded).includes('\t'))
  for (const tab of anyTabs ? [4, 2, 8] : [4]) {
    const found: Replacement[] = []
    for (let i = 0; i + old.length <= file.length; i++) {
      const fit = fitIndent(file, i, old, tab)
      if (!fit) continue
      const block = file.slice(i, i + old.length)
      const useTabs = block.some((l) => l.folded !== '' && indentOf(l.folded).includes('\t'))
      const { body: newBody, newline: newNewline } = splitTrailingNewline(newText)
      const lines = newBody.split('\n').map((line, idx) => {
        if (line.trim() === '') return ''
        if (idx === 0 && fit.looseFirst) return line
        const indent = indentOf(line)
        const width = Math.max(0, indentWidth(indent, tab) + fit.shift)
        return renderIndent(width, tab, useTabs) + line.slice(indent.length)
      })
      const firstLine = block[0] as Line
      const lastLine = block[block.length - 1] as Line
      const start = fit.looseFirst
        ? firstLine.start + indentOf(text.slice(firstLine.start, firstLine.contentEnd)).length
        : firstLine.start
      const end = oldNewline ? lastLine.end : lastLine.contentEnd
      found.push({ start, end, text: lines.join('\n') + (newNewline ? '\n' : '') })
      i += old.length - 1
    }
    if (found.length) return found
  }
  return []
}

/**
 * The region of `text` most like `oldText`: a window of as many lines, scored by the mean bigram
 * similarity of corresponding lines (whitespace-trimmed, folded). Null when nothing is similar.
 */
export function closestRegion(text: string, oldText: string): Closest | null {
  const fileLines = splitLines(text)
  const file = fileLines.map((l) => l.folded.trim())
  const old = splitTrailingNewline(oldText.replace(/\r\n/g, '\n'))
    .body.split('\n')
    .map((l) => foldLine(l).trim())
  const k = Math.min(old.length, file.length)
  if (k === 0) return null
  const windows = file.length - k + 1
  let candidates: number[]
  if (windows * k <= 200_000) {
    candidates = Array.from({ length: windows }, (_, i) => i)
  } else {
    // Big file: shortlist windows by how many of their lines occur verbatim in old_string.
    const wanted = new Set(old.filter((l) => l !== ''))
    const hit = file.map((l) => (wanted.has(l) ? 1 : 0))
    const sums: Array<{ i: number; s: number }> = []
    let s = 0
    for (let i = 0; i < file.length; i++) {
      s += hit[i] ?? 0
      if (i >= k) s -= hit[i - k] ?? 0
      if (i >= k - 1) sums.push({ i: i - k + 1, s })
    }
    sums.sort((a, b) => b.s - a.s || a.i - b.i)
    candidates = sums.slice(0, 50).map((x) => x.i)
  }
  let best: { i: number; score: number } | null = null
  for (const i of candidates) {
    let total = 0
    for (let j = 0; j < k; j++) total += similarity(old[j] ?? '', file[i + j] ?? '')
    const score = total / k
    if (!best || score > best.score) best = { i, score }
  }
  if (!best || best.score < 0.3) return null
  return {
    startLine: best.i + 1,
    endLine: best.i + k,
    score: best.score,
    lines: fileLines.slice(best.i, best.i + k).map((l) => text.slice(l.start, l.contentEnd)),
  }
}

/**
 * Find where `oldText` is in `text` (see the passes above) and what to put there. Replacement
 * texts use `\n`; the caller converts them to the file's line endings. With `replaceAll` false,
 * several matches are an error ('ambiguous'), reported with their line numbers. `closest: false`
 * leaves out the most similar region of a 'not_found' (null).
 */
export function findEdit(
  text: string,
  oldText: string,
  newText: string,
  replaceAll: boolean,
  options: { closest?: boolean } = {},
): MatchOutcome {
  const oldClean = oldText.replace(/^\uFEFF/, '')
  const newClean = newText.replace(/^\uFEFF/, '')

  const decide = (how: MatchKind, found: Replacement[]): MatchOutcome => {
    if (found.length > 1 && !replaceAll) {
      return {
        kind: 'ambiguous',
        how,
        lines: lineNumbers(
          text,
          found.map((r) => r.start),
        ),
      }
    }
    return { kind: 'found', how, replacements: found }
  }

  const exact = findAll(text, oldClean)
  if (exact.length) {
    return decide(
      'exact',
      exact.map((start) => ({ start, end: start + oldClean.length, text: newClean })),
    )
  }

  const hay = fold(text)
  const needle = fold(oldClean).text
  if (needle.trim() !== '') {
    const folded = findAll(hay.text, needle)
    if (folded.length) {
      return decide(
        'folded',
        folded.map((at) => {
          let end = originalEnd(hay, at + needle.length - 1)
          // Ending at the end of a line: take the trailing whitespace the fold dropped, too.
          const next = at + needle.length
          if (next >= hay.text.length) end = text.length
          else if (hay.text[next] === '\n') end = originalStart(hay, next)
          return { start: originalStart(hay, at), end, text: newClean }
        }),
      )
    }
  }

  const indented = matchIndentation(
    text,
    oldClean.replace(/\r\n/g, '\n'),
    newClean.replace(/\r\n/g, '\n'),
  )
  if (indented.length) return decide('indentation', indented)

  // The closest region costs a pass over the file: callers only probing for a match skip it.
  return {
    kind: 'not_found',
    closest: options.closest === false ? null : closestRegion(text, oldClean),
  }
}
