import { paramValue } from './text-tool-tags'
import type { FoundCall, FoundFailure, TextFormat } from './text-tool-types'
import { excerpt } from './text-tool-types'

/**
 * Tool calls written as `<invoke>` blocks: MiniMax M2 (in `<minimax:tool_call>`), DeepSeek V3.2's
 * DSML tokens (`<｜DSML｜invoke …>`), and the Claude-style `<function_calls>` some models imitate.
 * DSML's prefix is matched in place (`<` then `｜DSML｜`), so spans are the text's own.
 */

const DSML = '(?:[｜|]DSML[｜|])?'
const INVOKE_OPEN = new RegExp(`<${DSML}invoke\\s+name=(["'])([^"'\\n]+)\\1\\s*>`, 'g')
const INVOKE_CLOSE = new RegExp(`</${DSML}invoke>`, 'g')
const INVOKE_PARAM = new RegExp(
  `\\s*<${DSML}parameter\\s+name=(["'])([^"']+)\\1(?:\\s+[\\w-]+=(["'])[^"']*\\3)*\\s*>`,
  'y',
)
const PARAM_CLOSE = new RegExp(`</${DSML}parameter>`, 'g')
const SPACE = /\s*/y
/** After an opening `<invoke name=…>` cut off before `</invoke>`: a parameter, or nothing. */
const CUT_BODY = new RegExp(`\\s*(?:<${DSML}parameter|$)`, 'y')

/** `<parameter name="K">V</parameter>` pairs of one `<invoke>` body: JSON text, or why not. */
function readInvokeParams(inner: string, fn: string): string | { error: string } {
  const args: Record<string, string> = {}
  let at = 0
  for (;;) {
    SPACE.lastIndex = at
    SPACE.exec(inner)
    if (SPACE.lastIndex >= inner.length) break
    INVOKE_PARAM.lastIndex = at
    const m = INVOKE_PARAM.exec(inner)
    PARAM_CLOSE.lastIndex = INVOKE_PARAM.lastIndex
    const close = m ? PARAM_CLOSE.exec(inner) : null
    if (!m || !close) {
      return {
        error: `unexpected text in <invoke name="${fn}">: "${excerpt(inner.slice(at), 40)}"`,
      }
    }
    if (m[2]! in args) return { error: `<invoke name="${fn}"> gives "${m[2]}" twice` }
    args[m[2]!] = paramValue(inner.slice(INVOKE_PARAM.lastIndex, close.index))
    at = close.index + close[0].length
  }
  return JSON.stringify(args)
}

/**
 * `<invoke name="NAME"><parameter name="K">V</parameter></invoke>` blocks (MiniMax M2 in
 * `<minimax:tool_call>`, DeepSeek V3.2's DSML tokens, Claude-style `<function_calls>`); the
 * wrappers left empty are cut too. Stops at the first block not closed.
 */
export const invokeFormat: TextFormat = {
  label: '<invoke name=…><parameter name=…> markup (MiniMax / DeepSeek DSML / Claude-style)',
  locate: (text) => text.search(new RegExp(`<${DSML}invoke\\s+name=`)),
  parse(text) {
    const calls: FoundCall[] = []
    const failures: FoundFailure[] = []
    const open = new RegExp(INVOKE_OPEN.source, 'g')
    for (let m = open.exec(text); m; m = open.exec(text)) {
      const from = m.index + m[0].length
      INVOKE_CLOSE.lastIndex = from
      const close = INVOKE_CLOSE.exec(text)
      if (!close) {
        CUT_BODY.lastIndex = from
        if (CUT_BODY.test(text)) {
          failures.push({
            problem: `<invoke name="${m[2]}"> is not closed with </invoke>`,
            span: [m.index, text.length],
          })
        }
        break
      }
      const end = close.index + close[0].length
      const args = readInvokeParams(text.slice(from, close.index), m[2]!)
      if (typeof args !== 'string') failures.push({ problem: args.error, span: [m.index, end] })
      else calls.push({ name: m[2]!.trim(), arguments: args, span: [m.index, end] })
      open.lastIndex = end
    }
    if (!calls.length && !failures.length) {
      const at = invokeFormat.locate(text, [])
      failures.push({
        problem: 'an <invoke> block is not closed with </invoke>, or its name is not quoted',
        span: [at, at + '<invoke name='.length],
      })
    }
    return { calls, failures }
  },
  drop: new RegExp(`<${DSML}(function_calls|minimax:tool_call|tool_calls?)>\\s*</${DSML}\\1>`, 'g'),
}
