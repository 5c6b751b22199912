import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { detectLocalServers } from '../../src/main/providers/local-servers'
import { ModelListError, fetchModelList } from '../../src/main/providers/model-list'

/**
 * Real loopback HTTP servers that answer like Ollama, LM Studio and hosted OpenAI-compatible APIs
 * do, so discovery is tested at the wire.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void

const servers: Server[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => close(s)))
})

async function serve(handler: Handler): Promise<{ origin: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = []
  const server = createServer((req, res) => {
    requests.push(req)
    handler(req, res)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { origin: `http://127.0.0.1:${port}`, requests }
}

function close(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

/** An address nobody listens on: bind a port, then let it go. */
async function deadOrigin(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await close(server)
  return `http://127.0.0.1:${port}`
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

const openAiList = (ids: string[], ownedBy: string): unknown => ({
  object: 'list',
  data: ids.map((id) => ({ id, object: 'model', created: 1_754_000_000, owned_by: ownedBy })),
})

/** Ollama: native `/api/tags`, plus the OpenAI-compatible `/v1/models`. */
const ollama: Handler = (req, res) => {
  if (req.url === '/api/tags') {
    return json(res, 200, {
      models: [
        { name: 'qwen3-coder:30b', model: 'qwen3-coder:30b', size: 18_556_701_140 },
        { name: 'gpt-oss:20b', model: 'gpt-oss:20b', size: 13_780_173_839 },
      ],
    })
  }
  if (req.url === '/v1/models') return json(res, 200, openAiList(['qwen3-coder:30b'], 'library'))
  json(res, 404, { error: 'not found' })
}

/** LM Studio: `/v1/models` only. */
const lmStudio: Handler = (req, res) => {
  if (req.url === '/v1/models') {
    return json(
      res,
      200,
      openAiList(['qwen/qwen3-coder-30b', 'openai/gpt-oss-20b'], 'organization_owner'),
    )
  }
  json(res, 404, { error: 'Unexpected endpoint or method.' })
}

describe('detectLocalServers', () => {
  it('finds Ollama and LM Studio with their models and leaves a dead address out', async () => {
    const o = await serve(ollama)
    const l = await serve(lmStudio)
    const dead = await deadOrigin()

    const found = await detectLocalServers({
      candidates: [
        { kind: 'ollama', baseUrl: o.origin },
        { kind: 'openai-compatible', baseUrl: `${dead}/v1` },
        { kind: 'lmstudio', baseUrl: `${l.origin}/v1` },
      ],
    })

    expect(found).toEqual([
      { kind: 'ollama', baseUrl: `${o.origin}/v1`, models: ['qwen3-coder:30b', 'gpt-oss:20b'] },
      {
        kind: 'lmstudio',
        baseUrl: `${l.origin}/v1`,
        models: ['qwen/qwen3-coder-30b', 'openai/gpt-oss-20b'],
      },
    ])
    expect(o.requests.map((r) => r.url)).toEqual(['/api/tags'])
  })

  it('accepts an Ollama address given with /v1', async () => {
    const o = await serve(ollama)
    const found = await detectLocalServers({
      candidates: [{ kind: 'ollama', baseUrl: `${o.origin}/v1/` }],
    })
    expect(found.map((s) => s.baseUrl)).toEqual([`${o.origin}/v1`])
  })

  it('leaves out a server that does not answer in time, or speaks something else', async () => {
    const silent = await serve(() => {
      // Never answers: the probe's timeout must end it.
    })
    const html = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html>router admin</html>')
    })
    const l = await serve(lmStudio)
    const found = await detectLocalServers({
      timeoutMs: 200,
      candidates: [
        { kind: 'lmstudio', baseUrl: `${silent.origin}/v1` },
        { kind: 'ollama', baseUrl: html.origin },
        { kind: 'openai-compatible', baseUrl: `${l.origin}/v1` },
      ],
    })
    expect(found.map((s) => s.kind)).toEqual(['openai-compatible'])
  })
})

