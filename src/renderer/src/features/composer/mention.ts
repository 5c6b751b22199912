/**
 * @-mentions in the composer: finding the `@query` the caret is in, and replacing it with the
 * path the user picked. Pure text functions; the picker asks the host for matches.
 */

export interface MentionQuery {
  /** Index of the `@`. */
  start: number
  /** End of the token the caret is in (exclusive): what an insertion replaces. */
  end: number
  /** What was typed between the `@` and the caret. */
  query: string
}

const SPACE = /\s/

/**
 * The mention being typed at `caret`, or null. A mention starts with `@` at the start of the text
 * or after whitespace or an opening bracket or quote (so `me@example.com` is not one) and runs to
 * the next whitespace.
 */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  if (caret < 0 || caret > text.length) return null
  let at = caret - 1
  while (at >= 0 && !SPACE.test(text[at]!) && text[at] !== '@') at--
  if (at < 0 || text[at] !== '@') return null
  const before = at === 0 ? ' ' : text[at - 1]!
  if (!SPACE.test(before) && !'([{"\'`'.includes(before)) return null
  let end = caret
  while (end < text.length && !SPACE.test(text[end]!)) end++
  return { start: at, end, query: text.slice(at + 1, caret) }
}

/** How a path is written after `@`: quoted when it has whitespace, so it stays one token. */
export function mentionToken(path: string): string {
  return /\s/.test(path) ? `@"${path.replace(/"/g, '\\"')}"` : `@${path}`
}

/**
 * The text with the mention replaced by `@path` and a space, and where the caret goes (after
 * that space). An existing space after the token is reused, not doubled.
 */
export function insertMention(
  text: string,
  mention: MentionQuery,
  path: string,
): { text: string; caret: number } {
  const token = mentionToken(path)
  const after = text.slice(mention.end)
  const spaced = after.length > 0 && SPACE.test(after[0]!) ? token : `${token} `
  const next = text.slice(0, mention.start) + spaced + after
  const caret = mention.start + spaced.length + (spaced === token ? 1 : 0)
  return { text: next, caret }
}

/**
 * Which characters of `text` (indices) a query's characters match, in order and case-insensitive,
 * preferring a run inside the file name: for showing the match in the picker. Empty when the
 * query does not match (the host's ranking may be fuzzier than this; then nothing is marked).
 */
export function matchedIndices(query: string, text: string): number[] {
  const q = query.replace(/\s+/g, '').toLowerCase()
  if (q === '') return []
  const lower = text.toLowerCase()
  // A substring of the name is what people mean most often: mark it whole.
  const nameStart = text.lastIndexOf('/') + 1
  const inName = lower.indexOf(q, nameStart)
  if (inName >= 0) return Array.from({ length: q.length }, (_, i) => inName + i)
  const out: number[] = []
  let qi = 0
  for (let i = 0; i < text.length && qi < q.length; i++) {
    if (lower[i] === q[qi]) {
      out.push(i)
      qi++
    }
  }
  return qi === q.length ? out : []
}
