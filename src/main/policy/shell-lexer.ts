/**
 * Lexer for the subset of bash the permission layer reads: words (with quoting, escapes and
 * expansions), control operators, redirections and here-documents.
 *
 * Word values are quote-removed but expansions are kept as written (`$HOME`, `$(date)`), because
 * their run-time values are unknown. Anything the lexer cannot read with confidence throws a
 * `ShellSyntaxError`, which the parser turns into `{ ok: false }`.
 */

import {
  ShellSyntaxError,
  scanAnsiC,
  scanArithmetic,
  scanBraced,
  scanOldArithmetic,
} from './shell-scan'

import type { Operator, Redirect, Substitution, Token, Word } from './shell-tokens'

export { ShellSyntaxError } from './shell-scan'
export type { OpToken, Operator, Redirect, Substitution, Token, Word } from './shell-tokens'

const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>'])
const OPERATORS: readonly Operator[] = [';;&', '&&', '||', ';;', ';&', '|&', ';', '|', '&']
const REDIRECTS = ['&>>', '&>', '>>', '>|', '>&', '<<<', '<<-', '<<', '<&', '<>', '>', '<']
/** Substitutions nested deeper than this are refused rather than risk the stack. */
const MAX_NESTING = 64

interface PendingHeredoc {
  delim: string
  stripTabs: boolean
  expand: boolean
  redir: Redirect
}

class Lexer {
  readonly tokens: Token[] = []
  private i: number
  private pending: PendingHeredoc[] = []

  constructor(
    private readonly src: string,
    start: number,
    private readonly nesting: number,
  ) {
    if (nesting > MAX_NESTING) throw new ShellSyntaxError('substitutions nested too deeply')
    this.i = start
  }

  /**
   * Lex to the end of the source or, when `inParen`, up to the `)` closing an enclosing `$(` or
   * `<(`; returns the index of that `)` (or the source length).
   */
  run(inParen: boolean): number {
    const src = this.src
    let depth = 0
    while (this.i < src.length) {
      const c = src[this.i]!
      const next = src[this.i + 1]
      if (c === ' ' || c === '\t' || c === '\r') {
        this.i++
      } else if (c === '\\' && next === '\n') {
        this.i += 2
      } else if (c === '#') {
        const nl = src.indexOf('\n', this.i)
        this.i = nl === -1 ? src.length : nl
      } else if (c === '\n') {
        this.pushOp('\n', 1)
        this.readHeredocBodies()
      } else if (c === ')') {
        if (inParen && depth === 0) {
          if (this.pending.length > 0) {
            throw new ShellSyntaxError('here-document inside a substitution is not terminated')
          }
          return this.i
        }
        depth--
        this.pushOp(')', 1)
      } else if (c === '(') {
        depth++
        this.pushOp('(', 1)
      } else if ((c === '<' || c === '>') && next === '(') {
        this.pushWord(this.readWord())
      } else if (!this.readRedirect() && !this.readOperator()) {
        this.pushWord(this.readWord())
      }
    }
    if (inParen) throw new ShellSyntaxError('unterminated $( … ) or <( … )')
    return this.i
  }

  /** Substitutions in a here-document body, which expands like a double-quoted string. */
  scanExpandingText(): Substitution[] {
    const w = this.newWord()
    while (this.i < this.src.length) {
      const c = this.src[this.i]!
      if (c === '\\') this.i += 2
      else if (c === '$') this.readDollar(w, true)
      else if (c === '`') this.readBacktick(w, true)
      else this.i++
    }
    return w.subs
  }

  private pushOp(op: Operator, len: number): void {
    this.tokens.push({ type: 'op', op, start: this.i, end: this.i + len })
    this.i += len
  }

  private pushWord(word: Word): void {
    this.tokens.push({ type: 'word', word })
  }

  private readOperator(): boolean {
    const op = OPERATORS.find((o) => this.src.startsWith(o, this.i))
    if (!op) return false
    this.pushOp(op, op.length)
    return true
  }

