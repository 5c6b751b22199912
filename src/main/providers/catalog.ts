import { z } from 'zod'
import { BUNDLED_MODELS } from './catalog-data'

/**
 * Canonical model identity. The engine, settings, logs and the UI name a model by its canonical id
 * (`kimi-k2`, `claude-sonnet-4-5`); each provider's own name for it (`moonshotai/kimi-k2` on
 * OpenRouter) is looked up here and used only at the SDK boundary.
 */

/**
 * Where a model can be served from. Hosted: `openai`, `anthropic`, `openrouter`, `deepseek`,
 * `moonshot`, `zai` (Z.ai / Zhipu), `qwen` (Alibaba Model Studio / DashScope), `groq`, `together`,
 * `fireworks`, `xai`, `google` (Gemini API), `bedrock` (Amazon Bedrock base model ids; a
 * cross-region inference profile prefixes the region, e.g. `us.`). On this machine or the LAN:
 * `ollama`, `lmstudio`, `vllm`. `openai-compatible` is any other endpoint the user configures.
 */
export const PROVIDER_IDS = [
  'openai',
  'anthropic',
  'openrouter',
  'deepseek',
  'moonshot',
  'zai',
  'qwen',
  'groq',
  'together',
  'fireworks',
  'xai',
  'google',
  'bedrock',
  'ollama',
  'lmstudio',
  'vllm',
  'openai-compatible',
] as const

export type ProviderId = (typeof PROVIDER_IDS)[number]

export const ProviderIdSchema = z.enum(PROVIDER_IDS)

/** Servers the user runs themselves: no per-token charge. */
export const LOCAL_PROVIDERS: ReadonlySet<ProviderId> = new Set<ProviderId>([
  'ollama',
  'lmstudio',
  'vllm',
])

export function isLocalProvider(provider: ProviderId): boolean {
  return LOCAL_PROVIDERS.has(provider)
}

const Usd = z.number().finite().nonnegative()
const Tokens = z.number().int().positive()
const IsoDate = z.iso.date()

/** A price tier: these rates apply to a request whose prompt is longer than `above` tokens. */
export const PriceTierSchema = z.strictObject({
  above: Tokens,
  input: Usd,
  output: Usd,
  cacheRead: Usd.optional(),
  cacheWrite: Usd.optional(),
})

/**
 * USD per million tokens. `cacheRead` / `cacheWrite` absent means those tokens cost the input
 * price. `tiers` (long-prompt surcharges, e.g. Gemini 2.5 Pro above 200k) replace the base rates
 * for a request whose prompt (input + cache read + cache write tokens) is above the tier's size.
 */
export const PricingSchema = z.strictObject({
  input: Usd,
  output: Usd,
  cacheRead: Usd.optional(),
  cacheWrite: Usd.optional(),
  tiers: z.array(PriceTierSchema).optional(),
  /** Where the figures come from: a URL, or e.g. "user settings". */
  source: z.string().min(1),
  /** The day (YYYY-MM-DD) the figures were known to hold. Required for bundled data. */
  asOf: IsoDate.optional(),
})

export type PriceTier = z.infer<typeof PriceTierSchema>
export type Pricing = z.infer<typeof PricingSchema>

export const CapabilitiesSchema = z.strictObject({
  /** Function / tool calling. */
  tools: z.boolean(),
  /** Emits a reasoning trace (thinking) before answering. */
  reasoning: z.boolean(),
  /** Accepts image input. */
  images: z.boolean(),
})

export type Capabilities = z.infer<typeof CapabilitiesSchema>

const ProviderNames = z.partialRecord(ProviderIdSchema, z.string().min(1))

/**
 * Whether the reasoning a model streams in a field (`reasoning_content` / `reasoning`) goes back on
 * its assistant tool-call messages, as thinking-mode Kimi and DeepSeek require: `false` for every
 * host, or per host (`{ "groq": false }`) for one that refuses the field. Absent: yes, except on
 * the hosts in {@link REASONING_REFUSED_BY}.
 */
export const ReplayReasoningSchema = z.union([
  z.boolean(),
  z.partialRecord(ProviderIdSchema, z.boolean()),
])

/**
 * Hosts that answer 400 to any reasoning field on an assistant message (Groq: "property
 * 'reasoning' is unsupported"), whatever the model.
 */
