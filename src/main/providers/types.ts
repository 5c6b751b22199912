/**
 * The canonical conversation and stream every provider adapter maps to and from. Provider wire
 * names (model ids, message shapes) exist only inside the adapters.
 */
export interface ToolCall {
  id: string
  name: string
  /** The arguments as the model wrote them (JSON text, possibly malformed). */
  arguments: string
  /** Cut off at the output-token limit before the arguments were complete: never run. */
  truncated?: boolean
}

/** The wire field a model's reasoning arrived in, and goes back in on its assistant message. */
export type ReasoningField = 'reasoning_content' | 'reasoning'

export type ChatMessage =
  | { role: 'user'; content: string }
  | {
      role: 'assistant'
      content: string
      reasoning?: string
      reasoningField?: ReasoningField
      toolCalls: ToolCall[]
    }
  | {
      role: 'tool'
      toolCallId: string
      toolName: string
      content: string
      isError: boolean
      /**
       * Images the tool returned, sent as image parts (only to a model that takes images; `content`
       * describes them either way).
       */
      images?: ToolImage[]
    }

/** The image types every wire that takes images accepts. */
export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const

export type ImageMimeType = (typeof IMAGE_MIME_TYPES)[number]

/** An image a tool returned, as the wires send it. */
export interface ToolImage {
  mimeType: ImageMimeType
  /** The image bytes, base64. */
  data: string
}

export interface ToolSpec {
  name: string
  description: string
  /** JSON Schema of the arguments (an object schema). */
  parameters: Record<string, unknown>
}

export interface Usage {
  inputTokens: number
  outputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'other'

export interface AssistantTurn {
  content: string
  reasoning: string
  /** Where `reasoning` arrived on the wire (absent: none, or inline `<think>` text). */
  reasoningField?: ReasoningField
  toolCalls: ToolCall[]
  finishReason: FinishReason
  usage: Usage
  /** How the adapter repaired a server's or model's deviation from the wire format, if it did. */
  repairs?: Array<{ kind: string; detail: string }>
}

export type StreamEvent =
  | { type: 'text_delta'; text: string }
  | { type: 'reasoning_delta'; text: string }
  | { type: 'tool_call_delta'; index: number; id?: string; name?: string; argumentsDelta: string }
  /** Always last on success: the assembled turn. */
  | { type: 'done'; turn: AssistantTurn }

export interface ProviderRequest {
  model: string
  system: string
  messages: ChatMessage[]
  tools: ToolSpec[]
  signal: AbortSignal
  maxOutputTokens?: number
  /**
   * A stable key for the session the request belongs to (never the user's data), which a provider
   * that routes by one (`prompt_cache_key`) uses to send the session's requests to the machine that
   * holds its prompt cache. An adapter sends it only where the provider is known to accept it.
   */
  cacheKey?: string
}

/** A streaming model call. Throws {@link ProviderError} on failure. */
export type StreamFn = (request: ProviderRequest) => AsyncIterable<StreamEvent>

export type ProviderErrorKind =
  | 'auth'
  | 'rate_limit'
  /** Out of credits or over a daily/monthly quota: waiting will not help. */
  | 'quota'
  | 'server'
  | 'overloaded'
  | 'context_overflow'
  | 'bad_request'
  | 'network'
  /** Nothing listens at the address (a refused connection on this machine): not retried. */
  | 'unreachable'
  | 'aborted'
  | 'malformed_stream'

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status?: number,
    /** From `retry-after`, in ms, when the server said. */
    readonly retryAfterMs?: number,
  ) {
    super(message)
    this.name = 'ProviderError'
  }

  get retryable(): boolean {
    return (
      this.kind === 'rate_limit' ||
      this.kind === 'server' ||
      this.kind === 'overloaded' ||
      this.kind === 'network' ||
      this.kind === 'malformed_stream'
    )
  }
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }
}