  private readRedirect(): boolean {
    const src = this.src
    const start = this.i
    let j = start
    while (j < src.length && /[0-9]/.test(src[j]!)) j++
    const fd = src.slice(start, j)
    const op = REDIRECTS.find((r) => src.startsWith(r, j) && !(fd && r.startsWith('&')))
    if (!op) return false
    this.i = j + op.length
    while (src[this.i] === ' ' || src[this.i] === '\t') this.i++
    const at = src[this.i]
    const procSub = (at === '<' || at === '>') && src[this.i + 1] === '('
    // A `#` here starts a comment and `2>` another redirection: either way the target is missing.
    const missing =
      at === undefined || at === '#' || /^[0-9]+[<>]/.test(src.slice(this.i, this.i + 12))
    if (missing || (META.has(at) && !procSub)) {
      throw new ShellSyntaxError(`redirection ${fd}${op} has no target`)
    }
    const target = this.readWord()
    const redir: Redirect = {
      type: 'redir',
      fd,
      op,
      target,
      start,
      end: target.end,
      bodySubs: [],
    }
    if (op === '<<' || op === '<<-') {
      this.pending.push({
        delim: target.value,
        stripTabs: op === '<<-',
        expand: !target.quoted,
        redir,
      })
    }
    this.tokens.push(redir)
    return true
  }

