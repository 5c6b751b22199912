/**
 * Scanners for the expansions the lexer reads as opaque text: `$(( … ))`, `${ … }` and `$'…'`.
 * Command substitution inside the first two is refused rather than followed.
 */

export class ShellSyntaxError extends Error {
  override name = 'ShellSyntaxError'
}

const ANSI_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
}

/**
 * Substitutions and quotes inside these expansions are refused: bash's rules for them there differ
 * by context, and misreading where one ends could hide a command.
 */
function refuseInside(src: string, j: number, where: string): void {
  const c = src[j]
  if ((c === '$' && src[j + 1] === '(') || c === '`') {
    throw new ShellSyntaxError(`command substitution inside ${where} is not supported`)
  }
  if (c === "'" || c === '"') throw new ShellSyntaxError(`quotes inside ${where} are not supported`)
}

/**
 * End (exclusive) of `$(( … ))` whose `$` is at `start`, or -1 when the text is really a command
 * substitution starting with a subshell, `$( ( … ) … )`.
 */
export function scanArithmetic(src: string, start: number): number {
  let depth = 0
  for (let j = start + 3; j < src.length; j++) {
    refuseInside(src, j, '$(( … ))')
    const c = src[j]
    if (c === '(') depth++
    else if (c === ')' && depth > 0) depth--
    else if (c === ')') return src[j + 1] === ')' ? j + 2 : -1
  }
  return -1
}

/** End (exclusive) of the old arithmetic form `$[ … ]` whose `$` is at `start`. */
export function scanOldArithmetic(src: string, start: number): number {
  let depth = 0
  for (let j = start + 1; j < src.length; j++) {
    refuseInside(src, j, '$[ … ]')
    const c = src[j]
    if (c === '[') depth++
    else if (c === ']' && --depth === 0) return j + 1
  }
  throw new ShellSyntaxError('unterminated $[ … ]')
}

/** End (exclusive) of `${ … }` whose `$` is at `start`. */
export function scanBraced(src: string, start: number): number {
  let depth = 0
  for (let j = start + 1; j < src.length; j++) {
    refuseInside(src, j, '${ … }')
    const c = src[j]
    if (c === '\\') j++
    else if (c === '{') depth++
    else if (c === '}' && --depth === 0) return j + 1
  }
  throw new ShellSyntaxError('unterminated ${ … }')
}

/** Decoded value and end (exclusive) of `$'…'` whose `$` is at `start`: `$'\x72m'` is `rm`. */
export function scanAnsiC(src: string, start: number): { value: string; end: number } {
  let value = ''
  let j = start + 2
  for (;;) {
    const c = src[j]
    if (c === undefined) throw new ShellSyntaxError("unterminated $'…' quote")
    if (c === "'") return { value, end: j + 1 }
    if (c !== '\\') {
      value += c
      j++
      continue
    }
    const rest = src.slice(j + 1)
    const hex = /^(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8})/.exec(rest)
    const oct = /^[0-7]{1,3}/.exec(rest)
    const e = rest[0] ?? ''
    if (hex) {
      const code = parseInt(hex[0].slice(1), 16)
      value += code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd'
      j += 1 + hex[0].length
    } else if (oct) {
      value += String.fromCharCode(parseInt(oct[0], 8))
      j += 1 + oct[0].length
    } else if (e === 'c' && rest[1] !== undefined) {
      value += String.fromCharCode(rest.charCodeAt(1) & 0x1f)
      j += 3
    } else {
      value += ANSI_ESCAPES[e] ?? '\\' + e
      j += 2
    }
  }
}
