import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_CONNECTIONS } from '../../src/main/web/server'
import { contract } from '../../src/shared/contract'
import type { RawSocket } from '../support/raw-socket'
import { openRawSocket } from '../support/raw-socket'
import { tempDir } from '../support/temp'
import type { RunningWebHost } from '../support/web-host'
import { startWebHost } from '../support/web-host'
import { seededRandom } from '../gauntlet/wire'

/**
 * The web host under load (`npm run test:stress`): floods of malformed frames and of calls with
 * wrong parameters leave it answering `host.info` quickly and without a memory leak; a thousand
 * connection attempts at once are bounded by its limit and refused cleanly, and it keeps answering.
 * Seeded: STRESS_SEED=<n> replays a run; STRESS_FLOOD=<n> floods more (default 10,000 of each).
 * The memory bound is on the host's RSS, which includes garbage V8 has not collected yet: with its
 * heap capped (NODE_OPTIONS=--max-old-space-size=64) 40,000 of each grew it by about 25 MB.
 */

const SEED = Number(process.env.STRESS_SEED) || Date.now() % 2 ** 31
const FLOOD = Number(process.env.STRESS_FLOOD) || 10_000
const BATCH = 500

let tmp: ReturnType<typeof tempDir>
let host: RunningWebHost
beforeAll(async () => {
  tmp = tempDir()
  host = await startWebHost({ dataDir: join(tmp.path, 'data') })
  process.stdout.write(`web host stress seed: STRESS_SEED=${SEED}\n`)
})
afterAll(async () => {
  await host.stop()
  tmp.cleanup()
})

