import OpenAI from 'openai'
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions'
import type { QuirkNote } from './openai-quirks'
import type { ChatMessage, ReasoningField, ToolSpec } from './types'

/**
 * The request side of the OpenAI-compatible adapter: Paddock's conversation as wire messages, and
 * how a model's reasoning goes back to it.
 *
 * Thinking-mode Kimi K2 and DeepSeek refuse a follow-up whose assistant tool-call message lacks
 * the reasoning it was sent with; other hosts (Groq) refuse any reasoning field on an assistant
 * message. So the reasoning goes back on each assistant tool-call message in the field it arrived
 * in, unless the catalog says the host refuses it; and a 400 that says which of the two a server
 * wants is answered by sending the request once more the way it asked, remembered for the model.
 */

/**
 * How reasoning goes back on assistant tool-call messages:
 * - `same_field`: in the field it arrived in (`reasoning_content` or `reasoning`), when it did;
 * - `off`: never (the catalog flag, or a server that refused the field);
 * - `reasoning_content`: always as `reasoning_content`, an empty string where none was kept (a
 *   server said it is missing).
 */
export type ReasoningReplay = 'same_field' | 'off' | 'reasoning_content'

/**
 * What servers taught this process, per base URL and model: kept in memory for the life of the
 * process only (a restart asks again, at the cost of one refused request), which is enough for the
 * refusal to happen once per model rather than on every request.
 */
const learned = new Map<string, ReasoningReplay>()

function learnedKey(baseUrl: string, model: string): string {
  return `${baseUrl}\u0000${model}`
}

/** The replay mode for a request: what a server taught, else the catalog's flag. */
export function replayFor(baseUrl: string, model: string, catalogAllows: boolean): ReasoningReplay {
  return learned.get(learnedKey(baseUrl, model)) ?? (catalogAllows ? 'same_field' : 'off')
}

type WireAssistant = ChatCompletionAssistantMessageParam & Partial<Record<ReasoningField, string>>

/**
 * Paddock's conversation as Chat Completions messages. A tool message stays text (most gateways
 * take nothing else there); the images of a run of consecutive tool messages follow it in one
 * user message, each tool call's images after a text part that names the call.
 */
export function toWireMessages(
  system: string,
  messages: ChatMessage[],
  replay: ReasoningReplay,
): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [{ role: 'system', content: system }]
  let images: ChatCompletionContentPart[] = []
  for (const [i, m] of messages.entries()) {
    if (m.role === 'user') out.push({ role: 'user', content: m.content })
    else if (m.role === 'tool') {
      out.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.content })
      if (m.images?.length) images.push(...imageParts(m))
      if (images.length && messages[i + 1]?.role !== 'tool') {
        out.push({ role: 'user', content: [{ type: 'text', text: IMAGES_INTRO }, ...images] })
        images = []
      }
    } else {
      const message: WireAssistant = {
        role: 'assistant',
        content: m.content || (m.toolCalls.length ? null : ''),
      }
      if (m.toolCalls.length) {
        message.tool_calls = m.toolCalls.map((c) => ({
          id: c.id,
          type: 'function' as const,
          function: { name: c.name, arguments: c.arguments },
        }))
        if (replay === 'reasoning_content') message.reasoning_content = m.reasoning ?? ''
        else if (replay === 'same_field' && m.reasoningField && m.reasoning)
          message[m.reasoningField] = m.reasoning
      }
      out.push(message)
    }
  }
  return out
}

/** Opens the user message that carries the images of the tool messages before it. */
export const IMAGES_INTRO = 'Images returned by the tools above:'

function imageParts(m: Extract<ChatMessage, { role: 'tool' }>): ChatCompletionContentPart[] {
  const n = m.images?.length ?? 0
  return [
    {
      type: 'text',
      text: `${n === 1 ? 'Image' : `${n} images`} from ${m.toolName} (tool call ${m.toolCallId}):`,
    },
    ...(m.images ?? []).map((image): ChatCompletionContentPart => ({
      type: 'image_url',
      image_url: { url: `data:${image.mimeType};base64,${image.data}` },
    })),
  ]
}

