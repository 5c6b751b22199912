import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createProviderRegistry } from '../../src/main/providers/registry'
import { openDatabase } from '../../src/main/sessions/database'
import { Settings } from '../../src/main/sessions/settings'
import { FileSecretStore } from '../../src/main/secrets/file-secret-store'
import { runCliIn } from '../support/cli-in-process'
import { closedPort } from '../support/ports'
import {
  KEY,
  closeProviderKit,
  closers,
  engine,
  fake,
  htmlServer,
  rejection,
  statusServer,
} from '../support/provider-kit'
import { tempDir } from '../support/temp'
import { waitUntil } from '../support/wait'

/** Testing a provider's connection, finding local servers, and changes made with the CLI. */

afterEach(closeProviderKit)

describe('providers.test', () => {
  it('says ok with the models, or that the key is wrong, by name or from the form', async () => {
    const f = engine()
    const llm = await fake({ models: ['m1', 'm2'], apiKey: KEY })
    await f.call('providers.save', {
      name: 'local',
      kind: 'openai',
      baseUrl: llm.baseUrl,
      apiKey: KEY,
    })
    expect(await f.call('providers.test', { name: 'local' })).toEqual({
      verdict: 'ok',
      message: 'Connected: 2 models listed.',
      models: ['m1', 'm2'],
    })
    const listing = llm.requests.at(-1)!
    expect(listing).toMatchObject({ method: 'GET', path: '/v1/models', status: 200 })
    expect(listing.headers.authorization).toBe(`Bearer ${KEY}`)

    const wrong = 'sk-wrong-key-0123456789'
    const bad = await f.call('providers.test', {
      kind: 'openai',
      baseUrl: llm.baseUrl,
      apiKey: wrong,
    })
    expect(bad).toEqual({
      verdict: 'bad_key',
      message: 'The server rejected the key (401).',
      models: [],
    })
    const keyFrom = await f.call('providers.test', {
      kind: 'openai',
      baseUrl: llm.baseUrl,
      keyFrom: 'local',
    })
    expect(keyFrom.verdict).toBe('ok')
    const noKey = await f.call('providers.test', { kind: 'openai', baseUrl: llm.baseUrl })
    expect(noKey.verdict).toBe('bad_key')
    expect(noKey.message).toMatch(/^The server wants a key \(401\)/)
    const unknown = await rejection(f.call('providers.test', { name: 'nope' }))
    expect(unknown.code).toBe('not_found')
  })

  it('tells an address where nothing answers from one that is not an API', async () => {
    const f = engine()
    const port = await closedPort()
    expect(
      await f.call('providers.test', { kind: 'openai', baseUrl: `http://127.0.0.1:${port}/v1` }),
    ).toEqual({
      verdict: 'unreachable',
      message: `Nothing answers at http://127.0.0.1:${port} (connection refused).`,
      models: [],
    })
    const html = await htmlServer()
    const page = await f.call('providers.test', { kind: 'openai', baseUrl: html, apiKey: KEY })
    expect(page.verdict).toBe('not_compatible')
    expect(page.message).toBe(
      `${html}/models answered with a web page, not a model list: check the base URL.`,
    )
    // A 401 with a web page (a login page, a proxy's) is not "the key was rejected": the
    // address is probably not the API.
    const login = await statusServer(
      401,
      'text/html',
      '<html><head><title>401 Authorization Required</title></head></html>',
    )
    const refused = await f.call('providers.test', { kind: 'openai', baseUrl: login, apiKey: KEY })
    expect(refused.verdict).toBe('not_compatible')
    expect(refused.message).toContain(`${login}/models answered 401 with a web page`)
    expect(refused.message).toContain('not a model API')
    // The same status with an API's JSON error body, or the one line of plain text some gateways
    // send, is the key.
    for (const [type, body] of [
      [
        'application/json',
        JSON.stringify({ error: { message: 'Invalid API key', type: 'invalid_request_error' } }),
      ],
      ['text/plain', 'Unauthorized'],
      ['text/plain', 'Invalid API key'],
    ]) {
      const api = await statusServer(401, type!, body!)
      expect(await f.call('providers.test', { kind: 'openai', baseUrl: api, apiKey: KEY })).toEqual(
        { verdict: 'bad_key', message: 'The server rejected the key (401).', models: [] },
      )
    }
    const noList = await fake()
    const notFound = await f.call('providers.test', { kind: 'openai', baseUrl: noList.baseUrl })
    expect(notFound).toEqual({
      verdict: 'not_compatible',
      message: `There is no model list at ${noList.baseUrl}/models (404): check the base URL.`,
      models: [],
    })
  })

  it('speaks Anthropic’s models endpoint with x-api-key and anthropic-version', async () => {
    const f = engine()
    const llm = await fake({ models: ['claude-sonnet-4-5-20250929'], apiKey: KEY })
    await f.call('providers.save', {
      name: 'claude',
      kind: 'anthropic',
      baseUrl: llm.anthropicBaseUrl,
      apiKey: KEY,
    })
    expect(await f.call('providers.test', { name: 'claude' })).toEqual({
      verdict: 'ok',
      message: 'Connected: 1 model listed.',
      models: ['claude-sonnet-4-5-20250929'],
    })
    const req = llm.requests.at(-1)!
    expect(req.path).toMatch(/^\/v1\/models/)
    expect(req.headers['x-api-key']).toBe(KEY)
    expect(req.headers['anthropic-version']).toBe('2023-06-01')
    const bad = await f.call('providers.test', {
      kind: 'anthropic',
      baseUrl: llm.anthropicBaseUrl,
      apiKey: 'sk-ant-wrong-0123456789',
    })
    expect(bad.verdict).toBe('bad_key')
    expect(f.logger.lines.join('')).not.toContain(KEY)
  })

  it('gives up on a server that never answers, within the test timeout', async () => {
    const server = createServer(() => {
      // Accepts the request and never answers.
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    closers.push(() => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    })
    const port = (server.address() as AddressInfo).port
    const tmp = tempDir()
    closers.push(tmp.cleanup)
    const db = openDatabase(tmp.path)
    closers.unshift(() => db.close())
    const registry = createProviderRegistry({
      settings: new Settings(db),
      secrets: new FileSecretStore(tmp.path),
      hostModel: null,
      testTimeoutMs: 300,
    })
    expect(await registry.test({ kind: 'openai', baseUrl: `http://127.0.0.1:${port}/v1` })).toEqual(
      {
        verdict: 'unreachable',
        message: `http://127.0.0.1:${port} did not answer within 300 ms.`,
        models: [],
      },
    )
  })
})

describe('providers.detectLocal', () => {
  it('finds Ollama and LM Studio servers with their models', async () => {
    const llm = await fake({ models: ['qwen3:8b'] })
    const tmp = tempDir()
    closers.push(tmp.cleanup)
    const db = openDatabase(tmp.path)
    closers.unshift(() => db.close())
    const registry = createProviderRegistry({
      settings: new Settings(db),
      secrets: new FileSecretStore(tmp.path),
      hostModel: null,
      localServers: [
        { kind: 'ollama', baseUrl: llm.anthropicBaseUrl },
        { kind: 'lmstudio', baseUrl: `http://127.0.0.1:${await closedPort()}/v1` },
      ],
    })
    expect(await registry.detectLocal()).toEqual([
      { kind: 'ollama', baseUrl: `${llm.anthropicBaseUrl}/v1`, models: ['qwen3:8b'] },
    ])
  })
})

describe('provider settings changed with the CLI', () => {
  it('reach a running host as a providers.changed event', async () => {
    const f = engine({ watch: true })
    const seen: string[] = []
    const sub = f.engine.subscribe({}, (e) => seen.push(e.type))
    closers.push(sub.dispose)
    const cli = await runCliIn(f.dataDir, ['settings', 'set', 'models.default', 'one/m1'], {
      cwd: f.home,
    })
    expect(cli.status).toBe(0)
    await waitUntil(() => seen.includes('providers.changed'), 20_000, 'the change to arrive')
    expect((await f.call('models.list', {})).defaultModel).toBe(null)
    const unset = await runCliIn(f.dataDir, ['settings', 'unset', 'models.default'], {
      cwd: f.home,
    })
    expect(unset.status).toBe(0)
    await waitUntil(
      () => seen.filter((t) => t === 'providers.changed').length === 2,
      20_000,
      'the second change to arrive',
    )
  })
})