const REASONING_REFUSED_BY: ReadonlySet<ProviderId> = new Set<ProviderId>(['groq'])

export const ModelInfoSchema = z
  .strictObject({
    /** Canonical id. */
    id: z.string().min(1),
    /** Display name. */
    name: z.string().min(1),
    /** Each provider's own name for this model. */
    providers: ProviderNames,
    /** Tokens per request, prompt and completion together. */
    contextWindow: Tokens,
    /** Most completion tokens (reasoning included) one request may produce. */
    maxOutput: Tokens,
    capabilities: CapabilitiesSchema,
    /** Reference price (the model's first-party or main host); absent when unknown. */
    pricing: PricingSchema.optional(),
    /** Where a host charges differently from `pricing`. */
    providerPricing: z.partialRecord(ProviderIdSchema, PricingSchema).optional(),
    replayReasoning: ReplayReasoningSchema.optional(),
  })
  .refine((m) => m.maxOutput <= m.contextWindow, {
    message: 'maxOutput exceeds contextWindow',
    path: ['maxOutput'],
  })

export type ModelInfo = z.infer<typeof ModelInfoSchema>

const BundledPricingSchema = PricingSchema.extend({ asOf: IsoDate })

/**
 * The bundled catalog: every entry priced with a source and a date, ids unique, and no provider
 * name claimed by two models (so the reverse lookup is a function).
 */
export const BundledCatalogSchema = z
  .array(
    ModelInfoSchema.safeExtend({
      id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'canonical ids are lowercase kebab-case'),
      pricing: BundledPricingSchema,
      providerPricing: z.partialRecord(ProviderIdSchema, BundledPricingSchema).optional(),
    }),
  )
  .superRefine((models, ctx) => {
    const ids = new Set<string>()
    const names = new Map<string, string>()
    models.forEach((m, i) => {
      if (ids.has(m.id))
        ctx.addIssue({ code: 'custom', message: `duplicate id ${m.id}`, path: [i] })
      ids.add(m.id)
      for (const [provider, name] of Object.entries(m.providers)) {
        const key = `${provider}\u0000${name}`
        const owner = names.get(key)
        if (owner) {
          ctx.addIssue({
            code: 'custom',
            message: `${provider} name ${name} claimed by ${owner} and ${m.id}`,
            path: [i, 'providers', provider],
          })
        }
        names.set(key, m.id)
      }
    })
  })

/**
 * A model the user adds or changes in settings. For a known id every field but `id` is optional:
 * `providers`, `capabilities` and `providerPricing` merge into the bundled entry, the rest
 * replace (a `pricing` given replaces the whole price). For a new id, missing limits take the
 * conservative defaults of {@link ModelCatalog.resolve}.
 */
export const UserModelEntrySchema = z
  .strictObject({
    id: z.string().min(1),
    name: z.string().min(1).optional(),
    providers: ProviderNames.optional(),
    contextWindow: Tokens.optional(),
    maxOutput: Tokens.optional(),
    capabilities: CapabilitiesSchema.partial().optional(),
    pricing: PricingSchema.extend({ source: z.string().min(1).optional() }).optional(),
    providerPricing: z
      .partialRecord(
        ProviderIdSchema,
        PricingSchema.extend({ source: z.string().min(1).optional() }),
      )
      .optional(),
    replayReasoning: ReplayReasoningSchema.optional(),
  })
  .refine((e) => !e.contextWindow || !e.maxOutput || e.maxOutput <= e.contextWindow, {
    message: 'maxOutput exceeds contextWindow',
    path: ['maxOutput'],
  })

export type UserModelEntry = z.infer<typeof UserModelEntrySchema>

/** Limits for a model nobody described: small enough that any current server accepts them. */
export const DEFAULT_CONTEXT_WINDOW = 32_768
export const DEFAULT_MAX_OUTPUT = 4_096
/** Capabilities of a model nobody described: an agent needs tools, the rest is opt-in. */
const DEFAULT_CAPABILITIES: Capabilities = { tools: true, reasoning: false, images: false }

const USER_SOURCE = 'user settings'

