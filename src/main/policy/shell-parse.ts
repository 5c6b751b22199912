/**
 * Parse a bash command line into the simple commands it would run, so the permission layer can
 * decide per subcommand. Lists, pipelines, subshells, groups, `if`/`while`/`until`/`for`,
 * command/process substitution and here-documents are understood; wrappers (`bash -c`, `env`,
 * `xargs`, `find -exec`, `sudo`, …) are unwrapped in `shell-unwrap.ts`. Whatever cannot be read
 * with confidence (`case`, functions, arithmetic commands, unterminated quotes, code built from
 * expansions) gives `{ ok: false }` rather than a guess.
 */
import type { OpToken, Redirect, Token, Word } from './shell-tokens'
import { ShellSyntaxError, lex } from './shell-lexer'
import type { ArgWord, UnwrapContext } from './shell-unwrap'
import { unwrapCommand } from './shell-unwrap'

export interface FileWrite {
  /**
   * The operator as written, with its file descriptor: `>`, `>>`, `2>`, `&>`, `>|`, `<>`, `>&`;
   * `time -o` for the output file of `time -o FILE`.
   */
  op: string
  /** The target as written (quote-removed, expansions kept). */
  target: string
}

/** An input redirection from a file: `< file`, `0< file`, `<> file`. */
export interface FileRead {
  op: string
  /** The source as written (quote-removed, expansions kept). */
  target: string
  /** Its run-time value is unknown (an expansion, or a glob outside quotes). */
  dynamic: boolean
}

export interface SimpleCommand {
  /**
   * argv after removing leading assignments (`FOO=1 cmd`) and wrappers; argv[0] is the program
   * name as written. Empty for a bare assignment or redirection (`X=1`, `> file`).
   */
  argv: string[]
  /**
   * The exact source text of this subcommand: the whole simple command, wrappers and
   * redirections included; for `find -exec` the exec'd words; for code run through `bash -c`,
   * `eval` or `watch`, a slice of that code.
   */
  text: string
  /**
   * Output redirections to a file; not descriptor duplication (`2>&1`, `>&2`) nor /dev/null,
   * /dev/stdout, /dev/stderr, /dev/tty. Redirections of an enclosing subshell, group, loop or
   * wrapper apply to every command inside it.
   */
  writesFiles: FileWrite[]
  /**
   * Input redirections from a file (not here-documents or here-strings); like writes, those of an
   * enclosing compound command or wrapper apply to every command inside it.
   */
  readsFiles: FileRead[]
  /** Reached through `$( … )`, backticks or `<( … )`/`>( … )`. */
  viaSubstitution: boolean
  /**
   * How it was wrapped, outermost first: '<shell> -c' (bash, sh, zsh, dash, ksh, ash, mksh),
   * 'eval', 'watch', 'env', 'xargs', 'find -exec' / '-execdir' / '-ok' / '-okdir', 'sudo', 'doas',
   * 'nohup', 'timeout', 'nice', 'time', 'command', 'builtin', 'exec', 'setsid', 'stdbuf'.
   */
  wrappers: string[]
  /**
   * `NAME=value` assignments as written: leading ones and those given to `env`/`sudo`, outermost
   * first.
   */
  assignments: string[]
  /**
   * Parallel to argv: true where the word's run-time value is unknown (parameter, substitution or
   * arithmetic expansion; glob or brace pattern outside quotes).
   */
  argvDynamic: boolean[]
}

export type ParseResult =
  { ok: true; commands: SimpleCommand[]; usesSubstitution: boolean } | { ok: false; reason: string }

interface ParseState {
  usesSubstitution: boolean
}

