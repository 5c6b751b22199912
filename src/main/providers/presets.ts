import type { ModelSource } from './model-source'
import { createAnthropicStream } from './anthropic'
import type { ProviderId } from './catalog'
import { ModelCatalog } from './catalog'
import type { FetchFn } from './http-client'
import { createOpenAiCompatibleStream } from './openai-compatible'
import type { CacheKeyWire } from './openai-compatible'

/** How to reach each provider: its wire format, default address and the usual key variable. */
export interface ProviderPreset {
  wire: 'openai' | 'anthropic'
  baseUrl?: string
  keyEnv?: string
  /**
   * How the provider takes a per-session key that routes a session's requests to the machine
   * holding its prompt cache, where its documentation says it does (see {@link CacheKeyWire}).
   * Sent only to the preset's own host ({@link cacheKeyFor}). Absent: no key is sent, since a
   * strict server may refuse a field it does not know.
   */
  cacheKey?: CacheKeyWire
}

export const PROVIDER_PRESETS: Partial<Record<ProviderId, ProviderPreset>> = {
  openai: {
    wire: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    keyEnv: 'OPENAI_API_KEY',
    cacheKey: 'prompt_cache_key',
  },
  anthropic: {
    wire: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    keyEnv: 'ANTHROPIC_API_KEY',
  },
  openrouter: {
    wire: 'openai',
    baseUrl: 'https://openrouter.ai/api/v1',
    keyEnv: 'OPENROUTER_API_KEY',
  },
  deepseek: { wire: 'openai', baseUrl: 'https://api.deepseek.com/v1', keyEnv: 'DEEPSEEK_API_KEY' },
  moonshot: { wire: 'openai', baseUrl: 'https://api.moonshot.ai/v1', keyEnv: 'MOONSHOT_API_KEY' },
  zai: { wire: 'openai', baseUrl: 'https://api.z.ai/api/paas/v4', keyEnv: 'ZAI_API_KEY' },
  qwen: {
    wire: 'openai',
    baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
    keyEnv: 'DASHSCOPE_API_KEY',
  },
  groq: { wire: 'openai', baseUrl: 'https://api.groq.com/openai/v1', keyEnv: 'GROQ_API_KEY' },
  together: { wire: 'openai', baseUrl: 'https://api.together.xyz/v1', keyEnv: 'TOGETHER_API_KEY' },
  fireworks: {
    wire: 'openai',
    baseUrl: 'https://api.fireworks.ai/inference/v1',
    keyEnv: 'FIREWORKS_API_KEY',
  },
  // xAI's Chat Completions route by the `x-grok-conv-id` header (its `prompt_cache_key` is for the
  // Responses API only).
  xai: {
    wire: 'openai',
    baseUrl: 'https://api.x.ai/v1',
    keyEnv: 'XAI_API_KEY',
    cacheKey: 'x-grok-conv-id',
  },
  google: {
    wire: 'openai',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    keyEnv: 'GEMINI_API_KEY',
  },
  ollama: { wire: 'openai', baseUrl: 'http://127.0.0.1:11434/v1' },
  lmstudio: { wire: 'openai', baseUrl: 'http://127.0.0.1:1234/v1' },
  vllm: { wire: 'openai', baseUrl: 'http://127.0.0.1:8000/v1' },
  'openai-compatible': { wire: 'openai' },
}

/** Where and how to reach one model: the provider, its address and key. */
export interface ModelConnection {
  provider: ProviderId
  /** A canonical id (`kimi-k2`) or the provider's own name (`moonshotai/kimi-k2`). */
  model: string
  /** Overrides the preset's address. */
  baseUrl?: string
  apiKey: string
  /** The environment variable `apiKey` was read from, if any (see `ModelSource.keyEnv`). */
  keyEnv?: string
  fetch?: FetchFn
  /** Per-request timeout, in ms (default 10 minutes). */
  timeoutMs?: number
}

/**
 * The model a run uses: the canonical id for the log, usage and cost; the provider's name only in
 * the request. A model the catalog does not know is used as given, without prices.
 */
export function modelSource(
  choice: ModelConnection,
  catalog: ModelCatalog = new ModelCatalog(),
): ModelSource {
  const preset = PROVIDER_PRESETS[choice.provider]
  if (!preset) throw new Error(`Provider "${choice.provider}" is not supported yet.`)
  const baseUrl = choice.baseUrl ?? preset.baseUrl
  if (!baseUrl) throw new Error(`Provider "${choice.provider}" needs a base URL.`)
  const canonical = catalog.get(choice.model)
    ? choice.model
    : (catalog.canonicalId(choice.provider, choice.model) ?? choice.model)
  const known = catalog.get(canonical) !== undefined
  const providerModel = known ? catalog.providerModelName(canonical, choice.provider) : choice.model
  const pricing = known ? catalog.pricingFor(canonical, choice.provider) : undefined
  const images = catalog.get(canonical)?.capabilities.images === true
  const stream =
    preset.wire === 'anthropic'
      ? createAnthropicStream({
          baseUrl,
          apiKey: choice.apiKey,
          ...(choice.fetch ? { fetch: choice.fetch } : {}),
          ...(choice.timeoutMs ? { timeoutMs: choice.timeoutMs } : {}),
        })
      : createOpenAiCompatibleStream({
          baseUrl,
          apiKey: choice.apiKey,
          replayReasoning: catalog.replaysReasoning(canonical, choice.provider),
          ...cacheKeyFor(preset, baseUrl),
          ...(choice.fetch ? { fetch: choice.fetch } : {}),
          ...(choice.timeoutMs ? { timeoutMs: choice.timeoutMs } : {}),
        })
  return {
    model: canonical,
    providerModel,
    ...(pricing ? { pricing } : {}),
    ...(images ? { images } : {}),
    ...(choice.keyEnv ? { keyEnv: choice.keyEnv } : {}),
    stream,
  }
}

/**
 * The preset's cache-key wire, when the run talks to the preset's own host. The key is that
 * service's field: the same preset at another address (Azure, a company proxy, `--base-url`) is
 * another server, which may refuse a field it does not know.
 */
function cacheKeyFor(preset: ProviderPreset, baseUrl: string): { cacheKey?: CacheKeyWire } {
  if (!preset.cacheKey || !preset.baseUrl) return {}
  return hostOf(baseUrl) === hostOf(preset.baseUrl) ? { cacheKey: preset.cacheKey } : {}
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase()
  } catch {
    return null
  }
}
