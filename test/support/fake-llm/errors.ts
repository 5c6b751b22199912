import type { IncomingHttpHeaders } from 'node:http'
import type { ErrorSpec } from './types'

/** The body every OpenAI error response carries. */
export interface ApiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null }
}

/** A complete HTTP error answer: status, extra headers and JSON body. */
export interface ErrorAnswer {
  status: number
  headers: Record<string, string>
  body: object
}

export function apiError(
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
): ApiErrorBody {
  return { error: { message, type, param, code } }
}

/** A 400 `invalid_request_error`, the answer to every validation failure. */
export function invalidRequest(
  message: string,
  param: string | null = null,
  code: string | null = null,
): ErrorAnswer {
  return { status: 400, headers: {}, body: apiError(message, 'invalid_request_error', param, code) }
}

/** The real API's answer to an unknown path or method. */
export function notFound(method: string, path: string): ErrorAnswer {
  return {
    status: 404,
    headers: {},
    body: apiError(`Invalid URL (${method} ${path})`, 'invalid_request_error'),
  }
}

/** The answer when the test scripted fewer turns than the code under test asked for. */
export function noTurnLeft(requestNumber: number, consumed: number): ErrorAnswer {
  return {
    status: 500,
    headers: {},
    body: apiError(
      `fake LLM: no scripted turn left for request #${requestNumber} ` +
        `(${consumed} turn(s) scripted and consumed)`,
      'server_error',
    ),
  }
}

/** Masks a key the way the real 401 message does: first and last few characters kept. */
function maskKey(headers: IncomingHttpHeaders): string {
  const auth = headers.authorization ?? ''
  const key = auth.replace(/^Bearer\s+/i, '')
  if (key.length <= 8) return key
  return `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 20))}${key.slice(-4)}`
}

export function contextOverflow(limit: number, requested: number): ErrorAnswer {
  return invalidRequest(
    `This model's maximum context length is ${limit} tokens. However, your messages resulted ` +
      `in ${requested} tokens. Please reduce the length of the messages.`,
    'messages',
    'context_length_exceeded',
  )
}

/** Turns a scripted error into the status, headers and body the real API would send. */
export function scriptedError(
  spec: ErrorSpec,
  model: string,
  headers: IncomingHttpHeaders,
): ErrorAnswer {
  if (spec === 'context_overflow') return contextOverflow(128_000, 130_000)
  if ('contextOverflow' in spec) {
    const limit = spec.contextOverflow.limit ?? 128_000
    return contextOverflow(limit, spec.contextOverflow.requested ?? limit + 2_000)
  }
  const extra: Record<string, string> = 'headers' in spec ? { ...spec.headers } : {}
  if ('body' in spec && spec.body !== undefined) {
    return { status: spec.status, headers: extra, body: spec.body }
  }
  if (spec.status === 429) {
    const wait = 'retryAfter' in spec ? spec.retryAfter : undefined
    if (wait !== undefined) extra['retry-after'] = String(wait)
    const message =
      spec.message ??
      `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): ` +
        `Limit 3, Used 3, Requested 1. Please try again in ${wait ?? 20}s.`
    return {
      status: 429,
      headers: extra,
      body: apiError(message, 'requests', null, 'rate_limit_exceeded'),
    }
  }
  if (spec.status === 401) {
    const message =
      spec.message ??
      `Incorrect API key provided: ${maskKey(headers)}. You can find your API key at ` +
        'https://platform.openai.com/account/api-keys.'
    return {
      status: 401,
      headers: extra,
      body: apiError(message, 'invalid_request_error', null, 'invalid_api_key'),
    }
  }
  if (spec.status >= 500) {
    const message =
      spec.message ?? 'The server had an error while processing your request. Sorry about that!'
    return { status: spec.status, headers: extra, body: apiError(message, 'server_error') }
  }
  const message = spec.message ?? `fake LLM: scripted error ${spec.status}`
  return { status: spec.status, headers: extra, body: apiError(message, 'invalid_request_error') }
}
