/**
 * A forgiving JSON reader for tool arguments written by models. It accepts what strict JSON
 * accepts, and also the near-misses open models send: trailing commas, single-quoted strings,
 * unquoted keys, comments, Python's True/False/None, raw newlines inside strings, invalid escapes
 * (kept literally, so a regex's `\d` survives), and one JSON object wrapped in a ``` fence or in
 * prose. Two objects back to back are refused: which one the model meant is a guess.
 * Pure: no I/O, never throws.
 */

/** One kind of leniency the reader needed, worded for a repair note. */
export type JsonFix =
  | 'a ``` fence'
  | 'prose around the object'
  | 'trailing commas'
  | 'single-quoted strings'
  | 'unquoted keys'
  | 'comments'
  | 'Python literals'
  | 'raw control characters in strings'
  | 'invalid escapes'
  | 'non-standard numbers'
  | 'non-JSON whitespace'

export type LenientJson =
  | { ok: true; value: unknown; /** Empty when the text was strict JSON. */ fixes: JsonFix[] }
  | { ok: false; /** Where and why reading stopped, for the model to read. */ error: string }

/** Nesting beyond this is refused rather than risking the stack. */
const MAX_DEPTH = 200

/** Read `text` as JSON, strictly if it can be, leniently if not. */
export function parseJsonLenient(text: string): LenientJson {
  try {
    return { ok: true, value: JSON.parse(text) as unknown, fixes: [] }
  } catch {
    // Not strict JSON: the lenient reader below decides, and reports its own error.
  }
  const whole = readAt(text, 0)
  if (whole.ok && whole.end === text.length) return result(whole.value, whole.fixes)

  const start = text.indexOf('{')
  if (start < 0) return { ok: false, error: errorOf(whole) }
  const object = readAt(text, start)
  if (!object.ok) return { ok: false, error: errorOf(object) }

  const before = text.slice(0, start)
  const after = text.slice(object.end)
  const next = after.indexOf('{')
  if (next >= 0 && readAt(after, next).ok) {
    return { ok: false, error: 'the arguments hold more than one JSON object; send exactly one' }
  }
  const fenced = /```[\w+-]*\s*$/.test(before) && after.trimStart().startsWith('```')
  const fixes = new Set(object.fixes)
  if (fenced) fixes.add('a ``` fence')
  const outsideFence = fenced
    ? before.replace(/```[\w+-]*\s*$/, '') + after.trimStart().slice(3)
    : before + after
  if (outsideFence.trim() !== '') fixes.add('prose around the object')
  return result(object.value, fixes)
}

function result(value: unknown, fixes: Iterable<JsonFix>): LenientJson {
  const list = [...fixes]
  return { ok: true, value, fixes: list.length ? list : ['non-JSON whitespace'] }
}

type Read =
  | { ok: true; value: unknown; end: number; fixes: Set<JsonFix> }
  | { ok: false; at: number; why: string; text: string }

/** Read one value starting at `start`; `end` is just past it and any whitespace after it. */
function readAt(text: string, start: number): Read {
  const reader = new LenientReader(text, start)
  try {
    const value = reader.value()
    reader.skip()
    return { ok: true, value, end: reader.pos, fixes: reader.fixes }
  } catch (err) {
    if (err instanceof LenientJsonError) return { ok: false, at: err.at, why: err.message, text }
    throw err
  }
}

function errorOf(read: Read): string {
  if (read.ok) return 'unexpected text after the JSON value'
  const lines = read.text.slice(0, read.at).split('\n')
  const line = lines.length
  const column = (lines[lines.length - 1]?.length ?? 0) + 1
  return `${read.why} at line ${line} column ${column}`
}

class LenientJsonError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message)
  }
}

const STRICT_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/
const LOOSE_NUMBER = /[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/y
const WORD = /[A-Za-z_$][\w$-]*/y
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
}

/** A recursive-descent reader; throws LenientJsonError, which readAt turns into a result. */
class LenientReader {
  readonly fixes = new Set<JsonFix>()
  private depth = 0

  constructor(
    private readonly text: string,
    public pos: number,
  ) {}

  value(): unknown {
    this.skip()
    const ch = this.text[this.pos]
    if (ch === undefined) this.fail('unexpected end of the arguments')
    if (ch === '{' || ch === '[') {
      if (++this.depth > MAX_DEPTH) this.fail('nested too deeply')
      const value = ch === '{' ? this.object() : this.array()
      this.depth--
      return value
    }
    if (ch === '"' || ch === "'") return this.string()
    if (/[-+.\d]/.test(ch)) return this.number()
    return this.literal()
  }

  /** Skip whitespace and comments. */
  skip(): void {
    const { text } = this
    while (this.pos < text.length) {
      const ch = text[this.pos] ?? ''
      if (/\s/.test(ch)) {
        this.pos++
      } else if (text.startsWith('//', this.pos)) {
        this.fixes.add('comments')
        const eol = text.indexOf('\n', this.pos)
        this.pos = eol < 0 ? text.length : eol + 1
      } else if (text.startsWith('/*', this.pos)) {
        this.fixes.add('comments')
        const close = text.indexOf('*/', this.pos + 2)
        if (close < 0) this.fail('unterminated /* comment')
        this.pos = close + 2
      } else {
        return
      }
    }
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    this.pos++
    for (let first = true; ; first = false) {
      this.skip()
      if (this.text[this.pos] === '}') {
        if (!first) this.fixes.add('trailing commas')
        this.pos++
        return out
      }
      const key = this.key()
      this.skip()
      if (this.text[this.pos] !== ':') this.fail(`expected ":" after the key "${key}"`)
      this.pos++
      // defineProperty: a key "__proto__" becomes a plain own property, as JSON.parse makes it.
      Object.defineProperty(out, key, {
        value: this.value(),
        enumerable: true,
        writable: true,
        configurable: true,
      })
      this.skip()
      const sep = this.text[this.pos]
      if (sep === ',') this.pos++
      else if (sep === '}') {
        this.pos++
        return out
      } else this.fail('expected "," or "}"')
    }
  }

  private array(): unknown[] {
    const out: unknown[] = []
    this.pos++
    for (let first = true; ; first = false) {
      this.skip()
      if (this.text[this.pos] === ']') {
        if (!first) this.fixes.add('trailing commas')
        this.pos++
        return out
      }
      out.push(this.value())
      this.skip()
      const sep = this.text[this.pos]
      if (sep === ',') this.pos++
      else if (sep === ']') {
        this.pos++
        return out
      } else this.fail('expected "," or "]"')
    }
  }

  private key(): string {
    const ch = this.text[this.pos]
    if (ch === '"' || ch === "'") return this.string()
    WORD.lastIndex = this.pos
    const word = WORD.exec(this.text)
    if (!word) this.fail('expected a key')
    this.fixes.add('unquoted keys')
    this.pos += word[0].length
    return word[0]
  }

  private string(): string {
    const quote = this.text[this.pos]
    if (quote === "'") this.fixes.add('single-quoted strings')
    let out = ''
    let i = this.pos + 1
    const { text } = this
    while (i < text.length) {
      const ch = text[i] ?? ''
      if (ch === quote) {
        this.pos = i + 1
        return out
      }
      if (ch === '\\') {
        const next = text[i + 1] ?? ''
        const simple = SIMPLE_ESCAPES[next]
        const hex = next === 'u' ? /^[0-9a-fA-F]{4}$/.exec(text.slice(i + 2, i + 6)) : null
        if (simple !== undefined) {
          if (next === "'" && quote === '"') this.fixes.add('invalid escapes')
          out += simple
          i += 2
        } else if (hex) {
          out += String.fromCharCode(parseInt(hex[0], 16))
          i += 6
        } else {
          // Kept as written: `\d` in a regex or `C:\Users` meant a backslash.
          this.fixes.add('invalid escapes')
          out += '\\'
          i += 1
        }
        continue
      }
      if (ch < ' ') this.fixes.add('raw control characters in strings')
      out += ch
      i++
    }
    this.pos = text.length
    return this.fail('unterminated string')
  }

  private number(): number {
    LOOSE_NUMBER.lastIndex = this.pos
    const match = LOOSE_NUMBER.exec(this.text)
    if (!match) return this.fail('expected a value')
    if (!STRICT_NUMBER.test(match[0])) this.fixes.add('non-standard numbers')
    this.pos += match[0].length
    return Number(match[0])
  }

  private literal(): boolean | null {
    WORD.lastIndex = this.pos
    const word = WORD.exec(this.text)?.[0]
    const values: Record<string, boolean | null> = { true: true, false: false, null: null }
    const python: Record<string, boolean | null> = { True: true, False: false, None: null }
    if (word !== undefined && Object.hasOwn(values, word)) {
      this.pos += word.length
      return values[word] ?? null
    }
    if (word !== undefined && Object.hasOwn(python, word)) {
      this.fixes.add('Python literals')
      this.pos += word.length
      return python[word] ?? null
    }
    const shown = word ?? this.text[this.pos] ?? ''
    return this.fail(`unexpected ${JSON.stringify(shown)}`)
  }

  private fail(why: string): never {
    throw new LenientJsonError(why, this.pos)
  }
}
