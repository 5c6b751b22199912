import type { IncomingHttpHeaders } from 'node:http'
import { anthropicError, anthropicInvalid } from './anthropic-errors'
import type { ErrorAnswer } from './errors'

/**
 * Request validation the way Anthropic's Messages API does it, with its `path: problem` message
 * style. Only what a client can get wrong in practice is checked (including tool_use /
 * tool_result pairing and the cache breakpoint limit); unknown top-level keys are accepted.
 * Stricter than today's API on purpose in two places: roles must alternate (the API documents
 * merging consecutive same-role turns), which keeps adapters honest about merging tool results;
 * and `max_tokens` must be at least 1 (the API takes 0 to pre-warm the cache).
 */

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/
const TOOL_ID = /^[a-zA-Z0-9_-]+$/
const MAX_CACHE_BREAKPOINTS = 4
/** Block types accepted without further checks. */
const OTHER_BLOCKS = ['document', 'search_result', 'redacted_thinking']
/** The image types the API takes. */
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp']
/** What a `tool_result`'s content list may hold. */
const TOOL_RESULT_BLOCKS = ['text', 'image', 'document', 'search_result']

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const required = (path: string): ErrorAnswer => anthropicInvalid(`${path}: Field required`)
const invalid = (path: string, problem: string): ErrorAnswer =>
  anthropicInvalid(`${path}: ${problem}`)

/** Counts cache breakpoints as blocks are checked; a bad `cache_control` is an error. */
class Breakpoints {
  count = 0

  check(block: Json, path: string): ErrorAnswer | null {
    const cc = block.cache_control
    if (cc === undefined || cc === null) return null
    if (!isObject(cc) || cc.type !== 'ephemeral') {
      return invalid(`${path}.cache_control.type`, "Input should be 'ephemeral'")
    }
    if (cc.ttl !== undefined && cc.ttl !== '5m' && cc.ttl !== '1h') {
      return invalid(`${path}.cache_control.ttl`, "Input should be '5m' or '1h'")
    }
    this.count += 1
    return null
  }
}

function checkText(block: Json, path: string): ErrorAnswer | null {
  if (block.text === undefined) return required(`${path}.text`)
  if (typeof block.text !== 'string')
    return invalid(`${path}.text`, 'Input should be a valid string')
  if (block.text === '') return anthropicInvalid('messages: text content blocks must be non-empty')
  return null
}

/** An image block: a base64 source of a type the API takes, or a URL. */
function checkImage(block: Json, path: string): ErrorAnswer | null {
  const source = block.source
  if (!isObject(source)) return required(`${path}.source`)
  if (source.type === 'url') {
    return typeof source.url === 'string' ? null : required(`${path}.source.url`)
  }
  if (source.type !== 'base64') {
    return invalid(`${path}.source.type`, "Input should be 'base64' or 'url'")
  }
  if (!IMAGE_TYPES.includes(source.media_type as string)) {
    return invalid(
      `${path}.source.media_type`,
      `Input should be ${IMAGE_TYPES.map((t) => `'${t}'`).join(', ')}`,
    )
  }
  if (typeof source.data !== 'string') return required(`${path}.source.data`)
  return null
}

/** A `tool_result`'s content list: text and images (and documents), each checked. */
function checkToolResultContent(content: unknown[], path: string): ErrorAnswer | null {
  for (const [k, inner] of content.entries()) {
    const at = `${path}.${k}`
    if (!isObject(inner)) return invalid(at, 'Input should be a valid dictionary')
    if (!TOOL_RESULT_BLOCKS.includes(inner.type as string)) {
      return invalid(
        at,
        `Input tag '${String(inner.type)}' found using 'type' does not match any of the expected tags`,
      )
    }
    const bad =
      inner.type === 'text'
        ? checkText(inner, at)
        : inner.type === 'image'
          ? checkImage(inner, at)
          : null
    if (bad) return bad
  }
  return null
}

