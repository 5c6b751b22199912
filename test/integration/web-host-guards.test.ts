import { existsSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { join } from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp'
import { waitUntil } from '../support/wait'
import type { RunningWebHost } from '../support/web-host'
import { startWebHost } from '../support/web-host'

let tmp: ReturnType<typeof tempDir>
let host: RunningWebHost
let cookie: string

beforeAll(async () => {
  tmp = tempDir()
  host = await startWebHost({ dataDir: join(tmp.path, 'data') })
  const res = await fetch(host.url, { redirect: 'manual' })
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
})
afterAll(async () => {
  await host.stop()
  tmp.cleanup()
})

/** One HTTP request on a connection of its own, with exactly the headers given. */
function get(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** The HTTP status of a socket upgrade (101 when accepted). */
function socketStatus(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers })
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('error', () => resolve(-1))
  })
}

describe('web host: redirect and Host checks', () => {
  it('redirects the token exchange to / exactly, whatever the path', async () => {
    for (const path of ['/.//evil.example/', '//evil.example/', '/some/page']) {
      const res = await get(host.port, `${path}?token=${host.token}`, {
        Host: `127.0.0.1:${host.port}`,
      })
      expect(res, path).toEqual({ status: 303, location: '/' })
    }
  })

  it('refuses a Host other than the bound address and port (421), with a valid cookie', async () => {
    const wrong = ['evil.example', `evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`]
    wrong.push(`localhost:${host.port + 1}`, `[::1]:${host.port}`, '127.0.0.1')
    for (const h of wrong) {
      expect((await get(host.port, '/', { Host: h, Cookie: cookie })).status, h).toBe(421)
      expect(
        (await get(host.port, `/?token=${host.token}`, { Host: h })).status,
        `${h} token`,
      ).toBe(421)
      expect(
        await socketStatus(host.port, { Host: h, Cookie: cookie, Origin: host.origin }),
        `${h} socket`,
      ).toBe(421)
    }
  })

  it('accepts 127.0.0.1 and localhost with the bound port', async () => {
    for (const h of [
      `127.0.0.1:${host.port}`,
      `localhost:${host.port}`,
      `LOCALHOST:${host.port}`,
    ]) {
      expect((await get(host.port, '/', { Host: h, Cookie: cookie })).status, h).toBe(200)
      expect(await socketStatus(host.port, { Host: h, Cookie: cookie, Origin: host.origin })).toBe(
        101,
      )
    }
  })
})

/** A raw connection that reads until `text` has arrived since the last call. */
function rawClient(port: number): Promise<{
  socket: Socket
  send: (request: string, expect: string) => Promise<string>
}> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let received = ''
    let waiting: { text: string; done: (s: string) => void; fail: (e: Error) => void } | null = null
    const check = (): void => {
      if (waiting && received.includes(waiting.text)) {
        const { done } = waiting
        waiting = null
        const got = received
        received = ''
        done(got)
      }
    }
    socket.on('data', (d: Buffer) => {
      received += d.toString('latin1')
      check()
    })
    socket.on('close', () => waiting?.fail(new Error(`closed; received: ${received}`)))
    socket.once('error', reject)
    socket.once('connect', () =>
      resolve({
        socket,
        send: (req, text) =>
          new Promise((done, fail) => {
            waiting = { text, done, fail }
            socket.write(req)
          }),
      }),
    )
  })
}