describe('fetchModelList', () => {
  async function failure(promise: Promise<unknown>): Promise<ModelListError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(ModelListError)
    return err as ModelListError
  }

  it('lists models, sending the key, with context windows where the server gives them', async () => {
    const s = await serve((req, res) => {
      if (req.headers.authorization !== 'Bearer sk-test') return json(res, 401, { error: 'no' })
      json(res, 200, {
        object: 'list',
        data: [
          { id: 'moonshotai/kimi-k2', owned_by: 'moonshotai', context_length: 131_072 },
          { id: 'llama-3.3-70b-versatile', owned_by: null, context_window: 131_072 },
          { id: 'Qwen/Qwen3-Coder-30B-A3B-Instruct', max_model_len: 65_536 },
        ],
      })
    })
    const models = await fetchModelList(`${s.origin}/v1/`, { apiKey: 'sk-test' })
    expect(models).toEqual([
      { id: 'moonshotai/kimi-k2', ownedBy: 'moonshotai', contextWindow: 131_072 },
      { id: 'llama-3.3-70b-versatile', contextWindow: 131_072 },
      { id: 'Qwen/Qwen3-Coder-30B-A3B-Instruct', contextWindow: 65_536 },
    ])
    expect(s.requests[0]?.url).toBe('/v1/models')
  })

  it('accepts a bare array, as Together answers', async () => {
    const s = await serve((_req, res) =>
      json(res, 200, [{ id: 'openai/gpt-oss-120b', organization: 'OpenAI', context_length: 1 }]),
    )
    expect(await fetchModelList(`${s.origin}/v1`)).toEqual([
      { id: 'openai/gpt-oss-120b', ownedBy: 'OpenAI', contextWindow: 1 },
    ])
  })

  it('says unauthorized on 401 and 403', async () => {
    for (const status of [401, 403]) {
      const s = await serve((_req, res) => json(res, status, { error: { message: 'bad key' } }))
      const err = await failure(fetchModelList(`${s.origin}/v1`, { apiKey: 'wrong' }))
      expect(err.kind).toBe('unauthorized')
      expect(err.status).toBe(status)
    }
  })

  it('says not OpenAI-compatible on 404, non-JSON, or the wrong shape', async () => {
    const notFound = await serve((_req, res) => json(res, 404, { error: 'not found' }))
    expect((await failure(fetchModelList(`${notFound.origin}/v1`))).kind).toBe(
      'not_openai_compatible',
    )
    const html = await serve((_req, res) => res.end('<html></html>'))
    expect((await failure(fetchModelList(`${html.origin}/v1`))).kind).toBe('not_openai_compatible')
    const wrong = await serve((_req, res) => json(res, 200, { models: [{ name: 'x' }] }))
    expect((await failure(fetchModelList(`${wrong.origin}/v1`))).kind).toBe('not_openai_compatible')
  })

  it('says server on 5xx and 429', async () => {
    const s = await serve((_req, res) => json(res, 503, { error: 'overloaded' }))
    const err = await failure(fetchModelList(`${s.origin}/v1`))
    expect(err).toMatchObject({ kind: 'server', status: 503 })
  })

  it('says unreachable when the port refuses or the server never answers', async () => {
    const dead = await deadOrigin()
    const refused = await failure(fetchModelList(`${dead}/v1`))
    expect(refused.kind).toBe('unreachable')
    expect(refused.message).toContain('ECONNREFUSED')

    const silent = await serve(() => {})
    const slow = await failure(fetchModelList(`${silent.origin}/v1`, { timeoutMs: 150 }))
    expect(slow.kind).toBe('unreachable')
    expect(slow.message).toContain('150 ms')
  })

  it('says aborted when the caller aborts', async () => {
    const silent = await serve(() => {})
    const controller = new AbortController()
    const pending = fetchModelList(`${silent.origin}/v1`, { signal: controller.signal })
    controller.abort()
    expect((await failure(pending)).kind).toBe('aborted')
  })
})
