import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions'
import type { StrictServer, ToldCheck } from './types'

/**
 * Checks of the requests the fake accepted. The strict-server rules are checked here too, on every
 * request, so a scenario fails on a history a strict server would refuse even where the fake in use
 * does not enforce the rule itself.
 */

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The messages of request `n` (0-based), as plain objects. */
export function messagesOf(requests: ChatCompletionCreateParams[], n: number): Json[] {
  const messages: unknown = requests[n]?.messages
  return Array.isArray(messages) ? messages.filter(isObject) : []
}

interface WireToolCall {
  id?: unknown
  function?: { name?: unknown; arguments?: unknown }
}

function toolCallsOf(message: Json): WireToolCall[] {
  return Array.isArray(message.tool_calls) ? (message.tool_calls as WireToolCall[]) : []
}

/** Every history tool call's arguments are one JSON object (vLLM and llama-server refuse others). */
function historyArguments(requests: ChatCompletionCreateParams[]): string | null {
  for (const [r] of requests.entries()) {
    for (const [m, message] of messagesOf(requests, r).entries()) {
      for (const [k, call] of toolCallsOf(message).entries()) {
        const args = call.function?.arguments
        let parsed: unknown
        try {
          parsed = typeof args === 'string' ? JSON.parse(args) : undefined
        } catch {
          parsed = undefined
        }
        if (!isObject(parsed)) {
          return `strict server: request ${r + 1} messages[${m}].tool_calls[${k}].arguments is not one JSON object: ${JSON.stringify(args)}`
        }
      }
    }
  }
  return null
}

/** Every assistant tool-call message carries `reasoning_content` (Kimi, DeepSeek thinking mode). */
function reasoningContent(requests: ChatCompletionCreateParams[]): string | null {
  for (const [r] of requests.entries()) {
    for (const [m, message] of messagesOf(requests, r).entries()) {
      if (message.role !== 'assistant' || toolCallsOf(message).length === 0) continue
      const reasoning = message.reasoning_content
      if (typeof reasoning !== 'string' || reasoning === '') {
        return `strict server: request ${r + 1} messages[${m}]: thinking is enabled but reasoning_content is missing in assistant tool call message`
      }
    }
  }
  return null
}

export function strictChecks(strict: StrictServer | undefined): ToldCheck[] {
  const checks: ToldCheck[] = []
  if (strict?.historyArguments) checks.push(historyArguments)
  if (strict?.reasoningContent) checks.push(reasoningContent)
  return checks
}

/** The assistant message request `n` sends back last (the model's previous turn). */
function lastAssistant(requests: ChatCompletionCreateParams[], n: number): Json | undefined {
  return messagesOf(requests, n)
    .filter((m) => m.role === 'assistant')
    .at(-1)
}

/** What came after the model's previous turn in request `n`: tool results and user messages. */
function toldAfter(requests: ChatCompletionCreateParams[], n: number): Json[] {
  const messages = messagesOf(requests, n)
  const at = messages.map((m) => m.role).lastIndexOf('assistant')
  return messages.slice(at + 1)
}

function text(message: Json): string {
  const content = message.content
  if (typeof content === 'string') return content
  return Array.isArray(content) ? JSON.stringify(content) : ''
}

/** Request `n` (0-based) tells the model, in a tool result or a user message, something matching. */
export function toldMatches(n: number, pattern: RegExp, role?: 'tool' | 'user'): ToldCheck {
  return (requests) => {
    const after = toldAfter(requests, n).filter((m) => role === undefined || m.role === role)
    if (after.some((m) => pattern.test(text(m)))) return null
    const seen = after.map((m) => `${String(m.role)}: ${text(m).slice(0, 160)}`).join(' | ')
    return `request ${n + 1} should tell the model ${pattern} (${role ?? 'tool or user'}); it says: ${seen || '(nothing)'}`
  }
}

/** Request `n` sends the model's previous turn back with this reasoning in this field. */
export function reasoningSentBack(
  n: number,
  field: 'reasoning_content' | 'reasoning',
  expected: string,
): ToldCheck {
  return (requests) => {
    const message = lastAssistant(requests, n)
    const value = message?.[field]
    if (value === expected) return null
    return `request ${n + 1}: the assistant tool-call message should carry ${field} ${JSON.stringify(expected.slice(0, 40))}…; it has ${JSON.stringify(value)}`
  }
}

/** Request `n` sends the model's previous turn back without this text in its content. */
export function contentLacks(n: number, pattern: RegExp): ToldCheck {
  return (requests) => {
    const message = lastAssistant(requests, n)
    const content = message ? text(message) : ''
    return pattern.test(content)
      ? `request ${n + 1}: the assistant message's content still holds ${pattern}: ${JSON.stringify(content.slice(0, 120))}`
      : null
  }
}

/** Request `n` sends back exactly `count` tool calls of the model's previous turn. */
export function callsSentBack(n: number, count: number): ToldCheck {
  return (requests) => {
    const message = lastAssistant(requests, n)
    const calls = message ? toolCallsOf(message) : []
    if (calls.length === count) return null
    const names = calls.map((c) => String(c.function?.name)).join(', ')
    return `request ${n + 1}: expected ${count} tool call(s) in the history, got ${calls.length} (${names})`
  }
}
