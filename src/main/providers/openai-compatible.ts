import { retryAfterMs } from './retry-after'
import { CONTEXT_OVERFLOW, classifyTransport } from './failure'
import OpenAI from 'openai'
import type {
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions'
import type {
  AssistantTurn,
  ChatMessage,
  FinishReason,
  ProviderRequest,
  StreamEvent,
  StreamFn,
  Usage,
} from './types'
import { ProviderError, emptyUsage } from './types'
import { ThinkSplitter } from './think-splitter'
import { createProviderFetch } from './http-client'
import type { FetchFn } from './http-client'
import { callIndexFor, finishToolCalls, mergeName } from './openai-quirks'
import type { PartialCall, QuirkNote } from './openai-quirks'

export interface OpenAiCompatibleConfig {
  /** e.g. https://openrouter.ai/api/v1, http://127.0.0.1:11434/v1 */
  baseUrl: string
  apiKey: string
  /** Extra headers some gateways want (OpenRouter's X-Title). */
  headers?: Record<string, string>
  /** Per-request timeout, in ms. */
  timeoutMs?: number
  /** How errors name the provider ("check the key for …"); default: the base URL's host. */
  label?: string
  /** Proxy- and CA-aware fetch (see http-client.ts); default: one built from the environment. */
  fetch?: FetchFn
}

/**
 * OpenAI Chat Completions over the official SDK, for any compatible server. Streams text,
 * reasoning (`reasoning_content` / `reasoning` deltas, or a leading `<think>` block in the content)
 * and tool calls; retries are the engine's job (the SDK's own are off), so every attempt is visible.
 */
export function createOpenAiCompatibleStream(config: OpenAiCompatibleConfig): StreamFn {
  const client = new OpenAI({
    baseURL: config.baseUrl,
    apiKey: config.apiKey || 'not-needed',
    maxRetries: 0,
    timeout: config.timeoutMs ?? 600_000,
    defaultHeaders: config.headers,
    fetch: config.fetch ?? createProviderFetch(),
  })
  const label = config.label ?? hostOf(config.baseUrl)
  return (request) => streamChat(client, request, label)
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

async function* streamChat(
  client: OpenAI,
  request: ProviderRequest,
  label: string,
): AsyncGenerator<StreamEvent> {
  let stream: AsyncIterable<ChatCompletionChunk>
  try {
    stream = await client.chat.completions.create(
      {
        model: request.model,
        messages: toWireMessages(request.system, request.messages),
        ...(request.tools.length ? { tools: request.tools.map(toWireTool) } : {}),
        stream: true,
        stream_options: { include_usage: true },
        ...(request.maxOutputTokens ? { max_tokens: request.maxOutputTokens } : {}),
      },
      { signal: request.signal },
    )
  } catch (err) {
    throw classify(err, request.signal, label)
  }

  const splitter = new ThinkSplitter()
  let content = ''
  let reasoning = ''
  const calls: PartialCall[] = []
  const notes: QuirkNote[] = []
  let finish: string | null = null
  let usage: Usage = emptyUsage()
  try {
    for await (const chunk of stream) {
      if (chunk.usage) usage = toUsage(chunk.usage)
      const choice = chunk.choices?.[0]
      if (!choice) continue
      const delta = choice.delta as ChatCompletionChunk.Choice.Delta & {
        reasoning_content?: string | null
        reasoning?: string | null
      }
      const thought = delta.reasoning_content ?? delta.reasoning
      if (typeof thought === 'string' && thought) {
        reasoning += thought
        yield { type: 'reasoning_delta', text: thought }
      }
      if (typeof delta.content === 'string' && delta.content) {
        for (const part of splitter.push(delta.content)) {
          if (part.kind === 'text') content += part.text
          else reasoning += part.text
          yield { type: part.kind === 'text' ? 'text_delta' : 'reasoning_delta', text: part.text }
        }
      }
      for (const tc of delta.tool_calls ?? []) {
        const index = callIndexFor(tc, calls, notes)
        const call = (calls[index] ??= { id: '', name: '', arguments: '' })
        if (tc.id) call.id = tc.id
        call.name = mergeName(call.name, tc.function?.name)
        const args = tc.function?.arguments ?? ''
        call.arguments += args
        yield {
          type: 'tool_call_delta',
          index,
          ...(tc.id ? { id: tc.id } : {}),
          ...(tc.function?.name ? { name: tc.function.name } : {}),
          argumentsDelta: args,
        }
      }
      if (choice.finish_reason) finish = choice.finish_reason
    }
  } catch (err) {
    throw classify(err, request.signal, label, true)
  }
  for (const part of splitter.flush()) {
    if (part.kind === 'text') content += part.text
    else reasoning += part.text
    yield { type: part.kind === 'text' ? 'text_delta' : 'reasoning_delta', text: part.text }
  }
  if (finish === null) {
    if (request.signal.aborted) throw new ProviderError('aborted', 'The request was aborted.')
    throw new ProviderError('malformed_stream', 'The stream ended before the model finished.')
  }
  const usedIds = new Set(
    request.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls.map((c) => c.id) : [])),
  )
  const finished = finishToolCalls(calls, content, usedIds, notes, {
    toolNames: request.tools.map((t) => t.name),
    reasoning,
  })
  const turn: AssistantTurn = {
    content: finished.content,
    reasoning,
    toolCalls: finished.toolCalls,
    finishReason: toFinish(finish, finished.toolCalls.length > 0),
    usage,
    ...(notes.length ? { repairs: notes } : {}),
  }
  yield { type: 'done', turn }
}

