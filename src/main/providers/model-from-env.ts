import type { ModelSource } from './model-source'
import { keyEnvName } from './model-source'
import { createProviderFetch } from './http-client'
import type { NetworkSettings } from './http-client'
import { modelSource } from './presets'

/**
 * The hosts' model until provider settings exist: an OpenAI-compatible endpoint named by
 * PADDOCK_BASE_URL and PADDOCK_MODEL, its key read from the variable PADDOCK_API_KEY_ENV names
 * (default OPENAI_API_KEY; local servers need none). Null when not configured.
 */
export function modelFromEnv(
  env: NodeJS.ProcessEnv,
  network: NetworkSettings & { timeoutMs?: number } = {},
): ModelSource | null {
  const baseUrl = env.PADDOCK_BASE_URL
  const model = env.PADDOCK_MODEL
  if (!baseUrl || !model) return null
  const keyEnv = keyEnvName(env)
  return modelSource({
    provider: 'openai-compatible',
    model,
    baseUrl,
    apiKey: env[keyEnv] ?? '',
    keyEnv,
    fetch: createProviderFetch(network, env),
    ...(network.timeoutMs ? { timeoutMs: network.timeoutMs } : {}),
  })
}
