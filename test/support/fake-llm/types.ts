import type { IncomingHttpHeaders } from 'node:http'
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages'
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions'

/**
 * One tool call the scripted assistant makes. `arguments` given as an object is sent as its
 * JSON text. Without `id`, a deterministic `call_<turn>_<index>` id is used (turn is 1-based,
 * counted over the turns served on either API); on `/v1/messages`, `toolu_<turn>_<index>`.
 */
export interface ScriptedToolCall {
  id?: string
  name: string
  arguments: string | object
}

/**
 * Token counts as the API reports them; `total_tokens` is always computed. On `/v1/messages`
 * they become Anthropic's counts, which split the prompt: `cache_read_input_tokens` = cached,
 * `cache_creation_input_tokens` = `cacheWrite`, `input_tokens` = the rest of `prompt_tokens`.
 */
export interface ScriptedUsage {
  prompt_tokens: number
  completion_tokens: number
  prompt_tokens_details?: { cached_tokens: number }
  completion_tokens_details?: { reasoning_tokens: number }
  /** Anthropic only: prompt tokens written to the cache (part of `prompt_tokens`). Default 0. */
  cacheWrite?: number
  /**
   * Chat Completions only, DeepSeek's way of reporting its prefix cache: given, the usage object
   * carries `prompt_cache_hit_tokens` (this) and `prompt_cache_miss_tokens` (`prompt_tokens` −
   * this) at its top level, and no `prompt_tokens_details` unless that is given too.
   */
  prompt_cache_hit_tokens?: number
}

/**
 * A successful assistant reply. Streamed as SSE when the request has `stream: true`, otherwise
 * answered as one `chat.completion` JSON object.
 *
 * Streamed chunk order (this is what `cut.after` and `malformed.after` count):
 * 1. `delta: { role: 'assistant', content: '' }` — or, when the reply is tool calls only,
 *    `{ role: 'assistant', content: null, tool_calls: [<first call's header>] }` as OpenAI sends;
 * 2. one chunk per `reasoning` piece (`delta.reasoning_content`, or `reasoningField`);
 * 3. one chunk per `text` piece (`delta.content`; a plain string is one piece);
 * 4. per tool call: a header delta (`index`, `id`, `type`, `function: { name, arguments: '' }`),
 *    then argument fragments (`index`, `function.arguments` only);
 * 5. `delta: {}` with `finish_reason`;
 * 6. with `stream_options.include_usage`: `choices: []` and `usage`; then `data: [DONE]`.
 */
export interface ReplyTurn {
  text?: string | string[]
  /**
   * Sent as `delta.reasoning_content` (the DeepSeek / Kimi / vLLM convention), or in the field
   * `reasoningField` names.
   */
  reasoning?: string | string[]
  /**
   * The delta field `reasoning` is streamed in (and the non-streamed message's field):
   * `reasoning_content` (default) or `reasoning` (OpenRouter, Ollama, Groq).
   */
  reasoningField?: 'reasoning_content' | 'reasoning'
  toolCalls?: ScriptedToolCall[]
  /** Default: `'tool_calls'` when there are tool calls, else `'stop'`. */
  finishReason?: 'stop' | 'tool_calls' | 'length' | 'content_filter'
  /** Default: about one token per 4 characters of the request messages and of the reply. */
  usage?: ScriptedUsage
  /** Characters per `function.arguments` fragment. Default: each call's arguments in ~3 pieces. */
  argumentChunkSize?: number
  /**
   * Stop after this many SSE events: no further chunks, no `[DONE]`. By default the socket is
   * destroyed (a reset mid-body). With `clean: true` the HTTP response ends properly instead,
   * as when a proxy closes a stream early: the client sees a stream that just stops.
   * Non-streamed, the socket is destroyed halfway through the JSON body.
   */
  cut?: { after: number; clean?: boolean }
  /**
   * Send `data: <not JSON>` after this many events (`true`: after 1), then continue.
   * Non-streamed, the whole body is that non-JSON text.
   */
  malformed?: boolean | { after: number }
  /**
   * Send the first chunk (or the first `after` events), then nothing until the client goes away
   * (abort tests). Non-streamed, no answer at all.
   */
  hang?: boolean | { after: number }
  /** Real-timer pause between SSE events, in milliseconds. Tests must not depend on timing. */
  delayMs?: number
  /** Answer only once this settles: the test decides when the model is done thinking. */
  gate?: Promise<unknown>
  /**
   * Anthropic only (the OpenAI path ignores it): after this many events, send an `event: error`
   * with this error type (default `overloaded_error`) and end the response, as the real API does
   * when it fails mid-stream.
   */
  streamError?: { after: number; type?: string; message?: string }
  /**
   * OpenAI streaming only: send these chunks instead of rendering `text`, `reasoning`,
   * `toolCalls` and `finishReason` (all ignored), to reproduce a server that bends the format
   * (deltas without `index` or `id`, no finish chunk, …). Each object is one `data:` event, sent
   * as given except that `id`, `object`, `created` and `model` are filled in when absent; then,
   * with `stream_options.include_usage`, the usage chunk (`usage`, or the default estimate from
   * the chunks' `choices`), then `data: [DONE]`. `cut`, `malformed`, `hang` and `delayMs` count
   * these events as usual. A non-streamed request for such a turn is answered 500 (no
   * `chat.completion` object can say what the chunks say). The Anthropic path ignores it.
   */
  rawChunks?: object[]
}

