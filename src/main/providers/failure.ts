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
  const refused = refusedLoopback(err)
  if (refused) {
    return new ProviderError(
      'unreachable',
      `Nothing is listening at ${refused} — is the server running?`,
    )
  }
  if (kinds.isConnection) {
    const text = err instanceof Error ? err.message : String(err)
    return new ProviderError('network', `Cannot reach the model server: ${text}`)
  }
  if (kinds.isApiError) return null
  const text = err instanceof Error ? err.message : String(err)
  if (midStream) return new ProviderError('malformed_stream', `The stream broke: ${text}`)
  return new ProviderError('network', `The model request failed: ${text}`)
}

/**
 * `host:port` when the failure is a refused connection to this machine: nothing listens there, so
 * a retry cannot help (a remote refusal may be a load balancer's hiccup). Null otherwise.
 */
function refusedLoopback(err: unknown): string | null {
  let e: unknown = err
  for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const { code, address, port } = e as { code?: unknown; address?: unknown; port?: unknown }
    if (code === 'ECONNREFUSED' && typeof address === 'string' && isLoopback(address)) {
      const host = address.includes(':') ? `[${address}]` : address
      return typeof port === 'number' ? `${host}:${port}` : host
    }
    const inner = (e as { errors?: unknown }).errors
    e = Array.isArray(inner) && inner.length ? inner[0] : (e as { cause?: unknown }).cause
  }
  return null
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^127(\.\d{1,3}){3}$/.test(address)
}