function checkBlock(
  block: unknown,
  role: string,
  path: string,
  bp: Breakpoints,
): ErrorAnswer | null {
  if (!isObject(block)) return invalid(path, 'Input should be a valid dictionary')
  if (typeof block.type !== 'string') return required(`${path}.type`)
  const onlyIn = (want: string): ErrorAnswer | null =>
    role === want
      ? null
      : invalid(path, `\`${block.type as string}\` blocks are only allowed in ${want} messages`)
  switch (block.type) {
    case 'text': {
      const bad = checkText(block, path)
      if (bad) return bad
      break
    }
    case 'tool_use': {
      const bad = onlyIn('assistant')
      if (bad) return bad
      if (typeof block.id !== 'string') return required(`${path}.id`)
      if (!TOOL_ID.test(block.id)) {
        return invalid(`${path}.id`, `String should match pattern '${TOOL_ID.source}'`)
      }
      if (typeof block.name !== 'string') return required(`${path}.name`)
      if (!isObject(block.input))
        return invalid(`${path}.input`, 'Input should be a valid dictionary')
      break
    }
    case 'tool_result': {
      const bad = onlyIn('user')
      if (bad) return bad
      if (typeof block.tool_use_id !== 'string') return required(`${path}.tool_use_id`)
      const c = block.content
      if (c !== undefined && typeof c !== 'string' && !Array.isArray(c)) {
        return invalid(`${path}.content`, 'Input should be a valid string or list')
      }
      if (Array.isArray(c)) {
        const badContent = checkToolResultContent(c, `${path}.content`)
        if (badContent) return badContent
      }
      if (block.is_error !== undefined && typeof block.is_error !== 'boolean') {
        return invalid(`${path}.is_error`, 'Input should be a valid boolean')
      }
      break
    }
    case 'image': {
      const bad = onlyIn('user') ?? checkImage(block, path)
      if (bad) return bad
      break
    }
    case 'thinking': {
      const bad = onlyIn('assistant')
      if (bad) return bad
      if (typeof block.thinking !== 'string') return required(`${path}.thinking`)
      if (typeof block.signature !== 'string') return required(`${path}.signature`)
      break
    }
    default:
      if (!OTHER_BLOCKS.includes(block.type)) {
        return invalid(
          path,
          `Input tag '${block.type}' found using 'type' does not match any of the expected tags`,
        )
      }
  }
  return bp.check(block, path)
}

/** The blocks of a message, content given as a string counting as one text block. */
function blocksOf(message: Json): Json[] {
  const c = message.content
  if (typeof c === 'string') return [{ type: 'text', text: c }]
  return Array.isArray(c) ? (c as Json[]) : []
}

function checkMessage(m: unknown, i: number, last: boolean, bp: Breakpoints): ErrorAnswer | null {
  const path = `messages.${i}`
  if (!isObject(m)) return invalid(path, 'Input should be a valid dictionary')
  if (m.role === undefined) return required(`${path}.role`)
  if (m.role !== 'user' && m.role !== 'assistant') {
    return invalid(`${path}.role`, "Input should be 'user' or 'assistant'")
  }
  const content = m.content
  if (content === undefined) return required(`${path}.content`)
  if (typeof content !== 'string' && !Array.isArray(content)) {
    return invalid(`${path}.content`, 'Input should be a valid string or list')
  }
  if (content.length === 0) {
    // The final assistant message (a prefill) is the one message allowed to be empty.
    if (last && m.role === 'assistant') return null
    return invalid(
      path,
      'all messages must have non-empty content except for the optional final assistant message',
    )
  }
  if (typeof content === 'string') return null
  for (const [j, block] of content.entries()) {
    const bad = checkBlock(block, m.role, `${path}.content.${j}`, bp)
    if (bad) return bad
  }
  return null
}

function idsOf(message: Json | undefined, type: 'tool_use' | 'tool_result'): string[] {
  if (!message) return []
  const key = type === 'tool_use' ? 'id' : 'tool_use_id'
  return blocksOf(message)
    .filter((b) => b.type === type)
    .map((b) => b[key] as string)
}

/**
 * Roles alternate starting with user; every tool_result answers a tool_use of the message right
 * before it; every tool_use is answered in the message right after it; tool_use ids are unique.
 */
function checkConversation(messages: Json[]): ErrorAnswer | null {
  if (messages[0]?.role !== 'user') {
    return anthropicInvalid('messages: first message must use the "user" role')
  }
  const seen = new Set<string>()
  for (const [i, m] of messages.entries()) {
    if (i > 0 && messages[i - 1]?.role === m.role) {
      return anthropicInvalid(
        `messages: roles must alternate between "user" and "assistant", but found multiple ` +
          `"${m.role as string}" roles in a row`,
      )
    }
    if (m.role === 'user') {
      const asked = idsOf(messages[i - 1], 'tool_use')
      for (const [j, block] of blocksOf(m).entries()) {
        if (block.type !== 'tool_result' || asked.includes(block.tool_use_id as string)) continue
        return anthropicInvalid(
          `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` ` +
            `blocks: ${block.tool_use_id as string}. Each \`tool_result\` block must have a ` +
            'corresponding `tool_use` block in the previous message.',
        )
      }
      continue
    }
    for (const [j, block] of blocksOf(m).entries()) {
      if (block.type !== 'tool_use') continue
      if (seen.has(block.id as string)) {
        return anthropicInvalid(`messages.${i}.content.${j}: \`tool_use\` ids must be unique`)
      }
      seen.add(block.id as string)
    }
    const answered = idsOf(messages[i + 1], 'tool_result')
    const left = idsOf(m, 'tool_use').filter((id) => !answered.includes(id))
    if (left.length > 0) {
      return anthropicInvalid(
        `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately ` +
          `after: ${left.join(', ')}. Each \`tool_use\` block must have a corresponding ` +
          '`tool_result` block in the next message.',
      )
    }
  }
  return null
}