/** Recursion through substitutions and `bash -c` strings deeper than this is refused. */
const MAX_DEPTH = 32
const HARMLESS_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty'])
const WRITE_OPS = new Set(['>', '>>', '>|', '&>', '&>>', '<>'])
const NONE: ReadonlySet<string> = new Set()
const THEN = new Set(['then'])
const DO = new Set(['do'])
const DONE = new Set(['done'])
const FI = new Set(['fi'])
const ELSE_FI = new Set(['elif', 'else', 'fi'])
const CLOSE_BRACE = new Set(['}'])
const UNSUPPORTED = new Set(['case', 'select', 'function', 'coproc'])
const MISPLACED = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}', ']]'])
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/

export function parseShell(line: string): ParseResult {
  const state: ParseState = { usesSubstitution: false }
  const commands: SimpleCommand[] = []
  try {
    parseInto(line, { wrappers: [], viaSubstitution: false, depth: 0 }, state, commands)
  } catch (err) {
    if (err instanceof ShellSyntaxError) return { ok: false, reason: err.message }
    // A bug here must not take the permission check down with it: the caller asks instead.
    return { ok: false, reason: `internal parser error: ${String(err)}` }
  }
  return { ok: true, commands, usesSubstitution: state.usesSubstitution }
}

function parseInto(src: string, ctx: UnwrapContext, state: ParseState, out: SimpleCommand[]): void {
  if (ctx.depth > MAX_DEPTH) throw new ShellSyntaxError('commands nested too deeply')
  new Parser(src, lex(src), ctx, state, out).program()
}

function isPlain(word: Word): boolean {
  return !word.quoted && word.subs.length === 0
}

function isKeyword(t: Token | undefined, set: ReadonlySet<string>): boolean {
  return t?.type === 'word' && isPlain(t.word) && set.has(t.word.value)
}

function describe(t: Token): string {
  if (t.type === 'word') return `'${t.word.value}'`
  if (t.type === 'redir') return `'${t.fd}${t.op}'`
  return t.op === '\n' ? 'newline' : `'${t.op}'`
}

function fileWrite(r: Redirect): FileWrite | null {
  const target = r.target.value
  if (r.op === '>&') {
    // `2>&1`, `>&2`, `>&-` duplicate or close descriptors; `>& file` writes the file.
    if (/^[0-9]+-?$|^-$/.test(target)) return null
  } else if (!WRITE_OPS.has(r.op)) {
    return null
  }
  if (!r.target.dynamic && HARMLESS_TARGETS.has(target)) return null
  return { op: r.fd + r.op, target }
}

function fileRead(r: Redirect): FileRead | null {
  const target = r.target.value
  if (r.op === '<&' && /^[0-9]+-?$|^-$/.test(target)) return null
  if (r.op !== '<' && r.op !== '<>' && r.op !== '<&') return null
  return { op: r.fd + r.op, target, dynamic: r.target.dynamic }
}