  /** Consume here-document bodies after a newline; they are input, never commands. */
  private readHeredocBodies(): void {
    const src = this.src
    for (const doc of this.pending) {
      const lines: string[] = []
      while (this.i < src.length) {
        const eol = src.indexOf('\n', this.i)
        const line = src.slice(this.i, eol === -1 ? src.length : eol)
        this.i = eol === -1 ? src.length : eol + 1
        if ((doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delim) break
        lines.push(line)
      }
      if (doc.expand) {
        doc.redir.bodySubs = new Lexer(lines.join('\n'), 0, this.nesting + 1).scanExpandingText()
      }
    }
    this.pending = []
  }

  private newWord(): Word {
    return {
      value: '',
      start: this.i,
      end: this.i,
      quoted: false,
      plainPrefix: 0,
      dynamic: false,
      subs: [],
    }
  }

  private readWord(): Word {
    const src = this.src
    const w = this.newWord()
    let plain = true
    let bracket = false
    let brace = 0 // 1: saw `{`; 2: saw `{` then `,` or `..`
    while (this.i < src.length) {
      const c = src[this.i]!
      const next = src[this.i + 1]
      if ((c === '<' || c === '>') && next === '(') {
        if (this.i !== w.start) break
        this.readNested(w, 'process', this.i + 2)
        plain = false
        continue
      }
      if (META.has(c)) break
      if (c === '\\') {
        if (next === '\n') {
          this.i += 2
          continue
        }
        w.value += next ?? '\\'
        w.quoted = true
        plain = false
        this.i += next === undefined ? 1 : 2
        continue
      }
      if (c === "'") {
        const close = src.indexOf("'", this.i + 1)
        if (close === -1) throw new ShellSyntaxError('unterminated single quote')
        w.value += src.slice(this.i + 1, close)
        w.quoted = true
        plain = false
        this.i = close + 1
        continue
      }
      if (c === '"') {
        this.readDouble(w)
        plain = false
        continue
      }
      if (c === '`') {
        this.readBacktick(w, false)
        plain = false
        continue
      }
      if (c === '$' && next !== undefined && /[A-Za-z0-9_({['"@*#?$!-]/.test(next)) {
        this.readDollar(w, false)
        plain = false
        continue
      }
      if (c === '*' || c === '?' || (c === ']' && bracket)) w.dynamic = true
      if (c === '[') bracket = true
      if (c === '{') brace = 1
      if (brace === 1 && (c === ',' || (c === '.' && next === '.'))) brace = 2
      if (c === '}' && brace === 2) w.dynamic = true
      w.value += c
      if (plain) w.plainPrefix = w.value.length
      this.i++
    }
    w.end = this.i
    return w
  }

  private readDouble(w: Word): void {
    const src = this.src
    this.i++
    w.quoted = true
    for (;;) {
      const c = src[this.i]
      if (c === undefined) throw new ShellSyntaxError('unterminated double quote')
      if (c === '"') {
        this.i++
        return
      }
      const next = src[this.i + 1]
      if (c === '\\' && next !== undefined && '$`"\\\n'.includes(next)) {
        if (next !== '\n') w.value += next
        this.i += 2
      } else if (c === '$') {
        this.readDollar(w, true)
      } else if (c === '`') {
        this.readBacktick(w, true)
      } else {
        w.value += c
        this.i++
      }
    }
  }

  private readBacktick(w: Word, inDouble: boolean): void {
    const src = this.src
    const start = this.i
    let j = start + 1
    let inner = ''
    for (;;) {
      const c = src[j]
      if (c === undefined) throw new ShellSyntaxError('unterminated backtick')
      if (c === '`') break
      const next = src[j + 1]
      if (
        c === '\\' &&
        next !== undefined &&
        ('`$\\'.includes(next) || (inDouble && next === '"'))
      ) {
        inner += next
        j += 2
      } else {
        inner += c
        j++
      }
    }
    // Validate the inner text now so an unterminated construct inside is reported here.
    new Lexer(inner, 0, this.nesting + 1).run(false)
    w.subs.push({ kind: 'backtick', source: inner })
    w.value += src.slice(start, j + 1)
    w.dynamic = true
    this.i = j + 1
  }

  /** `$(…)` or `<(…)`/`>(…)`: lex the inner list in place to find its closing parenthesis. */
  private readNested(w: Word, kind: 'command' | 'process', innerStart: number): void {
    const start = this.i
    const close = new Lexer(this.src, innerStart, this.nesting + 1).run(true)
    w.subs.push({ kind, source: this.src.slice(innerStart, close) })
    w.value += this.src.slice(start, close + 1)
    w.dynamic = true
    this.i = close + 1
  }

  private readDollar(w: Word, inDouble: boolean): void {
    const src = this.src
    const start = this.i
    const next = src[start + 1]
    if (next === '(') {
      const end = src[start + 2] === '(' ? scanArithmetic(src, start) : -1
      if (end !== -1) this.opaque(w, end)
      else this.readNested(w, 'command', start + 2)
      return
    }
    if (next === '{') {
      this.opaque(w, scanBraced(src, start))
      return
    }
    if (next === '[') {
      // `$[1<<2]` is arithmetic, not a here-document.
      this.opaque(w, scanOldArithmetic(src, start))
      return
    }
    if (next === "'" && !inDouble) {
      const { value, end } = scanAnsiC(src, start)
      w.value += value
      w.quoted = true
      this.i = end
      return
    }
    if (next === '"' && !inDouble) {
      this.i++
      this.readDouble(w)
      return
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9@*#?$!-]/.exec(src.slice(start + 1))
    if (!name) {
      w.value += '$'
      this.i++
      return
    }
    w.value += '$' + name[0]
    w.dynamic = true
    this.i = start + 1 + name[0].length
  }

  /** Append an expansion read as opaque text, `[this.i, end)`. */
  private opaque(w: Word, end: number): void {
    w.value += this.src.slice(this.i, end)
    w.dynamic = true
    this.i = end
  }
}

/** Tokens of a command line. Throws `ShellSyntaxError`. */
export function lex(src: string): Token[] {
  const lexer = new Lexer(src, 0, 0)
  lexer.run(false)
  return lexer.tokens
}

/** Split a string into words (as `env -S` does); anything but words throws. */
export function lexWords(src: string): Word[] {
  return lex(src).map((t) => {
    if (t.type !== 'word') throw new ShellSyntaxError(`cannot split ${JSON.stringify(src)}`)
    return t.word
  })
}