/**
 * Where a model's window came from: the bundled catalog, the user's `models.json`, a run's
 * `--context-window`, or nowhere (`default`: the model is unknown and {@link DEFAULT_CONTEXT_WINDOW}
 * is assumed until the user sets it).
 */
export type WindowSource = 'catalog' | 'user' | 'run' | 'default'

/** A model's limits and where its window came from. */
export interface ModelLimits {
  contextWindow: number
  maxOutput: number
  windowSource: WindowSource
}

/** Parsed once at load; a malformed bundle fails here, not at first use. */
const BUNDLED: readonly ModelInfo[] = BundledCatalogSchema.parse(BUNDLED_MODELS)

/** Local servers charge nothing, whatever the model's hosted price. */
const LOCAL_PRICING: Pricing = { input: 0, output: 0, source: 'local inference' }

export class ModelCatalog {
  private readonly models = new Map<string, ModelInfo>()
  /** provider → provider's model name → canonical id. */
  private readonly reverse = new Map<ProviderId, Map<string, string>>()
  /** Ids whose window the user's models.json set; user-added ids without one: assumed. */
  private readonly windowFrom = new Map<string, WindowSource>()

  /** Throws a ZodError when an override is malformed (settings loaders validate first). */
  constructor(overrides: readonly UserModelEntry[] = []) {
    for (const model of BUNDLED) this.models.set(model.id, model)
    for (const entry of z.array(UserModelEntrySchema).parse(overrides)) {
      const base = this.models.get(entry.id)
      this.models.set(entry.id, base ? merge(base, entry) : fromUser(entry))
      if (entry.contextWindow !== undefined) this.windowFrom.set(entry.id, 'user')
      else if (!base) this.windowFrom.set(entry.id, 'default')
    }
    for (const model of this.models.values()) {
      deepFreeze(model)
      for (const [provider, name] of entries(model.providers)) {
        let names = this.reverse.get(provider)
        if (!names) this.reverse.set(provider, (names = new Map()))
        // A user-added model that claims a bundled name wins: overrides come later in the map.
        names.set(name, model.id)
      }
    }
  }

  get(id: string): ModelInfo | undefined {
    return this.models.get(id)
  }

  list(): ModelInfo[] {
    return [...this.models.values()]
  }

  /**
   * The provider's name for a canonical id; translation happens only at the SDK boundary. Falls
   * back to the id itself when the catalog has no name for that provider (custom endpoints, local
   * servers, models the user typed by their provider name).
   */
  providerModelName(id: string, provider: ProviderId): string {
    return this.models.get(id)?.providers[provider] ?? id
  }

  /**
   * Reverse: which canonical id a provider's model name is (for usage/logs), or undefined. Also
   * knows dated snapshots a provider echoes back (`claude-sonnet-4-5-20250929`, `gpt-5-2025-08-07`)
   * and ids that {@link providerModelName} passed through unchanged.
   */
  canonicalId(provider: ProviderId, providerModel: string): string | undefined {
    const names = this.reverse.get(provider)
    const exact = names?.get(providerModel)
    if (exact) return exact
    const own = this.models.get(providerModel)
    if (own && own.providers[provider] === undefined) return own.id
    const undated = providerModel.replace(DATE_SUFFIX, '')
    return undated !== providerModel ? names?.get(undated) : undefined
  }

  /**
   * The catalog entry, or — for a model not in the catalog — one with the limits the caller gives
   * (defaults conservative: 32k context, 4k output, tools on, no pricing).
   */
  resolve(id: string, fallback: Partial<ModelInfo> = {}): ModelInfo {
    const known = this.models.get(id)
    if (known) return known
    const contextWindow = fallback.contextWindow ?? DEFAULT_CONTEXT_WINDOW
    return {
      id,
      name: fallback.name ?? id,
      providers: { ...fallback.providers },
      contextWindow,
      maxOutput: Math.min(fallback.maxOutput ?? DEFAULT_MAX_OUTPUT, contextWindow),
      capabilities: { ...DEFAULT_CAPABILITIES, ...fallback.capabilities },
      ...(fallback.pricing ? { pricing: fallback.pricing } : {}),
      ...(fallback.providerPricing ? { providerPricing: fallback.providerPricing } : {}),
    }
  }

