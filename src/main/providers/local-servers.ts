import { z } from 'zod'
import { fetchJson, fetchModelList } from './model-list'

/**
 * Find model servers running on this machine (or wherever the user points): Ollama, LM Studio and
 * vLLM at their default addresses, or any OpenAI-compatible server the user lists.
 */

export type LocalServerKind = 'ollama' | 'lmstudio' | 'vllm' | 'openai-compatible'

export interface LocalServerCandidate {
  kind: LocalServerKind
  /**
   * Ollama: its address (`http://127.0.0.1:11434`; a trailing `/v1` is accepted). Others: the
   * OpenAI-compatible base that `/models` hangs off (`http://127.0.0.1:1234/v1`).
   */
  baseUrl: string
}

export interface DetectedLocalServer {
  kind: LocalServerKind
  /** The OpenAI-compatible base to send requests to (for Ollama, its address + `/v1`). */
  baseUrl: string
  /** Model names as the server wants them in requests, in the server's order. */
  models: string[]
}

export interface DetectLocalServersOptions {
  /** Default {@link DEFAULT_LOCAL_SERVERS}. */
  candidates?: readonly LocalServerCandidate[]
  /** Per probe, in ms; probes run in parallel. Default 800. */
  timeoutMs?: number
  fetch?: typeof fetch
  signal?: AbortSignal
}

export const DEFAULT_LOCAL_SERVERS: readonly LocalServerCandidate[] = [
  { kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' },
  { kind: 'lmstudio', baseUrl: 'http://127.0.0.1:1234/v1' },
  { kind: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1' },
]

const DEFAULT_PROBE_TIMEOUT_MS = 800

/** Ollama's native listing, `GET /api/tags`. */
const OllamaTagsSchema = z
  .object({ models: z.array(z.object({ name: z.string().min(1) }).loose()) })
  .loose()

/**
 * Probe every candidate at once and return those that answered, in candidate order, each with its
 * models. A candidate that is down, slow, needs a key or speaks something else is left out, never
 * thrown; only the caller's own abort rejects.
 */
export async function detectLocalServers(
  opts: DetectLocalServersOptions = {},
): Promise<DetectedLocalServer[]> {
  const candidates = opts.candidates ?? DEFAULT_LOCAL_SERVERS
  const probeOpts = {
    timeoutMs: opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  }
  const results = await Promise.all(
    candidates.map((candidate) => probe(candidate, probeOpts).catch(() => null)),
  )
  opts.signal?.throwIfAborted()
  return results.filter((r): r is DetectedLocalServer => r !== null)
}

async function probe(
  candidate: LocalServerCandidate,
  opts: { timeoutMs: number; fetch?: typeof fetch; signal?: AbortSignal },
): Promise<DetectedLocalServer | null> {
  const base = candidate.baseUrl.replace(/\/+$/, '')
  if (candidate.kind === 'ollama') {
    const root = base.replace(/\/v1$/, '')
    const tags = OllamaTagsSchema.safeParse(await fetchJson(`${root}/api/tags`, opts))
    if (!tags.success) return null
    return { kind: 'ollama', baseUrl: `${root}/v1`, models: tags.data.models.map((m) => m.name) }
  }
  const models = await fetchModelList(base, opts)
  return { kind: candidate.kind, baseUrl: base, models: models.map((m) => m.id) }
}
