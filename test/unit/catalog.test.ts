import { describe, expect, it } from 'vitest'
import { BUNDLED_MODELS } from '../../src/main/providers/catalog-data'
import type { ProviderId } from '../../src/main/providers/catalog'
import {
  BundledCatalogSchema,
  ModelCatalog,
  UserModelEntrySchema,
  isLocalProvider,
} from '../../src/main/providers/catalog'
import { costOf } from '../../src/main/providers/cost'
import type { Usage } from '../../src/main/providers/types'

const usage = (u: Partial<Usage>): Usage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  ...u,
})

describe('bundled catalog', () => {
  it('parses against its schema', () => {
    const result = BundledCatalogSchema.safeParse(BUNDLED_MODELS)
    expect(result.error?.issues ?? []).toEqual([])
  })

  it('rejects a provider name claimed by two models', () => {
    const [first] = BUNDLED_MODELS
    const clash = { ...first, id: 'clash' }
    expect(BundledCatalogSchema.safeParse([first, clash]).success).toBe(false)
  })

  it('carries the models the app names', () => {
    const ids = new ModelCatalog().list().map((m) => m.id)
    for (const id of [
      'kimi-k2',
      'claude-sonnet-4-5',
      'claude-opus-4-1',
      'claude-haiku-4-5',
      'gpt-5',
      'gpt-5-mini',
      'gpt-4.1',
      'o4-mini',
      'deepseek-v3.1',
      'deepseek-r1',
      'glm-4.6',
      'qwen3-coder',
      'qwen3-coder-30b',
      'gemini-2.5-pro',
      'gemini-2.5-flash',
      'grok-code-fast-1',
      'devstral',
      'gpt-oss-120b',
      'gpt-oss-20b',
    ]) {
      expect(ids).toContain(id)
    }
  })

  it('prices every entry with a source and a date, local-only models at zero', () => {
    for (const model of new ModelCatalog().list()) {
      expect(model.pricing?.source, model.id).toBeTruthy()
      expect(model.pricing?.asOf, model.id).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      const providers = Object.keys(model.providers) as ProviderId[]
      if (providers.every(isLocalProvider)) {
        expect(model.pricing, model.id).toMatchObject({ input: 0, output: 0 })
      } else {
        expect(model.pricing!.input + model.pricing!.output, model.id).toBeGreaterThan(0)
      }
      expect(model.maxOutput, model.id).toBeLessThanOrEqual(model.contextWindow)
    }
  })
})

