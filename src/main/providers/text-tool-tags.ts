import { isOfferedTool, jsonSpanAt, readEnvelopes, readJson } from './text-tool-json'
import type {
  FormatParse,
  FoundCall,
  FoundFailure,
  Span,
  TextFormat,
  TextToolCall,
} from './text-tool-types'
import { excerpt } from './text-tool-types'

/**
 * Tool calls written as XML-ish tags, the way chat templates render them, when the server did not
 * parse them (no tool parser configured, or the model wrote them where the parser does not look):
 * a `<tool_call>` (or `<function_call>`, `<tool_calls>`, `<tools>`, `<function_calls>`,
 * `<minimax:tool_call>`) wrapper holding a JSON envelope (Hermes, Qwen 2.5/3), Qwen3-Coder's
 * `<function=…><parameter=…>` XML, GLM-4.5's `<arg_key>/<arg_value>` pairs, or `<invoke>` blocks
 * (read in `text-tool-invoke.ts`). Which of them a wrapper holds is decided by its body alone
 * (see {@link bodyKind}), so one text never reads two ways.
 */

/** A wrapper tag's extent and body; `closed` is false when the text ends before its closing tag. */
interface Wrapper {
  start: number
  end: number
  tag: string
  body: string
  closed: boolean
}

const WRAPPER_OPEN = /<(tool_calls?|function_calls?|tools|minimax:tool_call)>/g

function wrappers(text: string): Wrapper[] {
  const out: Wrapper[] = []
  const re = new RegExp(WRAPPER_OPEN.source, 'g')
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const tag = m[1]!
    const bodyStart = m.index + m[0].length
    const close = text.indexOf(`</${tag}>`, bodyStart)
    if (close < 0) {
      out.push({
        start: m.index,
        end: text.length,
        tag,
        body: text.slice(bodyStart),
        closed: false,
      })
      break
    }
    const end = close + tag.length + 3
    out.push({ start: m.index, end, tag, body: text.slice(bodyStart, close), closed: true })
    re.lastIndex = end
  }
  return out
}

export type BodyKind = 'json' | 'qwen' | 'glm' | 'invoke' | 'none'

/**
 * What a wrapper holds: JSON first (its strings may quote any markup), then the markups. A lone
 * word is a GLM call without arguments only in a closed wrapper naming an offered tool; an
 * unclosed wrapper is a call only when its body starts like one ("Models wrap calls in
 * <tool_call> tags." is prose): else `none`, not a call and nothing to report.
 */
