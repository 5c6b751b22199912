import type { ProviderRequest } from './types'

/**
 * Run one model request under its own signal, aborted with the run's and unlinked when the
 * request ends. The OpenAI SDK adds an abort listener to the signal of every request and never
 * removes it, so a run's signal reused across its requests would collect one per step.
 */
export async function* withOwnSignal<T>(
  request: ProviderRequest,
  run: (request: ProviderRequest) => AsyncIterable<T>,
): AsyncGenerator<T> {
  const own = new AbortController()
  const follow = (): void => own.abort(request.signal.reason)
  if (request.signal.aborted) follow()
  else request.signal.addEventListener('abort', follow, { once: true })
  try {
    yield* run({ ...request, signal: own.signal })
  } finally {
    request.signal.removeEventListener('abort', follow)
  }
}