describe('model identity', () => {
  const catalog = new ModelCatalog()

  it('translates a canonical id to each provider’s name and back', () => {
    expect(catalog.providerModelName('kimi-k2', 'openrouter')).toBe('moonshotai/kimi-k2')
    expect(catalog.canonicalId('openrouter', 'moonshotai/kimi-k2')).toBe('kimi-k2')
    expect(catalog.providerModelName('kimi-k2', 'moonshot')).toBe('kimi-k2-0905-preview')
    expect(catalog.canonicalId('groq', 'moonshotai/kimi-k2-instruct')).toBe('kimi-k2')
    expect(catalog.providerModelName('deepseek-v3.1', 'deepseek')).toBe('deepseek-chat')
    expect(catalog.canonicalId('zai', 'glm-4.6')).toBe('glm-4.6')
    expect(catalog.providerModelName('qwen3-coder-30b', 'ollama')).toBe('qwen3-coder:30b')
  })

  it('round-trips every bundled provider name', () => {
    for (const model of catalog.list()) {
      for (const provider of Object.keys(model.providers) as ProviderId[]) {
        const name = catalog.providerModelName(model.id, provider)
        expect(catalog.canonicalId(provider, name), `${provider} ${name}`).toBe(model.id)
      }
    }
  })

  it('passes the id through where the catalog has no name, and back', () => {
    expect(catalog.providerModelName('gpt-5', 'openai-compatible')).toBe('gpt-5')
    expect(catalog.canonicalId('openai-compatible', 'gpt-5')).toBe('gpt-5')
    expect(catalog.providerModelName('my-finetune', 'vllm')).toBe('my-finetune')
    expect(catalog.canonicalId('vllm', 'my-finetune')).toBeUndefined()
  })

  it('knows the dated snapshot a provider echoes back', () => {
    expect(catalog.canonicalId('anthropic', 'claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5')
    expect(catalog.canonicalId('openai', 'gpt-5-2025-08-07')).toBe('gpt-5')
    expect(catalog.canonicalId('openai', 'gpt-7')).toBeUndefined()
    // A name another provider uses is not this provider's.
    expect(catalog.canonicalId('deepseek', 'moonshotai/kimi-k2')).toBeUndefined()
  })
})

describe('user overrides', () => {
  it('change a bundled price and add a provider name, keeping the rest', () => {
    const catalog = new ModelCatalog([
      {
        id: 'kimi-k2',
        providers: { 'openai-compatible': 'kimi-k2-instruct' },
        pricing: { input: 0.5, output: 2, source: 'my contract' },
      },
    ])
    const kimi = catalog.get('kimi-k2')!
    expect(kimi.pricing).toEqual({ input: 0.5, output: 2, source: 'my contract' })
    expect(kimi.providers.openrouter).toBe('moonshotai/kimi-k2')
    expect(catalog.providerModelName('kimi-k2', 'openai-compatible')).toBe('kimi-k2-instruct')
    expect(catalog.canonicalId('openai-compatible', 'kimi-k2-instruct')).toBe('kimi-k2')
    expect(kimi.contextWindow).toBe(new ModelCatalog().get('kimi-k2')!.contextWindow)
    // The bundled data is untouched for other catalogs.
    expect(new ModelCatalog().get('kimi-k2')!.pricing?.input).toBe(0.6)
  })

  it('add a model with the limits the user gives', () => {
    const entry = UserModelEntrySchema.parse({
      id: 'my-coder',
      providers: { vllm: 'org/my-coder-32b' },
      contextWindow: 65_536,
      capabilities: { reasoning: true },
    })
    const catalog = new ModelCatalog([entry])
    const model = catalog.get('my-coder')!
    expect(model).toMatchObject({
      name: 'my-coder',
      contextWindow: 65_536,
      maxOutput: 4_096,
      capabilities: { tools: true, reasoning: true, images: false },
    })
    expect(model.pricing).toBeUndefined()
    expect(catalog.canonicalId('vllm', 'org/my-coder-32b')).toBe('my-coder')
    expect(catalog.list().length).toBe(new ModelCatalog().list().length + 1)
  })

  it('reject a malformed settings entry', () => {
    const bad = { id: 'x', contextWindow: -1, providres: {} }
    expect(UserModelEntrySchema.safeParse(bad).success).toBe(false)
    expect(() => new ModelCatalog([bad as never])).toThrow()
  })
})

describe('resolve', () => {
  const catalog = new ModelCatalog()

  it('returns the catalog entry for a known id', () => {
    expect(catalog.resolve('gpt-5')).toBe(catalog.get('gpt-5'))
  })

  it('describes an unknown model with the limits given, else conservative ones', () => {
    expect(catalog.resolve('mystery', { contextWindow: 100_000, maxOutput: 8_000 })).toEqual({
      id: 'mystery',
      name: 'mystery',
      providers: {},
      contextWindow: 100_000,
      maxOutput: 8_000,
      capabilities: { tools: true, reasoning: false, images: false },
    })
    const bare = catalog.resolve('bare')
    expect(bare.contextWindow).toBe(32_768)
    expect(bare.maxOutput).toBe(4_096)
    expect(bare.pricing).toBeUndefined()
    expect(catalog.resolve('tiny', { contextWindow: 2_048 }).maxOutput).toBe(2_048)
  })
})

describe('pricing per provider', () => {
  const catalog = new ModelCatalog()

  it('uses a host’s own price, nothing on a local server, else the reference', () => {
    expect(catalog.pricingFor('kimi-k2', 'groq')).toMatchObject({ input: 1, output: 3 })
    expect(catalog.pricingFor('kimi-k2', 'openrouter')).toMatchObject({ input: 0.6, output: 2.5 })
    expect(catalog.pricingFor('gpt-oss-20b', 'ollama')).toMatchObject({ input: 0, output: 0 })
    expect(catalog.pricingFor('nothing-known', 'openai')).toBeUndefined()
  })
})

describe('costOf', () => {
  it('bills input, output, cache reads and cache writes at their own prices', () => {
    const sonnet = new ModelCatalog().get('claude-sonnet-4-5')!.pricing
    const cost = costOf(
      usage({
        inputTokens: 10_000,
        outputTokens: 2_000,
        cacheReadTokens: 100_000,
        cacheWriteTokens: 4_000,
      }),
      sonnet,
    )
    // 10k × $3 + 2k × $15 + 100k × $0.30 + 4k × $3.75, per million.
    expect(cost).toBeCloseTo(0.03 + 0.03 + 0.03 + 0.015, 10)
  })

  it('bills cache tokens at the input price when the pricing names none', () => {
    const cost = costOf(usage({ cacheReadTokens: 1_000_000, cacheWriteTokens: 1_000_000 }), {
      input: 2,
      output: 8,
      source: 'test',
    })
    expect(cost).toBeCloseTo(4, 10)
  })

  it('applies the tier for a long prompt', () => {
    const pro = new ModelCatalog().get('gemini-2.5-pro')!.pricing
    expect(costOf(usage({ inputTokens: 200_000 }), pro)).toBeCloseTo(0.25, 10)
    expect(costOf(usage({ inputTokens: 150_000, cacheReadTokens: 60_000 }), pro)).toBeCloseTo(
      (150_000 * 2.5 + 60_000 * 0.625) / 1e6,
      10,
    )
  })

  it('is null when the price is unknown, zero on a local model', () => {
    expect(costOf(usage({ inputTokens: 5 }))).toBeNull()
    const local = new ModelCatalog().get('qwen3-coder-30b')!.pricing
    expect(costOf(usage({ inputTokens: 1e6, outputTokens: 1e6 }), local)).toBe(0)
  })
})
