import { envelopeCalls, isOfferedTool, jsonSpanAt, readJson, unfence } from './text-tool-json'
import type { FormatParse, Span, TextFormat, TextToolCall } from './text-tool-types'
import { excerpt } from './text-tool-types'

/**
 * Tool calls that are the whole message, with no markup around them: Llama 3.x's bare JSON
 * (`{"name": …, "parameters": {…}}`, several separated by `;`, or a list; optionally after
 * `<|python_tag|>`) and the pythonic list of Llama 3.2 / 4 (`[edit(path="a.txt", …)]`). Without
 * markup an ordinary answer could look the same, so a message counts only when it is nothing but
 * calls (after trimming and one ``` fence) and every call names an offered tool.
 */

const PYTHON_TAG = '<|python_tag|>'

/** The message without Llama's `<|python_tag|>` and end tokens, and without one fence. */
function bareText(text: string): { body: string; tagged: boolean } {
  let t = text.trim()
  const tagged = t.startsWith(PYTHON_TAG)
  if (tagged) t = t.slice(PYTHON_TAG.length)
  t = t.replace(/(?:<\|eom_id\|>|<\|eot_id\|>)\s*$/, '')
  return { body: unfence(t), tagged }
}

const SEPARATOR = /\s*[;,]?\s*/y

/** JSON values laid end to end (separated by whitespace, `;` or `,`), or null if not only that. */
function jsonPieces(body: string): string[] | null {
  const pieces: string[] = []
  let at = 0
  while (at < body.length) {
    const span = jsonSpanAt(body, at)
    if (!span.ok) return null
    pieces.push(body.slice(span.start, span.end))
    SEPARATOR.lastIndex = span.end
    SEPARATOR.exec(body)
    at = SEPARATOR.lastIndex
  }
  return pieces.length ? pieces : null
}

