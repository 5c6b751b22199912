import { afterEach, describe, expect, it } from 'vitest'
import type { ProviderView } from '../../src/shared/contract'
import { ModelCatalog } from '../../src/main/providers/catalog'
import { createOpenAiCompatibleStream } from '../../src/main/providers/openai-compatible'
import {
  KEY,
  closeProviderKit,
  closers,
  engine,
  fake,
  project,
  rejection,
  secretsFile,
} from '../support/provider-kit'
import { waitUntil } from '../support/wait'

const catalog = new ModelCatalog()

afterEach(closeProviderKit)

describe('providers.save / list / remove', () => {
  it('stores the key apart, lists only a masked hint, keeps or clears it on update', async () => {
    const f = engine()
    expect(await f.call('providers.list', {})).toEqual({ providers: [], defaultModel: null })
    const saved = await f.call('providers.save', {
      name: 'work',
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:9/v1/',
      apiKey: KEY,
      models: ['gpt-5', 'my-model', 'gpt-5'],
    })
    const expected: ProviderView = {
      name: 'work',
      kind: 'openai',
      preset: null,
      baseUrl: 'http://127.0.0.1:9/v1',
      key: { source: 'stored', hint: `sk-…${KEY.slice(-4)}`, env: null },
      models: ['gpt-5', 'my-model'],
      readOnly: false,
    }
    expect(saved).toEqual(expected)
    expect(await f.call('providers.list', {})).toEqual({
      providers: [expected],
      defaultModel: null,
    })
    expect(secretsFile(f)).toEqual({ 'provider:work': KEY })

    // Absent key: kept. New models: replaced.
    const updated = await f.call('providers.save', {
      name: 'work',
      kind: 'openai',
      models: ['other'],
    })
    expect(updated.key).toEqual(expected.key)
    expect(updated.baseUrl).toBe(expected.baseUrl)
    expect(updated.models).toEqual(['other'])

    const cleared = await f.call('providers.save', { name: 'work', kind: 'openai', clearKey: true })
    expect(cleared.key).toEqual({ source: 'none', hint: null, env: null })
    expect(secretsFile(f)).toEqual({})

    const short = await f.call('providers.save', { name: 'work', kind: 'openai', apiKey: 'abc123' })
    expect(short.key.hint).toBe('••••')
    const plain = await f.call('providers.save', {
      name: 'work',
      kind: 'openai',
      apiKey: 'ABCDEFGHIJKLMNOP',
    })
    expect(plain.key.hint).toBe('…MNOP')
  })

  it('defaults the base URL by kind and preset, and explains what it refuses', async () => {
    const f = engine()
    const claude = await f.call('providers.save', { name: 'claude', kind: 'anthropic' })
    expect(claude.baseUrl).toBe('https://api.anthropic.com')
    const or = await f.call('providers.save', { name: 'or', kind: 'openai', preset: 'openrouter' })
    expect(or).toMatchObject({ preset: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1' })

    const noUrl = await rejection(f.call('providers.save', { name: 'x', kind: 'openai' }))
    expect(noUrl).toMatchObject({ code: 'invalid_params' })
    expect(noUrl.message).toContain('needs a base URL')
    const reserved = await rejection(
      f.call('providers.save', { name: 'env', kind: 'openai', baseUrl: 'http://a.test/v1' }),
    )
    expect(reserved.message).toContain('"env" is the name of the host’s own model')
    const wrongWire = await rejection(
      f.call('providers.save', { name: 'x', kind: 'openai', preset: 'anthropic' }),
    )
    expect(wrongWire.message).toContain('speaks the Anthropic API: choose the kind "anthropic"')
    const unknown = await rejection(
      f.call('providers.save', { name: 'x', kind: 'openai', preset: 'nope' }),
    )
    expect(unknown.message).toMatch(/Unknown preset "nope" \(known: openai, anthropic, openrouter/)
    const both = await rejection(
      f.call('providers.save', { name: 'claude', kind: 'anthropic', apiKey: KEY, clearKey: true }),
    )
    expect(both.message).toBe('Give a new key or clear the stored one, not both.')
    const badName = await rejection(
      f.call('providers.save', { name: 'Bad Name', kind: 'anthropic', apiKey: KEY }),
    )
    expect(badName.code).toBe('invalid_params')
    const badKey = await rejection(
      f.call('providers.save', { name: 'a', kind: 'anthropic', apiKey: ' ' }),
    )
    expect(badKey.message).toContain('the key is empty')
    // Nothing refused was saved, and no refusal (logged as it is) carries the key.
    expect((await f.call('providers.list', {})).providers.map((p) => p.name)).toEqual([
      'claude',
      'or',
    ])
    expect(f.logger.lines.filter((l) => l.includes('request rejected')).length).toBeGreaterThan(5)
    expect(f.logger.lines.join('')).not.toContain(KEY)
  })

  it('removes a provider with its stored key and the default model that pointed at it', async () => {
    const f = engine()
    await f.call('providers.save', {
      name: 'work',
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:9/v1',
      apiKey: KEY,
      models: ['m1'],
    })
    await f.call('providers.save', {
      name: 'keep',
      kind: 'anthropic',
      apiKey: 'sk-ant-other-key-1',
    })
    await f.call('models.setDefault', { ref: 'work/m1' })
    expect((await f.call('providers.list', {})).defaultModel).toBe('work/m1')
    expect(await f.call('providers.remove', { name: 'work' })).toEqual({ name: 'work' })
    const after = await f.call('providers.list', {})
    expect(after.providers.map((p) => p.name)).toEqual(['keep'])
    expect(after.defaultModel).toBeNull()
    expect(secretsFile(f)).toEqual({ 'provider:keep': 'sk-ant-other-key-1' })
    const missing = await rejection(f.call('providers.remove', { name: 'work' }))
    expect(missing).toEqual(
      expect.objectContaining({
        code: 'not_found',
        message: 'No provider named "work" is configured.',
      }),
    )
  })

  it('reads the key from the named variable when it is set: the variable wins', async () => {
    const f = engine({
      env: { PATH: process.env.PATH ?? '', WORK_LLM_KEY: 'env-key-0123456789-WINS' },
    })
    const saved = await f.call('providers.save', {
      name: 'work',
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:9/v1',
      apiKey: KEY,
      apiKeyEnv: 'WORK_LLM_KEY',
    })
    expect(saved.key).toEqual({ source: 'env', hint: 'env-…WINS', env: 'WORK_LLM_KEY' })
    const unset = await f.call('providers.save', {
      name: 'other',
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:9/v1',
      apiKeyEnv: 'NOT_SET_ANYWHERE',
    })
    expect(unset.key).toEqual({ source: 'none', hint: null, env: 'NOT_SET_ANYWHERE' })
    const dropped = await f.call('providers.save', {
      name: 'work',
      kind: 'openai',
      apiKeyEnv: null,
    })
    expect(dropped.key).toEqual({ source: 'stored', hint: `sk-…${KEY.slice(-4)}`, env: null })
  })
})

describe('models.list / models.setDefault', () => {
  it('offers configured, catalog and host models, each as <provider>/<model>', async () => {
    const f = engine({
      model: {
        model: 'fake-model',
        stream: createOpenAiCompatibleStream({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: '' }),
      },
    })
    const hostOnly = await f.call('providers.list', {})
    expect(hostOnly.providers).toEqual([
      expect.objectContaining({ name: 'env', readOnly: true, models: ['fake-model'] }),
    ])
    expect(hostOnly.defaultModel).toBe('env/fake-model')

    const kimiOnOpenRouter = catalog.providerModelName('kimi-k2', 'openrouter')
    await f.call('providers.save', {
      name: 'or',
      kind: 'openai',
      preset: 'openrouter',
      models: [kimiOnOpenRouter, 'custom-x'],
    })
    const { models, defaultModel } = await f.call('models.list', {})
    expect(defaultModel).toBe('env/fake-model')
    const byRef = new Map(models.map((m) => [m.ref, m]))
    expect(byRef.get('env/fake-model')).toMatchObject({ source: 'env', provider: 'env' })
    expect(byRef.get(`or/${kimiOnOpenRouter}`)).toEqual({
      ref: `or/${kimiOnOpenRouter}`,
      provider: 'or',
      model: kimiOnOpenRouter,
      label: catalog.get('kimi-k2')!.name,
      source: 'provider',
      contextWindow: catalog.get('kimi-k2')!.contextWindow,
    })
    expect(byRef.get('or/custom-x')).toMatchObject({ label: 'custom-x', contextWindow: null })
    // The catalog's models for the preset, except those the user's list already names.
    expect(byRef.has('or/kimi-k2')).toBe(false)
    const onOpenRouter = catalog.list().filter((m) => m.providers.openrouter && m.id !== 'kimi-k2')
    expect(onOpenRouter.length).toBeGreaterThan(0)
    for (const m of onOpenRouter) {
      expect(byRef.get(`or/${m.id}`)).toMatchObject({ source: 'catalog', label: m.name })
    }

    const unknown = await rejection(f.call('models.setDefault', { ref: 'nope/x' }))
    expect(unknown).toMatchObject({ code: 'invalid_params' })
    expect(unknown.message).toContain('No provider named "nope" is configured')
    expect(await f.call('models.setDefault', { ref: 'or/kimi-k2' })).toEqual({
      defaultModel: 'or/kimi-k2',
    })
    expect((await f.call('models.list', {})).defaultModel).toBe('or/kimi-k2')

    const ws = await f.call('workspaces.open', { path: project(f) })
    const session = await f.call('sessions.create', { workspaceId: ws.id })
    const status = await f.call('sessions.status', { sessionId: session.id })
    expect(status.model).toBe('or/kimi-k2')
    expect(status.context.windowTokens).toBe(catalog.get('kimi-k2')!.contextWindow)

    await f.call('providers.remove', { name: 'or' })
    expect((await f.call('sessions.status', { sessionId: session.id })).model).toBe(
      'env/fake-model',
    )
  })

  it('makes the only model the default, says so, and keeps it when more models come', async () => {
    const f = engine()
    const llm = await fake({ models: ['m1'] })
    expect(await f.call('models.list', {})).toMatchObject({
      defaultModel: null,
      defaultIsOnlyModel: false,
    })
    await f.call('providers.save', {
      name: 'one',
      kind: 'openai',
      baseUrl: llm.baseUrl,
      models: ['m1'],
    })
    expect(await f.call('models.list', {})).toMatchObject({
      defaultModel: 'one/m1',
      defaultIsOnlyModel: true,
    })
    expect((await f.call('providers.list', {})).defaultModel).toBe('one/m1')

    // A session with no model of its own runs on it.
    const ws = await f.call('workspaces.open', { path: project(f) })
    const session = await f.call('sessions.create', { workspaceId: ws.id })
    expect((await f.call('sessions.status', { sessionId: session.id })).model).toBe('one/m1')
    const ended: string[] = []
    const sub = f.engine.subscribe({}, (e) => {
      if (e.type === 'entry.appended' && e.entry.type === 'turn_end') ended.push(e.sessionId)
    })
    closers.push(sub.dispose)
    llm.script({ text: 'hello' })
    await f.call('sessions.prompt', { sessionId: session.id, text: 'hi' })
    await waitUntil(() => ended.includes(session.id), 20_000, 'the run to end')
    expect(llm.chatRequests().at(-1)?.model).toBe('m1')

    // A second provider: the default stays what it was, now as a choice of its own.
    await f.call('providers.save', {
      name: 'two',
      kind: 'openai',
      baseUrl: llm.baseUrl,
      models: ['m2'],
    })
    expect(await f.call('models.list', {})).toMatchObject({
      defaultModel: 'one/m1',
      defaultIsOnlyModel: false,
    })
    // Removing the default's provider leaves one model: that one is the default again.
    await f.call('providers.remove', { name: 'one' })
    expect(await f.call('models.list', {})).toMatchObject({
      defaultModel: 'two/m2',
      defaultIsOnlyModel: true,
    })
  })

  it('announces every change to providers and the default model as a host event', async () => {
    const f = engine()
    const seen: string[] = []
    const sub = f.engine.subscribe({}, (e) => seen.push(e.type))
    const llm = await fake({ models: ['m1'] })
    await f.call('providers.save', { name: 'one', kind: 'openai', baseUrl: llm.baseUrl })
    await f.call('models.setDefault', { ref: 'one/m1' })
    await f.call('providers.remove', { name: 'one' })
    sub.dispose()
    expect(seen.filter((t) => t === 'providers.changed')).toHaveLength(3)
  })

  it('answers no_model saying which provider is missing and what to do', async () => {
    const f = engine()
    const ws = await f.call('workspaces.open', { path: project(f) })
    const session = await f.call('sessions.create', { workspaceId: ws.id })
    const none = await rejection(f.call('sessions.prompt', { sessionId: session.id, text: 'hi' }))
    expect(none.code).toBe('no_model')
    expect(none.message).toContain('Add a provider in Settings → Providers')
    const missing = await rejection(
      f.call('sessions.prompt', { sessionId: session.id, text: 'hi', model: 'gone/some-model' }),
    )
    expect(missing).toMatchObject({ code: 'no_model' })
    expect(missing.message).toContain(
      'No provider named "gone" is configured (model "gone/some-model")',
    )
  })
})
