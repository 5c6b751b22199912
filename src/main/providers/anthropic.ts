import { retryAfterMs } from './retry-after'
import { CONTEXT_OVERFLOW, classifyTransport } from './failure'
import Anthropic from '@anthropic-ai/sdk'
import { createProviderFetch } from './http-client'
import type { FetchFn } from './http-client'
import type {
  MessageDeltaUsage,
  RawMessageStreamEvent,
  Usage as WireUsage,
} from '@anthropic-ai/sdk/resources/messages'
import { toAnthropicRequest } from './anthropic-wire'
import type {
  AssistantTurn,
  FinishReason,
  ProviderRequest,
  StreamEvent,
  StreamFn,
  ToolCall,
  Usage,
} from './types'
import { ProviderError, emptyUsage } from './types'

export interface AnthropicConfig {
  /**
   * Without `/v1` (the SDK adds it). Default `https://api.anthropic.com`; the SDK's own fallback
   * to `ANTHROPIC_BASE_URL` is not used, so the environment cannot redirect the key.
   */
  baseUrl?: string
  apiKey: string
  /** Per-request timeout, in ms. Default 10 minutes. */
  timeoutMs?: number
  /** `max_tokens` when the request does not set `maxOutputTokens`. Default 8192. */
  maxOutputTokens?: number
  /** Proxy- and CA-aware fetch (see http-client.ts); default: one built from the environment. */
  fetch?: FetchFn
}

const DEFAULT_BASE_URL = 'https://api.anthropic.com'
const DEFAULT_MAX_OUTPUT_TOKENS = 8192

/**
 * Anthropic's Messages API over the official SDK. Streams text, thinking (as reasoning) and tool
 * calls from the raw SSE events — not the SDK's `messages.stream()` helper, whose tool-input
 * parser rejects malformed JSON, while the canonical turn keeps the model's text as written.
 * Retries are the engine's job (the SDK's own are off), so every attempt is visible.
 */
export function createAnthropicStream(config: AnthropicConfig): StreamFn {
  const client = new Anthropic({
    baseURL: config.baseUrl ?? DEFAULT_BASE_URL,
    apiKey: config.apiKey,
    maxRetries: 0,
    timeout: config.timeoutMs ?? 600_000,
    fetch: config.fetch ?? createProviderFetch(),
  })
  const maxTokens = config.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS
  return (request) => streamMessages(client, request, request.maxOutputTokens ?? maxTokens)
}

interface PendingCall {
  id: string
  name: string
  arguments: string
}

async function* streamMessages(
  client: Anthropic,
  request: ProviderRequest,
  maxTokens: number,
): AsyncGenerator<StreamEvent> {
  let stream: AsyncIterable<RawMessageStreamEvent>
  try {
    stream = await client.messages.create(toAnthropicRequest(request, maxTokens), {
      signal: request.signal,
    })
  } catch (err) {
    throw classifyAnthropicError(err, request.signal)
  }

  let content = ''
  let reasoning = ''
  const calls: PendingCall[] = []
  /** Content block index → position among this message's tool calls. */
  const callAt = new Map<number, number>()
  let stopReason: string | null = null
  let usage: Usage = emptyUsage()
  let stopped = false
  try {
    for await (const event of stream) {
      switch (event.type) {
        case 'message_start':
          usage = fromWireUsage(usage, event.message.usage)
          break
        case 'content_block_start': {
          const block = event.content_block
          if (block.type === 'tool_use') {
            callAt.set(event.index, calls.length)
            calls.push({ id: block.id, name: block.name, arguments: '' })
            // The header goes out at once, as OpenAI's does: a UI can show the call starting.
            const index = calls.length - 1
            yield {
              type: 'tool_call_delta',
              index,
              id: block.id,
              name: block.name,
              argumentsDelta: '',
            }
          } else if (block.type === 'text' && block.text) {
            content += block.text
            yield { type: 'text_delta', text: block.text }
          } else if (block.type === 'thinking' && block.thinking) {
            reasoning += block.thinking
            yield { type: 'reasoning_delta', text: block.thinking }
          }
          break
        }
        case 'content_block_delta': {
          const delta = event.delta
          if (delta.type === 'text_delta' && delta.text) {
            content += delta.text
            yield { type: 'text_delta', text: delta.text }
          } else if (delta.type === 'thinking_delta' && delta.thinking) {
            reasoning += delta.thinking
            yield { type: 'reasoning_delta', text: delta.thinking }
          } else if (delta.type === 'input_json_delta' && delta.partial_json) {
            const index = callAt.get(event.index)
            const call = index === undefined ? undefined : calls[index]
            if (index === undefined || !call) break
            call.arguments += delta.partial_json
            yield { type: 'tool_call_delta', index, argumentsDelta: delta.partial_json }
          }
          // signature_delta and citations_delta: nothing the canonical turn keeps.
          break
        }
        case 'message_delta':
          stopReason = event.delta.stop_reason
          usage = fromWireUsage(usage, event.usage)
          break
        case 'message_stop':
          stopped = true
          break
        default:
          // content_block_stop, and event types newer than this adapter.
          break
      }
    }
  } catch (err) {
    throw classifyAnthropicError(err, request.signal, true)
  }
  if (!stopped) {
    // The SDK ends iteration quietly when the request is aborted mid-stream.
    if (request.signal.aborted) throw new ProviderError('aborted', 'The request was aborted.')
    throw new ProviderError('malformed_stream', 'The stream ended before message_stop.')
  }
  const toolCalls: ToolCall[] = calls.map((c) => ({
    id: c.id,
    name: c.name,
    arguments: c.arguments || '{}',
  }))
  const turn: AssistantTurn = {
    content,
    reasoning,
    toolCalls,
    finishReason: toFinish(stopReason),
    usage,
  }
  yield { type: 'done', turn }
}