class Parser {
  private pos = 0

  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
    private readonly ctx: UnwrapContext,
    private readonly state: ParseState,
    private readonly out: SimpleCommand[],
  ) {}

  program(): void {
    this.list(NONE, false)
    const t = this.peek()
    if (t) throw new ShellSyntaxError(`unexpected ${describe(t)}`)
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos]
  }

  private peekOp(): OpToken | undefined {
    const t = this.peek()
    return t?.type === 'op' ? t : undefined
  }

  private skipNewlines(): void {
    while (this.peekOp()?.op === '\n') this.pos++
  }

  /** A list of and-or lists; stops before a reserved word in `stop` or, inParen, before `)`. */
  private list(stop: ReadonlySet<string>, inParen: boolean): number {
    let count = 0
    for (;;) {
      this.skipNewlines()
      const t = this.peek()
      if (!t || (inParen && this.peekOp()?.op === ')') || isKeyword(t, stop)) return count
      this.andOr()
      count++
      const sep = this.peekOp()
      if (!this.peek() || (inParen && sep?.op === ')')) return count
      if (sep && (sep.op === ';' || sep.op === '&' || sep.op === '\n')) {
        this.pos++
        continue
      }
      throw new ShellSyntaxError(`unexpected ${describe(this.peek()!)}`)
    }
  }

  private andOr(): void {
    this.pipeline()
    for (let op = this.peekOp()?.op; op === '&&' || op === '||'; op = this.peekOp()?.op) {
      this.pos++
      this.skipNewlines()
      this.pipeline()
    }
  }

  private pipeline(): void {
    if (isKeyword(this.peek(), new Set(['!']))) this.pos++
    this.command()
    for (let op = this.peekOp()?.op; op === '|' || op === '|&'; op = this.peekOp()?.op) {
      this.pos++
      this.skipNewlines()
      this.command()
    }
  }

  private command(): void {
    const t = this.peek()
    if (!t) throw new ShellSyntaxError('incomplete command')
    const first = this.out.length
    if (t.type === 'op') {
      if (t.op !== '(') throw new ShellSyntaxError(`unexpected ${describe(t)}`)
      const next = this.tokens[this.pos + 1]
      if (next?.type === 'op' && next.op === '(' && next.start === t.end) {
        throw new ShellSyntaxError('arithmetic commands (( … )) are not supported')
      }
      this.pos++
      this.body(this.list(NONE, true), 'subshell')
      if (this.peekOp()?.op !== ')') throw new ShellSyntaxError('unterminated subshell')
      this.pos++
      return this.compoundRedirects(first)
    }
    const kw = t.type === 'word' && isPlain(t.word) ? t.word.value : ''
    if (UNSUPPORTED.has(kw)) throw new ShellSyntaxError(`'${kw}' is not supported`)
    if (MISPLACED.has(kw)) throw new ShellSyntaxError(`unexpected '${kw}'`)
    if (kw === '{') {
      this.pos++
      this.body(this.list(CLOSE_BRACE, false), 'group')
      this.expectKeyword('}')
    } else if (kw === 'if') {
      this.ifClause()
    } else if (kw === 'while' || kw === 'until') {
      this.pos++
      this.body(this.list(DO, false), kw)
      this.doGroup()
    } else if (kw === 'for') {
      this.forClause()
    } else {
      return this.simple()
    }
    this.compoundRedirects(first)
  }

  private body(count: number, what: string): void {
    if (count === 0) throw new ShellSyntaxError(`empty ${what}`)
  }

  private expectKeyword(kw: string): void {
    if (!isKeyword(this.peek(), new Set([kw]))) {
      const t = this.peek()
      throw new ShellSyntaxError(`expected '${kw}'${t ? ` before ${describe(t)}` : ''}`)
    }
    this.pos++
  }

  private ifClause(): void {
    this.pos++
    this.body(this.list(THEN, false), 'if condition')
    this.expectKeyword('then')
    this.body(this.list(ELSE_FI, false), 'then branch')
    while (isKeyword(this.peek(), new Set(['elif']))) {
      this.pos++
      this.body(this.list(THEN, false), 'elif condition')
      this.expectKeyword('then')
      this.body(this.list(ELSE_FI, false), 'then branch')
    }
    if (isKeyword(this.peek(), new Set(['else']))) {
      this.pos++
      this.body(this.list(FI, false), 'else branch')
    }
    this.expectKeyword('fi')
  }

  private forClause(): void {
    this.pos++
    const name = this.peek()
    if (name?.type === 'op' && name.op === '(') {
      throw new ShellSyntaxError('arithmetic for loops are not supported')
    }
    if (name?.type !== 'word' || !isPlain(name.word) || !/^[A-Za-z_]\w*$/.test(name.word.value)) {
      throw new ShellSyntaxError('for needs a variable name')
    }
    this.pos++
    this.skipNewlines()
    if (isKeyword(this.peek(), new Set(['in']))) {
      this.pos++
      for (let t = this.peek(); t?.type === 'word'; t = this.peek()) {
        this.substitutions([t.word])
        this.pos++
      }
    }
    const sep = this.peekOp()?.op
    if (sep === ';' || sep === '\n') this.pos++
    this.doGroup()
  }

  private doGroup(): void {
    this.skipNewlines()
    this.expectKeyword('do')
    this.body(this.list(DONE, false), 'loop body')
    this.expectKeyword('done')
  }

  /** Redirections after a compound command apply to every command inside it. */
  private compoundRedirects(first: number): void {
    const inside = this.out.slice(first)
    for (let t = this.peek(); t?.type === 'redir'; t = this.peek()) {
      this.pos++
      this.substitutions([t.target], t.bodySubs)
      const w = fileWrite(t)
      if (w) for (const cmd of inside) cmd.writesFiles.push(w)
      const r = fileRead(t)
      if (r) for (const cmd of inside) cmd.readsFiles.push(r)
    }
    const t = this.peek()
    if (t?.type === 'word') throw new ShellSyntaxError(`unexpected ${describe(t)}`)
  }

  /** Parse each substitution as its own commands, which run before the command holding them. */
  private substitutions(words: Word[], extra: Word['subs'] = []): void {
    const subs = [...words.flatMap((w) => w.subs), ...extra]
    if (subs.length > 0) this.state.usesSubstitution = true
    for (const sub of subs) {
      const ctx = { wrappers: this.ctx.wrappers, viaSubstitution: true, depth: this.ctx.depth + 1 }
      parseInto(sub.source, ctx, this.state, this.out)
    }
  }

  private simple(): void {
    const words: Word[] = []
    const redirs: Redirect[] = []
    const start = this.peek()!
    const startAt = start.type === 'word' ? start.word.start : start.start
    let endAt = startAt
    // Inside `[[ … ]]`, `<`, `>`, `&&`, `||` and parentheses are operands, not shell syntax.
    let testing = start.type === 'word' && isPlain(start.word) && start.word.value === '[['
    for (let t = this.peek(); t; t = this.peek()) {
      if (t.type === 'word') {
        words.push(t.word)
        endAt = t.word.end
        if (testing && words.length > 1 && isPlain(t.word) && t.word.value === ']]') testing = false
      } else if (testing && t.type === 'redir') {
        words.push(literal(t.fd + t.op, t.start, t.start), t.target)
        endAt = t.end
      } else if (testing && t.type === 'op' && ['&&', '||', '(', ')', '|'].includes(t.op)) {
        words.push(literal(t.op, t.start, t.end))
        endAt = t.end
      } else if (t.type === 'redir') {
        redirs.push(t)
        endAt = t.end
      } else {
        break
      }
      this.pos++
    }
    if (testing) throw new ShellSyntaxError('unterminated [[')
    const next = this.peekOp()
    if (next?.op === '(' && words.length === 1 && redirs.length === 0) {
      throw new ShellSyntaxError('function definitions are not supported')
    }
    this.substitutions(
      [...words, ...redirs.map((r) => r.target)],
      redirs.flatMap((r) => r.bodySubs),
    )
    let k = 0
    while (k < words.length && isAssignment(words[k]!)) k++
    const writes = redirs.map(fileWrite).filter((w): w is FileWrite => w !== null)
    const args: ArgWord[] = words.slice(k).map((w) => ({
      value: w.value,
      dynamic: w.dynamic,
      start: w.start,
      end: w.end,
    }))
    const base = {
      src: this.src,
      text: this.src.slice(startAt, endAt),
      writes,
      reads: redirs.map(fileRead).filter((r): r is FileRead => r !== null),
      assignments: words.slice(0, k).map((w) => w.value),
    }
    unwrapCommand(args, base, this.ctx, this.out, (source, ctx) =>
      parseInto(source, ctx, this.state, this.out),
    )
  }
}

function literal(value: string, start: number, end: number): Word {
  return { value, start, end, quoted: true, plainPrefix: 0, dynamic: false, subs: [] }
}

function isAssignment(w: Word): boolean {
  const m = ASSIGNMENT.exec(w.value)
  return m !== null && m[0].length <= w.plainPrefix
}
