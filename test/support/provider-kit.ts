import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EngineFixture } from './engine'
import { engineFixture } from './engine'
import type { FakeLlm } from './fake-llm'
import { startFakeLlm } from './fake-llm'

/**
 * What the provider integration tests share: an engine fixture, fake LLM servers and small web
 * servers, each closed by `closeProviderKit` (the test file's afterEach).
 */

export const KEY = 'sk-providers-0123456789-abcdefgh-Zq9w'

let fx: EngineFixture | undefined
/** Run after each test, in order (`unshift` one to run it first). */
export const closers: Array<() => unknown> = []

export async function closeProviderKit(): Promise<void> {
  fx?.cleanup()
  fx = undefined
  for (const close of closers.splice(0)) await close()
}

export function engine(extra: Parameters<typeof engineFixture>[1] = {}): EngineFixture {
  fx = engineFixture('web', { env: { PATH: process.env.PATH ?? '' }, ...extra })
  return fx
}

export async function fake(opts: Parameters<typeof startFakeLlm>[0] = {}): Promise<FakeLlm> {
  const f = await startFakeLlm(opts)
  closers.push(() => f.close())
  return f
}

/** A web server that answers every request 200 with an HTML page, as a wrong base URL does. */
export async function htmlServer(): Promise<string> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<!DOCTYPE html><html><body>Welcome to nginx!</body></html>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
}

/** A web server that answers every request with this status, content type and body. */
export async function statusServer(status: number, type: string, body: string): Promise<string> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': type })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
}

export async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p
  } catch (err) {
    return err as { code: string; message: string }
  }
  throw new Error('expected the call to fail')
}

export function project(f: EngineFixture): string {
  const dir = join(f.home, 'project')
  mkdirSync(dir, { recursive: true })
  return dir
}

export function secretsFile(f: EngineFixture): Record<string, string> {
  return (
    JSON.parse(readFileSync(join(f.dataDir, 'secrets.json'), 'utf8')) as {
      secrets: Record<string, string>
    }
  ).secrets
}
