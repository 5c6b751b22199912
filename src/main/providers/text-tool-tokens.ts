import { isOfferedTool, jsonSpanAt, readEnvelopes } from './text-tool-json'
import type { TextFormat, TextToolCall } from './text-tool-types'
import { cutSpans, excerpt } from './text-tool-types'

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
    const calls: TextToolCall[] = []
    const failures: string[] = []
    const spans: Array<[number, number]> = []
    const re = new RegExp(DS_CALL_BEGIN.source, 'g')
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const from = m.index + m[0].length
      const end = DS_CALL_END.exec(text.slice(from))
      if (!end) {
        failures.push(
          `a call is not closed with <｜tool▁call▁end｜> (in ${excerpt(text.slice(m.index), 60)})`,
        )
        break
      }
      const c = readDeepSeekCall(text.slice(from, from + end.index))
      const stop = from + end.index + end[0].length
      if (typeof c === 'string') failures.push(c)
      else {
        calls.push(c)
        spans.push([m.index, stop])
      }
      re.lastIndex = stop
    }
    if (!calls.length && !failures.length) failures.push('<｜tool▁calls▁begin｜> without any call')
    return { calls, rest: calls.length ? cutSpans(text, spans, DS_SECTION) : text, failures }
  },
}

const KIMI_CALL = /<\|tool_call_begin\|>([\s\S]*?)<\|tool_call_end\|>/g
const KIMI_SECTION = /<\|tool_calls?_section_(begin|end)\|>/g
const KIMI_ARGS = '<|tool_call_argument_begin|>'

/**
 * Kimi K2: `<|tool_calls_section_begin|><|tool_call_begin|>functions.NAME:IDX
 * <|tool_call_argument_begin|>{…}<|tool_call_end|>…<|tool_calls_section_end|>`. The name is
 * NAME; `functions.NAME:IDX` is the call's id.
 */
export const kimiFormat: TextFormat = {
  label: 'Kimi tool-call tokens (<|tool_call_begin|>functions.NAME:0<|tool_call_argument_begin|>…)',
  locate(text) {
    const a = text.search(/<\|tool_calls?_section_begin\|>/)
    const b = text.indexOf('<|tool_call_begin|>')
    return a < 0 ? b : b < 0 ? a : Math.min(a, b)
  },
  parse(text) {
    const calls: TextToolCall[] = []
    const failures: string[] = []
    const spans: Array<[number, number]> = []
    for (const m of text.matchAll(KIMI_CALL)) {
      const body = m[1]!
      const at = body.indexOf(KIMI_ARGS)
      if (at < 0) {
        failures.push(`no <|tool_call_argument_begin|> after the call id (in ${excerpt(body, 40)})`)
        continue
      }
      const id = body.slice(0, at).trim()
      const name = id.split(':')[0]!.split('.').pop()!.trim()
      if (!name || /\s/.test(name)) {
        failures.push(`"${excerpt(id, 40)}" is not a call id like functions.NAME:0`)
        continue
      }
      const args = body.slice(at + KIMI_ARGS.length).trim() || '{}'
      calls.push({ id, name, arguments: args })
      spans.push([m.index, m.index + m[0].length])
    }
    const opened = text.lastIndexOf('<|tool_call_begin|>')
    if (opened >= 0 && text.indexOf('<|tool_call_end|>', opened) < 0) {
      failures.push(
        `a call is not closed with <|tool_call_end|> (in ${excerpt(text.slice(opened), 60)})`,
      )
    }
    if (!calls.length && !failures.length) failures.push('a tool-call section without any call')
    return { calls, rest: calls.length ? cutSpans(text, spans, KIMI_SECTION) : text, failures }
  },
}

