import type { ReplyTurn, ScriptedToolCall } from './types'

/** What a reply is rendered against: the request and this message's identity. */
export interface AnthropicReplyContext {
  /** `msg_…`, the message id. */
  id: string
  /** Echoed from the request. */
  model: string
  /** 1-based count of turns served (both APIs); used for default tool use ids. */
  turnNumber: number
  /** Size of the request's system, messages and tools as JSON text, for default input tokens. */
  promptChars: number
}

/** One SSE event: its `event:` name and its `data:` object (which repeats the name as `type`). */
export interface AnthropicEvent {
  event: string
  data: { type: string } & Record<string, unknown>
}

/** A rendered reply: the SSE events in order, or the whole message object. */
export interface RenderedAnthropicReply {
  events: AnthropicEvent[]
  message: object
}

interface ResolvedCall {
  id: string
  name: string
  arguments: string
}

interface AnthropicUsage {
  input_tokens: number
  output_tokens: number
  cache_creation_input_tokens: number
  cache_read_input_tokens: number
}

type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal'

const STOP_REASONS: Record<NonNullable<ReplyTurn['finishReason']>, StopReason> = {
  stop: 'end_turn',
  tool_calls: 'tool_use',
  length: 'max_tokens',
  content_filter: 'refusal',
}

/** Non-empty pieces: the real API sends no empty deltas and no empty text blocks. */
function pieces(value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  return (typeof value === 'string' ? [value] : value).filter((p) => p !== '')
}

function resolveCalls(calls: ScriptedToolCall[] | undefined, turnNumber: number): ResolvedCall[] {
  return (calls ?? []).map((call, i) => ({
    id: call.id ?? `toolu_${turnNumber}_${i}`,
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
  }))
}

/** Splits `text` into fragments of `size` characters; by default into about three pieces. */
function fragments(text: string, size: number | undefined): string[] {
  if (text === '') return []
  const step = Math.max(1, size ?? Math.ceil(text.length / 3))
  const out: string[] = []
  for (let i = 0; i < text.length; i += step) out.push(text.slice(i, i + step))
  return out
}

/** Roughly one token per four characters, at least one. */
function tokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4))
}

/** The parsed input of a non-streamed tool use; a script's non-JSON arguments give `{}`. */
function inputOf(args: string): unknown {
  try {
    return JSON.parse(args) as unknown
  } catch {
    return {}
  }
}

/** A stable, opaque stand-in for the signature the real API puts on a thinking block. */
function signatureOf(ctx: AnthropicReplyContext): string {
  return Buffer.from(`fake-thinking-signature:${ctx.id}`).toString('base64')
}

function usageOf(
  turn: ReplyTurn,
  ctx: AnthropicReplyContext,
  output: string,
  reasoning: string,
): AnthropicUsage {
  const given = turn.usage
  const cacheRead = given?.prompt_tokens_details?.cached_tokens ?? 0
  const cacheWrite = given?.cacheWrite ?? 0
  const prompt = given?.prompt_tokens ?? tokens(ctx.promptChars)
  const reasoningTokens = reasoning === '' ? 0 : tokens(reasoning.length)
  return {
    input_tokens: Math.max(0, prompt - cacheRead - cacheWrite),
    output_tokens: given?.completion_tokens ?? tokens(output.length) + reasoningTokens,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  }
}

function event(type: string, fields: Record<string, unknown> = {}): AnthropicEvent {
  return { event: type, data: { type, ...fields } }
}

/**
 * Renders a scripted reply into the events (and the non-streamed message) Anthropic sends.
 * Blocks come in the order thinking (from `reasoning`), text, tool uses.
 */
export function renderAnthropicReply(
  turn: ReplyTurn,
  ctx: AnthropicReplyContext,
): RenderedAnthropicReply {
  const textPieces = pieces(turn.text)
  const reasoningPieces = pieces(turn.reasoning)
  const calls = resolveCalls(turn.toolCalls, ctx.turnNumber)
  const text = textPieces.join('')
  const reasoning = reasoningPieces.join('')
  const stopReason = STOP_REASONS[turn.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop')]
  const output = text + calls.map((c) => c.name + c.arguments).join('')
  const usage = usageOf(turn, ctx, output, reasoning)
  const signature = signatureOf(ctx)

  const events: AnthropicEvent[] = [
    event('message_start', {
      message: {
        id: ctx.id,
        type: 'message',
        role: 'assistant',
        model: ctx.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
    event('ping'),
  ]
  const content: object[] = []
  const block = (start: object, deltas: object[], whole: object): void => {
    const index = content.length
    events.push(event('content_block_start', { index, content_block: start }))
    for (const delta of deltas) events.push(event('content_block_delta', { index, delta }))
    events.push(event('content_block_stop', { index }))
    content.push(whole)
  }
  if (reasoningPieces.length > 0) {
    block(
      { type: 'thinking', thinking: '', signature: '' },
      [
        ...reasoningPieces.map((thinking) => ({ type: 'thinking_delta', thinking })),
        { type: 'signature_delta', signature },
      ],
      { type: 'thinking', thinking: reasoning, signature },
    )
  }
  if (textPieces.length > 0) {
    block(
      { type: 'text', text: '', citations: null },
      textPieces.map((piece) => ({ type: 'text_delta', text: piece })),
      { type: 'text', text, citations: null },
    )
  }
  for (const call of calls) {
    const header = { type: 'tool_use', id: call.id, name: call.name }
    block(
      { ...header, input: {} },
      fragments(call.arguments, turn.argumentChunkSize).map((part) => ({
        type: 'input_json_delta',
        partial_json: part,
      })),
      { ...header, input: inputOf(call.arguments) },
    )
  }
  events.push(
    event('message_delta', {
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    }),
    event('message_stop'),
  )

  const message = {
    id: ctx.id,
    type: 'message',
    role: 'assistant',
    model: ctx.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  }
  return { events, message }
}