/**
 * Where an OpenAI-compatible server documents a per-session prompt-cache routing key: OpenAI's
 * `prompt_cache_key` body field, or xAI's `x-grok-conv-id` header (its Chat Completions' way).
 */
export type CacheKeyWire = 'prompt_cache_key' | 'x-grok-conv-id'

/** The request's cache key where the server takes one: a body field or a header; else nothing. */
export function cacheKeyParts(
  wire: CacheKeyWire | undefined,
  key: string | undefined,
): { body: { prompt_cache_key?: string }; headers?: Record<string, string> } {
  if (!wire || !key) return { body: {} }
  if (wire === 'prompt_cache_key') return { body: { prompt_cache_key: key } }
  return { body: {}, headers: { [wire]: key } }
}

export function toWireTool(t: ToolSpec): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }
}

/**
 * Words servers use when they refuse a field they do not know. "Unknown" and "unexpected" count
 * only before a word for a field: alone they also open messages that ask for one ("Unexpected:
 * reasoning_content is missing").
 */
const REFUSED =
  /unsupported|not supported|unrecognized|not permitted|not allowed|extra inputs|additional propert|(?:unknown|unexpected) (?:field|property|parameter|key|argument|attribute)/i
/** Kimi: "… reasoning_content is missing …"; DeepSeek: "Missing `reasoning_content` field …",
 * "The `reasoning_content` in the thinking mode must be passed back to the API." */
const MISSING = /missing|must be passed back|is required|must be (?:included|provided|present)/i
const FIELD_NAMED: Record<ReasoningField, RegExp> = {
  reasoning_content: /\breasoning_content\b/,
  reasoning: /\breasoning\b/,
}

/**
 * When a request failed because of how reasoning was (or was not) sent back, the mode to send it
 * again with, and the note that records it; null for any other failure, when sending it again
 * would not change anything, or when the message reads both as asking for reasoning_content and
 * as refusing a field sent (two readings: the error goes to the user as it came). Learns nothing:
 * the caller calls {@link learnReplay} once the request sent again was accepted.
 */
export function adjustReplay(
  err: unknown,
  ctx: { baseUrl: string; model: string; label: string },
  replay: ReasoningReplay,
  sent: ChatCompletionMessageParam[],
): { replay: ReasoningReplay; note: QuirkNote } | null {
  if (!(err instanceof OpenAI.APIError) || (err.status !== 400 && err.status !== 422)) return null
  const text = `${err.message} ${safeStringify(err.error)}`
  const quoted = text.slice(0, 300)
  const toolCallMessages = sent.filter((m) => m.role === 'assistant' && m.tool_calls?.length)
  const sentFields = (Object.keys(FIELD_NAMED) as ReasoningField[]).filter((f) =>
    toolCallMessages.some((m) => f in m),
  )
  const refuses =
    replay === 'same_field' &&
    REFUSED.test(text) &&
    sentFields.some((f) => FIELD_NAMED[f].test(text))
  const asks =
    replay !== 'reasoning_content' &&
    toolCallMessages.length > 0 &&
    FIELD_NAMED.reasoning_content.test(text) &&
    MISSING.test(text)
  if (refuses && !asks) {
    return {
      replay: 'off',
      note: {
        kind: 'reasoning_field_rejected',
        detail: `${ctx.label} refused the reasoning sent back on assistant tool-call messages (${err.status}: ${quoted}); sent the request again without it, and will for ${ctx.model} from now on`,
      },
    }
  }
  if (asks && !refuses) {
    return {
      replay: 'reasoning_content',
      note: {
        kind: 'reasoning_content_required',
        detail: `${ctx.label} refused the history without reasoning_content (${err.status}: ${quoted}); sent the request again with reasoning_content on every assistant tool-call message (empty where no reasoning was kept), and will for ${ctx.model} from now on`,
      },
    }
  }
  return null
}

/** Remember how a server wants reasoning sent back, once a request sent that way was accepted. */
export function learnReplay(
  ctx: { baseUrl: string; model: string },
  replay: ReasoningReplay,
): void {
  learned.set(learnedKey(ctx.baseUrl, ctx.model), replay)
}

export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    return ''
  }
}
