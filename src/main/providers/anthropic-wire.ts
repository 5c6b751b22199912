import type {
  ImageBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  TextBlockParam,
  Tool,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages'
import type { ChatMessage, ProviderRequest, ToolSpec } from './types'

/** Where Anthropic's prompt cache may end a cached prefix (tools → system → messages). */
const BREAKPOINT = { type: 'ephemeral' } as const

/** Tool use ids must match this; ids minted by other providers may not. */
const UNSAFE_ID_CHARS = /[^a-zA-Z0-9_-]/g

type Role = 'user' | 'assistant'
/** The blocks this adapter sends; each can carry a cache breakpoint. */
type Block = TextBlockParam | ToolUseBlockParam | ToolResultBlockParam
interface Turn {
  role: Role
  content: Block[]
}

/**
 * The Messages API request for a canonical request, streamed.
 *
 * Prompt-cache discipline, the four breakpoints the API allows (see {@link markBreakpoints}): the
 * last tool and the system prompt (the session's fixed prefix), the end of the previous turn and
 * the end of the conversation. Each request then reads what the one before it wrote, however
 * many blocks the turn between them added (the API looks back only about 20 blocks from a
 * breakpoint for an earlier one), and writes the prefix the next one will read.
 */
export function toAnthropicRequest(
  request: ProviderRequest,
  maxTokens: number,
): MessageCreateParamsStreaming {
  const system: TextBlockParam[] = request.system
    ? [{ type: 'text', text: request.system, cache_control: BREAKPOINT }]
    : []
  const tools = request.tools.map(toWireTool)
  const lastTool = tools.at(-1)
  if (lastTool) lastTool.cache_control = BREAKPOINT
  return {
    model: request.model,
    max_tokens: maxTokens,
    ...(system.length ? { system } : {}),
    messages: toWireMessages(request.messages),
    ...(tools.length ? { tools } : {}),
    stream: true,
  }
}

/**
 * Canonical messages as Anthropic's alternating user/assistant turns:
 * - tool results become `tool_result` blocks in a user turn, so consecutive results (and a user
 *   message right after them) merge into one user message, results first; a result's images are
 *   image blocks inside its `tool_result`, after its text;
 * - assistant tool calls become `tool_use` blocks, `input` parsed from the arguments text
 *   (text that is not a JSON object is sent as `{}`: the turn must still be sendable, and the
 *   tool result already told the model its arguments were bad);
 * - assistant `reasoning` is not sent back. The canonical turn keeps no thinking signature, and
 *   the API only accepts thinking blocks with their signature intact; without extended thinking
 *   enabled, none are needed;
 * - empty text is dropped (the API rejects empty text blocks), and a message left with no blocks
 *   disappears, its neighbours merging if they share a role.
 * The last block, and the end of the previous turn, carry cache breakpoints.
 */
function toWireMessages(messages: ChatMessage[]): MessageParam[] {
  const turns: Turn[] = []
  const push = (role: Role, blocks: Block[]): void => {
    if (blocks.length === 0) return
    const last = turns.at(-1)
    if (last?.role === role) last.content.push(...blocks)
    else turns.push({ role, content: blocks })
  }
  for (const m of messages) {
    if (m.role === 'user') push('user', textBlocks(m.content))
    else if (m.role === 'tool') {
      push('user', [
        {
          type: 'tool_result',
          tool_use_id: safeId(m.toolCallId),
          ...toolResultContent(m),
          is_error: m.isError,
        },
      ])
    } else {
      push('assistant', [
        ...textBlocks(m.content),
        ...m.toolCalls.map((c): Block => ({
          type: 'tool_use',
          id: safeId(c.id),
          name: c.name,
          input: parseInput(c.arguments),
        })),
      ])
    }
  }
  markBreakpoints(turns)
  return turns.map((t) => ({ role: t.role, content: t.content }))
}

/**
 * A tool result's content: its text, or — when it carries images — a text block (when there is
 * text) and an image block per image.
 */
function toolResultContent(
  m: Extract<ChatMessage, { role: 'tool' }>,
): Pick<ToolResultBlockParam, 'content'> {
  if (!m.images?.length) return m.content ? { content: m.content } : {}
  const images = m.images.map((image): ImageBlockParam => ({
    type: 'image',
    source: { type: 'base64', media_type: image.mimeType, data: image.data },
  }))
  return {
    content: [...(m.content ? [{ type: 'text' as const, text: m.content }] : []), ...images],
  }
}

/**
 * Two of the request's cache breakpoints, on the conversation: its last block (this request's
 * whole prompt, read by the next one), and the last block of the user turn before the last
 * assistant turn — where the previous request of an agent loop ended, so this one reads the
 * prefix that request wrote. A conversation without an earlier turn gets only the first.
 */
function markBreakpoints(turns: Turn[]): void {
  const last = turns.at(-1)?.content.at(-1)
  if (!last) return
  last.cache_control = BREAKPOINT
  let i = turns.length - 1
  while (i >= 0 && turns[i]!.role !== 'assistant') i--
  while (i >= 0 && turns[i]!.role !== 'user') i--
  const previous = i >= 0 ? turns[i]!.content.at(-1) : undefined
  if (previous && previous !== last) previous.cache_control = BREAKPOINT
}

function textBlocks(text: string): Block[] {
  return text ? [{ type: 'text', text }] : []
}

function safeId(id: string): string {
  return id.replace(UNSAFE_ID_CHARS, '_')
}

/** The arguments as a JSON object, or `{}` when the model wrote anything else. */
function parseInput(args: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(args)
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>
    }
  } catch {
    // Malformed arguments: fall through to an empty input.
  }
  return {}
}

function toWireTool(t: ToolSpec): Tool {
  return {
    name: t.name,
    description: t.description,
    // The API insists on an object schema; ToolSpec promises one, this makes the type say so.
    input_schema: { ...t.parameters, type: 'object' },
  }
}
