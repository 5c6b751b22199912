import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer as createHttpServer, request as httpRequest } from 'node:http'
import type { Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { connect as netConnect } from 'node:net'
import type { AddressInfo, Socket } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpenAiCompatibleStream } from '../../src/main/providers/openai-compatible'
import { createAnthropicStream } from '../../src/main/providers/anthropic'
import { createProviderFetch } from '../../src/main/providers/http-client'
import { ProviderError } from '../../src/main/providers/types'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { tempDir } from '../support/temp'

let fake: FakeLlm
let tmp: ReturnType<typeof tempDir>
const servers: Server[] = []

beforeAll(async () => {
  fake = await startFakeLlm()
  tmp = tempDir()
})
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
  await fake.close()
  tmp.cleanup()
})

function listen(server: Server): Promise<number> {
  servers.push(server)
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  )
}

/** A loopback HTTP proxy (CONNECT tunnels and absolute-URI forwarding) that counts what it carried. */
async function startProxy(): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = []
  const server = createHttpServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    const target = new URL(req.url ?? '')
    const up = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: req.headers,
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers)
        r.pipe(res)
      },
    )
    req.pipe(up)
  })
  server.on('connect', (req, socket: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`)
    const [host, port] = (req.url ?? '').split(':')
    const upstream = netConnect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(socket)
      socket.pipe(upstream)
    })
    upstream.on('error', () => socket.destroy())
    socket.on('error', () => upstream.destroy())
  })
  const port = await listen(server)
  return { url: `http://127.0.0.1:${port}`, seen }
}

async function drain(
  stream: AsyncIterable<{ type: string; turn?: { content: string } }>,
): Promise<string> {
  let text = ''
  for await (const ev of stream) if (ev.type === 'done') text = ev.turn!.content
  return text
}

const request = (): Parameters<ReturnType<typeof createOpenAiCompatibleStream>>[0] => ({
  model: 'm',
  system: 's',
  messages: [{ role: 'user', content: 'hi' }],
  tools: [],
  signal: new AbortController().signal,
})

describe('provider network settings', () => {
  it('goes through HTTP_PROXY / HTTPS_PROXY, and around it for NO_PROXY hosts', async () => {
    const proxy = await startProxy()
    const env = { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }
    fake.script({ text: 'via proxy' }, { text: 'direct' })
    const viaProxy = createOpenAiCompatibleStream({
      baseUrl: fake.baseUrl,
      apiKey: 'k',
      fetch: createProviderFetch({}, env),
    })
    expect(await drain(viaProxy(request()))).toBe('via proxy')
    const port = new URL(fake.baseUrl).port
    expect(proxy.seen.some((s) => s.includes(`127.0.0.1:${port}`))).toBe(true)

    const before = proxy.seen.length
    const bypass = createOpenAiCompatibleStream({
      baseUrl: fake.baseUrl,
      apiKey: 'k',
      fetch: createProviderFetch({}, { ...env, NO_PROXY: '127.0.0.1' }),
    })
    expect(await drain(bypass(request()))).toBe('direct')
    expect(proxy.seen.length).toBe(before)
  })

  it('routes Anthropic requests through the proxy too', async () => {
    const proxy = await startProxy()
    fake.script({ text: 'claude via proxy' })
    const stream = createAnthropicStream({
      baseUrl: fake.anthropicBaseUrl,
      apiKey: 'k',
      fetch: createProviderFetch({ proxy: proxy.url }, {}),
    })
    expect(await drain(stream(request()))).toBe('claude via proxy')
    expect(proxy.seen.some((s) => s.includes(`127.0.0.1:${new URL(fake.baseUrl).port}`))).toBe(true)
  })

  it('trusts a custom CA bundle for a TLS server, and refuses the server without it', async () => {
    const key = join(tmp.path, 'key.pem')
    const cert = join(tmp.path, 'cert.pem')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    )
    // A TLS front for the fake model server, like a company proxy with its own CA.
    const tls = createHttpsServer(
      { key: readFileSync(key), cert: readFileSync(cert) },
      (req, res) => {
        const target = new URL(fake.baseUrl)
        const up = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            path: req.url,
            method: req.method,
            headers: req.headers,
          },
          (r) => {
            res.writeHead(r.statusCode ?? 502, r.headers)
            r.pipe(res)
          },
        )
        req.pipe(up)
      },
    )
    const port = await listen(tls as unknown as Server)
    const baseUrl = `https://127.0.0.1:${port}/v1`

    fake.script({ text: 'trusted' })
    const untrusted = createOpenAiCompatibleStream({
      baseUrl,
      apiKey: 'k',
      fetch: createProviderFetch({}, {}),
    })
    await expect(drain(untrusted(request()))).rejects.toSatisfy(
      (e: unknown) => e instanceof ProviderError && e.kind === 'network',
    )
    const trusted = createOpenAiCompatibleStream({
      baseUrl,
      apiKey: 'k',
      fetch: createProviderFetch({ caFile: cert }, {}),
    })
    expect(await drain(trusted(request()))).toBe('trusted')
  })
})
