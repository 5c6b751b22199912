/**
 * Floods of lines (`yes`, a chatty build log) scroll through a terminal faster than anyone can read
 * them, and parsing each line costs the same whatever becomes of it. When more complete lines are
 * waiting than the screen can hold (scrollback + rows), the oldest of them would be scrolled out of
 * the buffer by the later ones before anybody could see them: they are dropped before parsing,
 * except for their colour changes (SGR), which are kept so that the pen is as it would have been.
 * What is left on the screen, scrollback included, is what it would have been.
 *
 * Safe only for text that changes nothing but cell contents and the pen: printable characters,
 * tab, CR, LF (every LF preceded by CR, so each line starts at column 0) and SGR sequences
 * (`ESC [ … m`), starting at a line start, and only when the screen is the normal buffer with a
 * full-screen scroll region (the caller checks that). Anything else ends the run that may be thinned.
 */

const ESC = 0x1b

/** A character that ends a thinnable run: C0 controls but TAB, LF, CR and ESC; DEL; C1 controls. */
// eslint-disable-next-line no-control-regex
const BREAKS = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f]/g

/** Length of the SGR sequence at `i` (`ESC [ params m`), or 0 when there is none. */
function sgrLength(text: string, i: number): number {
  if (text.charCodeAt(i) !== ESC || text.charCodeAt(i + 1) !== 0x5b) return 0
  for (let j = i + 2; j < text.length && j < i + 64; j++) {
    const c = text.charCodeAt(j)
    if (c === 0x6d) return j - i + 1
    // Parameters: digits, ';' and ':' only.
    if (!((c >= 0x30 && c <= 0x39) || c === 0x3b || c === 0x3a)) return 0
  }
  return 0
}

/**
 * What may be dropped from `text` so that at most `keepLines` complete lines of the thinnable run at
 * its start remain: `text.slice(from, to)` is replaced by `keep` (its SGR sequences). Null when
 * there is nothing to drop.
 */
export function skippableRange(
  text: string,
  keepLines: number,
): { from: number; to: number; keep: string } | null {
  // Where the run ends: the first character that breaks it, or the first escape that is no SGR.
  BREAKS.lastIndex = 0
  let runEnd = BREAKS.exec(text)?.index ?? text.length
  for (let e = text.indexOf('\x1b'); e !== -1 && e < runEnd;) {
    const n = sgrLength(text, e)
    if (n === 0) {
      runEnd = e
      break
    }
    e = text.indexOf('\x1b', e + n)
  }
  const lineEnds: number[] = []
  for (let i = text.indexOf('\n'); i !== -1 && i < runEnd; i = text.indexOf('\n', i + 1)) {
    if (text.charCodeAt(i - 1) !== 0x0d) break
    lineEnds.push(i)
  }
  // Lines after the first line end (the first may have started anywhere).
  const lines = lineEnds.length - 1
  if (lines <= keepLines) return null
  const from = lineEnds[0]! + 1
  const to = lineEnds[lines - keepLines]! + 1
  let keep = ''
  for (let j = text.indexOf('\x1b', from); j !== -1 && j < to; j = text.indexOf('\x1b', j + 1)) {
    const n = sgrLength(text, j)
    keep += text.slice(j, j + n)
  }
  return { from, to, keep }
}
