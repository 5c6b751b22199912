import type { ProviderKind } from '../settings/provider-form-model'
import type { RendererPreset } from '../settings/presets'
import { ANTHROPIC_PRESET, HOSTED_PRESETS, LOCAL_PRESETS } from '../settings/presets'
import { freeName } from '../settings/provider-display'

/**
 * The guided first run as data: when the main area offers it, its steps, the provider cards and
 * what each one fills in, and the names and model it saves. Pure, so its rules are tested.
 */

export type FirstRunStep = 'connect' | 'folder' | 'start'

export const STEP_LABELS: Record<FirstRunStep, string> = {
  connect: 'Connect a model',
  folder: 'Open a project',
  start: 'Start a session',
}

/**
 * Is the guided setup due by itself? With no session open, when the host has no provider at all
 * and the user did not skip it (Settings and the palette open it at any time). `providerCount`
 * and `skipped` are null until the host answered: nothing is offered on a guess.
 */
export function firstRunDue(facts: {
  providerCount: number | null
  skipped: boolean | null
  openPanes: number
}): boolean {
  return facts.providerCount === 0 && facts.skipped === false && facts.openPanes === 0
}

/** The steps, in order: the folder step only when no folder was open as the setup began. */
export function stepsOf(folderOpenAtStart: boolean): FirstRunStep[] {
  return folderOpenAtStart ? ['connect', 'start'] : ['connect', 'folder', 'start']
}

/** The step after `step`, or null after the last. */
export function nextStep(steps: readonly FirstRunStep[], step: FirstRunStep): FirstRunStep | null {
  return steps[steps.indexOf(step) + 1] ?? null
}

/** One card of the "Connect a model" step. */
export interface ProviderCard {
  /** The engine's preset id; null: an OpenAI-compatible endpoint the user names. */
  preset: string | null
  label: string
  kind: ProviderKind
  /** The address the form starts with (the user may change it); empty for a custom endpoint. */
  baseUrl: string
  /** Where a user makes a key; null when the provider needs none or is the user's own. */
  keyUrl: string | null
  /** A key is needed (hosted), or may be left empty (a local or custom server). */
  needsKey: boolean
  /** One line under the name on the card. */
  blurb: string
  /** The form's heading ("Connect OpenRouter"). */
  heading: string
}

const BLURBS: Record<string, string> = {
  openrouter: 'One key for hundreds of models, open and closed',
  anthropic: 'Claude models',
  openai: 'GPT models',
  deepseek: 'DeepSeek V3 and R1',
  google: 'Gemini models',
  moonshot: 'Kimi models',
  zai: 'GLM models',
  qwen: 'Qwen models on Alibaba Cloud',
  groq: 'Open models, very fast',
  together: 'Open models',
  fireworks: 'Open models',
  xai: 'Grok models',
}

function card(p: RendererPreset): ProviderCard {
  return {
    preset: p.id,
    label: p.label,
    kind: p.kind,
    baseUrl: p.baseUrl,
    keyUrl: p.keyUrl,
    needsKey: p.keyUrl !== null,
    blurb: BLURBS[p.id] ?? 'OpenAI-compatible API',
    heading: `Connect ${p.label}`,
  }
}

/** OpenRouter first (one key reaches most models), then Anthropic, then the other hosted ones. */
export const PROVIDER_CARDS: readonly ProviderCard[] = [
  card(HOSTED_PRESETS.find((p) => p.id === 'openrouter')!),
  card(ANTHROPIC_PRESET),
  ...HOSTED_PRESETS.filter((p) => p.id !== 'openrouter').map(card),
]

/** The card for an endpoint the user types in (a gateway, a server of their own). */
export const CUSTOM_CARD: ProviderCard = {
  preset: null,
  label: 'Another OpenAI-compatible endpoint',
  kind: 'openai',
  baseUrl: '',
  keyUrl: null,
  needsKey: false,
  blurb: 'A gateway or server of your own: its base URL, and a key if it asks for one',
  heading: 'Connect an OpenAI-compatible endpoint',
}

/** The card for a server `providers.detectLocal` found (Ollama, LM Studio, vLLM…). */
export function localCard(server: { kind: string; baseUrl: string }): ProviderCard {
  const preset = LOCAL_PRESETS.find((p) => p.id === server.kind)
  return {
    preset: preset?.id ?? null,
    label: preset?.label ?? 'Local server',
    kind: 'openai',
    baseUrl: server.baseUrl,
    keyUrl: null,
    needsKey: false,
    blurb: server.baseUrl,
    heading: `Connect ${preset?.label ?? 'the local server'}`,
  }
}

/** "openrouter.ai/settings/keys": a key page's address as a person reads it. */
export function shortUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '')
}

/**
 * The name the provider is saved under: the preset's id, or for a typed endpoint a name from its
 * host ("example" for api.example.com, "local" on this machine); never one that is taken.
 */
export function providerName(
  c: Pick<ProviderCard, 'preset'>,
  baseUrl: string,
  taken: readonly string[],
): string {
  return freeName(c.preset ?? nameFromAddress(baseUrl), taken)
}

function nameFromAddress(baseUrl: string): string {
  let host: string
  try {
    host = new URL(baseUrl.trim()).hostname
  } catch {
    return 'custom'
  }
  if (host === 'localhost' || /^127\./.test(host) || host === '[::1]') return 'local'
  const labels = host.split('.').filter((l) => l !== 'api' && l !== 'www')
  const main = labels.length >= 2 ? labels[labels.length - 2]! : (labels[0] ?? '')
  const name = main.toLowerCase().replace(/[^a-z0-9._-]/g, '-')
  return /^[a-z0-9]/.test(name) ? name : 'custom'
}

/**
 * The model the picker starts on: the first listed one whose name says it is made for code, else
 * the first one listed; null when none is listed.
 */
export function suggestedModel(models: readonly string[]): string | null {
  return models.find((m) => /coder|code|sonnet|gpt-5|deepseek-chat/i.test(m)) ?? models[0] ?? null
}

/** The first task the last step suggests: it reads and explains, and changes nothing. */
export const SUGGESTED_PROMPT =
  'Read this project and explain what it does and how it is organised. Then suggest one small improvement, without changing any file yet.'
