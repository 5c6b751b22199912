import type { ToolResultRecord } from '../../shared/entries'
import type { ToolCall } from '../providers/types'
import { parseJsonLenient } from '../tools/repair-json'
import { resolveToolName } from '../tools/repair-names'
import type { AnyTool } from '../tools/types'

/**
 * What the history sends back for a tool call instead of what the model wrote. Strict servers
 * (vLLM, llama-server, most gateways) check every assistant tool call of a request: its arguments
 * must be a string holding a JSON object, and some check the name against the tools. A call the
 * model wrote loosely (a trailing comma, a wrapper, `Bash`) and Paddock repaired would make every
 * later request fail, so the history carries the call as it was executed; a call that never ran
 * goes back with valid JSON (what could be read of it, else `{}`) beside the error it got. The raw
 * text stays in the `assistant_message` entry for the record.
 */
export type Replay = NonNullable<ToolResultRecord['replay']>

/** True when `text` is a JSON object exactly as strict servers read it (`JSON.parse`). */
export function isJsonObjectText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
  } catch {
    return false
  }
}

/**
 * Arguments a strict server accepts for a call that never ran: the text itself when it is a JSON
 * object, else what the lenient reader makes of it when that is an object, else `{}`.
 */
export function replayableArguments(text: string): string {
  if (isJsonObjectText(text)) return text
  const read = parseJsonLenient(text)
  if (read.ok && typeof read.value === 'object' && read.value !== null) {
    if (!Array.isArray(read.value)) return canonicalArguments(read.value)
  }
  return '{}'
}

/** The canonical JSON text of arguments as a tool received them (`{}` if they cannot be written). */
export function canonicalArguments(input: unknown): string {
  try {
    const text = JSON.stringify(input)
    return typeof text === 'string' && isJsonObjectText(text) ? text : '{}'
  } catch {
    return '{}'
  }
}

/**
 * The replay of a call that ran (or was ready to run) as `tool` with `input`: absent when the
 * model's call was valid as sent (no repair, the tool's own name, a JSON object), so an ordinary
 * call goes back byte for byte as written.
 */
export function executedReplay(
  call: ToolCall,
  tool: AnyTool,
  input: unknown,
  repaired: boolean,
): Replay | undefined {
  if (!repaired && tool.name === call.name && isJsonObjectText(call.arguments)) return undefined
  return { name: tool.name, arguments: canonicalArguments(input) }
}

/**
 * The replay of a call that never ran (unknown tool, unreadable or invalid arguments, cut off at
 * the output limit): the tool's own name when the name resolves, and valid JSON arguments.
 * Absent when that is what the model wrote.
 */
export function unexecutedReplay(call: ToolCall, tools: readonly AnyTool[]): Replay | undefined {
  const name = resolveToolName(call.name, tools)?.tool.name ?? call.name
  const args = replayableArguments(call.arguments)
  if (name === call.name && args === call.arguments) return undefined
  return { name, arguments: args }
}

/** `result` with the replay of its call, if it has one. */
export function withReplay(result: ToolResultRecord, replay: Replay | undefined): ToolResultRecord {
  return replay ? { ...result, replay } : result
}
