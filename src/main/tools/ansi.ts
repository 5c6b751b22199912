// Terminal escape sequences: CSI (colours, cursor moves), OSC (titles, hyperlinks; ended by BEL or
// ST), DCS/SOS/PM/APC strings, two-character escapes, and the 8-bit CSI. Control characters are the
// point of these patterns, hence the lint exceptions.
/* eslint-disable no-control-regex */
const ANSI =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[ -/]*[0-~]|\x9b[0-?]*[ -/]*[@-~]/g
/** An escape sequence that has started but not finished at the end of a chunk. */
const PARTIAL =
  /(?:\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|[PX^_][^\x1b]*\x1b?|[ -/]*)?|\x9b[0-?]*[ -/]*)$/
/** Other control characters a model should not see (tab, newline and carriage return stay). */
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g
/* eslint-enable no-control-regex */

/** Longest unfinished escape sequence held back between chunks; longer ones are let through. */
const MAX_PARTIAL = 256

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '')
}

/**
 * Strips escape sequences from text that arrives in chunks: a sequence split across two chunks is
 * held back until it completes, and a `\r\n` split across chunks still becomes `\n`.
 */
export class AnsiStripper {
  private carry = ''

  push(chunk: string): string {
    let text = this.carry + chunk
    this.carry = ''
    const partial = PARTIAL.exec(text)
    if (partial && partial[0].length > 0 && partial[0].length <= MAX_PARTIAL) {
      this.carry = partial[0]
      text = text.slice(0, partial.index)
    } else if (text.endsWith('\r')) {
      this.carry = '\r'
      text = text.slice(0, -1)
    }
    return stripAnsi(text).replace(/\r\n/g, '\n')
  }

  flush(): string {
    const rest = stripAnsi(this.carry).replace(/\r\n/g, '\n')
    this.carry = ''
    return rest
  }
}
