import { describe, expect, it } from 'vitest'
import type { ProviderView } from '../../src/shared/contract'
import {
  ANTHROPIC_TYPE,
  applyType,
  checkSave,
  checkTest,
  CUSTOM_TYPE,
  emptyForm,
  formFromProvider,
  PRESET_TYPE_OPTIONS,
  withExtraModel,
  withFetchedModels,
} from '../../src/renderer/src/features/settings/provider-form-model'
import type { ProviderForm } from '../../src/renderer/src/features/settings/provider-form-model'

const add = { kind: 'add', existingNames: ['work'] } as const

function form(patch: Partial<ProviderForm>): ProviderForm {
  return { ...emptyForm(), ...patch }
}

function saved(patch: Partial<ProviderView> = {}): ProviderView {
  return {
    name: 'router',
    kind: 'openai',
    preset: 'openrouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    key: { source: 'stored', hint: 'sk-…a1b2', env: null },
    models: ['moonshotai/kimi-k2', 'z-ai/glm-4.6'],
    readOnly: false,
    ...patch,
  }
}

describe('the Type select prefills', () => {
  it('offers every hosted preset', () => {
    expect(PRESET_TYPE_OPTIONS.map((o) => o.label)).toEqual([
      'OpenRouter',
      'DeepSeek',
      'Moonshot (Kimi)',
      'Z.ai (GLM)',
      'Qwen (DashScope)',
      'Groq',
      'Together',
      'Fireworks',
      'xAI',
      'Gemini',
      'OpenAI',
    ])
  })

  it('fills the name and address of a preset into an empty form', () => {
    const f = applyType(emptyForm(), 'deepseek')
    expect(f).toMatchObject({
      type: 'deepseek',
      name: 'deepseek',
      baseUrl: 'https://api.deepseek.com/v1',
    })
  })

  it('follows the type while the fields still hold the previous suggestion', () => {
    const f = applyType(applyType(emptyForm(), 'groq'), 'moonshot')
    expect(f).toMatchObject({ name: 'moonshot', baseUrl: 'https://api.moonshot.ai/v1' })
    const anthropic = applyType(f, ANTHROPIC_TYPE)
    expect(anthropic).toMatchObject({ name: 'anthropic', baseUrl: 'https://api.anthropic.com' })
    // Back to a custom endpoint: the suggestions are taken back, not left as if typed.
    expect(applyType(anthropic, CUSTOM_TYPE)).toMatchObject({ name: '', baseUrl: '' })
  })

  it('never overwrites what the user typed', () => {
    const typed = form({ name: 'my-proxy', baseUrl: 'https://llm.corp.example/v1' })
    expect(applyType(typed, 'openrouter')).toMatchObject({
      type: 'openrouter',
      name: 'my-proxy',
      baseUrl: 'https://llm.corp.example/v1',
    })
  })

  it('keeps the name when editing, and drops models fetched from the old address', () => {
    const f = form({ name: 'x', models: ['a'], selected: ['a'] })
    const next = applyType(f, 'xai', { keepName: true })
    expect(next).toMatchObject({ name: 'x', baseUrl: 'https://api.x.ai/v1', models: null })
  })
})

