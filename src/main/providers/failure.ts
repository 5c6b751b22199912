import { ProviderError } from './types'

/**
 * What each provider family says when a conversation does not fit the model
 * (test/fixtures/context-overflow.json records them, with sources). One list for every adapter.
 */
export const CONTEXT_OVERFLOW =
  /context[_ ]length|maximum context|context window|too many tokens|prompt is too long|maximum prompt length|input token count .*exceeds|reduce the length of the messages|exceeds the available context size|context size has been exceeded|exceed_context_size/i

/**
 * The classification every adapter shares before it looks at an API error: an abort, a failure to
 * connect, or something that is no API error at all (a broken stream mid-way, a network failure).
 * Returns null for API errors, which each adapter classifies by its own status and body.
 */
export function classifyTransport(
  err: unknown,
  signal: AbortSignal,
  kinds: { isAbort: boolean; isConnection: boolean; isApiError: boolean },
  midStream: boolean,
): ProviderError | null {
  if (err instanceof ProviderError) return err
  if (signal.aborted || kinds.isAbort)
    return new ProviderError('aborted', 'The request was aborted.')
  if (kinds.isConnection) {
    const text = err instanceof Error ? err.message : String(err)
    return new ProviderError('network', `Cannot reach the model server: ${text}`)
  }
  if (kinds.isApiError) return null
  const text = err instanceof Error ? err.message : String(err)
  if (midStream) return new ProviderError('malformed_stream', `The stream broke: ${text}`)
  return new ProviderError('network', `The model request failed: ${text}`)
}
