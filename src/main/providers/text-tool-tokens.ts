import { isOfferedTool, jsonSpanAt, readEnvelopes } from './text-tool-json'
import type { FoundCall, FoundFailure, TextFormat, TextToolCall } from './text-tool-types'
import { excerpt } from './text-tool-types'

/**
 * Tool calls written with a model's special tokens, left in the text when the server did not
 * parse them: DeepSeek V3/V3.1, Kimi K2, gpt-oss (harmony), Mistral, Granite/Functionary and
 * Phi-4. Arguments that are JSON text between the tokens are kept as written: the tool call's
 * argument repair reads them (and records what it had to forgive) like any structured call's.
 */

/** DeepSeek's tokens, with fullwidth `｜`/`▁` as the tokenizer writes them, or ASCII `|`/`_`. */
function dsToken(words: string, flags = ''): RegExp {
  return new RegExp(`<[｜|]${words.split(' ').join('[▁_]')}[｜|]>`, flags)
}
const DS_CALL_BEGIN = dsToken('tool call begin', 'g')
const DS_CALL_END = dsToken('tool call end')
const DS_SEP = dsToken('tool sep')
const DS_CALLS_BEGIN = dsToken('tool calls begin')
const DS_SECTION = new RegExp(
  `${dsToken('tool calls begin').source}|${dsToken('tool calls end').source}|${dsToken('end of sentence').source}`,
  'g',
)