/** Resident memory of the host process in bytes, from /proc: the stress suite runs on Linux (CI). */
function hostRss(): number {
  const status = readFileSync(`/proc/${host.child.pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024
}

/** p99 of `n` host.info calls one after the other, in ms. */
async function infoP99(s: RawSocket, n = 300): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < n; i++) times.push(await s.hostInfo())
  times.sort((x, y) => x - y)
  return times[Math.ceil(n * 0.99) - 1]!
}

/** A frame the host cannot read: not JSON, the wrong shape, or binary. */
function malformed(random: () => number, i: number): string | Buffer {
  const pick = Math.floor(random() * 8)
  const junk = Math.floor(random() * 1e9).toString(36)
  switch (pick) {
    case 0:
      return `{"kind":"call","id":${i},`
    case 1:
      return junk
    case 2:
      return JSON.stringify({ kind: 'nope', id: i })
    case 3:
      return JSON.stringify({ kind: 'call', id: -1, method: 'host.info', params: {} })
    case 4:
      return JSON.stringify({ kind: 'call', id: i, method: 'x'.repeat(200), params: {} })
    case 5:
      return `${'['.repeat(500)}${']'.repeat(500)}`
    case 6:
      return Buffer.from([0xff, 0xfe, 0x00, Math.floor(random() * 255)])
    default:
      return JSON.stringify({ kind: 'subscribe', since: { [junk]: 'x' } })
  }
}

/** Wrong parameters for a real method: a wrong type, a missing field, an unknown one. */
function wrongParams(random: () => number): unknown {
  const forms: unknown[] = [
    'text',
    42,
    null,
    [],
    { unknownField: true },
    { sessionId: 12345 },
    { workspaceId: { nested: { deeper: [1, 2, 3] } } },
    { path: '' },
    { __proto__: { polluted: true }, constructor: 'x' },
    { text: 'y'.repeat(1000 + Math.floor(random() * 1000)), sessionId: null },
  ]
  return forms[Math.floor(random() * forms.length)]
}

describe('web host under load', () => {
  it('10,000 malformed frames and 10,000 calls with wrong parameters leave host.info fast and memory flat', async () => {
    const random = seededRandom(SEED)
    const probe = await openRawSocket(host)
    // Warm up, then measure where it starts.
    await infoP99(probe, 100)
    const before = hostRss()
    const sockets = await Promise.all([1, 2, 3, 4].map(() => openRawSocket(host)))
    let sent = 0
    for (let b = 0; b < FLOOD / BATCH; b++) {
      const s = sockets[b % sockets.length]!
      for (let i = 0; i < BATCH; i++) {
        const frame = malformed(random, sent + i)
        s.ws.send(frame, { binary: Buffer.isBuffer(frame) })
      }
      sent += BATCH
      // Every malformed frame is answered with one error frame: wait for them.
      await s.received((Math.floor(b / sockets.length) + 1) * BATCH)
    }
    for (const s of sockets) {
      expect(s.frames.every((f) => f.kind === 'error')).toBe(true)
      s.frames.length = 0
    }
    const methods = Object.keys(contract).filter((m) => m !== 'host.info')
    let id = 0
    for (let b = 0; b < FLOOD / BATCH; b++) {
      const s = sockets[b % sockets.length]!
      for (let i = 0; i < BATCH; i++) {
        const method = methods[Math.floor(random() * methods.length)]!
        s.ws.send(JSON.stringify({ kind: 'call', id: id++, method, params: wrongParams(random) }))
      }
      await s.received((Math.floor(b / sockets.length) + 1) * BATCH)
    }
    const results = sockets.flatMap((s) => s.frames)
    expect(results).toHaveLength(FLOOD)
    for (const r of results) {
      expect(r.kind).toBe('result')
      // A handful of methods accept some of these (an unknown field is refused, `{}`-like input
      // may be accepted by a method without required fields): never an internal error.
      if (r.ok === false) expect((r.error as { code: string }).code).not.toBe('internal')
    }
    expect(results.filter((r) => r.ok === false).length).toBeGreaterThan(FLOOD * 0.9)

    const p99 = await infoP99(probe)
    const grown = hostRss() - before
    process.stdout.write(
      `host.info p99 after the floods: ${p99.toFixed(2)} ms; rss +${(grown / 1e6).toFixed(1)} MB\n`,
    )
    expect(p99).toBeLessThanOrEqual(20)
    expect(grown).toBeLessThan(100 * 1024 * 1024)
    for (const s of [probe, ...sockets]) s.ws.close()
  }, 300_000)

  it('1,000 connection attempts at once: at most the limit is held, the rest are closed, the host keeps answering', async () => {
    const probe = await openRawSocket(host)
    const attempts: Array<Promise<'held' | 'refused'>> = []
    const sockets: Socket[] = []
    for (let i = 0; i < 1000; i++) {
      attempts.push(
        new Promise((resolve) => {
          const socket = connect(host.port, '127.0.0.1')
          sockets.push(socket)
          let settled = false
          const settle = (how: 'held' | 'refused'): void => {
            if (!settled) {
              settled = true
              resolve(how)
            }
          }
          socket.on('error', () => settle('refused'))
          socket.on('close', () => settle('refused'))
          socket.on('data', () => settle('held'))
          // An open connection answers a request; a dropped one is closed without a byte.
          socket.on('connect', () =>
            socket.write(`HEAD / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`),
          )
        }),
      )
    }
    const outcomes = await Promise.all(attempts)
    const held = outcomes.filter((o) => o === 'held').length
    // The probe socket is one of the host's connections.
    expect(held).toBeLessThanOrEqual(MAX_CONNECTIONS - 1)
    expect(held).toBeGreaterThan(0)
    expect(outcomes.filter((o) => o === 'refused').length).toBe(1000 - held)
    // The socket opened before keeps answering while they are held.
    expect(await probe.hostInfo()).toBeGreaterThan(0)
    for (const s of sockets) s.destroy()
    // Once they are gone, new connections are welcome again.
    let fresh: RawSocket | null = null
    for (let attempt = 0; attempt < 200 && !fresh; attempt++) {
      fresh = await openRawSocket(host).catch(() => null)
      if (!fresh) await new Promise((r) => setTimeout(r, 20))
    }
    expect(fresh).not.toBeNull()
    await fresh!.hostInfo()
    fresh!.ws.close()
    probe.ws.close()
  }, 120_000)
})
