/** A list item's marker at the margin: `-`, `*`, `+`, `1.` or `1)`. */
const LIST_ITEM = /^([-*+]|\d{1,9}[.)])(\s|$)/
/** A link reference or footnote definition: it may be used from any block. */
const DEFINITION = /^ {0,3}\[[^\]]+\]:/m
/** HTML blocks that run on across blank lines (comments, <pre>, <script>…). */
const LONG_HTML = /<(!--|pre|script|style|textarea|\?|!\[CDATA\[)/i

/**
 * Cut markdown into top-level blocks that render exactly as the whole does when each is parsed on
 * its own: at a blank line followed by a line at the margin (not an indented continuation, not the
 * next item of a list), outside fenced code. Text with link or footnote definitions, or HTML
 * blocks that span blank lines, is one block. Messages are rendered block by block, each block
 * memoized and cached, so a streaming message re-parses only its last block per update, and the
 * message that lands reuses the blocks its stream already parsed. Joined with '\n', the blocks
 * are the text.
 */
export function markdownBlocks(text: string): string[] {
  if (DEFINITION.test(text) || LONG_HTML.test(text)) return [text]
  const lines = text.split('\n')
  const blocks: string[] = []
  let start = 0
  let fence: string | null = null
  let inList = false
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (fence !== null) {
      // A closing fence: the same character, at least as long, and nothing after it.
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line)
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) fence = null
      continue
    }
    const item = LIST_ITEM.test(line)
    const startsBlock =
      i > start &&
      lines[i - 1]!.trim() === '' &&
      line.trim() !== '' &&
      !/^\s/.test(line) &&
      !(item && inList)
    if (startsBlock) {
      blocks.push(lines.slice(start, i).join('\n'))
      start = i
      inList = false
    }
    if (item) inList = true
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line)
    if (open) fence = open[1]!
  }
  blocks.push(lines.slice(start).join('\n'))
  return blocks
}
