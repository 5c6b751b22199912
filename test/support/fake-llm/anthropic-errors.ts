import type { ErrorAnswer } from './errors'
import type { ErrorSpec } from './types'

/** The body every Anthropic error response (and `event: error`) carries. */
export interface AnthropicErrorBody {
  type: 'error'
  error: { type: string; message: string }
}

export function anthropicError(type: string, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type, message } }
}

/** A 400 `invalid_request_error`, the answer to every validation failure. */
export function anthropicInvalid(message: string): ErrorAnswer {
  return { status: 400, headers: {}, body: anthropicError('invalid_request_error', message) }
}

/** The answer when the test scripted fewer turns than the code under test asked for. */
export function anthropicNoTurnLeft(requestNumber: number, consumed: number): ErrorAnswer {
  return {
    status: 500,
    headers: {},
    body: anthropicError(
      'api_error',
      `fake LLM: no scripted turn left for request #${requestNumber} ` +
        `(${consumed} turn(s) scripted and consumed)`,
    ),
  }
}

/** The error type the real API uses for a status, when the script does not give a body. */
function typeFor(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error'
    case 402:
      return 'billing_error'
    case 403:
      return 'permission_error'
    case 404:
      return 'not_found_error'
    case 413:
      return 'request_too_large'
    case 429:
      return 'rate_limit_error'
    case 504:
      return 'timeout_error'
    case 529:
      return 'overloaded_error'
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error'
  }
}

const DEFAULT_MESSAGES: Record<string, string> = {
  authentication_error: 'invalid x-api-key',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'The requested resource could not be found.',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error:
    'This request would exceed the rate limit for your organization of 50 requests per minute.',
  timeout_error: 'Request timed out.',
  overloaded_error: 'Overloaded',
  api_error: 'Internal server error',
}

export function promptTooLong(limit: number, requested: number): ErrorAnswer {
  return anthropicInvalid(`prompt is too long: ${requested} tokens > ${limit} maximum`)
}

/**
 * Turns a scripted error into the status, headers and body Anthropic's API would send. The
 * same {@link ErrorSpec} as the OpenAI path; context overflow defaults to 210000 > 200000.
 */
export function scriptedAnthropicError(spec: ErrorSpec): ErrorAnswer {
  if (spec === 'context_overflow') return promptTooLong(200_000, 210_000)
  if ('contextOverflow' in spec) {
    const limit = spec.contextOverflow.limit ?? 200_000
    return promptTooLong(limit, spec.contextOverflow.requested ?? limit + 10_000)
  }
  const extra: Record<string, string> = 'headers' in spec ? { ...spec.headers } : {}
  if ('body' in spec && spec.body !== undefined) {
    return { status: spec.status, headers: extra, body: spec.body }
  }
  if (spec.status === 429 && 'retryAfter' in spec && spec.retryAfter !== undefined) {
    extra['retry-after'] = String(spec.retryAfter)
  }
  const type = typeFor(spec.status)
  const message =
    spec.message ?? DEFAULT_MESSAGES[type] ?? `fake LLM: scripted error ${spec.status}`
  return { status: spec.status, headers: extra, body: anthropicError(type, message) }
}