/** V3: `function<sep>NAME\n```json\n{…}\n```` ; the type word may be missing in leftovers. */
const DS_V3_BODY = /^\s*([^\s`{]+)\s*(?:```(?:json)?\s*([\s\S]*?)\s*```|(\{[\s\S]*\}))\s*$/

function readDeepSeekCall(body: string): TextToolCall | string {
  const sep = DS_SEP.exec(body)
  if (!sep) return 'no <｜tool▁sep｜> between the name and the arguments'
  const before = body.slice(0, sep.index).trim()
  const after = body.slice(sep.index + sep[0].length)
  const v3 = DS_V3_BODY.exec(after)
  if (before === 'function' && v3) {
    return { name: v3[1]!, arguments: (v3[2] ?? v3[3] ?? '').trim() || '{}' }
  }
  // V3.1: NAME<sep>{…}
  if (!before || /\s/.test(before)) return `"${excerpt(before, 40)}" is not a function name`
  return { name: before, arguments: after.trim() || '{}' }
}

/**
 * DeepSeek V3 / R1 (`<｜tool▁call▁begin｜>function<｜tool▁sep｜>NAME\n```json\n{…}\n```
 * <｜tool▁call▁end｜>`) and V3.1 (`<｜tool▁call▁begin｜>NAME<｜tool▁sep｜>{…}<｜tool▁call▁end｜>`),
 * inside `<｜tool▁calls▁begin｜>…<｜tool▁calls▁end｜>`.
 */
export const deepSeekFormat: TextFormat = {
  label: 'DeepSeek tool-call tokens (<｜tool▁call▁begin｜>…<｜tool▁sep｜>…)',
  locate(text) {
    const a = text.search(DS_CALLS_BEGIN)
    const b = text.search(new RegExp(DS_CALL_BEGIN.source))
    return a < 0 ? b : b < 0 ? a : Math.min(a, b)
  },
  parse(text) {
    const calls: FoundCall[] = []
    const failures: FoundFailure[] = []
    const re = new RegExp(DS_CALL_BEGIN.source, 'g')
    const endRe = new RegExp(DS_CALL_END.source, 'g')
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const from = m.index + m[0].length
      endRe.lastIndex = from
      const end = endRe.exec(text)
      if (!end) {
        failures.push({
          problem: `a call is not closed with <｜tool▁call▁end｜> (in ${excerpt(text.slice(m.index, m.index + 400), 60)})`,
          span: [m.index, text.length],
        })
        break
      }
      const c = readDeepSeekCall(text.slice(from, end.index))
      const stop = end.index + end[0].length
      if (typeof c === 'string') failures.push({ problem: c, span: [m.index, stop] })
      else calls.push({ ...c, span: [m.index, stop] })
      re.lastIndex = stop
    }
    if (!calls.length && !failures.length) {
      const section = DS_CALLS_BEGIN.exec(text)
      if (section) {
        failures.push({
          problem: '<｜tool▁calls▁begin｜> without any call',
          span: [section.index, section.index + section[0].length],
        })
      }
    }
    return { calls, failures }
  },
  drop: DS_SECTION,
}

const KIMI_BEGIN = '<|tool_call_begin|>'
const KIMI_END = '<|tool_call_end|>'
const KIMI_SECTION = /<\|tool_calls?_section_(begin|end)\|>/g
const KIMI_ARGS = '<|tool_call_argument_begin|>'

/**
 * Kimi K2: `<|tool_calls_section_begin|><|tool_call_begin|>functions.NAME:IDX
 * <|tool_call_argument_begin|>{…}<|tool_call_end|>…<|tool_calls_section_end|>`. The name is
 * NAME; `functions.NAME:IDX` is the call's id. Scanned with indexOf and stopped at the first call
 * not closed, so a text full of openings is read in one pass.
 */
export const kimiFormat: TextFormat = {
  label: 'Kimi tool-call tokens (<|tool_call_begin|>functions.NAME:0<|tool_call_argument_begin|>…)',
  locate(text) {
    const a = text.search(/<\|tool_calls?_section_begin\|>/)
    const b = text.indexOf(KIMI_BEGIN)
    return a < 0 ? b : b < 0 ? a : Math.min(a, b)
  },
  parse(text) {
    const calls: FoundCall[] = []
    const failures: FoundFailure[] = []
    for (let at = text.indexOf(KIMI_BEGIN); at >= 0;) {
      const from = at + KIMI_BEGIN.length
      const close = text.indexOf(KIMI_END, from)
      if (close < 0) {
        failures.push({
          problem: `a call is not closed with <|tool_call_end|> (in ${excerpt(text.slice(at, at + 400), 60)})`,
          span: [at, text.length],
        })
        break
      }
      const stop = close + KIMI_END.length
      const body = text.slice(from, close)
      at = text.indexOf(KIMI_BEGIN, stop)
      const argsAt = body.indexOf(KIMI_ARGS)
      if (argsAt < 0) {
        failures.push({
          problem: `no <|tool_call_argument_begin|> after the call id (in ${excerpt(body, 40)})`,
          span: [from - KIMI_BEGIN.length, stop],
        })
        continue
      }
      const id = body.slice(0, argsAt).trim()
      const name = id.split(':')[0]!.split('.').pop()!.trim()
      if (!name || /\s/.test(name)) {
        failures.push({
          problem: `"${excerpt(id, 40)}" is not a call id like functions.NAME:0`,
          span: [from - KIMI_BEGIN.length, stop],
        })
        continue
      }
      const args = body.slice(argsAt + KIMI_ARGS.length).trim() || '{}'
      calls.push({ id, name, arguments: args, span: [from - KIMI_BEGIN.length, stop] })
    }
    if (!calls.length && !failures.length) {
      const section = /<\|tool_calls?_section_begin\|>/.exec(text)
      if (section) {
        failures.push({
          problem: 'a tool-call section without any call',
          span: [section.index, section.index + section[0].length],
        })
      }
    }
    return { calls, failures }
  },
  drop: KIMI_SECTION,
}

/** A recipient: `to=` as a word of its own (not `goto=`, `x=to=`). */
const HARMONY_TO = /(?<![\w=])to=(functions\.)?([A-Za-z_][\w.-]*)/g
/** What may stand between the recipient and the JSON: the rest of a harmony header. */
const HARMONY_GAP = /(?:\s|<\|(?:constrain|channel|message)\|>|commentary|analysis|json|code)*/y
/** The harmony header before a recipient; one quantifier, so it cannot backtrack badly. */
const HARMONY_HEAD = /(?:<\|start\|>)?(?:assistant)? ?(?:<\|channel\|>)?(?:commentary|analysis)? ?$/
/** The longest header {@link HARMONY_HEAD} matches: only that much before a recipient is read. */
const HARMONY_HEAD_MAX = 64
const HARMONY_END = /\s*(?:<\|call\|>|<\|end\|>|<\|return\|>)?/y

/** The tool a harmony recipient names, when a channel word ran into it (`editcommentary`). */
function harmonyName(
  raw: string,
  namespaced: boolean,
  toolNames: readonly string[],
): string | null {
  if (isOfferedTool(raw, toolNames)) return raw
  const m = /^(.+?)(?:commentary|analysis|json)$/.exec(raw)
  if (m && isOfferedTool(m[1]!, toolNames)) return m[1]!
  return namespaced ? raw : null
}

/**
 * gpt-oss harmony leftovers: `<|start|>assistant<|channel|>commentary to=functions.NAME
 * <|constrain|>json<|message|>{…}<|call|>`, the recipient before the channel, and the shorter
 * text left when a server strips the special tokens (`commentary to=functions.NAME json{…}`).
 * `to=NAME` without the `functions.` namespace counts only for an offered tool.
 */
export const harmonyFormat: TextFormat = {
  label: 'gpt-oss harmony text (to=functions.NAME … <|message|>{…}<|call|>)',
  locate(text, toolNames) {
    for (const m of text.matchAll(HARMONY_TO)) {
      if (harmonyName(m[2]!, !!m[1], toolNames)) return m.index
    }
    return -1
  },
  parse(text, toolNames) {
    const calls: FoundCall[] = []
    const failures: FoundFailure[] = []
    let after = 0
    for (const m of text.matchAll(HARMONY_TO)) {
      if (m.index < after) continue
      const name = harmonyName(m[2]!, !!m[1], toolNames)
      if (!name) continue
      const nameEnd = m.index + 3 + (m[1]?.length ?? 0) + name.length
      HARMONY_GAP.lastIndex = nameEnd
      HARMONY_GAP.exec(text)
      const from = HARMONY_GAP.lastIndex
      const span = jsonSpanAt(text, from)
      if (!span.ok) {
        const cut = text[from] === '{' || text[from] === '['
        failures.push({
          problem: `after to=functions.${name}: ${cut ? span.error : 'no JSON object of arguments'}`,
          span: [m.index, cut ? text.length : from],
        })
        // A JSON object not closed runs to the end of the text: nothing after it is a call.
        if (cut) break
        continue
      }
      const headFrom = Math.max(after, m.index - HARMONY_HEAD_MAX)
      const head = HARMONY_HEAD.exec(text.slice(headFrom, m.index))
      const start = head ? headFrom + head.index : m.index
      HARMONY_END.lastIndex = span.end
      HARMONY_END.exec(text)
      const end = HARMONY_END.lastIndex
      calls.push({ name, arguments: text.slice(span.start, span.end), span: [start, end] })
      after = end
    }
    return { calls, failures }
  },
}

const MISTRAL = '[TOOL_CALLS]'
const MISTRAL_NAMED = /([A-Za-z_][\w.-]*)\s*(?:\[CALL_ID\]\s*([^[\s]*)\s*)?(?:\[ARGS\])?\s*/y
const SPACE = /\s*/y

/** Where the whitespace from `at` ends. */
function skipSpace(text: string, at: number): number {
  SPACE.lastIndex = at
  SPACE.exec(text)
  return SPACE.lastIndex
}

/**
 * One Mistral call at `at` (after the marker): the calls and where they end, or why not and how
 * far it reached (the end of the text for JSON cut off).
 */
function readMistralAt(
  text: string,
  at: number,
): { calls: TextToolCall[]; end: number; lenient: string[] } | { error: string; end: number } {
  if (text[at] === '[' || text[at] === '{') {
    const span = jsonSpanAt(text, at)
    if (!span.ok) return { error: span.error, end: text.length }
    const r = readEnvelopes(text.slice(at, span.end))
    return r.ok
      ? { calls: r.calls, end: span.end, lenient: r.lenient }
      : { error: r.error, end: span.end }
  }
  MISTRAL_NAMED.lastIndex = at
  const m = MISTRAL_NAMED.exec(text)
  const from = m ? at + m[0].length : at
  if (!m || text[from] !== '{') {
    return { error: 'expected NAME[ARGS]{…} or a JSON list of calls', end: from }
  }
  const span = jsonSpanAt(text, from)
  if (!span.ok) return { error: span.error, end: text.length }
  const id = m[2] ? { id: m[2] } : {}
  return {
    calls: [{ ...id, name: m[1]!, arguments: text.slice(from, span.end) }],
    end: span.end,
    lenient: [],
  }
}

/**
 * Mistral: `[TOOL_CALLS][{"name": …, "arguments": {…}}]` (v0.3), and the newer
 * `[TOOL_CALLS]NAME[ARGS]{…}` (with `[CALL_ID]ID` sometimes between), one marker per call.
 */
export const mistralFormat: TextFormat = {
  label: 'Mistral [TOOL_CALLS] text',
  locate: (text) => text.indexOf(MISTRAL),
  parse(text) {
    const calls: FoundCall[] = []
    const failures: FoundFailure[] = []
    const lenient: string[] = []
    let at = text.indexOf(MISTRAL)
    while (at >= 0) {
      const r = readMistralAt(text, skipSpace(text, at + MISTRAL.length))
      if ('error' in r) {
        failures.push({
          problem: `${r.error} (in ${excerpt(text.slice(at, at + 400), 60)})`,
          span: [at, r.end],
        })
        break
      }
      for (const c of r.calls) calls.push({ ...c, span: [at, r.end] })
      lenient.push(...r.lenient)
      const next = skipSpace(text, r.end)
      at = text.startsWith(MISTRAL, next) ? next : -1
    }
    return { calls, failures, lenient }
  },
}

const JSON_MARKER = /<\|tool_call\|>|\bfunctools(?=\s*\[)/g

/** Granite / Functionary `<|tool_call|>[{…}]` and Phi-4-mini `functools[{…}]`. */
export const markedJsonFormat: TextFormat = {
  label: 'JSON after a <|tool_call|> or functools marker (Granite / Functionary / Phi-4)',
  locate: (text) => text.search(new RegExp(JSON_MARKER.source)),
  parse(text) {
    const calls: FoundCall[] = []
    const failures: FoundFailure[] = []
    const lenient: string[] = []
    for (const m of text.matchAll(JSON_MARKER)) {
      const from = skipSpace(text, m.index + m[0].length)
      const span = jsonSpanAt(text, from)
      const cut = !span.ok && (text[from] === '[' || text[from] === '{')
      const r = span.ok ? readEnvelopes(text.slice(from, span.end)) : span
      if (!r.ok) {
        failures.push({
          problem: `${r.error} (in ${m[0]}${excerpt(text.slice(from, from + 400), 40)})`,
          span: [m.index, span.ok ? span.end : cut ? text.length : from],
        })
        // JSON cut off runs to the end of the text: nothing after it is a call.
        if (cut) break
        continue
      }
      const end = span.ok ? span.end : from
      for (const c of r.calls) calls.push({ ...c, span: [m.index, end] })
      lenient.push(...r.lenient)
    }
    return { calls, failures, lenient }
  },
  drop: /<\|\/tool_call\|>/g,
}
