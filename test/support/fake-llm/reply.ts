import type { ReplyTurn, ScriptedToolCall, ScriptedUsage } from './types'

/** What a reply is rendered against: the request and this completion's identity. */
export interface ReplyContext {
  /** `chatcmpl-…`, shared by every chunk of one completion. */
  id: string
  /** Unix seconds. */
  created: number
  /** Echoed from the request. */
  model: string
  /** 1-based count of completions served; used for default tool call ids. */
  turnNumber: number
  /** Size of the request's messages as JSON text, for the default prompt token count. */
  promptChars: number
  /** The request asked for `stream_options: { include_usage: true }`. */
  includeUsage: boolean
}

interface ResolvedCall {
  id: string
  name: string
  arguments: string
}

interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details?: { cached_tokens: number }
  completion_tokens_details: { reasoning_tokens: number }
  prompt_cache_hit_tokens?: number
  prompt_cache_miss_tokens?: number
}

/**
 * How the prompt's cached part is reported: OpenAI's `prompt_tokens_details`, or, for a turn
 * scripted with `prompt_cache_hit_tokens`, DeepSeek's top-level hit and miss counts.
 */
function cacheFields(
  given: ScriptedUsage | undefined,
  prompt: number,
): Pick<Usage, 'prompt_tokens_details' | 'prompt_cache_hit_tokens' | 'prompt_cache_miss_tokens'> {
  const hit = given?.prompt_cache_hit_tokens
  if (hit === undefined) {
    return { prompt_tokens_details: given?.prompt_tokens_details ?? { cached_tokens: 0 } }
  }
  return {
    ...(given?.prompt_tokens_details ? { prompt_tokens_details: given.prompt_tokens_details } : {}),
    prompt_cache_hit_tokens: hit,
    prompt_cache_miss_tokens: Math.max(0, prompt - hit),
  }
}

/**
 * A rendered reply: the SSE chunk objects in order (without `[DONE]`), or the whole object;
 * `completion` is `null` when the turn can only be streamed (`rawChunks`).
 */
export interface RenderedReply {
  chunks: object[]
  completion: object | null
}

const SYSTEM_FINGERPRINT = 'fp_fake_llm'

function pieces(value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  return typeof value === 'string' ? [value] : value
}

function resolveCalls(calls: ScriptedToolCall[] | undefined, turnNumber: number): ResolvedCall[] {
  return (calls ?? []).map((call, i) => ({
    id: call.id ?? `call_${turnNumber}_${i}`,
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

function usageOf(
  turn: ReplyTurn,
  ctx: ReplyContext,
  text: string,
  reasoning: string,
  calls: ResolvedCall[],
): Usage {
  const given: ScriptedUsage | undefined = turn.usage
  const reasoningTokens = reasoning === '' ? 0 : tokens(reasoning.length)
  const outputChars =
    text.length + calls.reduce((n, c) => n + c.name.length + c.arguments.length, 0)
  const prompt = given?.prompt_tokens ?? tokens(ctx.promptChars)
  const completion = given?.completion_tokens ?? tokens(outputChars) + reasoningTokens
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...cacheFields(given, prompt),
    completion_tokens_details: given?.completion_tokens_details ?? {
      reasoning_tokens: reasoningTokens,
    },
  }
}

function toolHeader(call: ResolvedCall, index: number): object {
  return { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }
}

/**
 * A `rawChunks` turn: each chunk as given, with the completion's identity filled in where absent,
 * then the usage chunk when asked for. No `completion`: a scripted quirk is a property of the
 * stream and has no faithful non-streamed form.
 */
function renderRawChunks(turn: ReplyTurn, raw: object[], ctx: ReplyContext): RenderedReply {
  const base = {
    id: ctx.id,
    object: 'chat.completion.chunk',
    created: ctx.created,
    model: ctx.model,
  }
  const chunks: object[] = raw.map((chunk) => ({ ...base, ...chunk }))
  if (ctx.includeUsage) {
    const given: ScriptedUsage | undefined = turn.usage
    const outputChars = raw.reduce(
      (n, chunk) => n + JSON.stringify((chunk as { choices?: unknown }).choices ?? []).length,
      0,
    )
    const prompt = given?.prompt_tokens ?? tokens(ctx.promptChars)
    const completion = given?.completion_tokens ?? tokens(outputChars)
    const usage: Usage = {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      ...cacheFields(given, prompt),
      completion_tokens_details: given?.completion_tokens_details ?? { reasoning_tokens: 0 },
    }
    chunks.push({ ...base, system_fingerprint: SYSTEM_FINGERPRINT, choices: [], usage })
  }
  return { chunks, completion: null }
}

/** Renders a scripted reply into the exact chunks (and the non-streamed object) OpenAI sends. */
export function renderReply(turn: ReplyTurn, ctx: ReplyContext): RenderedReply {
  if (turn.rawChunks) return renderRawChunks(turn, turn.rawChunks, ctx)
  const textPieces = pieces(turn.text)
  const reasoningPieces = pieces(turn.reasoning)
  const calls = resolveCalls(turn.toolCalls, ctx.turnNumber)
  const text = textPieces.join('')
  const reasoning = reasoningPieces.join('')
  const finishReason = turn.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop')
  const usage = usageOf(turn, ctx, text, reasoning, calls)

  const base = {
    id: ctx.id,
    object: 'chat.completion.chunk',
    created: ctx.created,
    model: ctx.model,
  }
  // With include_usage the real API puts `usage: null` on every chunk but the last.
  const tail = ctx.includeUsage
    ? { system_fingerprint: SYSTEM_FINGERPRINT, usage: null }
    : { system_fingerprint: SYSTEM_FINGERPRINT }
  const chunk = (delta: object, finish: string | null = null): object => ({
    ...base,
    ...tail,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  })

  const chunks: object[] = []
  const toolsOnly = textPieces.length === 0 && reasoningPieces.length === 0 && calls.length > 0
  const [firstCall] = calls
  if (toolsOnly && firstCall) {
    chunks.push(
      chunk({
        role: 'assistant',
        content: null,
        tool_calls: [toolHeader(firstCall, 0)],
        refusal: null,
      }),
    )
  } else {
    chunks.push(chunk({ role: 'assistant', content: '', refusal: null }))
  }
  const reasoningField = turn.reasoningField ?? 'reasoning_content'
  for (const piece of reasoningPieces) chunks.push(chunk({ [reasoningField]: piece }))
  for (const piece of textPieces) chunks.push(chunk({ content: piece }))
  calls.forEach((call, index) => {
    if (!(toolsOnly && index === 0)) chunks.push(chunk({ tool_calls: [toolHeader(call, index)] }))
    for (const part of fragments(call.arguments, turn.argumentChunkSize)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }))
    }
  })
  chunks.push(chunk({}, finishReason))
  if (ctx.includeUsage) {
    chunks.push({ ...base, system_fingerprint: SYSTEM_FINGERPRINT, choices: [], usage })
  }

  const message: Record<string, unknown> = {
    role: 'assistant',
    content: text === '' && calls.length > 0 ? null : text,
    refusal: null,
  }
  if (reasoning !== '') message[reasoningField] = reasoning
  if (calls.length > 0) {
    message.tool_calls = calls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }))
  }
  const completion = {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage,
    system_fingerprint: SYSTEM_FINGERPRINT,
  }
  return { chunks, completion }
}