/** An HTTP error answer, with the body shape the real API uses for that status. */
export type ErrorSpec =
  /** 400 `context_length_exceeded`, as for an over-long conversation. */
  | 'context_overflow'
  | { contextOverflow: { limit?: number; requested?: number } }
  /** 429 `rate_limit_exceeded`; `retryAfter` (seconds) becomes the `retry-after` header. */
  | { status: 429; retryAfter?: number; message?: string }
  /**
   * Any status. Without `body`: 401 gives an `invalid_api_key` body, 5xx a `server_error`
   * body, anything else a generic `invalid_request_error` body.
   */
  | { status: number; body?: object; headers?: Record<string, string>; message?: string }

export interface ErrorTurn {
  error: ErrorSpec
}

/**
 * What the next `POST /v1/chat/completions` or `POST /v1/messages` that passes validation is
 * answered with, in that API's format. Both APIs consume the one script, in arrival order.
 */
export type Turn = ReplyTurn | ErrorTurn

export interface RecordedRequest {
  method: string
  /** Path and query as received, e.g. `/v1/chat/completions`. */
  path: string
  /** Lower-cased header names, as Node gives them. */
  headers: IncomingHttpHeaders
  /** The parsed JSON body; the raw text when it was not JSON; `null` when empty. */
  body: unknown
  /** `Date.now()` when the body had been read, in milliseconds. */
  at: number
  /** The HTTP status answered; `null` until the answer starts. */
  status: number | null
}

export interface FakeLlm {
  /** `http://127.0.0.1:<port>/v1`, what the openai SDK's `baseURL` takes. */
  baseUrl: string
  /** Every request received, rejected ones included, in arrival order. */
  requests: RecordedRequest[]
  /** `http://127.0.0.1:<port>`, what the Anthropic SDK's `baseURL` takes (it adds `/v1`). */
  anthropicBaseUrl: string
  /** Append scripted turns; each valid chat completion or messages request consumes the next. */
  script(...turns: Turn[]): void
  /** Turns not yet consumed. */
  pending(): number
  /** Bodies of the chat completion requests that passed validation, in order. */
  chatRequests(): ChatCompletionCreateParams[]
  /** Bodies of the Anthropic `/v1/messages` requests that passed validation, in order. */
  messagesRequests(): MessageCreateParams[]
  /** Stop listening and destroy open sockets (hanging streams included). Idempotent. */
  close(): Promise<void>
}

export interface StartFakeLlmOptions {
  /** Default 0: any free port. The server binds to 127.0.0.1 only. */
  port?: number
  /**
   * Model ids the server lists, as a local server would: `GET /v1/models` (OpenAI, LM Studio,
   * vLLM) and `GET /api/tags` (Ollama). Without it both are 404. A `GET /v1/models` that
   * carries `anthropic-version` gets Anthropic's list shape (`data[].id`, `display_name`,
   * `has_more`…) instead.
   */
  models?: string[]
  /**
   * The one key the server accepts. When set, every request whose `x-api-key` header or
   * `Authorization: Bearer` key differs is answered 401 as the real API would (OpenAI:
   * `invalid_api_key` with the key masked; Anthropic: `authentication_error`) and consumes no
   * turn. Without it any key (or none) is accepted.
   */
  apiKey?: string
  /**
   * Act as a strict server that checks the conversation history of each chat completion request
   * (after the usual validation). A refused request is answered 400 with that server's wording,
   * consumes no turn and is not in `chatRequests()` (it is in `requests`, with status 400).
   */
  strict?: StrictOptions
  /**
   * A context window, in tokens, the server enforces as a real one does: a valid request whose
   * prompt (about one token per 4 characters of its messages, system prompt and tools) is larger
   * is answered 400 with that API's overflow error (OpenAI `context_length_exceeded`, Anthropic
   * "prompt is too long: N tokens > M maximum"), consumes no turn, and is not in
   * `chatRequests()` / `messagesRequests()` (it is in `requests`, with status 400). A function
   * gives each model (the request's `model`) its own window; undefined: no limit for that model.
   */
  contextWindow?: number | ((model: string) => number | undefined)
  /**
   * Answers some requests itself, before the script: called with each valid request (that fits
   * the window); a turn it returns is served instead of the next scripted one, which stays for
   * the next request. Undefined: the script answers. For requests a test cannot order in a script
   * (a summariser call whose moment the engine decides), told apart by what they send.
   */
  answer?: (
    body: ChatCompletionCreateParams | MessageCreateParams,
    api: 'openai' | 'anthropic',
  ) => Turn | undefined
}

export interface StrictOptions {
  /**
   * As vLLM and llama-server (templates that take arguments as objects): every assistant
   * `tool_calls[j].function.arguments` must be a JSON object's text. Otherwise: 400 "Failed to
   * parse tool call arguments as JSON: … (messages[i].tool_calls[j].function.arguments)", `param`
   * that path, code `invalid_tool_call_arguments`.
   */
  historyArguments?: boolean
  /**
   * Thinking mode is on, as on Kimi K2 and DeepSeek: every assistant message with `tool_calls`
   * must carry `reasoning_content` (a string; empty is accepted). Otherwise 400 with the message
   * index counted over `messages` (the system message included). `true` or `'kimi'`: "thinking is
   * enabled but reasoning_content is missing in assistant tool call message at index i";
   * `'deepseek'`: "Missing `reasoning_content` field in the assistant message at message index i.
   * For more information, …".
   */
  reasoningContent?: boolean | 'kimi' | 'deepseek'
}
