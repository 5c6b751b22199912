import type { ErrorAnswer } from './errors'
import { invalidRequest } from './errors'

/**
 * Request validation the way the real Chat Completions API does it, with its messages, `param`
 * paths and codes (quirks included: the tool-ordering errors use `messages.[i].role`). Only
 * what a client can get wrong in practice is checked; unknown top-level keys are accepted.
 */

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** How the real API names a JSON value's type in "Invalid type" messages. */
function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return 'a string'
  if (typeof value === 'boolean') return 'a boolean'
  return typeof value
}

function missing(param: string): ErrorAnswer {
  return invalidRequest(
    `Missing required parameter: '${param}'.`,
    param,
    'missing_required_parameter',
  )
}

function wrongType(param: string, expected: string, value: unknown): ErrorAnswer {
  return invalidRequest(
    `Invalid type for '${param}': expected ${expected}, but got ${typeName(value)} instead.`,
    param,
    'invalid_type',
  )
}

function wrongValue(param: string, value: unknown, supported: readonly string[]): ErrorAnswer {
  const list = supported.map((s) => `'${s}'`)
  const last = list.pop()
  const joined = list.length > 0 ? `${list.join(', ')}, and ${last}` : `${last}`
  return invalidRequest(
    `Invalid value: '${String(value)}'. Supported values are: ${joined}.`,
    param,
    'invalid_value',
  )
}

function checkContent(message: Json, i: number, optional: boolean): ErrorAnswer | null {
  const content = message.content
  const param = `messages[${i}].content`
  if (content === undefined || content === null) {
    if (optional) return null
    // An assistant message with neither content nor tool calls: the real API's own wording.
    if (message.role === 'assistant') {
      return invalidRequest(
        "Invalid value for 'content': expected a string, got null.",
        `messages.[${i}].content`,
      )
    }
    if (content === null) return wrongType(param, 'one of a string or array of objects', null)
    return missing(param)
  }
  if (typeof content === 'string') return null
  if (!Array.isArray(content)) {
    return wrongType(param, 'one of a string or array of objects', content)
  }
  for (const [j, part] of content.entries()) {
    if (!isObject(part)) return wrongType(`${param}[${j}]`, 'an object', part)
    if (typeof part.type !== 'string') return missing(`${param}[${j}].type`)
    if (part.type === 'image_url') {
      const bad = checkImagePart(message, part, `${param}[${j}]`)
      if (bad) return bad
    }
  }
  return null
}

/** An image part: only in a user message, with a `url` string. */
function checkImagePart(message: Json, part: Json, param: string): ErrorAnswer | null {
  if (message.role !== 'user') {
    return invalidRequest(
      `Invalid '${param}'. Image URLs are only allowed for messages with role 'user', but this ` +
        `message with role '${String(message.role)}' contains an image URL.`,
      param,
      'invalid_value',
    )
  }
  const image = part.image_url
  if (!isObject(image)) return missing(`${param}.image_url`)
  if (typeof image.url !== 'string')
    return wrongType(`${param}.image_url.url`, 'a string', image.url)
  return null
}

function checkToolCalls(message: Json, at: string): ErrorAnswer | null {
  const calls = message.tool_calls
  if (calls === undefined) return null
  if (!Array.isArray(calls)) return wrongType(`${at}.tool_calls`, 'an array', calls)
  if (calls.length === 0) {
    return invalidRequest(
      `Invalid '${at}.tool_calls': empty array. Expected an array with minimum length 1, ` +
        'but got an empty array instead.',
      `${at}.tool_calls`,
      'empty_array',
    )
  }
  for (const [j, call] of calls.entries()) {
    const p = `${at}.tool_calls[${j}]`
    if (!isObject(call)) return wrongType(p, 'an object', call)
    if (call.id === undefined) return missing(`${p}.id`)
    if (typeof call.id !== 'string') return wrongType(`${p}.id`, 'a string', call.id)
    if (call.type === undefined) return missing(`${p}.type`)
    if (call.type !== 'function') return wrongValue(`${p}.type`, call.type, ['function'])
    const fn = call.function
    if (fn === undefined) return missing(`${p}.function`)
    if (!isObject(fn)) return wrongType(`${p}.function`, 'an object', fn)
    if (fn.name === undefined) return missing(`${p}.function.name`)
    if (typeof fn.name !== 'string') return wrongType(`${p}.function.name`, 'a string', fn.name)
    if (fn.arguments === undefined) return missing(`${p}.function.arguments`)
    if (typeof fn.arguments !== 'string') {
      return wrongType(`${p}.function.arguments`, 'a string', fn.arguments)
    }
  }
  return null
}

