import { retryAfterMs } from './retry-after'
import { CONTEXT_OVERFLOW, classifyTransport } from './failure'
import OpenAI from 'openai'
import type {
  ChatCompletionChunk,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions'
import type {
  AssistantTurn,
  FinishReason,
  ProviderRequest,
  ReasoningField,
  StreamEvent,
  StreamFn,
  ToolCall,
  Usage,
} from './types'
import { ProviderError, emptyUsage } from './types'
import { ThinkSplitter } from './think-splitter'
import { createProviderFetch } from './http-client'
import type { FetchFn } from './http-client'
import { finishToolCalls } from './openai-quirks'
import { toUsage } from './openai-usage'
import type { PartialCall, QuirkNote } from './openai-quirks'
import { ToolCallAssembler, isCompleteJson } from './openai-deltas'
import type { CacheKeyWire } from './openai-wire'
import {
  adjustReplay,
  cacheKeyParts,
  learnReplay,
  replayFor,
  safeStringify,
  toWireMessages,
  toWireTool,
} from './openai-wire'
import { withOwnSignal } from './own-signal'

export type { CacheKeyWire } from './openai-wire'

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
  /**
   * Send a model's reasoning back on its assistant tool-call messages, in the field it arrived in
   * (default true; the catalog's `replayReasoning` flag turns it off for a host that refuses it).
   */
  replayReasoning?: boolean
  /** How the server takes a request's `cacheKey` (absent: it is never sent). */
  cacheKey?: CacheKeyWire
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
  const wire: WireContext = {
    baseUrl: config.baseUrl,
    label: config.label ?? hostOf(config.baseUrl),
    replayReasoning: config.replayReasoning ?? true,
    ...(config.cacheKey ? { cacheKey: config.cacheKey } : {}),
  }
  return (request) => withOwnSignal(request, (r) => streamChat(client, r, wire))
}

