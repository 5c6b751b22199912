/**
 * Floods of lines (`yes`, a chatty build log) scroll through a terminal faster than anyone can read
 * them, and parsing each line costs the same whatever becomes of it. When more complete lines are
 * waiting than the screen can hold (scrollback + rows), the oldest of them would be scrolled out of
 * the buffer by the later ones before anybody could see them: they are dropped before parsing,
 * except for their colour changes (SGR) since the last full reset of the pen (SGR 0), which are kept
 * so that the pen is as it would have been.
 * What is left on the screen, scrollback included, is what it would have been.
 *
 * Safe only for text that changes nothing but cell contents and the pen: printable characters,
 * tab, CR, LF (every LF preceded by CR, so each line starts at column 0) and SGR sequences
 * (`ESC [ … m`), starting at a line start, and only when the screen is the normal buffer with a
 * full-screen scroll region (the caller checks that). Anything else ends the run that may be thinned.
 *
 * This runs on the host's event loop for every frame of a flood, over the whole backlog, so it
 * scans with native regular expressions and `lastIndexOf` and never walks the dropped lines in JS:
 * while the loop is busy here nobody reads the PTY and the shell stalls.
 */

const ESC = 0x1b

/**
 * The thinnable run at the start of a text, matched as a whole: printable characters, CR (an LF
 * only right after one), TAB and SGR sequences (`ESC [` digits `;` `:` then `m`, at most 64
 * characters in all). Anything else ends it: other C0 controls, DEL, C1 controls, a bare LF, an
 * escape that starts no SGR sequence. (Matching the run is about twice as fast as searching for
 * the first thing that ends it.)
 */
// eslint-disable-next-line no-control-regex
const RUN = /(?:[^\x00-\x1f\x7f-\x9f]+|\r\n?|\t|\x1b\[[0-9;:]{0,61}m)*/y

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

/** Whether an SGR sequence starts with a full reset (`ESC[m`, `ESC[0m`, `ESC[0;31m`, `ESC[;1m`). */
function resetsPen(sgr: string): boolean {
  for (let j = 2; j < sgr.length; j++) {
    const c = sgr.charCodeAt(j)
    if (c === 0x6d || c === 0x3b) return true // 'm' or ';': the first parameter was 0 or empty
    if (c !== 0x30) return false // a digit other than 0, or ':' (sub-parameters)
  }
  return false
}

/**
 * The SGR sequences of `text.slice(from, to)` that still matter after it: those from the last full
 * reset on (everything before a reset is undone by it). Walks back from `to`, so a flood whose
 * lines end in `ESC[0m` costs one short step.
 */
function penChanges(text: string, from: number, to: number): string {
  const after: string[] = []
  for (let j = text.lastIndexOf('\x1b', to - 1); j >= from; j = text.lastIndexOf('\x1b', j - 1)) {
    const n = sgrLength(text, j)
    // Inside a thinnable run every escape starts an SGR sequence; be safe all the same.
    if (n === 0 || j + n > to) continue
    const sgr = text.slice(j, j + n)
    after.push(sgr)
    if (resetsPen(sgr)) break
    if (j === 0) break
  }
  return after.reverse().join('')
}

/**
 * What may be dropped from `text` so that at most `keepLines` complete lines of the thinnable run at
 * its start remain: `text.slice(from, to)` is replaced by `keep` (the colour changes that still
 * matter). Null when there is nothing to drop.
 */
export function skippableRange(
  text: string,
  keepLines: number,
): { from: number; to: number; keep: string } | null {
  RUN.lastIndex = 0
  RUN.exec(text)
  const runEnd = RUN.lastIndex
  // Line ends of the run: the first (that line may have started anywhere), then, walking back
  // from the last, the one after which `keepLines` complete lines remain.
  const first = text.indexOf('\n')
  if (first === -1 || first >= runEnd) return null
  let end = text.lastIndexOf('\n', runEnd - 1)
  for (let k = 0; k < keepLines && end > first; k++) end = text.lastIndexOf('\n', end - 1)
  if (end <= first) return null
  const from = first + 1
  const to = end + 1
  return { from, to, keep: penChanges(text, from, to) }
}
