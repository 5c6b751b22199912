/**
 * Floods of plain lines (`yes`, a chatty log) scroll through a terminal faster than anyone can read
 * them, and parsing each line costs the same whatever becomes of it. When more complete lines of
 * plain text are waiting than the screen can hold (scrollback + rows), the oldest of them would be
 * scrolled out of the buffer by the later ones before anybody could see them: they are dropped
 * before parsing. What is left on the screen, scrollback included, is what it would have been.
 *
 * Safe only for text that changes nothing but cell contents: printable characters, tab, CR and LF
 * (every LF preceded by CR, so each line starts at column 0), starting at a line start, and only
 * when the screen is the normal buffer with a full-screen scroll region (the caller checks that).
 */

function isPlain(code: number): boolean {
  if (code < 0x20) return code === 0x0a || code === 0x0d || code === 0x09
  return code !== 0x7f && !(code >= 0x80 && code <= 0x9f)
}

/**
 * The range of `text` that may be skipped so that at most `keepLines` complete plain lines remain
 * of the plain run at its start, or null when there is nothing to skip.
 */
export function skippableRange(
  text: string,
  keepLines: number,
): { from: number; to: number } | null {
  let end = 0
  while (end < text.length && isPlain(text.charCodeAt(end))) end++
  const first = text.indexOf('\r\n')
  if (first === -1 || first + 2 > end) return null
  const from = first + 2
  let lines = 0
  for (let i = text.indexOf('\n', from); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    if (text.charCodeAt(i - 1) !== 0x0d) return null
    lines++
  }
  if (lines <= keepLines) return null
  let skip = lines - keepLines
  let to = from
  for (let i = text.indexOf('\n', from); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (--skip === 0) {
      to = i + 1
      break
    }
  }
  return to > from ? { from, to } : null
}
