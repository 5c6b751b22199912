/** Characters per piece handed to xterm: about 5 ms of parsing on a slow machine. */
export const WRITE_PIECE = 16 * 1024

/**
 * Hand output to xterm in pieces: xterm parses what it is given in one go and only yields (12 ms
 * budget) between pieces, so a 200 KB batch given whole is one long task while eight terminals
 * stream. `done` runs once the last piece is parsed.
 */
export function writeInPieces(
  term: { write(data: string, callback?: () => void): void },
  data: string,
  done: () => void,
): void {
  let at = 0
  while (at < data.length) {
    let end = Math.min(data.length, at + WRITE_PIECE)
    // Never split a surrogate pair between two pieces.
    const last = data.charCodeAt(end - 1)
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end -= 1
    term.write(data.slice(at, end), end >= data.length ? done : undefined)
    at = end
  }
  if (data.length === 0) term.write(data, done)
}