describe('checking the form before Save', () => {
  it('builds the save request of a preset with a typed key', () => {
    const f = applyType(emptyForm(), 'openrouter')
    const checked = checkSave(f, add, '  sk-or-123  ')
    expect(checked).toEqual({
      ok: true,
      params: {
        name: 'openrouter',
        kind: 'openai',
        preset: 'openrouter',
        baseUrl: 'https://openrouter.ai/api/v1',
        apiKey: 'sk-or-123',
      },
    })
  })

  it('names each bad field with a sentence, and nothing else', () => {
    const checked = checkSave(
      form({ name: 'My Endpoint', baseUrl: 'ftp://x', apiKeyEnv: '1KEY' }),
      add,
      '',
    )
    expect(checked.ok).toBe(false)
    if (checked.ok) return
    expect(checked.errors.name).toBe('Use lower-case letters, digits, ".", "_" and "-" only.')
    expect(checked.errors.baseUrl).toMatch(/^Enter an http:\/\/ or https:\/\/ address/)
    expect(checked.errors.apiKeyEnv).toBe('Not an environment variable name.')
    expect(checked.errors.apiKey).toBeUndefined()
  })

  it('asks for a name and, for an OpenAI-compatible endpoint, an address', () => {
    const checked = checkSave(emptyForm(), add, '')
    expect(checked).toEqual({
      ok: false,
      errors: {
        name: 'The provider needs a name.',
        baseUrl: 'An OpenAI-compatible endpoint needs its base URL.',
      },
    })
  })

  it('lets Anthropic go without an address (the engine defaults it)', () => {
    const f = form({ type: ANTHROPIC_TYPE, name: 'claude' })
    expect(checkSave(f, add, 'sk-ant-1')).toEqual({
      ok: true,
      params: { name: 'claude', kind: 'anthropic', preset: 'anthropic', apiKey: 'sk-ant-1' },
    })
  })

  it('refuses a name that is taken when adding', () => {
    const checked = checkSave(form({ name: 'work', baseUrl: 'http://127.0.0.1:8080/v1' }), add, '')
    expect(checked.ok).toBe(false)
    if (!checked.ok) expect(checked.errors.name).toMatch(/“work” exists already/)
  })

  it('keeps the stored key on edit unless a new one is typed or it is removed', () => {
    const mode = { kind: 'edit', provider: saved() } as const
    const f = formFromProvider(saved())
    expect(checkSave(f, mode, '')).toEqual({
      ok: true,
      params: {
        name: 'router',
        kind: 'openai',
        preset: 'openrouter',
        baseUrl: 'https://openrouter.ai/api/v1',
        apiKeyEnv: null,
        models: ['moonshotai/kimi-k2', 'z-ai/glm-4.6'],
      },
    })
    const cleared = checkSave({ ...f, clearKey: true }, mode, '')
    expect(cleared.ok && cleared.params.clearKey).toBe(true)
    const replaced = checkSave({ ...f, clearKey: true }, mode, 'sk-new')
    expect(replaced.ok && replaced.params).toMatchObject({ apiKey: 'sk-new' })
    expect(replaced.ok && 'clearKey' in replaced.params).toBe(false)
  })

  it('saves only the models the user kept', () => {
    const f = { ...formFromProvider(saved()), selected: ['z-ai/glm-4.6'] }
    const checked = checkSave(f, { kind: 'edit', provider: saved() }, '')
    expect(checked.ok && checked.params.models).toEqual(['z-ai/glm-4.6'])
  })
})

describe('checking the form before a connection test', () => {
  it('sends the typed key', () => {
    const f = form({ baseUrl: 'http://127.0.0.1:9/v1' })
    expect(checkTest(f, add, 'sk-x')).toEqual({
      ok: true,
      params: { kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-x' },
    })
  })

  it('tests an edited provider with its stored key when the field is empty', () => {
    const mode = { kind: 'edit', provider: saved() } as const
    expect(checkTest(formFromProvider(saved()), mode, '')).toEqual({
      ok: true,
      params: { kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', keyFrom: 'router' },
    })
    // …but not a key the user is about to remove, nor one the provider does not have.
    const clearing = checkTest({ ...formFromProvider(saved()), clearKey: true }, mode, '')
    expect(clearing.ok && 'keyFrom' in clearing.params).toBe(false)
    const keyless = saved({ key: { source: 'none', hint: null, env: null } })
    const none = checkTest(formFromProvider(keyless), { kind: 'edit', provider: keyless }, '')
    expect(none.ok && 'keyFrom' in none.params).toBe(false)
  })

  it('points at the address when it is not one', () => {
    expect(checkTest(form({ baseUrl: 'not a url' }), add, '')).toEqual({
      ok: false,
      errors: {
        baseUrl: 'Enter an http:// or https:// address, such as https://api.example.com/v1.',
      },
    })
  })
})

describe('the model list', () => {
  it('keeps every fetched model at first, then what the user kept', () => {
    const first = withFetchedModels(emptyForm(), ['a', 'b', 'a'])
    expect(first).toMatchObject({ models: ['a', 'b'], selected: ['a', 'b'] })
    const kept = withFetchedModels({ ...first, selected: ['b'] }, ['a', 'b', 'c'])
    expect(kept).toMatchObject({ models: ['a', 'b', 'c'], selected: ['b'] })
  })

  it('adds a model by name, kept, once', () => {
    const f = withExtraModel(withExtraModel(emptyForm(), ' qwen3:8b '), 'qwen3:8b')
    expect(f).toMatchObject({ models: ['qwen3:8b'], selected: ['qwen3:8b'] })
    expect(withExtraModel(f, '   ')).toBe(f)
  })

  it('starts an edit from the saved provider, preset and all', () => {
    expect(formFromProvider(saved())).toMatchObject({ type: 'openrouter', name: 'router' })
    const custom = saved({ preset: null, kind: 'openai' })
    expect(formFromProvider(custom).type).toBe(CUSTOM_TYPE)
    const claude = saved({ preset: 'anthropic', kind: 'anthropic' })
    expect(formFromProvider(claude).type).toBe(ANTHROPIC_TYPE)
  })
})
