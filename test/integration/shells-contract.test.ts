import { execFileSync } from 'node:child_process'
import { realpathSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Method, MethodOutput } from '../../src/shared/contract'
import type { PaddockEvent } from '../../src/shared/events'
import type { TerminalInfo, TerminalScreen } from '../../src/shared/terminals'
import { TerminalStream } from '../../src/shared/terminal-stream'
import { Screen } from '../../src/main/shells/screen'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { tempDir } from '../support/temp'
import { waitUntil } from '../support/wait'

/** An attached terminal in a window: its screen, and a way to wait for it to render more. */
interface Term {
  stream: TerminalStream
  screen: () => Screen
  /** Resolves after the next chunk (or fresh screen) has been rendered. */
  rendered: () => Promise<void>
}

/** A window of the app: one connection with its subscription, calls tagged with its client id. */
interface Window {
  id: string
  events: PaddockEvent[]
  call<M extends Method>(method: M, params: unknown): Promise<MethodOutput<M>>
  /** An xterm (headless) fed by a TerminalStream, as the Terminal panel will be. */
  open(terminalId: string): Promise<Term>
  /** Resolves with the first event (seen or coming) that matches. */
  next(pred: (e: PaddockEvent) => boolean): Promise<PaddockEvent>
  close(): void
}

let cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.reverse()) await c()
  cleanups = []
})

async function setup(reuse?: { root: string; sessionId: string }): Promise<{
  a: AgentFixture
  root: string
  window: (id: string) => Window
}> {
  let root = reuse?.root
  if (!root) {
    const tmp = tempDir('paddock-terminals-')
    root = realpathSync(tmp.path)
    cleanups.push(() => tmp.cleanup())
  }
  const a = await agentFixture({
    reuse: { root },
    ...(reuse ? { sessionId: reuse.sessionId } : {}),
    extra: {
      env: {
        PATH: process.env.PATH,
        HOME: join(root, 'home'),
        SHELL: '/bin/bash',
        LANG: 'C.UTF-8',
        ANTHROPIC_API_KEY: 'sk-ant-should-not-leak',
      },
    },
  })
  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    await a.close()
  }
  cleanups.push(close)
  const window = (id: string): Window => {
    const events: PaddockEvent[] = []
    const waiters: Array<{
      pred: (e: PaddockEvent) => boolean
      resolve: (e: PaddockEvent) => void
    }> = []
    const streams: TerminalStream[] = []
    const sub = a.fx.engine.subscribe(
      {},
      (e) => {
        events.push(e)
        for (const s of streams) s.handle(e)
        for (const w of [...waiters]) {
          if (w.pred(e)) {
            waiters.splice(waiters.indexOf(w), 1)
            w.resolve(e)
          }
        }
      },
      { id },
    )
    const call = async <M extends Method>(method: M, params: unknown): Promise<MethodOutput<M>> => {
      const outcome = await a.fx.engine.call(method, params, { transport: 'test', client: id })
      if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error)
      return outcome.result as MethodOutput<M>
    }
    const w: Window = {
      id,
      events,
      call,
      async open(terminalId) {
        let screen = new Screen(100, 30, 5000)
        let renders: Array<() => void> = []
        const rendered = (): void => {
          const list = renders
          renders = []
          for (const r of list) r()
        }
        const stream = new TerminalStream(
          terminalId,
          {
            attach: (t) => call('terminals.attach', { terminalId: t }),
            ack: (t, offset) => call('terminals.ack', { terminalId: t, offset }),
          },
          {
            write: (data, done) =>
              screen.write(data, () => {
                done()
                rendered()
              }),
            reset: (s: TerminalScreen) => {
              screen.dispose()
              screen = new Screen(s.cols, s.rows, 5000)
              screen.write(s.screen, rendered)
            },
          },
        )
        streams.push(stream)
        const next = (): Promise<void> => new Promise((resolve) => renders.push(resolve))
        const first = next()
        await stream.attach()
        await first
        return { stream, screen: () => screen, rendered: next }
      },
      next(pred) {
        const seen = events.find(pred)
        if (seen) return Promise.resolve(seen)
        return new Promise((resolve) => waiters.push({ pred, resolve }))
      },
      close: () => sub.dispose(),
    }
    cleanups.push(() => w.close())
    return w
  }
  return { a, root, window }
}