  /**
   * The window and max output of model `id` and where the window came from: the catalog, the
   * user's models.json, or — for a model nobody described — the conservative defaults
   * (`windowSource: 'default'`, which clients show as assumed).
   */
  limits(id: string): ModelLimits {
    const known = this.models.get(id)
    if (!known) {
      return {
        contextWindow: DEFAULT_CONTEXT_WINDOW,
        maxOutput: DEFAULT_MAX_OUTPUT,
        windowSource: 'default',
      }
    }
    return {
      contextWindow: known.contextWindow,
      maxOutput: known.maxOutput,
      windowSource: this.windowFrom.get(id) ?? 'catalog',
    }
  }

  /**
   * Whether model `id`'s reasoning goes back on its assistant tool-call messages at `provider`
   * (see {@link ReplayReasoningSchema}); a model the catalog does not know: yes, except on hosts
   * that refuse it.
   */
  replaysReasoning(id: string, provider?: ProviderId): boolean {
    const flag = this.models.get(id)?.replayReasoning
    if (typeof flag === 'boolean') return flag
    const own = provider ? flag?.[provider] : undefined
    if (own !== undefined) return own
    return !(provider && REASONING_REFUSED_BY.has(provider))
  }

  /**
   * What a request to `provider` for model `id` costs: nothing on a local server, the host's own
   * price where the catalog knows it, else the reference price (an estimate: gateways and hosts of
   * open-weight models may charge differently). Undefined when the price is unknown.
   */
  pricingFor(id: string, provider?: ProviderId): Pricing | undefined {
    if (provider && isLocalProvider(provider)) return LOCAL_PRICING
    const model = this.models.get(id)
    return (provider && model?.providerPricing?.[provider]) || model?.pricing
  }
}

/** `-20250929` or `-2025-08-07` at the end of a provider's model name. */
const DATE_SUFFIX = /-(?:\d{8}|\d{4}-\d{2}-\d{2})$/

function merge(base: ModelInfo, entry: UserModelEntry): ModelInfo {
  const contextWindow = entry.contextWindow ?? base.contextWindow
  const merged: ModelInfo = {
    ...base,
    name: entry.name ?? base.name,
    providers: { ...base.providers, ...entry.providers },
    contextWindow,
    maxOutput: Math.min(entry.maxOutput ?? base.maxOutput, contextWindow),
    capabilities: { ...base.capabilities, ...entry.capabilities },
  }
  if (entry.replayReasoning !== undefined) merged.replayReasoning = entry.replayReasoning
  if (entry.pricing) merged.pricing = userPricing(entry.pricing)
  if (entry.providerPricing) {
    merged.providerPricing = { ...base.providerPricing }
    for (const [provider, pricing] of entries(entry.providerPricing)) {
      merged.providerPricing[provider] = userPricing(pricing)
    }
  }
  return merged
}

function fromUser(entry: UserModelEntry): ModelInfo {
  const contextWindow = entry.contextWindow ?? DEFAULT_CONTEXT_WINDOW
  const model: ModelInfo = {
    id: entry.id,
    name: entry.name ?? entry.id,
    providers: { ...entry.providers },
    contextWindow,
    maxOutput: Math.min(entry.maxOutput ?? DEFAULT_MAX_OUTPUT, contextWindow),
    capabilities: { ...DEFAULT_CAPABILITIES, ...entry.capabilities },
  }
  if (entry.replayReasoning !== undefined) model.replayReasoning = entry.replayReasoning
  if (entry.pricing) model.pricing = userPricing(entry.pricing)
  if (entry.providerPricing) {
    model.providerPricing = {}
    for (const [provider, pricing] of entries(entry.providerPricing)) {
      model.providerPricing[provider] = userPricing(pricing)
    }
  }
  return model
}

function userPricing(pricing: Omit<Pricing, 'source'> & { source?: string }): Pricing {
  return { ...pricing, source: pricing.source ?? USER_SOURCE }
}

/** Object.entries for a partial provider record, keeping the key type and dropping holes. */
function entries<T>(record: Partial<Record<ProviderId, T>>): Array<[ProviderId, T]> {
  return (Object.entries(record) as Array<[ProviderId, T | undefined]>).filter(
    (e): e is [ProviderId, T] => e[1] !== undefined,
  )
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