interface WireContext {
  baseUrl: string
  label: string
  replayReasoning: boolean
  cacheKey?: CacheKeyWire
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/**
 * Opens the stream. A 400 that says how the server wants reasoning sent back (openai-wire.ts) is
 * answered by sending the request once more that way; the note says so.
 */
async function openStream(
  client: OpenAI,
  request: ProviderRequest,
  wire: WireContext,
  notes: QuirkNote[],
): Promise<AsyncIterable<ChatCompletionChunk>> {
  let replay = replayFor(wire.baseUrl, request.model, wire.replayReasoning)
  const key = cacheKeyParts(wire.cacheKey, request.cacheKey)
  const create = (
    messages: ChatCompletionMessageParam[],
  ): Promise<AsyncIterable<ChatCompletionChunk>> =>
    client.chat.completions.create(
      {
        model: request.model,
        messages,
        ...(request.tools.length ? { tools: request.tools.map(toWireTool) } : {}),
        stream: true,
        stream_options: { include_usage: true },
        ...(request.maxOutputTokens ? { max_tokens: request.maxOutputTokens } : {}),
        ...key.body,
      },
      { signal: request.signal, ...(key.headers ? { headers: key.headers } : {}) },
    )
  const messages = toWireMessages(request.system, request.messages, replay)
  const ctx = { baseUrl: wire.baseUrl, model: request.model, label: wire.label }
  let first: { message: string; note: QuirkNote }
  try {
    return await create(messages)
  } catch (err) {
    const next = request.signal.aborted ? null : adjustReplay(err, ctx, replay, messages)
    if (!next) throw classify(err, request.signal, wire.label)
    first = { message: classify(err, request.signal, wire.label).message, note: next.note }
    replay = next.replay
  }
  try {
    const stream = await create(toWireMessages(request.system, request.messages, replay))
    // Learned only now: a mode the server refused again must not stick to the model.
    learnReplay(ctx, replay)
    notes.push(first.note)
    return stream
  } catch (err) {
    // Both answers, so neither the first refusal nor what was tried is lost.
    const again = classify(err, request.signal, wire.label)
    if (again.kind === 'aborted') throw again
    const how =
      replay === 'off'
        ? 'without the reasoning on assistant tool-call messages'
        : 'with reasoning_content on every assistant tool-call message'
    throw new ProviderError(
      again.kind,
      `${again.message} (That was the request sent again ${how}. The first answer: ${first.message})`,
      again.status,
      again.retryAfterMs,
    )
  }
}

async function* streamChat(
  client: OpenAI,
  request: ProviderRequest,
  wire: WireContext,
): AsyncGenerator<StreamEvent> {
  const notes: QuirkNote[] = []
  const stream = await openStream(client, request, wire, notes)

  const splitter = new ThinkSplitter()
  let content = ''
  let reasoning = ''
  let reasoningField: ReasoningField | undefined
  const assembler = new ToolCallAssembler(notes)
  let finish: string | null = null
  let sawUsage = false
  let thinkPrefill = false
  let usage: Usage = emptyUsage()
  try {
    for await (const chunk of stream) {
      if (chunk.usage) {
        usage = toUsage(chunk.usage)
        sawUsage = true
      }
      const choice = chunk.choices?.[0]
      if (!choice) continue
      const delta = choice.delta as ChatCompletionChunk.Choice.Delta & {
        reasoning_content?: string | null
        reasoning?: string | null
      }
      const field = reasoningFieldOf(delta)
      if (field) {
        const thought = delta[field]!
        if (!reasoningField) splitter.reasoningInField()
        reasoningField ??= field
        reasoning += thought
        yield { type: 'reasoning_delta', text: thought }
      }
      if (typeof delta.content === 'string' && delta.content) {
        for (const part of splitter.push(delta.content)) {
          if (part.kind === 'retract') {
            // The content so far was reasoning (a pre-filled <think>): move it, not shown again.
            thinkPrefill = true
            content = content.slice(part.text.length)
            reasoning += part.text
            continue
          }
          if (part.kind === 'text') content += part.text
          else reasoning += part.text
          yield { type: part.kind === 'text' ? 'text_delta' : 'reasoning_delta', text: part.text }
        }
      }
      for (const tc of delta.tool_calls ?? []) {
        const { index, argumentsDelta } = assembler.push(tc)
        yield {
          type: 'tool_call_delta',
          index,
          ...(tc.id ? { id: tc.id } : {}),
          ...(tc.function?.name ? { name: tc.function.name } : {}),
          argumentsDelta,
        }
      }
      if (choice.finish_reason) finish = choice.finish_reason
    }
  } catch (err) {
    throw classify(err, request.signal, wire.label, true)
  }
  for (const part of splitter.flush()) {
    if (part.kind === 'retract') {
      // The content ended with a lone </think>: all of it was reasoning.
      thinkPrefill = true
      content = content.slice(part.text.length)
      reasoning += part.text
      continue
    }
    if (part.kind === 'text') content += part.text
    else reasoning += part.text
    yield { type: part.kind === 'text' ? 'text_delta' : 'reasoning_delta', text: part.text }
  }
  if (thinkPrefill) {
    notes.push({
      kind: 'think_prefill',
      detail:
        'the content began with reasoning closed by a lone </think> (the template pre-filled <think>); that text was taken as reasoning',
    })
  }
  const calls = assembler.calls()
  if (finish === null) {
    if (request.signal.aborted) throw new ProviderError('aborted', 'The request was aborted.')
    finish = completedWithoutFinish(calls, content, sawUsage)
    if (finish === null)
      throw new ProviderError('malformed_stream', 'The stream ended before the model finished.')
    notes.push({
      kind: 'missing_finish_reason',
      detail: `the stream ended without a finish_reason; its ${finish === 'tool_calls' ? 'tool calls were complete JSON' : 'answer was complete (the server reported usage)'}, so the turn was taken as finished`,
    })
  }
  const usedIds = new Set(
    request.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls.map((c) => c.id) : [])),
  )
  const finished = finishToolCalls(calls, content, usedIds, notes, {
    toolNames: request.tools.map((t) => t.name),
    reasoning,
  })
  const toolCalls =
    finish === 'length' ? markTruncated(finished.toolCalls, notes) : finished.toolCalls
  const truncated = toolCalls.some((c) => c.truncated)
  const turn: AssistantTurn = {
    content: finished.content,
    reasoning,
    ...(reasoningField && reasoning ? { reasoningField } : {}),
    toolCalls,
    finishReason: truncated ? 'length' : toFinish(finish, toolCalls.length > 0),
    usage,
    ...(notes.length ? { repairs: notes } : {}),
  }
  yield { type: 'done', turn }
}

/** The field a delta's reasoning came in, when it carries any (`reasoning_content` first). */
function reasoningFieldOf(delta: {
  reasoning_content?: string | null
  reasoning?: string | null
}): ReasoningField | undefined {
  if (typeof delta.reasoning_content === 'string' && delta.reasoning_content)
    return 'reasoning_content'
  if (typeof delta.reasoning === 'string' && delta.reasoning) return 'reasoning'
  return undefined
}

/**
 * The finish reason a stream that sent none stands for, or null when it cannot be told from a
 * stream that was cut off. Tool calls count when every call's arguments are complete JSON (a
 * call's end is unambiguous). A text answer counts only when the server then reported usage, which
 * servers send once generation is over: without it a cleanly closed connection mid-answer looks
 * the same, so that stays an error the engine retries.
 */
function completedWithoutFinish(
  calls: PartialCall[],
  content: string,
  sawUsage: boolean,
): string | null {
  const started = calls.filter((c) => c.name || c.arguments)
  if (started.length > 0) {
    return started.every((c) => isCompleteJson(c.arguments)) ? 'tool_calls' : null
  }
  return content.trim() && sawUsage ? 'stop' : null
}

/**
 * At finish_reason `length`, a call whose arguments do not parse was cut off at the output limit:
 * marked, so it is never run and the model is told why.
 */
function markTruncated(calls: ToolCall[], notes: QuirkNote[]): ToolCall[] {
  return calls.map((c) => {
    if (isCompleteJson(c.arguments)) return c
    notes.push({
      kind: 'truncated_call',
      detail: `${c.name}: the output limit was hit (finish_reason "length") before its arguments were complete; not run`,
    })
    return { ...c, truncated: true }
  })
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
