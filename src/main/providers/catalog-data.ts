import type { ModelInfo, Pricing } from './catalog'

/**
 * The bundled model catalog: data only, validated by `BundledCatalogSchema` when `catalog.ts`
 * loads. Prices are USD per million tokens, a dated snapshot of each source (`asOf`); users
 * correct or extend them in settings. A provider name appears only where we are sure of it: an
 * absent name means "not known here", not "not served there".
 *
 * contextWindow is prompt + completion per request; maxOutput is the most completion tokens one
 * request may ask for. Where hosts differ, the smaller (safer) figure is used.
 */

const ANTHROPIC = 'https://www.anthropic.com/pricing#api'
const OPENAI = 'https://openai.com/api/pricing/'
const GOOGLE = 'https://ai.google.dev/gemini-api/docs/pricing'
const DEEPSEEK = 'https://api-docs.deepseek.com/quick_start/pricing'
const MOONSHOT = 'https://platform.moonshot.ai/docs/pricing/chat'
const ZAI = 'https://docs.z.ai/guides/overview/pricing'
const QWEN = 'https://www.alibabacloud.com/help/en/model-studio/models'
const XAI = 'https://docs.x.ai/docs/models'
const GROQ = 'https://groq.com/pricing'
const MISTRAL = 'https://mistral.ai/pricing'

/** Models that only run on the user's own hardware. */
const LOCAL: Pricing = {
  input: 0,
  output: 0,
  source: 'local inference: no per-token charge',
  asOf: '2025-08-01',
}

const ALL = { tools: true, reasoning: true, images: true }
const TEXT_REASONING = { tools: true, reasoning: true, images: false }
const TEXT_TOOLS = { tools: true, reasoning: false, images: false }

