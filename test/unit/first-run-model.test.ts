import { describe, expect, it } from 'vitest'
import {
  CUSTOM_CARD,
  firstRunDue,
  localCard,
  nextStep,
  PROVIDER_CARDS,
  providerName,
  shortUrl,
  stepsOf,
  suggestedModel,
} from '../../src/renderer/src/features/first-run/first-run-model'
import { DEFAULT_LOCAL_SERVERS } from '../../src/main/providers/local-servers'
import { PROVIDER_PRESETS } from '../../src/main/providers/presets'

describe('when the guided setup is due', () => {
  it('only with no provider, not skipped, no session open, and once the host has answered', () => {
    expect(firstRunDue({ providerCount: 0, skipped: false, openPanes: 0 })).toBe(true)
    expect(firstRunDue({ providerCount: 1, skipped: false, openPanes: 0 })).toBe(false)
    expect(firstRunDue({ providerCount: 0, skipped: true, openPanes: 0 })).toBe(false)
    expect(firstRunDue({ providerCount: 0, skipped: false, openPanes: 1 })).toBe(false)
    expect(firstRunDue({ providerCount: null, skipped: false, openPanes: 0 })).toBe(false)
    expect(firstRunDue({ providerCount: 0, skipped: null, openPanes: 0 })).toBe(false)
  })
})

describe('its steps', () => {
  it('leave out the folder step when a folder was open as it began', () => {
    expect(stepsOf(false)).toEqual(['connect', 'folder', 'start'])
    expect(stepsOf(true)).toEqual(['connect', 'start'])
    expect(nextStep(stepsOf(true), 'connect')).toBe('start')
    expect(nextStep(stepsOf(false), 'connect')).toBe('folder')
    expect(nextStep(stepsOf(false), 'start')).toBeNull()
  })
})

describe('the provider cards', () => {
  it('put OpenRouter first and Anthropic second; every hosted one says where to get a key', () => {
    expect(PROVIDER_CARDS.slice(0, 2).map((c) => c.preset)).toEqual(['openrouter', 'anthropic'])
    for (const c of PROVIDER_CARDS) {
      expect(c.keyUrl, c.label).toMatch(/^https:\/\//)
      expect(c.needsKey).toBe(true)
      expect(c.heading).toBe(`Connect ${c.label}`)
    }
    expect(CUSTOM_CARD).toMatchObject({ preset: null, baseUrl: '', needsKey: false })
  })

  it('fill in the same address as the engine’s preset of the same name', () => {
    for (const c of PROVIDER_CARDS) {
      const engine = PROVIDER_PRESETS[c.preset as keyof typeof PROVIDER_PRESETS]
      expect(engine?.baseUrl, c.label).toBe(c.baseUrl)
    }
  })

  it('name a detected server by its kind, and every default address the engine probes has one', () => {
    expect(localCard({ kind: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1' })).toMatchObject({
      preset: 'vllm',
      label: 'vLLM',
      needsKey: false,
      heading: 'Connect vLLM',
    })
    expect(localCard({ kind: 'openai-compatible', baseUrl: 'http://10.0.0.2/v1' })).toMatchObject({
      preset: null,
      label: 'Local server',
    })
    for (const candidate of DEFAULT_LOCAL_SERVERS) {
      expect(localCard(candidate).preset, candidate.kind).toBe(candidate.kind)
    }
    expect(DEFAULT_LOCAL_SERVERS.map((c) => c.kind)).toEqual(['ollama', 'lmstudio', 'vllm'])
  })

  it('show a key page’s address without its scheme', () => {
    expect(shortUrl('https://openrouter.ai/settings/keys')).toBe('openrouter.ai/settings/keys')
    expect(shortUrl('https://console.x.ai/')).toBe('console.x.ai')
  })
})

describe('the saved provider', () => {
  it('is named after its preset, or the typed endpoint’s host, never a name in use', () => {
    expect(providerName({ preset: 'openrouter' }, '', [])).toBe('openrouter')
    expect(providerName({ preset: 'openrouter' }, '', ['openrouter'])).toBe('openrouter-2')
    expect(providerName({ preset: null }, 'https://api.example.com/v1', [])).toBe('example')
    expect(providerName({ preset: null }, 'https://gateway.corp.example.co/v1', [])).toBe('example')
    expect(providerName({ preset: null }, 'http://127.0.0.1:4000/v1', [])).toBe('local')
    expect(providerName({ preset: null }, 'http://localhost:4000/v1', ['local'])).toBe('local-2')
    expect(providerName({ preset: null }, 'not a url', [])).toBe('custom')
  })

  it('starts the model picker on one made for code, else the first listed', () => {
    expect(suggestedModel(['llama3.2', 'qwen2.5-coder:7b'])).toBe('qwen2.5-coder:7b')
    expect(suggestedModel(['gpt-4.1-mini', 'gpt-5'])).toBe('gpt-5')
    expect(suggestedModel(['a', 'b'])).toBe('a')
    expect(suggestedModel([])).toBeNull()
  })
})
