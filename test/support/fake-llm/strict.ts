import type { ErrorAnswer } from './errors'
import { apiError, invalidRequest } from './errors'
import type { StrictOptions } from './types'

/**
 * The history checks of strict servers (see {@link StrictOptions}), run on a chat completion
 * request that already passed the usual validation.
 */

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Why `text` is not a JSON object's text, or null when it is. */
function argumentsProblem(text: unknown): string | null {
  if (typeof text !== 'string') return 'not a string'
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return (err as Error).message
  }
  return isObject(value) ? null : 'not a JSON object'
}

function toolCallsOf(message: Json): Json[] {
  return Array.isArray(message.tool_calls) ? (message.tool_calls as Json[]) : []
}

function checkArguments(messages: Json[]): ErrorAnswer | null {
  for (const [i, message] of messages.entries()) {
    if (message.role !== 'assistant') continue
    for (const [j, call] of toolCallsOf(message).entries()) {
      const fn = isObject(call.function) ? call.function : {}
      const problem = argumentsProblem(fn.arguments)
      if (!problem) continue
      const param = `messages[${i}].tool_calls[${j}].function.arguments`
      return {
        status: 400,
        headers: {},
        body: apiError(
          `Failed to parse tool call arguments as JSON: ${problem} (${param} must be valid JSON)`,
          'invalid_request_error',
          param,
          'invalid_tool_call_arguments',
        ),
      }
    }
  }
  return null
}

function checkReasoning(messages: Json[], wording: 'kimi' | 'deepseek'): ErrorAnswer | null {
  for (const [i, message] of messages.entries()) {
    if (message.role !== 'assistant' || toolCallsOf(message).length === 0) continue
    if (typeof message.reasoning_content === 'string') continue
    return invalidRequest(
      wording === 'kimi'
        ? `thinking is enabled but reasoning_content is missing in assistant tool call message at index ${i}`
        : `Missing \`reasoning_content\` field in the assistant message at message index ${i}. ` +
            'For more information, please refer to ' +
            'https://api-docs.deepseek.com/guides/thinking_mode#tool-calls',
    )
  }
  return null
}

/** The 400 a strict server answers `body` with, or null when it accepts it. */
export function checkStrict(body: unknown, strict: StrictOptions | undefined): ErrorAnswer | null {
  if (!strict || !isObject(body) || !Array.isArray(body.messages)) return null
  const messages = body.messages.filter(isObject)
  if (strict.historyArguments) {
    const bad = checkArguments(messages)
    if (bad) return bad
  }
  if (strict.reasoningContent) {
    const wording = strict.reasoningContent === 'deepseek' ? 'deepseek' : 'kimi'
    const bad = checkReasoning(messages, wording)
    if (bad) return bad
  }
  return null
}