export const BUNDLED_MODELS = [
  // Anthropic. Sonnet's 1M-token window is a beta; above 200k prompt tokens the long tier applies.
  {
    id: 'claude-sonnet-4-5',
    name: 'Claude Sonnet 4.5',
    providers: {
      anthropic: 'claude-sonnet-4-5',
      openrouter: 'anthropic/claude-sonnet-4.5',
      bedrock: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
    },
    contextWindow: 200_000,
    maxOutput: 64_000,
    capabilities: ALL,
    pricing: {
      input: 3,
      output: 15,
      cacheRead: 0.3,
      cacheWrite: 3.75,
      tiers: [{ above: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5 }],
      source: ANTHROPIC,
      asOf: '2025-09-29',
    },
  },
  {
    id: 'claude-sonnet-4',
    name: 'Claude Sonnet 4',
    providers: {
      anthropic: 'claude-sonnet-4-20250514',
      openrouter: 'anthropic/claude-sonnet-4',
      bedrock: 'anthropic.claude-sonnet-4-20250514-v1:0',
    },
    contextWindow: 200_000,
    maxOutput: 64_000,
    capabilities: ALL,
    pricing: {
      input: 3,
      output: 15,
      cacheRead: 0.3,
      cacheWrite: 3.75,
      tiers: [{ above: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5 }],
      source: ANTHROPIC,
      asOf: '2025-05-22',
    },
  },
  {
    id: 'claude-opus-4-5',
    name: 'Claude Opus 4.5',
    providers: {
      anthropic: 'claude-opus-4-5',
      openrouter: 'anthropic/claude-opus-4.5',
      bedrock: 'anthropic.claude-opus-4-5-20251101-v1:0',
    },
    contextWindow: 200_000,
    maxOutput: 64_000,
    capabilities: ALL,
    pricing: {
      input: 5,
      output: 25,
      cacheRead: 0.5,
      cacheWrite: 6.25,
      source: ANTHROPIC,
      asOf: '2025-11-24',
    },
  },
  {
    id: 'claude-opus-4-1',
    name: 'Claude Opus 4.1',
    providers: {
      anthropic: 'claude-opus-4-1',
      openrouter: 'anthropic/claude-opus-4.1',
      bedrock: 'anthropic.claude-opus-4-1-20250805-v1:0',
    },
    contextWindow: 200_000,
    maxOutput: 32_000,
    capabilities: ALL,
    pricing: {
      input: 15,
      output: 75,
      cacheRead: 1.5,
      cacheWrite: 18.75,
      source: ANTHROPIC,
      asOf: '2025-08-05',
    },
  },
  {
    id: 'claude-haiku-4-5',
    name: 'Claude Haiku 4.5',
    providers: {
      anthropic: 'claude-haiku-4-5',
      openrouter: 'anthropic/claude-haiku-4.5',
      bedrock: 'anthropic.claude-haiku-4-5-20251001-v1:0',
    },
    contextWindow: 200_000,
    maxOutput: 64_000,
    capabilities: ALL,
    pricing: {
      input: 1,
      output: 5,
      cacheRead: 0.1,
      cacheWrite: 1.25,
      source: ANTHROPIC,
      asOf: '2025-10-15',
    },
  },

  // OpenAI. GPT-5's 400k window is 272k prompt + 128k output.
  {
    id: 'gpt-5',
    name: 'GPT-5',
    providers: { openai: 'gpt-5', openrouter: 'openai/gpt-5' },
    contextWindow: 400_000,
    maxOutput: 128_000,
    capabilities: ALL,
    pricing: { input: 1.25, output: 10, cacheRead: 0.125, source: OPENAI, asOf: '2025-08-07' },
  },
  {
    id: 'gpt-5-codex',
    name: 'GPT-5-Codex',
    providers: { openai: 'gpt-5-codex', openrouter: 'openai/gpt-5-codex' },
    contextWindow: 400_000,
    maxOutput: 128_000,
    capabilities: ALL,
    pricing: { input: 1.25, output: 10, cacheRead: 0.125, source: OPENAI, asOf: '2025-09-15' },
  },
  {
    id: 'gpt-5-mini',
    name: 'GPT-5 mini',
    providers: { openai: 'gpt-5-mini', openrouter: 'openai/gpt-5-mini' },
    contextWindow: 400_000,
    maxOutput: 128_000,
    capabilities: ALL,
    pricing: { input: 0.25, output: 2, cacheRead: 0.025, source: OPENAI, asOf: '2025-08-07' },
  },
  {
    id: 'gpt-5-nano',
    name: 'GPT-5 nano',
    providers: { openai: 'gpt-5-nano', openrouter: 'openai/gpt-5-nano' },
    contextWindow: 400_000,
    maxOutput: 128_000,
    capabilities: ALL,
    pricing: { input: 0.05, output: 0.4, cacheRead: 0.005, source: OPENAI, asOf: '2025-08-07' },
  },
  {
    id: 'gpt-4.1',
    name: 'GPT-4.1',
    providers: { openai: 'gpt-4.1', openrouter: 'openai/gpt-4.1' },
    contextWindow: 1_047_576,
    maxOutput: 32_768,
    capabilities: { tools: true, reasoning: false, images: true },
    pricing: { input: 2, output: 8, cacheRead: 0.5, source: OPENAI, asOf: '2025-04-14' },
  },
  {
    id: 'o3',
    name: 'o3',
    providers: { openai: 'o3', openrouter: 'openai/o3' },
    contextWindow: 200_000,
    maxOutput: 100_000,
    capabilities: ALL,
    pricing: { input: 2, output: 8, cacheRead: 0.5, source: OPENAI, asOf: '2025-06-10' },
  },
  {
    id: 'o4-mini',
    name: 'o4-mini',
    providers: { openai: 'o4-mini', openrouter: 'openai/o4-mini' },
    contextWindow: 200_000,
    maxOutput: 100_000,
    capabilities: ALL,
    pricing: { input: 1.1, output: 4.4, cacheRead: 0.275, source: OPENAI, asOf: '2025-04-16' },
  },

  // OpenAI open weights: no first-party API, so Groq's price is the reference.
  {
    id: 'gpt-oss-120b',
    name: 'gpt-oss-120b',
    providers: {
      openrouter: 'openai/gpt-oss-120b',
      groq: 'openai/gpt-oss-120b',
      together: 'openai/gpt-oss-120b',
      fireworks: 'accounts/fireworks/models/gpt-oss-120b',
      ollama: 'gpt-oss:120b',
      lmstudio: 'openai/gpt-oss-120b',
      vllm: 'openai/gpt-oss-120b',
    },
    contextWindow: 131_072,
    maxOutput: 32_768,
    capabilities: TEXT_REASONING,
    pricing: { input: 0.15, output: 0.6, cacheRead: 0.075, source: GROQ, asOf: '2026-05-27' },
  },
  {
    id: 'gpt-oss-20b',
    name: 'gpt-oss-20b',
    providers: {
      openrouter: 'openai/gpt-oss-20b',
      groq: 'openai/gpt-oss-20b',
      together: 'openai/gpt-oss-20b',
      fireworks: 'accounts/fireworks/models/gpt-oss-20b',
      ollama: 'gpt-oss:20b',
      lmstudio: 'openai/gpt-oss-20b',
      vllm: 'openai/gpt-oss-20b',
    },
    contextWindow: 131_072,
    maxOutput: 32_768,
    capabilities: TEXT_REASONING,
    pricing: { input: 0.075, output: 0.3, cacheRead: 0.0375, source: GROQ, asOf: '2026-05-27' },
  },

  // Google. Above 200k prompt tokens Gemini 2.5 Pro bills the long tier.
  {
    id: 'gemini-2.5-pro',
    name: 'Gemini 2.5 Pro',
    providers: { google: 'gemini-2.5-pro', openrouter: 'google/gemini-2.5-pro' },
    contextWindow: 1_048_576,
    maxOutput: 65_536,
    capabilities: ALL,
    pricing: {
      input: 1.25,
      output: 10,
      cacheRead: 0.31,
      tiers: [{ above: 200_000, input: 2.5, output: 15, cacheRead: 0.625 }],
      source: GOOGLE,
      asOf: '2025-06-17',
    },
  },
  {
    id: 'gemini-2.5-flash',
    name: 'Gemini 2.5 Flash',
    providers: { google: 'gemini-2.5-flash', openrouter: 'google/gemini-2.5-flash' },
    contextWindow: 1_048_576,
    maxOutput: 65_536,
    capabilities: ALL,
    pricing: { input: 0.3, output: 2.5, cacheRead: 0.075, source: GOOGLE, asOf: '2025-06-17' },
  },

  // xAI.
  {
    id: 'grok-code-fast-1',
    name: 'Grok Code Fast 1',
    providers: { xai: 'grok-code-fast-1', openrouter: 'x-ai/grok-code-fast-1' },
    contextWindow: 256_000,
    maxOutput: 10_000,
    capabilities: TEXT_REASONING,
    pricing: { input: 0.2, output: 1.5, cacheRead: 0.02, source: XAI, asOf: '2025-08-28' },
  },
  {
    id: 'grok-4',
    name: 'Grok 4',
    providers: { xai: 'grok-4', openrouter: 'x-ai/grok-4' },
    contextWindow: 256_000,
    maxOutput: 8_192,
    capabilities: TEXT_REASONING,
    pricing: { input: 3, output: 15, cacheRead: 0.75, source: XAI, asOf: '2025-07-09' },
  },

  // DeepSeek. `deepseek-chat` / `deepseek-reasoner` are DeepSeek's moving aliases (V3.1's
  // non-thinking and thinking modes when this was written); the price is the one set 2025-09-05.
  {
    id: 'deepseek-v3.1',
    name: 'DeepSeek V3.1',
    providers: { deepseek: 'deepseek-chat', openrouter: 'deepseek/deepseek-chat-v3.1' },
    contextWindow: 131_072,
    maxOutput: 8_192,
    capabilities: TEXT_TOOLS,
    pricing: { input: 0.56, output: 1.68, cacheRead: 0.07, source: DEEPSEEK, asOf: '2025-09-05' },
  },
  {
    id: 'deepseek-r1',
    name: 'DeepSeek R1',
    providers: {
      deepseek: 'deepseek-reasoner',
      openrouter: 'deepseek/deepseek-r1-0528',
      together: 'deepseek-ai/DeepSeek-R1',
      bedrock: 'deepseek.r1-v1:0',
    },
    contextWindow: 131_072,
    maxOutput: 32_768,
    capabilities: TEXT_REASONING,
    pricing: { input: 0.56, output: 1.68, cacheRead: 0.07, source: DEEPSEEK, asOf: '2025-09-05' },
  },

  // Moonshot. Groq serves Kimi K2 at its own price.
  {
    id: 'kimi-k2',
    name: 'Kimi K2',
    providers: {
      openrouter: 'moonshotai/kimi-k2',
      moonshot: 'kimi-k2-0905-preview',
      groq: 'moonshotai/kimi-k2-instruct',
      together: 'moonshotai/Kimi-K2-Instruct',
    },
    contextWindow: 131_072,
    maxOutput: 16_384,
    capabilities: TEXT_TOOLS,
    pricing: { input: 0.6, output: 2.5, cacheRead: 0.15, source: MOONSHOT, asOf: '2025-09-05' },
    providerPricing: { groq: { input: 1, output: 3, source: GROQ, asOf: '2025-07-14' } },
  },
  {
    id: 'kimi-k2-thinking',
    name: 'Kimi K2 Thinking',
    providers: {
      moonshot: 'kimi-k2-thinking',
      openrouter: 'moonshotai/kimi-k2-thinking',
      fireworks: 'accounts/fireworks/models/kimi-k2-thinking',
    },
    contextWindow: 262_144,
    maxOutput: 32_768,
    capabilities: TEXT_REASONING,
    pricing: { input: 0.6, output: 2.5, cacheRead: 0.15, source: MOONSHOT, asOf: '2025-11-06' },
  },

  // Z.ai (Zhipu). GLM models think or not per request.
  {
    id: 'glm-4.6',
    name: 'GLM-4.6',
    providers: { zai: 'glm-4.6', openrouter: 'z-ai/glm-4.6' },
    contextWindow: 204_800,
    maxOutput: 131_072,
    capabilities: TEXT_REASONING,
    pricing: { input: 0.6, output: 2.2, cacheRead: 0.11, source: ZAI, asOf: '2025-09-30' },
  },
  {
    id: 'glm-4.5',
    name: 'GLM-4.5',
    providers: { zai: 'glm-4.5', openrouter: 'z-ai/glm-4.5' },
    contextWindow: 131_072,
    maxOutput: 98_304,
    capabilities: TEXT_REASONING,
    pricing: { input: 0.6, output: 2.2, cacheRead: 0.11, source: ZAI, asOf: '2025-07-28' },
  },
  {
    id: 'glm-4.5-air',
    name: 'GLM-4.5-Air',
    providers: { zai: 'glm-4.5-air', openrouter: 'z-ai/glm-4.5-air' },
    contextWindow: 131_072,
    maxOutput: 98_304,
    capabilities: TEXT_REASONING,
    pricing: { input: 0.2, output: 1.1, cacheRead: 0.03, source: ZAI, asOf: '2025-07-28' },
  },

  // Qwen. Model Studio bills by prompt length in tiers.
  {
    id: 'qwen3-coder',
    name: 'Qwen3 Coder 480B A35B',
    providers: {
      qwen: 'qwen3-coder-480b-a35b-instruct',
      openrouter: 'qwen/qwen3-coder',
      together: 'Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8',
      vllm: 'Qwen/Qwen3-Coder-480B-A35B-Instruct',
    },
    contextWindow: 262_144,
    maxOutput: 65_536,
    capabilities: TEXT_TOOLS,
    pricing: {
      input: 1.5,
      output: 7.5,
      tiers: [
        { above: 32_000, input: 2.7, output: 13.5 },
        { above: 128_000, input: 4.5, output: 22.5 },
        { above: 256_000, input: 9, output: 90 },
      ],
      source: QWEN,
      asOf: '2025-07-23',
    },
  },
  {
    id: 'qwen3-coder-plus',
    name: 'Qwen3 Coder Plus',
    providers: { qwen: 'qwen3-coder-plus', openrouter: 'qwen/qwen3-coder-plus' },
    contextWindow: 1_048_576,
    maxOutput: 65_536,
    capabilities: TEXT_TOOLS,
    pricing: {
      input: 1,
      output: 5,
      cacheRead: 0.2,
      cacheWrite: 1.25,
      tiers: [
        { above: 32_000, input: 1.8, output: 9, cacheRead: 0.36, cacheWrite: 2.25 },
        { above: 128_000, input: 3, output: 15, cacheRead: 0.6, cacheWrite: 3.75 },
        { above: 256_000, input: 6, output: 60, cacheRead: 1.2, cacheWrite: 7.5 },
      ],
      source: QWEN,
      asOf: '2025-07-23',
    },
  },

  // Local-first open weights. A local server may run them with a smaller window than the model's
  // (Ollama's num_ctx); the user sets the real one in settings.
  {
    id: 'qwen3-coder-30b',
    name: 'Qwen3 Coder 30B A3B',
    providers: {
      ollama: 'qwen3-coder:30b',
      lmstudio: 'qwen/qwen3-coder-30b',
      vllm: 'Qwen/Qwen3-Coder-30B-A3B-Instruct',
    },
    contextWindow: 262_144,
    maxOutput: 65_536,
    capabilities: TEXT_TOOLS,
    pricing: LOCAL,
  },
  {
    id: 'devstral',
    name: 'Devstral Small 1.1',
    providers: {
      ollama: 'devstral',
      openrouter: 'mistralai/devstral-small',
      vllm: 'mistralai/Devstral-Small-2507',
    },
    contextWindow: 131_072,
    maxOutput: 16_384,
    capabilities: TEXT_TOOLS,
    pricing: { input: 0.1, output: 0.3, source: MISTRAL, asOf: '2025-07-10' },
  },
] satisfies ModelInfo[]