/**
 * Anthropic's counts, which split the prompt three ways (uncached, read from cache, written to
 * cache). `message_start` gives them all; `message_delta` repeats whichever apply, cumulatively.
 */
function fromWireUsage(prev: Usage, u: Partial<WireUsage> | MessageDeltaUsage): Usage {
  return {
    inputTokens: u.input_tokens ?? prev.inputTokens,
    outputTokens: u.output_tokens ?? prev.outputTokens,
    cacheReadTokens: u.cache_read_input_tokens ?? prev.cacheReadTokens,
    cacheWriteTokens: u.cache_creation_input_tokens ?? prev.cacheWriteTokens,
  }
}

function toFinish(reason: string | null): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop'
    case 'tool_use':
      return 'tool_calls'
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'refusal':
      return 'content_filter'
    default:
      // pause_turn (server tools), or a reason newer than this adapter.
      return 'other'
  }
}

/**
 * Matches the 400 for an over-long conversation ("prompt is too long: 210000 tokens > 200000
 * maximum"). The API gives it no stable code, so the message is all there is.
 */

/** The kind for an error type named in a body (mid-stream `event: error` has no status). */
const KIND_BY_TYPE: Record<string, ProviderError['kind']> = {
  authentication_error: 'auth',
  permission_error: 'auth',
  rate_limit_error: 'rate_limit',
  billing_error: 'quota',
  overloaded_error: 'overloaded',
  api_error: 'server',
  timeout_error: 'server',
  invalid_request_error: 'bad_request',
}

/**
 * Anthropic's words for an account that waiting does not help: "Your credit balance is too low to
 * access the Anthropic API" (a 400 invalid_request_error), "You have reached your specified API
 * usage limits" (400), a 402 billing_error; a 429 that says so. A plain rate limit is not quota.
 */
const QUOTA = /credit balance|usage limits?|quota|billing|purchase credits/i

function isQuota(status: number, type: string | undefined, message: string): boolean {
  if (status === 402 || type === 'billing_error') return true
  return (status === 400 || status === 429) && QUOTA.test(message) && !/rate limit/i.test(message)
}

/** Map an SDK or network failure to a classified {@link ProviderError}. */
export function classifyAnthropicError(
  err: unknown,
  signal: AbortSignal,
  midStream = false,
): ProviderError {
  const transport = classifyTransport(
    err,
    signal,
    {
      isAbort: err instanceof Anthropic.APIUserAbortError,
      isConnection: err instanceof Anthropic.APIConnectionError,
      isApiError: err instanceof Anthropic.APIError,
    },
    midStream,
  )
  if (transport) return transport
  if (!(err instanceof Anthropic.APIError)) return new ProviderError('network', String(err))
  // The SDK's own message is the status and the whole JSON body; the API's message reads better.
  const message = err.apiMessage ?? err.message
  const status = err.status
  if (status === undefined) {
    // An `event: error` in the middle of a 200 stream, typed by its body.
    const kind = KIND_BY_TYPE[err.type ?? ''] ?? 'server'
    if (kind === 'bad_request' && CONTEXT_OVERFLOW.test(message)) {
      return new ProviderError('context_overflow', `The conversation is too long: ${message}`)
    }
    return new ProviderError(kind, `The model server failed mid-stream: ${message}`)
  }
  if (status === 401 || status === 403) {
    return new ProviderError(
      'auth',
      `The server refused the API key (${status}): ${message}`,
      status,
    )
  }
  if (isQuota(status, err.type ?? undefined, message)) {
    return new ProviderError(
      'quota',
      `Out of credits or over quota at Anthropic (${status}): ${message}`,
      status,
    )
  }
  if (status === 429) {
    const wait = retryAfterMs(err.headers)
    return new ProviderError('rate_limit', `Rate limited (429): ${message}`, status, wait)
  }
  if (status === 529 || status === 503) {
    return new ProviderError(
      'overloaded',
      `The model server is overloaded (${status}): ${message}`,
      status,
      retryAfterMs(err.headers),
    )
  }
  if (status >= 500) {
    return new ProviderError('server', `The model server failed (${status}): ${message}`, status)
  }
  if ((status === 400 || status === 413) && CONTEXT_OVERFLOW.test(message)) {
    return new ProviderError(
      'context_overflow',
      `The conversation is too long for the model: ${message}`,
      status,
    )
  }
  return new ProviderError(
    'bad_request',
    `The server rejected the request (${status}): ${message}`,
    status,
  )
}