/** Bare JSON calls, or why the message is not (null: it does not look like calls at all). */
function readBareJson(text: string, toolNames: readonly string[]): TextToolCall[] | string | null {
  const { body, tagged } = bareText(text)
  const pieces = /^[{[]/.test(body) ? jsonPieces(body) : null
  if (!pieces) return tagged ? `after ${PYTHON_TAG}: not a JSON tool call` : null
  const calls: TextToolCall[] = []
  for (const piece of pieces) {
    const json = readJson(piece)
    const got = json.ok ? envelopeCalls(json.value, true) : `the JSON does not parse: ${json.error}`
    if (typeof got === 'string') return tagged ? got : null
    for (const c of got) calls.push(c)
  }
  const unknown = calls.find((c) => !isOfferedTool(c.name, toolNames))
  if (unknown) return tagged ? `"${unknown.name}" is not one of the offered tools` : null
  return calls
}

export const bareJsonFormat: TextFormat = {
  label: 'a bare JSON tool call as the whole message (Llama {"name", "parameters"})',
  locate(text, toolNames) {
    const t = text.trimStart()
    if (t.startsWith(PYTHON_TAG)) return text.indexOf(PYTHON_TAG)
    return readBareJson(text, toolNames) ? text.length - t.length : -1
  },
  parse: (text, toolNames) => wholeText(text, readBareJson(text, toolNames)),
}

/** A whole-message format's result: its calls or failure span the whole text. */
function wholeText(text: string, r: TextToolCall[] | string | null): FormatParse {
  const span: Span = [0, text.length]
  if (r === null) return { calls: [], failures: [] }
  if (typeof r === 'string') return { calls: [], failures: [{ problem: r, span }] }
  return { calls: r.map((c) => ({ ...c, span })), failures: [] }
}

/** Thrown by the pythonic reader: why the text is not a call list. */
class PyError extends Error {}

/** How deep lists, tuples and dicts may nest in a pythonic argument: deeper is not a call. */
export const MAX_PY_DEPTH = 64

const PY_IDENT = /[A-Za-z_][\w.]*/y
const PY_KEYWORD = /[A-Za-z_]\w*\s*=(?!=)/y
const PY_LITERAL = /True|False|None|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/y
const PY_SPACE = /\s*/y

/**
 * A reader of `[name(key=literal, …), …]` with Python literals as values. Its patterns are
 * sticky (matched in place, never on a copy of the rest) and its nesting is capped.
 */
class PyReader {
  i = 0
  depth = 0
  constructor(readonly s: string) {}

  /** `re` (sticky) matched at the reader's place, or null. */
  at(re: RegExp): string | null {
    re.lastIndex = this.i
    return re.exec(this.s)?.[0] ?? null
  }
  ws(): void {
    this.i += this.at(PY_SPACE)!.length
  }
  eat(ch: string): boolean {
    this.ws()
    if (this.s[this.i] !== ch) return false
    this.i++
    return true
  }
  expect(ch: string): void {
    if (!this.eat(ch))
      throw new PyError(`expected "${ch}" at "${excerpt(this.s.slice(this.i, this.i + 80), 20)}"`)
  }
  ident(): string {
    this.ws()
    const m = this.at(PY_IDENT)
    if (!m)
      throw new PyError(`expected a name at "${excerpt(this.s.slice(this.i, this.i + 80), 20)}"`)
    this.i += m.length
    return m
  }
  /** A comma-separated run up to `close`, a trailing comma allowed. */
  list<T>(close: string, item: () => T): T[] {
    const out: T[] = []
    while (!this.eat(close)) {
      out.push(item())
      if (!this.eat(',')) {
        this.expect(close)
        break
      }
    }
    return out
  }
  call(): TextToolCall {
    const name = this.ident()
    this.expect('(')
    const args: Record<string, unknown> = {}
    this.list(')', () => {
      this.ws()
      if (this.at(PY_KEYWORD) === null) {
        throw new PyError(`${name}(): a positional argument has no parameter name`)
      }
      const key = this.ident()
      this.expect('=')
      if (key in args) throw new PyError(`${name}(): "${key}" is given twice`)
      args[key] = this.value()
    })
    return { name, arguments: JSON.stringify(args) }
  }
  value(): unknown {
    this.ws()
    const ch = this.s[this.i]
    if ((ch === '[' || ch === '(' || ch === '{') && this.depth >= MAX_PY_DEPTH) {
      throw new PyError(`the arguments nest deeper than ${MAX_PY_DEPTH} levels`)
    }
    this.depth++
    try {
      return this.valueAt(ch)
    } finally {
      this.depth--
    }
  }
  valueAt(ch: string | undefined): unknown {
    if (ch === '"' || ch === "'") return this.string()
    if (ch === '[') return (this.i++, this.list(']', () => this.value()))
    if (ch === '(') return (this.i++, this.list(')', () => this.value()))
    if (ch === '{') {
      this.i++
      const obj: Record<string, unknown> = {}
      this.list('}', () => {
        const k = this.value()
        this.expect(':')
        obj[String(k)] = this.value()
      })
      return obj
    }
    const m = this.at(PY_LITERAL)
    if (!m)
      throw new PyError(`not a literal at "${excerpt(this.s.slice(this.i, this.i + 80), 20)}"`)
    this.i += m.length
    return m === 'True' ? true : m === 'False' ? false : m === 'None' ? null : Number(m)
  }
  string(): string {
    const q = this.s[this.i]!
    const triple = this.s.startsWith(q.repeat(3), this.i)
    const close = triple ? q.repeat(3) : q
    this.i += close.length
    let out = ''
    while (this.i < this.s.length) {
      if (this.s.startsWith(close, this.i)) {
        this.i += close.length
        return out
      }
      const ch = this.s[this.i++]!
      if (ch !== '\\') {
        if (ch === '\n' && !triple) break
        out += ch
        continue
      }
      const e = this.s[this.i++] ?? ''
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '\\': '\\',
        "'": "'",
        '"': '"',
        '0': '\0',
      }
      if (e in simple) out += simple[e]
      else if (e === 'u' && /^[0-9a-fA-F]{4}/.test(this.s.slice(this.i, this.i + 4))) {
        out += String.fromCharCode(parseInt(this.s.slice(this.i, this.i + 4), 16))
        this.i += 4
      } else if (e === '\n') continue
      else out += `\\${e}`
    }
    throw new PyError('a string is not closed')
  }
}

/** Pythonic calls, or why the message is not (null: it does not start like one). */
function readPythonic(text: string, toolNames: readonly string[]): TextToolCall[] | string | null {
  const { body } = bareText(text)
  const head = /^\[\s*([A-Za-z_][\w.]*)\s*\(/.exec(body)
  if (!head || !isOfferedTool(head[1]!, toolNames)) return null
  const r = new PyReader(body)
  try {
    r.expect('[')
    const calls = r.list(']', () => r.call())
    r.ws()
    if (r.i !== body.length)
      return `unexpected text after the list: "${excerpt(body.slice(r.i), 30)}"`
    const unknown = calls.find((c) => !isOfferedTool(c.name, toolNames))
    return unknown ? `"${unknown.name}" is not one of the offered tools` : calls
  } catch (err) {
    if (err instanceof PyError) return err.message
    throw err
  }
}

export const pythonicFormat: TextFormat = {
  label: 'a pythonic call list as the whole message (Llama [NAME(key=value)])',
  locate: (text, toolNames) => (readPythonic(text, toolNames) === null ? -1 : text.search(/\S/)),
  parse: (text, toolNames) => wholeText(text, readPythonic(text, toolNames)),
}
