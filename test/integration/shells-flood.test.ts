import { mkdirSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TerminalScreen } from '../../src/shared/terminals'
import { TerminalStream } from '../../src/shared/terminal-stream'
import { WsClient } from '../../src/shared/ws-client'
import type { SocketLike } from '../../src/shared/ws-client'
import { createMemoryLogger } from '../../src/main/core/logger'
import { createEngine } from '../../src/main/host/engine'
import type { Engine } from '../../src/main/host/engine'
import { Screen } from '../../src/main/shells/screen'
import { startWebHost } from '../../src/main/web/server'
import type { WebHost } from '../../src/main/web/server'
import { tempDir } from '../support/temp'

/** A flood: `yes | head -c 200000000`. PADDOCK_FLOOD_BYTES makes it smaller locally. */
const FLOOD_BYTES = Number(process.env.PADDOCK_FLOOD_BYTES ?? 200_000_000)

let tmp: { path: string; cleanup: () => void }
let engine: Engine
let host: WebHost
let client: WsClient

beforeAll(async () => {
  tmp = tempDir('paddock-flood-')
  const root = realpathSync(tmp.path)
  const home = join(root, 'home')
  mkdirSync(join(home, 'project'), { recursive: true })
  engine = createEngine({
    dataDir: join(root, 'data'),
    kind: 'web',
    logger: createMemoryLogger(),
    home,
    env: { PATH: process.env.PATH, HOME: home, SHELL: '/bin/bash', LANG: 'C.UTF-8' },
  })
  host = await startWebHost({ engine, logger: createMemoryLogger(), rendererDir: root, port: 0 })
  client = new WsClient({
    connect: () =>
      new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`) as unknown as SocketLike,
    backoff: () => 20,
  })
})

afterAll(async () => {
  client?.close()
  await host?.close()
  engine?.close()
  tmp?.cleanup()
})

/** A Terminal panel in the (test's) browser: a stream into an xterm, counting what it rendered. */
interface Panel {
  stream: TerminalStream
  screen: () => Screen
  resets: number
  /** Resolves after the next chunk or fresh screen has been rendered. */
  rendered: () => Promise<void>
}

function panel(terminalId: string): Panel {
  let screen = new Screen(100, 30, 1000)
  let renders: Array<() => void> = []
  const notify = (): void => {
    const list = renders
    renders = []
    for (const r of list) r()
  }
  const p: Panel = {
    resets: 0,
    screen: () => screen,
    rendered: () => new Promise((resolve) => renders.push(resolve)),
    stream: new TerminalStream(
      terminalId,
      {
        attach: (t) => client.call('terminals.attach', { terminalId: t }),
        ack: (t, offset) => client.call('terminals.ack', { terminalId: t, offset }),
      },
      {
        write: (data, done) =>
          screen.write(data, () => {
            done()
            notify()
          }),
        reset: (s: TerminalScreen) => {
          p.resets++
          screen.dispose()
          screen = new Screen(s.cols, s.rows, 1000)
          screen.write(s.screen, notify)
        },
      },
    ),
  }
  return p
}

describe('a flood in one terminal', () => {
  it("completes without unbounded memory while another session's events keep flowing", async () => {
    const ws = await client.call('workspaces.open', { path: join(tmp.path, 'home', 'project') })
    const sA = await client.call('sessions.create', { workspaceId: ws.id, title: 'flood' })
    const sB = await client.call('sessions.create', { workspaceId: ws.id, title: 'calm' })

    const panels: Panel[] = []
    const runningTerminals = new Map<string, string>()
    const runningWaiters: Array<() => void> = []
    let bTicks: number[] = []
    let floodDone: () => void = () => {}
    const floodEnded = new Promise<void>((resolve) => (floodDone = resolve))
    let floodStarted = false
    client.subscribe({}, (e) => {
      for (const p of panels) p.stream.handle(e)
      if (e.type === 'terminal.data' && e.sessionId === sB.id) {
        for (const _ of e.data.matchAll(/tick \d+\r\n/g)) bTicks.push(Date.now())
      }
      if (e.type === 'terminal.state' && e.terminal.status === 'running') {
        runningTerminals.set(e.sessionId, e.terminal.terminalId)
        for (const w of runningWaiters.splice(0)) w()
      }
      if (e.type === 'terminal.state' && e.sessionId === sA.id) {
        if (e.terminal.busy === 'user') floodStarted = true
        else if (floodStarted && e.terminal.busy === 'idle') floodDone()
      }
    })

    const running = async (sessionId: string): Promise<string> => {
      const [t] = await client.call('terminals.list', { sessionId })
      while (t!.status !== 'running' && !runningTerminals.has(sessionId)) {
        await new Promise<void>((resolve) => runningWaiters.push(resolve))
      }
      return t!.terminalId
    }
    const a = await running(sA.id)
    const b = await running(sB.id)
    const pa = panel(a)
    const pb = panel(b)
    panels.push(pa, pb)
    await pa.stream.attach()
    await pb.stream.attach()

    // The calm session ticks ten times a second for as long as the test needs.
    await client.call('terminals.input', {
      terminalId: b,
      data: 'while :; do echo tick $((i=i+1)); sleep 0.1; done\r',
    })
    const lag = monitorEventLoopDelay({ resolution: 5 })
    global.gc?.()
    const rssBefore = process.memoryUsage().rss
    let rssPeak = rssBefore
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
    }, 100)
    lag.enable()
    bTicks = []
    const started = Date.now()
    await client.call('terminals.input', {
      terminalId: a,
      data: `yes | head -c ${FLOOD_BYTES}; echo flood-done\r`,
    })
    await floodEnded
    const floodMs = Date.now() - started
    lag.disable()
    clearInterval(sampler)

    // The flood completed and its terminal shows the end of it.
    for (;;) {
      const next = pa.rendered()
      if (/flood-done\n.*[#$] ?$/s.test(pa.screen().text())) break
      await next
    }
    expect(pa.screen().text()).toMatch(/(y\n){20}flood-done/)

    // The other session kept streaming all along: no gap of more than a second between ticks.
    const during = bTicks.filter((t) => t <= started + floodMs)
    expect(during.length).toBeGreaterThan(Math.floor(floodMs / 1000) * 3)
    const gaps = during.slice(1).map((t, i) => t - during[i]!)
    expect(Math.max(...gaps)).toBeLessThan(1000)

    const growthMb = (rssPeak - rssBefore) / 1e6
    expect(growthMb).toBeLessThan(150)
    process.stdout.write(
      `flood: ${(FLOOD_BYTES / 1e6).toFixed(0)} MB in ${(floodMs / 1000).toFixed(1)} s, ` +
        `RSS +${growthMb.toFixed(0)} MB, event-loop lag p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, ` +
        `calm ticks ${during.length}, max gap ${Math.max(...gaps)} ms, panel resets ${pa.resets}\n`,
    )
    await client.call('terminals.input', { terminalId: b, data: '\x03' })
  }, 300_000)
})
