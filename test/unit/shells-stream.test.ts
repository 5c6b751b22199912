import { describe, expect, it } from 'vitest'
import type { EphemeralEvent } from '../../src/shared/events'
import type { TerminalInfo, TerminalScreen } from '../../src/shared/terminals'
import { TERMINAL_CLIENT_WINDOW } from '../../src/shared/terminals'
import { TerminalStream } from '../../src/shared/terminal-stream'
import type { TerminalSink } from '../../src/shared/terminal-stream'
import {
  FLOOD_FLUSH_CHARS,
  FLOOD_FLUSH_MS,
  FLUSH_CHARS,
  FLUSH_MS,
  Fanout,
} from '../../src/main/shells/fanout'
import type { TerminalDraft } from '../../src/main/shells/fanout'
import { Screen } from '../../src/main/shells/screen'

const INFO = { terminalId: 't1' } as TerminalInfo

/** The host side: a screen that parses output and a fanout that streams what it parsed. */
function host(): {
  screen: Screen
  fanout: Fanout
  print: (text: string) => Promise<void>
} {
  const screen = new Screen(80, 24, 1000)
  const stamp = (d: TerminalDraft): EphemeralEvent =>
    ({ ...d, sessionId: 's1', seq: 1, at: 0, ephemeral: true }) as EphemeralEvent
  const fanout = new Fanout('t1', stamp, () => screen.snapshot())
  const print = (text: string): Promise<void> =>
    new Promise((resolve) =>
      screen.write(text, (end) => {
        fanout.push(text, end)
        resolve()
      }),
    )
  return { screen, fanout, print }
}

/** A client-side xterm (headless here) behind a TerminalStream; `hold` delays its parsing. */
function client(
  h: ReturnType<typeof host>,
  opts: { hold?: boolean } = {},
): {
  stream: TerminalStream
  screen: () => Screen
  received: EphemeralEvent[]
  release: () => void
  settle: () => Promise<void>
} {
  let screen = new Screen(80, 24, 1000)
  const held: Array<() => void> = []
  let hold = opts.hold ?? false
  const sink: TerminalSink = {
    write(data, done) {
      screen.write(data, () => (hold ? held.push(done) : done()))
    },
    reset(s: TerminalScreen) {
      screen.dispose()
      screen = new Screen(s.cols, s.rows, 1000)
      screen.write(s.screen, () => {})
    },
  }
  const received: EphemeralEvent[] = []
  const port = {
    id: 'c1',
    send: (e: EphemeralEvent) => {
      received.push(e)
      // Delivered asynchronously, in order, like a socket.
      queueMicrotask(() => stream.handle(e))
    },
  }
  const stream: TerminalStream = new TerminalStream(
    't1',
    {
      attach: async () => ({ ...h.fanout.attach(port), terminal: INFO }),
      ack: async (_id, offset) => h.fanout.ack('c1', offset),
    },
    sink,
  )
  return {
    stream,
    screen: () => screen,
    received,
    release: () => {
      hold = false
      for (const done of held.splice(0)) done()
    },
    settle: () =>
      new Promise((resolve) => {
        const wait = (): void => {
          if (screen.unparsed === 0) resolve()
          else setTimeout(wait, 5)
        }
        setTimeout(wait, 5)
      }),
  }
}