const HARMONY_TO = /to=(functions\.)?([A-Za-z_][\w.-]*)/g
/** What may stand between the recipient and the JSON: the rest of a harmony header. */
const HARMONY_GAP = /^(?:\s|<\|(?:constrain|channel|message)\|>|commentary|analysis|json|code)*/
/** The harmony header before a recipient; one quantifier, so it cannot backtrack badly. */
const HARMONY_HEAD = /(?:<\|start\|>)?(?:assistant)? ?(?:<\|channel\|>)?(?:commentary|analysis)? ?$/
const HARMONY_END = /^\s*(?:<\|call\|>|<\|end\|>|<\|return\|>)?/

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
    const calls: TextToolCall[] = []
    const failures: string[] = []
    const spans: Array<[number, number]> = []
    let after = 0
    for (const m of text.matchAll(HARMONY_TO)) {
      if (m.index < after) continue
      const name = harmonyName(m[2]!, !!m[1], toolNames)
      if (!name) continue
      const nameEnd = m.index + 3 + (m[1]?.length ?? 0) + name.length
      const gap = HARMONY_GAP.exec(text.slice(nameEnd))![0]
      const from = nameEnd + gap.length
      const span = jsonSpanAt(text, from)
      if (!span.ok) {
        failures.push(
          `after to=functions.${name}: ${text[from] === '{' ? span.error : 'no JSON object of arguments'}`,
        )
        continue
      }
      const head = HARMONY_HEAD.exec(text.slice(after, m.index))
      const start = head ? after + head.index : m.index
      const end = span.end + HARMONY_END.exec(text.slice(span.end))![0].length
      calls.push({ name, arguments: text.slice(span.start, span.end) })
      spans.push([start, end])
      after = end
    }
    return { calls, rest: cutSpans(text, spans), failures }
  },
}

const MISTRAL = '[TOOL_CALLS]'
const MISTRAL_NAMED = /([A-Za-z_][\w.-]*)\s*(?:\[CALL_ID\]\s*([^[\s]*)\s*)?(?:\[ARGS\])?\s*/y

/** One Mistral call at `at` (after the marker): the calls and where they end, or why not. */
function readMistralAt(
  text: string,
  at: number,
): { calls: TextToolCall[]; end: number; lenient: string[] } | string {
  if (text[at] === '[' || text[at] === '{') {
    const span = jsonSpanAt(text, at)
    if (!span.ok) return span.error
    const r = readEnvelopes(text.slice(at, span.end))
    return r.ok ? { calls: r.calls, end: span.end, lenient: r.lenient } : r.error
  }
  MISTRAL_NAMED.lastIndex = at
  const m = MISTRAL_NAMED.exec(text)
  const from = m ? at + m[0].length : at
  if (!m || text[from] !== '{') return 'expected NAME[ARGS]{…} or a JSON list of calls'
  const span = jsonSpanAt(text, from)
  if (!span.ok) return span.error
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
    const calls: TextToolCall[] = []
    const failures: string[] = []
    const lenient: string[] = []
    const spans: Array<[number, number]> = []
    let at = text.indexOf(MISTRAL)
    while (at >= 0) {
      const from = at + MISTRAL.length
      const r = readMistralAt(text, from + /^\s*/.exec(text.slice(from))![0].length)
      if (typeof r === 'string') {
        failures.push(`${r} (in ${excerpt(text.slice(at), 60)})`)
        break
      }
      calls.push(...r.calls)
      lenient.push(...r.lenient)
      spans.push([at, r.end])
      const next = text.slice(r.end).search(/\S/)
      at = next >= 0 && text.startsWith(MISTRAL, r.end + next) ? r.end + next : -1
    }
    return { calls, rest: cutSpans(text, spans), failures, lenient }
  },
}

const JSON_MARKER = /<\|tool_call\|>|\bfunctools(?=\s*\[)/g

/** Granite / Functionary `<|tool_call|>[{…}]` and Phi-4-mini `functools[{…}]`. */
export const markedJsonFormat: TextFormat = {
  label: 'JSON after a <|tool_call|> or functools marker (Granite / Functionary / Phi-4)',
  locate: (text) => text.search(new RegExp(JSON_MARKER.source)),
  parse(text) {
    const calls: TextToolCall[] = []
    const failures: string[] = []
    const lenient: string[] = []
    const spans: Array<[number, number]> = []
    for (const m of text.matchAll(JSON_MARKER)) {
      const end = m.index + m[0].length
      const from = end + /^\s*/.exec(text.slice(end))![0].length
      const span = jsonSpanAt(text, from)
      const r = span.ok ? readEnvelopes(text.slice(from, span.end)) : span
      if (!r.ok) {
        failures.push(`${r.error} (in ${m[0]}${excerpt(text.slice(from), 40)})`)
        continue
      }
      calls.push(...r.calls)
      lenient.push(...r.lenient)
      spans.push([m.index, span.ok ? span.end : from])
    }
    return { calls, rest: cutSpans(text, spans, /<\|\/tool_call\|>/g), failures, lenient }
  },
}