/** Shape of each message, one at a time, before the ordering rules are checked. */
function checkMessage(message: unknown, i: number): ErrorAnswer | null {
  const at = `messages[${i}]`
  if (!isObject(message)) return wrongType(at, 'an object', message)
  if (message.role === undefined) return missing(`${at}.role`)
  if (!ROLES.includes(message.role as (typeof ROLES)[number])) {
    return wrongValue(`${at}.role`, message.role, ROLES)
  }
  if (message.role === 'assistant') {
    const bad = checkToolCalls(message, at)
    if (bad) return bad
    return checkContent(message, i, message.tool_calls !== undefined)
  }
  if (message.role === 'tool') {
    if (message.tool_call_id === undefined) return missing(`${at}.tool_call_id`)
    if (typeof message.tool_call_id !== 'string') {
      return wrongType(`${at}.tool_call_id`, 'a string', message.tool_call_id)
    }
  }
  return checkContent(message, i, false)
}

function unanswered(assistantIndex: number, ids: string[]): ErrorAnswer {
  return invalidRequest(
    "An assistant message with 'tool_calls' must be followed by tool messages responding to " +
      `each 'tool_call_id'. The following tool_call_ids did not have response messages: ` +
      ids.join(', '),
    `messages.[${assistantIndex}].role`,
  )
}

/**
 * Every tool message answers a call of the assistant message right before its run of tool
 * messages, and every such call is answered before the next non-tool message.
 */
function checkToolOrdering(messages: Json[]): ErrorAnswer | null {
  let open: { index: number; ids: string[]; answered: Set<string> } | null = null
  for (const [i, message] of messages.entries()) {
    if (message.role === 'tool') {
      const id = message.tool_call_id as string
      if (!open || !open.ids.includes(id)) {
        return invalidRequest(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding " +
            "message with 'tool_calls'.",
          `messages.[${i}].role`,
        )
      }
      open.answered.add(id)
      continue
    }
    if (open) {
      const left = open.ids.filter((id) => !open?.answered.has(id))
      if (left.length > 0) return unanswered(open.index, left)
      open = null
    }
    if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
      const ids = (message.tool_calls as Json[]).map((call) => call.id as string)
      open = { index: i, ids, answered: new Set() }
    }
  }
  if (open) {
    const left = open.ids.filter((id) => !open?.answered.has(id))
    if (left.length > 0) return unanswered(open.index, left)
  }
  return null
}

function checkTools(tools: unknown): ErrorAnswer | null {
  if (tools === undefined) return null
  if (!Array.isArray(tools)) return wrongType('tools', 'an array', tools)
  for (const [i, tool] of tools.entries()) {
    const p = `tools[${i}]`
    if (!isObject(tool)) return wrongType(p, 'an object', tool)
    if (tool.type === undefined) return missing(`${p}.type`)
    if (tool.type !== 'function') return wrongValue(`${p}.type`, tool.type, ['function'])
    const fn = tool.function
    if (fn === undefined) return missing(`${p}.function`)
    if (!isObject(fn)) return wrongType(`${p}.function`, 'an object', fn)
    if (fn.name === undefined) return missing(`${p}.function.name`)
    if (typeof fn.name !== 'string') return wrongType(`${p}.function.name`, 'a string', fn.name)
    if (!TOOL_NAME.test(fn.name)) {
      return invalidRequest(
        `Invalid '${p}.function.name': string does not match pattern. Expected a string that ` +
          `matches the pattern '^[a-zA-Z0-9_-]+$'.`,
        `${p}.function.name`,
        'invalid_value',
      )
    }
    if (fn.description !== undefined && typeof fn.description !== 'string') {
      return wrongType(`${p}.function.description`, 'a string', fn.description)
    }
    if (fn.parameters !== undefined && !isObject(fn.parameters)) {
      return wrongType(`${p}.function.parameters`, 'an object', fn.parameters)
    }
  }
  return null
}

/**
 * Checks a parsed chat completion request body. Returns the 400 answer the real API would
 * give, or `null` when the request is acceptable.
 */
export function validateChatRequest(body: unknown): ErrorAnswer | null {
  if (!isObject(body)) {
    return invalidRequest(
      'We could not parse the JSON body of your request. (HINT: This likely means you ' +
        "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but " +
        'what was sent was not valid JSON.)',
    )
  }
  if (body.model === undefined) return invalidRequest('you must provide a model parameter')
  if (typeof body.model !== 'string') return wrongType('model', 'a string', body.model)
  const messages = body.messages
  if (messages === undefined) return missing('messages')
  if (!Array.isArray(messages)) return wrongType('messages', 'an array', messages)
  if (messages.length === 0) {
    return invalidRequest(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an " +
        'empty array instead.',
      'messages',
      'empty_array',
    )
  }
  for (const [i, message] of messages.entries()) {
    const bad = checkMessage(message, i)
    if (bad) return bad
  }
  const ordering = checkToolOrdering(messages as Json[])
  if (ordering) return ordering
  const tools = checkTools(body.tools)
  if (tools) return tools
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    return wrongType('stream', 'a boolean', body.stream)
  }
  if (body.stream_options !== undefined && body.stream_options !== null && body.stream !== true) {
    return invalidRequest(
      "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      'stream_options',
    )
  }
  return null
}