function toWireMessages(system: string, messages: ChatMessage[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [{ role: 'system', content: system }]
  for (const m of messages) {
    if (m.role === 'user') out.push({ role: 'user', content: m.content })
    else if (m.role === 'tool')
      out.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.content })
    else {
      out.push({
        role: 'assistant',
        content: m.content || (m.toolCalls.length ? null : ''),
        ...(m.toolCalls.length
          ? {
              tool_calls: m.toolCalls.map((c) => ({
                id: c.id,
                type: 'function' as const,
                function: { name: c.name, arguments: c.arguments },
              })),
            }
          : {}),
      })
    }
  }
  return out
}

function toWireTool(t: {
  name: string
  description: string
  parameters: Record<string, unknown>
}): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }
}

function toUsage(u: OpenAI.CompletionUsage): Usage {
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0
  return {
    inputTokens: Math.max(0, (u.prompt_tokens ?? 0) - cached),
    outputTokens: u.completion_tokens ?? 0,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
  }
}

function toFinish(reason: string, hasToolCalls: boolean): FinishReason {
  // Some servers say "stop" after streaming tool calls; the calls are what counts.
  if (hasToolCalls) return 'tool_calls'
  if (reason === 'stop' || reason === 'length' || reason === 'content_filter') return reason
  if (reason === 'tool_calls' || reason === 'function_call') return 'stop'
  return 'other'
}

/** Map an SDK or network failure to a classified {@link ProviderError}. */
export function classify(
  err: unknown,
  signal: AbortSignal,
  label: string,
  midStream = false,
): ProviderError {
  const transport = classifyTransport(
    err,
    signal,
    {
      isAbort: err instanceof OpenAI.APIUserAbortError,
      isConnection: err instanceof OpenAI.APIConnectionError,
      isApiError: err instanceof OpenAI.APIError && typeof err.status === 'number',
    },
    midStream,
  )
  if (transport) return transport
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    const status = err.status
    const body = err.error as { code?: unknown; message?: unknown } | undefined
    const code = typeof body?.code === 'string' ? body.code : (err.code ?? '')
    const message = err.message
    // Gateways put the text in different places (error.message, a bare error string, a top-level
    // message), and some servers (llama.cpp) report an overflow as a 500: the body decides.
    const bodyText = `${message} ${safeStringify(err.error)}`
    if (code === 'context_length_exceeded' || CONTEXT_OVERFLOW.test(bodyText)) {
      return new ProviderError(
        'context_overflow',
        `The conversation is too long for the model: ${message}`,
        status,
      )
    }
    if (status === 401 || status === 403)
      return new ProviderError(
        'auth',
        `The server refused the API key (${status}): ${message} Check the key for ${label}.`,
        status,
      )
    if (status === 402 || (status === 429 && isQuota(code, message))) {
      return new ProviderError(
        'quota',
        `Out of credits or over quota at ${label} (${status}): ${message}`,
        status,
      )
    }
    if (status === 429) {
      return new ProviderError(
        'rate_limit',
        `Rate limited (429): ${message}`,
        status,
        retryAfterMs(err.headers),
      )
    }
    if (status === 400 || status === 413 || status === 422) {
      return new ProviderError(
        'bad_request',
        `The server rejected the request (${status}): ${message}`,
        status,
      )
    }
    if (status === 503 || status === 529) {
      return new ProviderError(
        'overloaded',
        `The model server is overloaded (${status}): ${message}`,
        status,
        retryAfterMs(err.headers),
      )
    }
    if (status >= 500)
      return new ProviderError('server', `The model server failed (${status}): ${message}`, status)
    return new ProviderError('bad_request', `Unexpected answer (${status}): ${message}`, status)
  }
  return new ProviderError('network', `The model request failed: ${String(err)}`)
}

const QUOTA =
  /insufficient_quota|quota|billing|credit|exceeded your current|daily limit|monthly limit/i

/** A 429 that no amount of waiting fixes (OpenAI's insufficient_quota, gateways' "out of credits"). */
function isQuota(code: string, message: string): boolean {
  return code === 'insufficient_quota' || (QUOTA.test(message) && !/rate limit/i.test(message))
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    return ''
  }
}
