import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { readdirSync } from 'node:fs'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../support/paths'
import { tempDir } from '../support/temp'
import type { RunningWebHost } from '../support/web-host'
import { startWebHost } from '../support/web-host'

let tmp: ReturnType<typeof tempDir>
let host: RunningWebHost
let asset: string

beforeAll(async () => {
  tmp = tempDir()
  host = await startWebHost({ dataDir: join(tmp.path, 'data') })
  const js = readdirSync(join(REPO_ROOT, 'out', 'renderer', 'assets')).find((f) =>
    f.endsWith('.js'),
  )
  asset = `/assets/${js}`
})
afterAll(async () => {
  await host.stop()
  tmp.cleanup()
})

/** Open a socket and report the HTTP status of the upgrade (101 when accepted). */
function socketStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers })
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('error', () => resolve(-1))
  })
}

async function login(): Promise<string> {
  const res = await fetch(host.url, { redirect: 'manual' })
  expect(res.status).toBe(303)
  // The token is dropped from the address; the cookie replaces it.
  expect(res.headers.get('location')).toBe('/')
  const cookie = res.headers.get('set-cookie') ?? ''
  expect(cookie).toMatch(/HttpOnly/)
  expect(cookie).toMatch(/SameSite=Strict/)
  expect(cookie).not.toContain(host.token)
  return cookie.split(';')[0]!
}

describe('web host authentication', () => {
  it('refuses a page, an asset and a socket without the token or cookie (401)', async () => {
    expect((await fetch(`${host.origin}/`)).status).toBe(401)
    expect((await fetch(`${host.origin}${asset}`)).status).toBe(401)
    expect((await fetch(`${host.origin}/?token=wrong`)).status).toBe(401)
    expect(await socketStatus(`ws://127.0.0.1:${host.port}/ws`, { Origin: host.origin })).toBe(401)
    expect(
      await socketStatus(`ws://127.0.0.1:${host.port}/ws`, {
        Origin: host.origin,
        Cookie: 'paddock_auth=forged',
      }),
    ).toBe(401)
  })

  it('exchanges the token for a cookie that opens pages, assets and the socket', async () => {
    const cookie = await login()
    const page = await fetch(`${host.origin}/`, { headers: { Cookie: cookie } })
    expect(page.status).toBe(200)
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(await page.text()).toContain('<div id="root">')
    expect((await fetch(`${host.origin}${asset}`, { headers: { Cookie: cookie } })).status).toBe(
      200,
    )
    expect(
      await socketStatus(`ws://127.0.0.1:${host.port}/ws`, { Origin: host.origin, Cookie: cookie }),
    ).toBe(101)
  })

  it('refuses a socket from a foreign origin even with the cookie (403)', async () => {
    const cookie = await login()
    expect(
      await socketStatus(`ws://127.0.0.1:${host.port}/ws`, {
        Origin: 'http://evil.example',
        Cookie: cookie,
      }),
    ).toBe(403)
  })

  it('never serves files outside the renderer folder', async () => {
    const cookie = await login()
    mkdirSync(join(tmp.path, 'x'), { recursive: true })
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/../../main/web.js']) {
      const res = await fetch(`${host.origin}${path}`, { headers: { Cookie: cookie } })
      expect([400, 404]).toContain(res.status)
    }
  })

  it('listens on loopback only', () => {
    expect(host.url.startsWith('http://127.0.0.1:')).toBe(true)
  })
})

describe('web host restart', () => {
  it('keeps an open page’s cookie valid across a restart, with a new URL token', async () => {
    const dataDir = join(tmp.path, 'restart-data')
    const first = await startWebHost({ dataDir })
    const res = await fetch(first.url, { redirect: 'manual' })
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
    await first.stop()
    const second = await startWebHost({ dataDir })
    try {
      expect(second.token).not.toBe(first.token)
      const page = await fetch(`${second.origin}/`, { headers: { Cookie: cookie } })
      expect(page.status).toBe(200)
      const { statSync } = await import('node:fs')
      expect(statSync(join(dataDir, 'web-cookie.key')).mode & 0o777).toBe(0o600)
    } finally {
      await second.stop()
    }
  })
})