describe('terminal stream', () => {
  it('shows a late attacher the screen, then exactly the output after it', async () => {
    const h = host()
    await h.print('\x1b[1mbefore\x1b[0m attach\r\n')
    const c = client(h)
    const attaching = c.stream.attach()
    // Output that lands while the attach answer travels is neither lost nor doubled.
    const during = h.print('during\r\n')
    await attaching
    await during
    await h.print('after: é 漢字 🙂\r\n')
    h.fanout.flush()
    await c.settle()
    expect(c.screen().text()).toBe(h.screen.text())
    expect(c.screen().text()).toBe('before attach\nduring\nafter: é 漢字 🙂')
  })

  it('drops duplicates and re-attaches on a gap', async () => {
    const h = host()
    const c = client(h)
    await c.stream.attach()
    await h.print('one\r\n')
    h.fanout.flush()
    await c.settle()
    const data = c.received.find((e) => e.type === 'terminal.data')!
    // The same chunk again (a duplicate) changes nothing.
    c.stream.handle(data)
    await c.settle()
    expect(c.screen().text()).toBe('one')
    // A chunk from beyond the expected offset means something was lost: attach again.
    c.stream.handle({ ...data, offset: 10_000 } as EphemeralEvent)
    await new Promise((r) => setTimeout(r, 20))
    await c.settle()
    expect(c.screen().text()).toBe(h.screen.text())
  })

  it('stops sending to a client that lags, then catches it up with a fresh screen', async () => {
    const h = host()
    const c = client(h, { hold: true })
    await c.stream.attach()
    const line = `${'x'.repeat(78)}\r\n`
    const lines = Math.ceil((TERMINAL_CLIENT_WINDOW * 1.5) / line.length)
    for (let i = 0; i < lines; i += 500) await h.print(line.repeat(500))
    await h.print('the last line')
    h.fanout.flush()
    const sent = c.received
      .filter((e) => e.type === 'terminal.data')
      .reduce((n, e) => n + (e as { data: string }).data.length, 0)
    // Bounded: never more than the window in flight to a client that does not acknowledge.
    expect(sent).toBeLessThanOrEqual(TERMINAL_CLIENT_WINDOW)
    expect(sent).toBeGreaterThan(TERMINAL_CLIENT_WINDOW / 2)
    expect(c.received.some((e) => e.type === 'terminal.reset')).toBe(false)
    c.release()
    await c.settle()
    await new Promise((r) => setTimeout(r, 20))
    await c.settle()
    expect(c.received.some((e) => e.type === 'terminal.reset')).toBe(true)
    expect(c.screen().text()).toBe(h.screen.text())
    expect(c.screen().text().endsWith('the last line')).toBe(true)
  })
  it('sends a flood in fewer, larger batches, and everything else at once', async () => {
    const sent: Array<{ data: string; at: number }> = []
    const stamp = (d: TerminalDraft): EphemeralEvent =>
      ({ ...d, sessionId: 's1', seq: 1, at: 0, ephemeral: true }) as EphemeralEvent
    const fanout = new Fanout('t1', stamp, () => ({
      screen: '',
      cols: 80,
      rows: 24,
      cursor: { x: 0, y: 0 },
      offset: 0,
    }))
    const t0 = performance.now()
    fanout.attach({
      id: 'c1',
      send: (e) => {
        if (e.type === 'terminal.data') sent.push({ data: e.data, at: performance.now() - t0 })
      },
    })
    // Typing: one small batch, sent after FLUSH_MS.
    fanout.push('a', 1)
    await new Promise((r) => setTimeout(r, FLUSH_MS + 10))
    expect(sent.map((s) => s.data)).toEqual(['a'])
    // A flood: what FLUSH_CHARS would have sent at once waits for FLOOD_FLUSH_MS or more output.
    let end = 1
    for (let i = 0; i < 3; i++) fanout.push('y'.repeat(FLUSH_CHARS), (end += FLUSH_CHARS), true)
    await new Promise((r) => setTimeout(r, FLUSH_MS + 10))
    expect(sent).toHaveLength(1)
    fanout.push('y'.repeat(FLOOD_FLUSH_CHARS), (end += FLOOD_FLUSH_CHARS), true)
    expect(sent).toHaveLength(2)
    expect(sent[1]!.data).toHaveLength(3 * FLUSH_CHARS + FLOOD_FLUSH_CHARS)
    fanout.push('z', end + 1, true)
    await new Promise((r) => setTimeout(r, FLOOD_FLUSH_MS + 10))
    expect(sent.map((s) => s.data.slice(-1))).toEqual(['a', 'y', 'z'])
    fanout.dispose()
  })
})
