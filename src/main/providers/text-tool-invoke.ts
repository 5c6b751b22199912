import { paramValue } from './text-tool-tags'
import type { TextFormat, TextToolCall } from './text-tool-types'
import { cutSpans, excerpt } from './text-tool-types'

/**
 * Tool calls written as `<invoke>` blocks: MiniMax M2 (in `<minimax:tool_call>`), DeepSeek V3.2's
 * DSML tokens (`<｜DSML｜invoke …>`), and the Claude-style `<function_calls>` some models imitate.
 */

const INVOKE = /<invoke\s+name=(["'])([^"']+)\1\s*>([\s\S]*?)<\/invoke>/g
const INVOKE_PARAM =
  /\s*<parameter\s+name=(["'])([^"']+)\1(?:\s+[\w-]+=(["'])[^"']*\3)*\s*>([\s\S]*?)<\/parameter>\s*/y

/** `<parameter name="K">V</parameter>` pairs of one `<invoke>`: JSON text, or why not. */
function readInvokeParams(inner: string, fn: string): string | { error: string } {
  const args: Record<string, string> = {}
  let at = 0
  while (inner.slice(at).trim() !== '') {
    INVOKE_PARAM.lastIndex = at
    const m = INVOKE_PARAM.exec(inner)
    if (!m)
      return {
        error: `unexpected text in <invoke name="${fn}">: "${excerpt(inner.slice(at), 40)}"`,
      }
    if (m[2]! in args) return { error: `<invoke name="${fn}"> gives "${m[2]}" twice` }
    args[m[2]!] = paramValue(m[4]!)
    at = m.index + m[0].length
  }
  return JSON.stringify(args)
}

/**
 * `<invoke name="NAME"><parameter name="K">V</parameter></invoke>` blocks (MiniMax M2 in
 * `<minimax:tool_call>`, DeepSeek V3.2's DSML tokens, Claude-style `<function_calls>`); the
 * wrappers left empty are cut too.
 */
export const invokeFormat: TextFormat = {
  label: '<invoke name=…><parameter name=…> markup (MiniMax / DeepSeek DSML / Claude-style)',
  locate: (text) => dsml(text).search(/<invoke\s+name=/),
  parse(input) {
    const text = dsml(input)
    const calls: TextToolCall[] = []
    const failures: string[] = []
    const spans: Array<[number, number]> = []
    for (const m of text.matchAll(INVOKE)) {
      const args = readInvokeParams(m[3]!, m[2]!)
      if (typeof args !== 'string') {
        failures.push(args.error)
        continue
      }
      calls.push({ name: m[2]!.trim(), arguments: args })
      spans.push([m.index, m.index + m[0].length])
    }
    if (calls.length === 0 && failures.length === 0) {
      failures.push('an <invoke> block is not closed with </invoke>, or its name is not quoted')
    }
    const rest = cutSpans(text, spans).replace(
      /<(function_calls|minimax:tool_call|tool_calls?)>\s*<\/\1>/g,
      '',
    )
    return { calls, rest: rest.trim(), failures }
  },
}

/** DeepSeek V3.2's DSML tags (`<｜DSML｜invoke …>`) read as plain tags. */
function dsml(text: string): string {
  return text.includes('DSML') ? text.replace(/<(\/?)[｜|]DSML[｜|]/g, '<$1') : text
}