/** Resolves with the screen's text once it shows `text` (checked as output is rendered). */
async function shows(term: Term, text: string | RegExp): Promise<string> {
  for (;;) {
    const next = term.rendered()
    const s = term.screen()
    const t = s.text()
    if (s.unparsed === 0 && (typeof text === 'string' ? t.includes(text) : text.test(t))) return t
    await next
  }
}

function stateOf(
  w: Window,
  terminalId: string,
  pred: (t: TerminalInfo) => boolean,
): Promise<PaddockEvent> {
  return w.next(
    (e) => e.type === 'terminal.state' && e.terminal.terminalId === terminalId && pred(e.terminal),
  )
}

describe('terminals over the contract', () => {
  it('streams a terminal to a window, takes keystrokes, and gives a reloaded window the same screen', async () => {
    const { a, window } = await setup()
    const w1 = window('w1')
    const [agent, ...users] = await w1.call('terminals.list', { sessionId: a.sessionId })
    expect(users).toEqual([])
    expect(agent).toMatchObject({ kind: 'agent', title: 'Agent', shell: '/bin/bash', busy: 'idle' })
    await stateOf(w1, agent!.terminalId, (t) => t.status === 'running')
    const t1 = await w1.open(agent!.terminalId)
    await w1.call('terminals.input', { terminalId: agent!.terminalId, data: 'echo hi\r' })
    const text = await shows(t1, /echo hi\nhi\n.*[#$] ?$/s)
    expect(text).toMatch(/\nhi\n/)

    // A reload: a new connection attaches and gets the same screen, serialized.
    w1.close()
    const w2 = window('w2')
    const t2 = await w2.open(agent!.terminalId)
    expect(t2.screen().text()).toBe(t1.screen().text())
    expect(t2.screen().snapshot().screen).toBe(t1.screen().snapshot().screen)
  })

  it("shows the agent's commands in its terminal, with an anchor, and the output in the tool result", async () => {
    const { a, window } = await setup()
    const w = window('w')
    const [agent] = await w.call('terminals.list', { sessionId: a.sessionId })
    const term = await w.open(agent!.terminalId)
    a.fake.script(
      { toolCalls: [{ name: 'bash', arguments: { command: 'cd /usr && echo from-agent' } }] },
      {
        toolCalls: [
          { name: 'bash', arguments: { command: 'pwd; env | grep -c ANTHROPIC || true' } },
        ],
      },
      { text: 'done' },
    )
    expect(await a.run('go')).toMatchObject({ reason: 'done' })
    const results = a.events
      .filter((e) => e.type === 'entry.appended' && e.entry.type === 'tool_result')
      .map(
        (e) =>
          (
            e as {
              entry: {
                payload: { content: string; details?: { handle?: string; terminalId?: string } }
              }
            }
          ).entry.payload,
      )
    expect(results.map((r) => r.content)).toEqual([
      'from-agent\n\nExit code: 0',
      '/usr\n0\n\nExit code: 0',
    ])
    expect(results[0]!.details).toMatchObject({ handle: 'cmd-1', terminalId: agent!.terminalId })
    const text = await shows(term, /pwd; env.*\n\/usr\n0\n/s)
    expect(text).toContain('cd /usr && echo from-agent\nfrom-agent')
    const data = w.events
      .filter((e) => e.type === 'terminal.data')
      .map((e) => (e as { data: string }).data)
      .join('')
    expect(data).toContain('\x1b]6973;agent;cmd-1\x07')
    expect(data).toContain('\x1b]6973;agent;cmd-2\x07')
  })

  it('creates, resizes, restarts and closes user terminals, and refuses what makes no sense', async () => {
    const { a, window } = await setup()
    const w = window('w')
    const user = await w.call('terminals.create', { sessionId: a.sessionId, cols: 5000, rows: 40 })
    expect(user).toMatchObject({ kind: 'user', title: 'Terminal 2', cols: 1000, rows: 40 })
    expect(
      await w.call('terminals.resize', { terminalId: user.terminalId, cols: 1, rows: 100_000 }),
    ).toEqual({ terminalId: user.terminalId, cols: 2, rows: 500 })
    await expect(
      w.call('terminals.resize', { terminalId: user.terminalId, cols: 80, rows: 0 }),
    ).rejects.toMatchObject({ code: 'invalid_params' })
    const listed = await w.call('terminals.list', { sessionId: a.sessionId })
    expect(listed.map((t) => t.kind)).toEqual(['agent', 'user'])

    await stateOf(w, user.terminalId, (t) => t.status === 'running')
    await w.call('terminals.input', { terminalId: user.terminalId, data: 'exit 7\r' })
    const exited = await stateOf(w, user.terminalId, (t) => t.status === 'exited')
    expect((exited as { terminal: TerminalInfo }).terminal.exit).toEqual({
      code: 7,
      signal: null,
      reason: 'The shell exited with code 7.',
    })
    await expect(
      w.call('terminals.input', { terminalId: user.terminalId, data: 'ls\r' }),
    ).rejects.toMatchObject({
      code: 'invalid_params',
      message: /exited with code 7.*Restart the shell/,
    })
    const restarted = await w.call('terminals.restart', { terminalId: user.terminalId })
    expect(restarted.status).toBe('starting')
    await stateOf(w, user.terminalId, (t) => t.status === 'running' && t.exit === null)

    await expect(
      w.call('terminals.close', { terminalId: listed[0]!.terminalId }),
    ).rejects.toMatchObject({
      code: 'invalid_params',
      message: /agent's terminal cannot be closed/,
    })
    await w.call('terminals.close', { terminalId: user.terminalId })
    await w.next((e) => e.type === 'terminal.closed' && e.terminalId === user.terminalId)
    expect((await w.call('terminals.list', { sessionId: a.sessionId })).length).toBe(1)
    await expect(w.call('terminals.attach', { terminalId: user.terminalId })).rejects.toMatchObject(
      {
        code: 'not_found',
      },
    )
    // Attaching needs the caller's subscription; input is bounded.
    const outcome = await a.fx.engine.call(
      'terminals.attach',
      { terminalId: listed[0]!.terminalId },
      { transport: 'test' },
    )
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_params' } })
    const big = await a.fx.engine.call(
      'terminals.input',
      { terminalId: listed[0]!.terminalId, data: 'x'.repeat(70_000) },
      { transport: 'test', client: 'w' },
    )
    expect(big).toMatchObject({ ok: false, error: { code: 'invalid_params' } })
  })

  it('kills every process of a deleted session', async () => {
    const { a, window } = await setup()
    const w = window('w')
    const [agent] = await w.call('terminals.list', { sessionId: a.sessionId })
    await stateOf(w, agent!.terminalId, (t) => t.status === 'running')
    await w.call('terminals.input', {
      terminalId: agent!.terminalId,
      data: 'sleep 4141 & sleep 4142\r',
    })
    await stateOf(w, agent!.terminalId, (t) => t.busy === 'user')
    const ours = (): string[] =>
      execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => /^sleep 414[12]$/.test(l.trim()))
    // "Busy" is marked as the line starts: the second sleep may not be exec'd yet.
    await waitUntil(() => ours().length === 2, 20_000, 'both sleeps running')
    await w.call('sessions.delete', { sessionId: a.sessionId })
    await new Promise((r) => setTimeout(r, 200))
    expect(ours()).toEqual([])
  })

  it('shows the saved scrollback after a host restart, marked, with a fresh shell in the last folder', async () => {
    const first = await setup()
    const w = window(first, 'w')
    const [agent] = await w.call('terminals.list', { sessionId: first.a.sessionId })
    await stateOf(w, agent!.terminalId, (t) => t.status === 'running')
    await w.call('terminals.input', {
      terminalId: agent!.terminalId,
      data: `cd ${first.a.workspace} && mkdir -p deep && cd deep && echo marker-before-restart\r`,
    })
    await stateOf(w, agent!.terminalId, (t) => t.cwd?.endsWith('/deep') === true)
    // Stop the host (engine.close saves), start another on the same data dir.
    await first.a.close()
    const second = await setup({ root: first.root, sessionId: first.a.sessionId })
    const w2 = second.window('w2')
    const [restored] = await w2.call('terminals.list', { sessionId: first.a.sessionId })
    expect(restored).toMatchObject({ kind: 'agent', restoredScrollback: true })
    expect(restored!.terminalId).not.toBe(agent!.terminalId)
    await stateOf(w2, restored!.terminalId, (t) => t.status === 'running')
    const t = await w2.open(restored!.terminalId)
    const text = await shows(t, /restored from .*; the shell was restarted —\n.*[#$] ?$/s)
    expect(text.indexOf('marker-before-restart')).toBeLessThan(text.indexOf('restored from'))
    expect(restored!.cwd).toBe(join(first.a.workspace, 'deep'))
  })
})

function window(s: { window: (id: string) => Window }, id: string): Window {
  return s.window(id)
}