describe('web host: concurrent connections', () => {
  it('refuses the 65th connection, keeps the first 64 usable, and takes new ones after', async () => {
    const own = await startWebHost({ dataDir: join(tmp.path, 'conn-data') })
    const clients: Socket[] = []
    try {
      const hostHeader = `Host: 127.0.0.1:${own.port}\r\n`
      const open: Array<Awaited<ReturnType<typeof rawClient>>> = []
      let ownCookie = ''
      for (let i = 0; i < 64; i++) {
        const c = await rawClient(own.port)
        clients.push(c.socket)
        open.push(c)
        const got = await c.send(
          `GET /?token=${own.token} HTTP/1.1\r\n${hostHeader}\r\n`,
          '\r\n\r\n',
        )
        expect(got.startsWith('HTTP/1.1 303')).toBe(true)
        ownCookie = /Set-Cookie: ([^;]+);/i.exec(got)?.[1] ?? ''
      }
      // The 65th is closed at once, without an answer.
      const extra = connect(own.port, '127.0.0.1')
      clients.push(extra)
      let answered = ''
      extra.on('data', (d: Buffer) => (answered += d.toString()))
      extra.on('error', () => {})
      extra.write(`GET / HTTP/1.1\r\n${hostHeader}Cookie: ${ownCookie}\r\n\r\n`)
      await new Promise<void>((resolve) => extra.once('close', () => resolve()))
      expect(answered).toBe('')
      // The first 64 still answer.
      for (const c of open) {
        const got = await c.send(
          `HEAD / HTTP/1.1\r\n${hostHeader}Cookie: ${ownCookie}\r\n\r\n`,
          '\r\n\r\n',
        )
        expect(got.startsWith('HTTP/1.1 200')).toBe(true)
      }
      for (const s of clients) s.destroy()
      // Once they are gone (the host notices the closes on its own), a fresh request works.
      let status = 0
      for (let attempt = 0; attempt < 200 && status !== 200; attempt++) {
        status = await get(own.port, '/', { Host: `127.0.0.1:${own.port}`, Cookie: ownCookie })
          .then((r) => r.status)
          .catch(() => 0)
        if (status !== 200) await new Promise((r) => setTimeout(r, 20))
      }
      expect(status).toBe(200)
    } finally {
      for (const s of clients) s.destroy()
      await own.stop()
    }
  })
})

interface LogLine {
  t: string
  msg: string
  count?: number
}

function readLog(dataDir: string): LogLine[] {
  const file = join(dataDir, 'logs', 'web-host.log')
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as LogLine)
}

/** Lines of `message` per second of their timestamps are at most 10, and the counts add up. */
function expectLimited(lines: LogLine[], message: string, summary: string, total: number): void {
  const logged = lines.filter((l) => l.msg === message)
  const perSecond = new Map<string, number>()
  for (const l of logged)
    perSecond.set(l.t.slice(0, 19), (perSecond.get(l.t.slice(0, 19)) ?? 0) + 1)
  expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(10)
  const counted = lines.filter((l) => l.msg === summary).reduce((n, l) => n + (l.count ?? 0), 0)
  expect(logged.length + counted).toBe(total)
}

describe('web host: the log of rejected calls', () => {
  it('keeps at most 10 lines a second and counts the rest', async () => {
    const dataDir = join(tmp.path, 'log-data')
    const own = await startWebHost({ dataDir })
    try {
      // Contract calls the dispatcher rejects, over the socket.
      const res = await fetch(own.url, { redirect: 'manual' })
      const ownCookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
      const ws = new WebSocket(`ws://127.0.0.1:${own.port}/ws`, {
        headers: { Cookie: ownCookie, Origin: own.origin },
      })
      await new Promise((resolve, reject) => {
        ws.once('open', resolve)
        ws.once('error', reject)
      })
      let answers = 0
      ws.on('message', () => answers++)
      for (let id = 0; id < 40; id++) {
        ws.send(JSON.stringify({ kind: 'call', id, method: 'no.such', params: {} }))
      }
      await waitUntil(() => answers === 40, 20_000, '40 answers')
      ws.close()
      // HTTP requests refused for their Host.
      await Promise.all(
        Array.from({ length: 40 }, () =>
          get(own.port, '/', { Host: 'evil.example', Cookie: ownCookie }),
        ),
      )
      const settled = (): boolean => {
        const lines = readLog(dataDir)
        const sum = (message: string, summary: string): number =>
          lines.filter((l) => l.msg === message).length +
          lines.filter((l) => l.msg === summary).reduce((n, l) => n + (l.count ?? 0), 0)
        return (
          sum('request rejected', 'requests rejected, not logged') === 40 &&
          sum('web request refused', 'web requests refused, not logged') === 40
        )
      }
      await waitUntil(settled, 20_000, 'the counts of the rest in the log')
      const lines = readLog(dataDir)
      expectLimited(lines, 'request rejected', 'requests rejected, not logged', 40)
      expectLimited(lines, 'web request refused', 'web requests refused, not logged', 40)
    } finally {
      await own.stop()
    }
  })
})
