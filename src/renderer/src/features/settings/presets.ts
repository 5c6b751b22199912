import type { ProviderKind } from './provider-form-model'

/**
 * The endpoints the Add provider form can prefill. Copied from the engine's
 * `src/main/providers/presets.ts` (PROVIDER_PRESETS) — the renderer may not import main — with only
 * what the form shows: a label, the name to suggest, the address and the usual key variable. Keep
 * the two in step when a provider moves.
 */
export interface RendererPreset {
  /** The engine's preset id, sent as `preset` on save. */
  id: string
  label: string
  kind: ProviderKind
  baseUrl: string
  /** The variable this provider's key usually lives in (a hint only). */
  keyEnv: string | null
  /** The page where a user makes a key (hosted providers); null for a local server. */
  keyUrl: string | null
}

export const HOSTED_PRESETS: readonly RendererPreset[] = [
  preset(
    'openrouter',
    'OpenRouter',
    'https://openrouter.ai/api/v1',
    'OPENROUTER_API_KEY',
    'https://openrouter.ai/settings/keys',
  ),
  preset(
    'deepseek',
    'DeepSeek',
    'https://api.deepseek.com/v1',
    'DEEPSEEK_API_KEY',
    'https://platform.deepseek.com/api_keys',
  ),
  preset(
    'moonshot',
    'Moonshot (Kimi)',
    'https://api.moonshot.ai/v1',
    'MOONSHOT_API_KEY',
    'https://platform.moonshot.ai/console/api-keys',
  ),
  preset(
    'zai',
    'Z.ai (GLM)',
    'https://api.z.ai/api/paas/v4',
    'ZAI_API_KEY',
    'https://z.ai/manage-apikey/apikey-list',
  ),
  preset(
    'qwen',
    'Qwen (DashScope)',
    'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
    'DASHSCOPE_API_KEY',
    'https://modelstudio.console.alibabacloud.com/?tab=model#/api-key',
  ),
  preset(
    'groq',
    'Groq',
    'https://api.groq.com/openai/v1',
    'GROQ_API_KEY',
    'https://console.groq.com/keys',
  ),
  preset(
    'together',
    'Together',
    'https://api.together.xyz/v1',
    'TOGETHER_API_KEY',
    'https://api.together.ai/settings/api-keys',
  ),
  preset(
    'fireworks',
    'Fireworks',
    'https://api.fireworks.ai/inference/v1',
    'FIREWORKS_API_KEY',
    'https://fireworks.ai/account/api-keys',
  ),
  preset('xai', 'xAI', 'https://api.x.ai/v1', 'XAI_API_KEY', 'https://console.x.ai'),
  preset(
    'google',
    'Gemini',
    'https://generativelanguage.googleapis.com/v1beta/openai',
    'GEMINI_API_KEY',
    'https://aistudio.google.com/apikey',
  ),
  preset(
    'openai',
    'OpenAI',
    'https://api.openai.com/v1',
    'OPENAI_API_KEY',
    'https://platform.openai.com/api-keys',
  ),
]

export const ANTHROPIC_PRESET: RendererPreset = {
  id: 'anthropic',
  label: 'Anthropic',
  kind: 'anthropic',
  baseUrl: 'https://api.anthropic.com',
  keyEnv: 'ANTHROPIC_API_KEY',
  keyUrl: 'https://console.anthropic.com/settings/keys',
}

/** Local servers `providers.detectLocal` finds; "Add" saves them under these presets. */
export const LOCAL_PRESETS: readonly RendererPreset[] = [
  {
    id: 'ollama',
    label: 'Ollama',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:11434/v1',
    keyEnv: null,
    keyUrl: null,
  },
  {
    id: 'lmstudio',
    label: 'LM Studio',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:1234/v1',
    keyEnv: null,
    keyUrl: null,
  },
  {
    id: 'vllm',
    label: 'vLLM',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:8000/v1',
    keyEnv: null,
    keyUrl: null,
  },
]

const ALL: readonly RendererPreset[] = [...HOSTED_PRESETS, ANTHROPIC_PRESET, ...LOCAL_PRESETS]

/** The preset with this engine id, if the renderer knows it. */
export function findPreset(id: string | null | undefined): RendererPreset | undefined {
  return id ? ALL.find((p) => p.id === id) : undefined
}

function preset(
  id: string,
  label: string,
  baseUrl: string,
  keyEnv: string,
  keyUrl: string,
): RendererPreset {
  return { id, label, kind: 'openai', baseUrl, keyEnv, keyUrl }
}