export function bodyKind(body: string, closed: boolean, toolNames: readonly string[]): BodyKind {
  const t = body.trim()
  if (/^[{[]|^```/.test(t)) return 'json'
  if (t.includes('<function=')) return 'qwen'
  if (t.includes('<invoke')) return 'invoke'
  if (t.includes('<arg_key>')) return 'glm'
  if (/^[A-Za-z_][\w.:-]*$/.test(t)) return closed && isOfferedTool(t, toolNames) ? 'glm' : 'none'
  return closed && t !== '' ? 'json' : 'none'
}

/** A tag parameter's value: one newline right inside each tag is the template's, not the value's. */
export function paramValue(raw: string): string {
  return raw.replace(/^\r?\n/, '').replace(/\r?\n$/, '')
}

type BodyRead =
  { ok: true; calls: TextToolCall[]; lenient?: string[] } | { ok: false; error: string }

/**
 * The shared walk of the wrapper formats: each wrapper of `kind` is read by `read`; what reads is
 * a call (its span the wrapper's), what does not is reported.
 */
function parseWrappers(
  text: string,
  kind: BodyKind,
  toolNames: readonly string[],
  read: (body: string, w: Wrapper) => BodyRead & { end?: number },
): FormatParse {
  const calls: FoundCall[] = []
  const failures: FoundFailure[] = []
  const lenient: string[] = []
  for (const w of wrappers(text)) {
    if (bodyKind(w.body, w.closed, toolNames) !== kind) continue
    const r = read(w.body, w)
    if (!r.ok) {
      failures.push({
        problem: `${r.error} (in <${w.tag}>${excerpt(w.body, 60)})`,
        span: [w.start, w.end],
      })
      continue
    }
    const span: Span = [w.start, r.end ?? w.end]
    for (const c of r.calls) calls.push({ ...c, span })
    lenient.push(...(r.lenient ?? []))
  }
  return { calls, failures, lenient }
}

function firstWrapper(text: string, kind: BodyKind, toolNames: readonly string[]): number {
  return wrappers(text).find((w) => bodyKind(w.body, w.closed, toolNames) === kind)?.start ?? -1
}

/** GLM-4 (0414) style: the name, then the arguments' JSON object, and nothing else. */
const NAME_THEN_JSON = /^\s*([A-Za-z_][\w.:-]*)\s*\n\s*(\{[\s\S]*\})\s*$/

/**
 * Hermes / Qwen 2.5–3: `<tool_call>{"name": …, "arguments": …}</tool_call>` (or a list); also
 * `<tool_call>NAME\n{…}</tool_call>`, the name on its own line before the arguments.
 */
export const hermesFormat: TextFormat = {
  label: 'JSON in <tool_call> tags (Hermes/Qwen)',
  locate: (text, toolNames) => firstWrapper(text, 'json', toolNames),
  parse: (text, toolNames) =>
    parseWrappers(text, 'json', toolNames, (body, w) => {
      if (w.closed) {
        const named = NAME_THEN_JSON.exec(body)
        if (named) return { ok: true, calls: [{ name: named[1]!, arguments: named[2]! }] }
        const r = readEnvelopes(body)
        return r.ok ? r : { ok: false, error: r.error }
      }
      // Not closed: the call is the JSON right after the tag, when that JSON is whole.
      const from = body.search(/\S/)
      const span = from < 0 ? null : jsonSpanAt(body, from)
      if (!span || !span.ok) {
        return { ok: false, error: `it is not closed with </${w.tag}> and its JSON is incomplete` }
      }
      const r = readEnvelopes(body.slice(span.start, span.end))
      if (!r.ok) return { ok: false, error: r.error }
      return { ...r, end: w.start + w.tag.length + 2 + span.end }
    }),
}

/**
 * The functions of a Qwen3-Coder body: `<function=NAME>` then `<parameter=KEY>VALUE</parameter>`
 * pairs, up to `</function>`. A value is raw text (it may span lines, hold quotes, code, JSON);
 * one newline right inside its tags is the template's. Llama 3.1's `<function=NAME>{JSON}
 * </function>` shares the opening and is read here too.
 */
function readQwenBody(body: string, closed: boolean): BodyRead {
  const first = body.indexOf('<function=')
  if (body.slice(0, first).trim() !== '') {
    return {
      ok: false,
      error: `unexpected text before <function=: "${excerpt(body.slice(0, first), 40)}"`,
    }
  }
  const calls: TextToolCall[] = []
  for (const piece of body.slice(first).split(/(?=<function=)/)) {
    const gt = piece.indexOf('>')
    if (gt < 0) return { ok: false, error: 'the <function=NAME> tag is not closed with ">"' }
    const name = piece.slice('<function='.length, gt).trim()
    if (!name || /[\s<]/.test(name))
      return { ok: false, error: `"${excerpt(name, 40)}" is not a function name` }
    const endAt = piece.lastIndexOf('</function>')
    if (endAt < 0 && !closed)
      return { ok: false, error: `<function=${name}> has no closing </function>` }
    const inner = piece.slice(gt + 1, endAt < 0 ? piece.length : endAt)
    const after = endAt < 0 ? '' : piece.slice(endAt + '</function>'.length)
    if (after.trim() !== '') {
      return { ok: false, error: `unexpected text after </function>: "${excerpt(after, 40)}"` }
    }
    const args = inner.trim().startsWith('{')
      ? readJsonArgs(inner, name)
      : readParameters(inner, name)
    if (typeof args !== 'string') return { ok: false, error: args.error }
    calls.push({ name, arguments: args })
  }
  return { ok: true, calls }
}

/** JSON arguments after a `<function=NAME>` tag, kept as written, or why not. */
function readJsonArgs(inner: string, name: string): string | { error: string } {
  const t = inner.trim()
  const json = readJson(t)
  return json.ok
    ? t
    : { error: `the arguments of <function=${name}> are not valid JSON: ${json.error}` }
}

const PARAM_OPEN = /<parameter=([^>\n]*)>/y
const SPACE = /\s*/y

/** `<parameter=KEY>VALUE</parameter>` pairs as a JSON object's text, or why not. */
function readParameters(inner: string, fn: string): string | { error: string } {
  const args: Record<string, string> = {}
  let at = 0
  // The next closing tag, found once per tag: with none left, every parameter is not scanned again.
  let close = -2
  for (;;) {
    SPACE.lastIndex = at
    SPACE.exec(inner)
    at = SPACE.lastIndex
    if (at >= inner.length) break
    PARAM_OPEN.lastIndex = at
    const open = PARAM_OPEN.exec(inner)
    if (!open) {
      return { error: `unexpected text in <function=${fn}>: "${excerpt(inner.slice(at), 40)}"` }
    }
    const key = open[1]!.trim()
    const from = at + open[0].length
    if (close !== -1 && close < from) close = inner.indexOf('</parameter>', from)
    const next = inner.indexOf('<parameter=', from)
    const closed = close >= 0 && (next < 0 || close < next)
    // A parameter opening before this one's closing tag: with no closing tag left at all, the
    // parameters are simply not closed (vLLM reads them so); with one further on, the value may
    // as well contain "<parameter=" — two readings, so neither is taken.
    if (!closed && close >= 0) {
      return {
        error:
          `the value of "${key}" in <function=${fn}> holds "<parameter=" before its </parameter>: ` +
          `either "${key}" is not closed, or its value contains "<parameter="`,
      }
    }
    const end = closed ? close : next >= 0 ? next : inner.length
    if (key in args) return { error: `<function=${fn}> gives the parameter "${key}" twice` }
    args[key] = paramValue(inner.slice(from, end))
    at = closed ? close + '</parameter>'.length : end
  }
  return JSON.stringify(args)
}

/** Inside a `<function=NAME>` tag cut off before `</function>`: parameters, JSON, or nothing. */
const QWEN_CUT_BODY = /\s*(?:<parameter=|\{|$)/y

/** Qwen3-Coder XML, in a `<tool_call>` wrapper or bare (`<function=…>…</function>`). */
export const qwenXmlFormat: TextFormat = {
  label: 'Qwen3-Coder XML (<function=NAME><parameter=KEY>…</parameter></function>)',
  locate: (text) => text.indexOf('<function='),
  parse(text, toolNames) {
    const wrapped = parseWrappers(text, 'qwen', toolNames, (body, w) =>
      readQwenBody(body, w.closed),
    )
    const calls = [...wrapped.calls]
    const failures = [...wrapped.failures]
    // Bare functions outside any wrapper.
    const inside = wrappers(text)
    let w = 0
    for (let at = text.indexOf('<function='); at >= 0;) {
      while (w < inside.length && inside[w]!.end <= at) w++
      if (w < inside.length && inside[w]!.start <= at) {
        at = text.indexOf('<function=', inside[w]!.end)
        continue
      }
      const close = text.indexOf('</function>', at)
      if (close < 0) {
        // Cut off: a call only when a parameter, JSON or nothing follows the tag ("use
        // <function=NAME> tags" is prose).
        const gt = text.indexOf('>', at)
        QWEN_CUT_BODY.lastIndex = gt + 1
        if (gt >= 0 && QWEN_CUT_BODY.test(text)) {
          failures.push({
            problem: `it has no closing </function> (in ${excerpt(text.slice(at, at + 400), 40)})`,
            span: [at, text.length],
          })
        }
        break
      }
      const end = close + '</function>'.length
      const r = readQwenBody(text.slice(at, end), true)
      if (r.ok) for (const c of r.calls) calls.push({ ...c, span: [at, end] })
      else failures.push({ problem: r.error, span: [at, end] })
      at = text.indexOf('<function=', end)
    }
    return { calls, failures }
  },
}

const ARG_KEY = '<arg_key>'
const ARG_KEY_END = '</arg_key>'
const ARG_VALUE = '<arg_value>'
const ARG_VALUE_END = '</arg_value>'

/** GLM pairs (`<arg_key>K</arg_key><arg_value>V</arg_value>`…) as an object, or why not. */
export function readGlmPairs(markup: string): Record<string, string> | string {
  const pairs = scanGlmPairs(markup, 0)
  if (typeof pairs === 'string') return pairs
  if (pairs.end < markup.length && markup.slice(pairs.end).trim() !== '') {
    return `unexpected text among the arguments: "${excerpt(markup.slice(pairs.end), 40)}"`
  }
  return pairs.args
}

/**
 * GLM pairs from `at` for as long as they run (with whitespace between): the arguments and where
 * they end, or why a pair does not read. Each tag is found once, so the scan is linear.
 */
function scanGlmPairs(
  markup: string,
  at: number,
): { args: Record<string, string>; end: number } | string {
  const args: Record<string, string> = {}
  let pos = at
  for (;;) {
    SPACE.lastIndex = pos
    SPACE.exec(markup)
    const keyAt = SPACE.lastIndex
    if (!markup.startsWith(ARG_KEY, keyAt)) return { args, end: pos }
    const keyEnd = markup.indexOf(ARG_KEY_END, keyAt + ARG_KEY.length)
    if (keyEnd < 0) return `<arg_key> not closed: "${excerpt(markup.slice(keyAt), 40)}"`
    SPACE.lastIndex = keyEnd + ARG_KEY_END.length
    SPACE.exec(markup)
    const valueAt = SPACE.lastIndex
    if (!markup.startsWith(ARG_VALUE, valueAt)) {
      return `<arg_key> without its <arg_value>: "${excerpt(markup.slice(keyAt), 40)}"`
    }
    const valueEnd = markup.indexOf(ARG_VALUE_END, valueAt + ARG_VALUE.length)
    if (valueEnd < 0) return `<arg_value> not closed: "${excerpt(markup.slice(valueAt), 40)}"`
    const key = markup.slice(keyAt + ARG_KEY.length, keyEnd).trim()
    if (key in args) return `the argument "${key}" is given twice`
    args[key] = paramValue(markup.slice(valueAt + ARG_VALUE.length, valueEnd))
    pos = valueEnd + ARG_VALUE_END.length
  }
}

/** `NAME` then GLM pairs: one call, or why not. */
function readGlmCall(body: string): BodyRead {
  const m = /^\s*([^\s<]+)/.exec(body)
  if (!m) return { ok: false, error: 'no function name before the arguments' }
  const pairs = readGlmPairs(body.slice(m[0].length))
  if (typeof pairs === 'string') return { ok: false, error: pairs }
  return { ok: true, calls: [{ name: m[1]!, arguments: JSON.stringify(pairs) }] }
}

/**
 * GLM-4.5/4.6: `<tool_call>NAME\n<arg_key>K</arg_key>\n<arg_value>V</arg_value>…</tool_call>`.
 * Values stay strings (a number or a list as text is coerced later against the tool's schema).
 * Also read bare, when a server stripped the wrapper tokens: `NAME` on the line before the pairs,
 * only when NAME is an offered tool. A wrapper cut off before its closing tag is never a call.
 */
export const glmFormat: TextFormat = {
  label: 'GLM <arg_key>/<arg_value> markup in <tool_call> tags',
  locate(text, toolNames) {
    const w = firstWrapper(text, 'glm', toolNames)
    return w >= 0 ? w : text.indexOf(ARG_KEY)
  },
  parse(text, toolNames) {
    const wrapped = parseWrappers(text, 'glm', toolNames, (body, w) =>
      w.closed ? readGlmCall(body) : { ok: false, error: `it is not closed with </${w.tag}>` },
    )
    if (wrapped.calls.length || wrapped.failures.length) return wrapped
    const keyAt = text.indexOf(ARG_KEY)
    if (keyAt < 0 || wrappers(text).some((w) => w.start <= keyAt && keyAt < w.end)) return wrapped
    // The name is the last word of the line before the first key (or of the key's own line).
    const lineStart = text.lastIndexOf('\n', keyAt - 1) + 1
    const sameLine = /^[ \t]*([A-Za-z_][\w.-]*)[ \t]*$/.exec(text.slice(lineStart, keyAt))
    const prevStart = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : -1
    const prevLine =
      sameLine ??
      (prevStart >= 0 && text.slice(lineStart, keyAt).trim() === ''
        ? /^[ \t]*([A-Za-z_][\w.-]*)[ \t]*\r?\n$/.exec(text.slice(prevStart, lineStart))
        : null)
    const start = sameLine ? lineStart : prevStart
    const pairs = scanGlmPairs(text, keyAt)
    const stop = typeof pairs === 'string' ? text.length : pairs.end
    if (!prevLine || !isOfferedTool(prevLine[1]!, toolNames)) {
      return {
        calls: [],
        failures: [
          { problem: '<arg_key> markup without a <tool_call> around it', span: [keyAt, stop] },
        ],
      }
    }
    if (typeof pairs === 'string')
      return { calls: [], failures: [{ problem: pairs, span: [start, stop] }] }
    return {
      calls: [{ name: prevLine[1]!, arguments: JSON.stringify(pairs.args), span: [start, stop] }],
      failures: [],
    }
  },
}

/**
 * GLM's argument markup leaked into a structured call's name: `edit<arg_key>path</arg_key>
 * <arg_value>a.txt</arg_value>` with the arguments empty, more markup, or a JSON object of the
 * other arguments. Returns the name and the merged arguments' JSON, or null when the name holds
 * no markup or it cannot be split without a guess (unreadable markup, a key given both ways with
 * different values, arguments that are neither).
 */
export function splitNameMarkup(
  name: string,
  args: string,
): { name: string; arguments: string } | null {
  const at = name.search(/<arg_(key|value)>/)
  if (at < 0) return null
  const base = name.slice(0, at).trim()
  if (!base) return null
  let markup = name.slice(at)
  let json: Record<string, unknown> = {}
  const rest = args.trim()
  if (rest.startsWith('<arg_')) markup += rest
  else if (rest !== '') {
    const r = readJson(rest)
    if (!r.ok || typeof r.value !== 'object' || r.value === null || Array.isArray(r.value)) {
      return null
    }
    json = r.value as Record<string, unknown>
  }
  const pairs = readGlmPairs(markup)
  if (typeof pairs === 'string') return null
  for (const [k, v] of Object.entries(pairs)) if (k in json && json[k] !== v) return null
  return { name: base, arguments: JSON.stringify({ ...pairs, ...json }) }
}