function checkSystem(system: unknown, bp: Breakpoints): ErrorAnswer | null {
  if (system === undefined || typeof system === 'string') return null
  if (!Array.isArray(system)) return invalid('system', 'Input should be a valid string or list')
  for (const [j, block] of system.entries()) {
    const path = `system.${j}`
    if (!isObject(block)) return invalid(path, 'Input should be a valid dictionary')
    if (block.type !== 'text') return invalid(`${path}.type`, "Input should be 'text'")
    const bad = checkText(block, path) ?? bp.check(block, path)
    if (bad) return bad
  }
  return null
}

function checkTools(tools: unknown, bp: Breakpoints): ErrorAnswer | null {
  if (tools === undefined) return null
  if (!Array.isArray(tools)) return invalid('tools', 'Input should be a valid list')
  const names = new Set<string>()
  for (const [i, tool] of tools.entries()) {
    const path = `tools.${i}`
    if (!isObject(tool)) return invalid(path, 'Input should be a valid dictionary')
    if (typeof tool.name !== 'string') return required(`${path}.name`)
    // Server tools (`type: 'web_search_20250305'` and the like) carry no schema.
    const custom = tool.type === undefined || tool.type === null || tool.type === 'custom'
    if (custom) {
      if (!TOOL_NAME.test(tool.name)) {
        return invalid(`${path}.name`, `String should match pattern '${TOOL_NAME.source}'`)
      }
      if (tool.description !== undefined && typeof tool.description !== 'string') {
        return invalid(`${path}.description`, 'Input should be a valid string')
      }
      if (tool.input_schema === undefined) return required(`${path}.input_schema`)
      if (!isObject(tool.input_schema)) {
        return invalid(`${path}.input_schema`, 'Input should be a valid dictionary')
      }
      if (tool.input_schema.type !== 'object') {
        return invalid(`${path}.input_schema.type`, "Input should be 'object'")
      }
    }
    if (names.has(tool.name)) return anthropicInvalid('tools: Tool names must be unique.')
    names.add(tool.name)
    const bad = bp.check(tool, path)
    if (bad) return bad
  }
  return null
}

/**
 * Checks a `POST /v1/messages` request: its headers (a key, `anthropic-version`) and its parsed
 * body. Returns the answer the real API would give, or `null` when the request is acceptable.
 */
export function validateMessagesRequest(
  body: unknown,
  headers: IncomingHttpHeaders,
): ErrorAnswer | null {
  if (!headers['x-api-key'] && !headers.authorization) {
    const body = anthropicError('authentication_error', 'x-api-key header is required')
    return { status: 401, headers: {}, body }
  }
  if (!headers['anthropic-version']) {
    return anthropicInvalid('anthropic-version: header is required')
  }
  if (!isObject(body)) {
    return anthropicInvalid('There was an issue with your request body: it is not valid JSON.')
  }
  if (body.model === undefined) return required('model')
  if (typeof body.model !== 'string') return invalid('model', 'Input should be a valid string')
  const maxTokens = body.max_tokens
  if (maxTokens === undefined) return required('max_tokens')
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens)) {
    return invalid('max_tokens', 'Input should be a valid integer')
  }
  if (maxTokens < 1) return invalid('max_tokens', 'Input should be greater than or equal to 1')
  const messages = body.messages
  if (messages === undefined) return required('messages')
  if (!Array.isArray(messages)) return invalid('messages', 'Input should be a valid list')
  if (messages.length === 0) return anthropicInvalid('messages: at least one message is required')
  const bp = new Breakpoints()
  for (const [i, message] of messages.entries()) {
    const bad = checkMessage(message, i, i === messages.length - 1, bp)
    if (bad) return bad
  }
  const bad =
    checkConversation(messages as Json[]) ??
    checkSystem(body.system, bp) ??
    checkTools(body.tools, bp)
  if (bad) return bad
  if (bp.count > MAX_CACHE_BREAKPOINTS) {
    return anthropicInvalid(
      `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. ` +
        `Found ${bp.count}.`,
    )
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') {
    return invalid('stream', 'Input should be a valid boolean')
  }
  return null
}
