import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_REQUEST_BYTES } from '../../src/shared/contract'
import { openRawSocket } from '../support/raw-socket'
import { tempDir } from '../support/temp'
import type { RunningWebHost } from '../support/web-host'
import { startWebHost } from '../support/web-host'

let tmp: ReturnType<typeof tempDir>
let host: RunningWebHost
beforeAll(async () => {
  tmp = tempDir()
  host = await startWebHost({ dataDir: join(tmp.path, 'data') })
})
afterAll(async () => {
  await host.stop()
  tmp.cleanup()
})

describe('web host: the size of a message', () => {
  it('answers a request over the contract limit with a typed error, on a socket that stays open', async () => {
    const s = await openRawSocket(host)
    const text = 'x'.repeat(MAX_REQUEST_BYTES + 10)
    s.ws.send(
      JSON.stringify({
        kind: 'call',
        id: 1,
        method: 'workspaces.open',
        params: { path: text },
      }),
    )
    await s.received(1)
    expect(s.frames[0]).toMatchObject({
      kind: 'result',
      id: 1,
      ok: false,
      error: { code: 'payload_too_large' },
    })
    await s.hostInfo()
    s.ws.close()
  })

  it('closes only the socket that sent a frame over the frame limit (1009); the others keep working', async () => {
    const [bad, other] = await Promise.all([openRawSocket(host), openRawSocket(host)])
    await other.hostInfo()
    bad.ws.send(Buffer.alloc(8 * MAX_REQUEST_BYTES + 1, 0x61), { binary: false })
    expect(await bad.closed).toBe(1009)
    await other.hostInfo()
    expect(other.frames.filter((f) => f.kind === 'result' && f.ok === true)).toHaveLength(2)
    // And a new socket is welcome.
    const fresh = await openRawSocket(host)
    await fresh.hostInfo()
    other.ws.close()
    fresh.ws.close()
  })
})

describe('web host: Origin of a page request', () => {
  it('refuses a page or the token exchange asked by another site (403), serves its own', async () => {
    const res = await fetch(host.url, { redirect: 'manual' })
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
    for (const origin of ['https://evil.example', 'http://127.0.0.1:1', 'null']) {
      const page = await fetch(`${host.origin}/`, { headers: { Cookie: cookie, Origin: origin } })
      expect(page.status, origin).toBe(403)
      const exchange = await fetch(host.url, { headers: { Origin: origin }, redirect: 'manual' })
      expect(exchange.status, `${origin} token`).toBe(403)
    }
    const own = await fetch(`${host.origin}/`, { headers: { Cookie: cookie, Origin: host.origin } })
    expect(own.status).toBe(200)
    const plain = await fetch(`${host.origin}/`, { headers: { Cookie: cookie } })
    expect(plain.status).toBe(200)
  })
})
