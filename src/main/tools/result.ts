import type { ToolResult } from './types'

export function ok(content: string, details?: Record<string, unknown>): ToolResult {
  return details ? { content, isError: false, details } : { content, isError: false }
}

export function fail(content: string, details?: Record<string, unknown>): ToolResult {
  return details ? { content, isError: true, details } : { content, isError: true }
}

/** The result of a call cancelled through `ctx.signal`. */
export function aborted(details?: Record<string, unknown>): ToolResult {
  return fail('Aborted', details)
}
