import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { chromium } from '@playwright/test'
import { createMemoryLogger } from '../src/main/core/logger'
import { createEngine } from '../src/main/host/engine'
import { startWebHost } from '../src/main/web/server'
import type { BenchLine } from './run'

/** Bytes the shell prints: coloured lines, so nothing is thinned and both sides parse it all. */
const FLOOD_BYTES = 50 * 1024 * 1024
const SYSTEM_CHROMIUM = process.env.PADDOCK_CHROMIUM ?? '/usr/bin/chromium'

/** The lines `cat` prints: ~100 characters each, a colour per line, digits that change. */
function floodText(): string {
  const parts: string[] = []
  let size = 0
  for (let i = 0; size < FLOOD_BYTES; i++) {
    const line = `\x1b[3${i % 8}m${String(i).padStart(8, '0')}\x1b[0m ${'the quick brown fox jumps over the lazy dog '.repeat(2)}${i % 97}\n`
    parts.push(line)
    size += line.length
  }
  return parts.join('')
}

// The bench page: xterm.js from node_modules, and a minimal contract client over the web host's
// WebSocket (frames as in src/shared/wire.ts, the stream protocol of src/shared/terminal-stream.ts).
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="stylesheet" href="xterm.css"></head>
<body><div id="ours" style="width:1000px;height:560px"></div>
<div id="direct" style="width:1000px;height:560px"></div>
<script src="xterm.js"></script><script src="bench.js"></script></body></html>`

const SCRIPT = `
const OPTIONS = { cols: 120, rows: 30, scrollback: 5000 }
const Xterm = window.Terminal.Terminal || window.Terminal
// Writes with flow control as xterm asks for it: at most 4 MB handed over and not yet parsed.
function writeAll(term, data) {
  return new Promise((resolve) => {
    let i = 0, inFlight = 0
    const pump = () => {
      while (i < data.length && inFlight < 4 * 1024 * 1024) {
        const piece = data.slice(i, i + 65536)
        i += piece.length
        inFlight += piece.length
        const last = i >= data.length
        term.write(piece, () => {
          inFlight -= piece.length
          if (last) resolve()
          else pump()
        })
      }
    }
    pump()
  })
}
window.bench = {
  // The peer: the same bytes, straight into an xterm of the same page.
  async direct() {
    const text = (await (await fetch('flood.txt')).text()).replace(/\\n/g, '\\r\\n')
    const term = new Xterm(OPTIONS)
    term.open(document.getElementById('direct'))
    const t0 = performance.now()
    await writeAll(term, text)
    const ms = performance.now() - t0
    term.dispose()
    return ms
  },
  // Ours: the shell prints the file; PTY → host screen → batches → WebSocket → this xterm.
  async ours(workspace, file, sentinel) {
    const ws = new WebSocket('ws://' + location.host + '/ws')
    await new Promise((r) => (ws.onopen = r))
    let next = 1
    const pending = new Map()
    const call = (method, params) =>
      new Promise((resolve, reject) => {
        const id = next++
        pending.set(id, { resolve, reject })
        ws.send(JSON.stringify({ kind: 'call', id, method, params }))
      })
    let onEvent = () => {}
    ws.onmessage = (m) => {
      const f = JSON.parse(m.data)
      if (f.kind === 'result') {
        const p = pending.get(f.id)
        pending.delete(f.id)
        f.ok ? p.resolve(f.result) : p.reject(new Error(f.error.message))
      } else if (f.kind === 'event') onEvent(f.event)
    }
    ws.send(JSON.stringify({ kind: 'subscribe', since: {} }))
    const w = await call('workspaces.open', { path: workspace })
    const s = await call('sessions.create', { workspaceId: w.id })
    let [t] = await call('terminals.list', { sessionId: s.id })
    while (t.status !== 'running') {
      await new Promise((r) => setTimeout(r, 20))
      ;[t] = await call('terminals.list', { sessionId: s.id })
    }
    const term = new Xterm(OPTIONS)
    term.open(document.getElementById('ours'))
    let expected = 0, acked = 0, tail = '', done = null, resets = 0
    const finished = new Promise((r) => (done = r))
    onEvent = (e) => {
      if (e.terminalId !== t.terminalId) return
      if (e.type === 'terminal.reset') {
        resets++
        term.reset()
        term.write(e.screen)
        expected = acked = e.offset
        return
      }
      if (e.type !== 'terminal.data') return
      const end = e.offset + e.data.length
      if (end <= expected) return
      const data = e.data.slice(expected - e.offset)
      expected = end
      tail = (tail + data).slice(-200)
      const last = tail.includes(sentinel + '\\r\\n')
      term.write(data, () => {
        if (end - acked >= 100000) {
          acked = end
          call('terminals.ack', { terminalId: t.terminalId, offset: end })
        }
        if (last) done()
      })
    }
    const screen = await call('terminals.attach', { terminalId: t.terminalId })
    await writeAll(term, screen.screen)
    expected = acked = screen.offset
    const t0 = performance.now()
    // The shell echoes the command line: quoted there, the sentinel only appears once echo runs.
    await call('terminals.input', { terminalId: t.terminalId, data: 'cat ' + file + '; echo ' + sentinel.replace('-', "''-") + '\\r' })
    await finished
    const ms = performance.now() - t0
    ws.close()
    return { ms, resets }
  },
}
`

/**
 * "terminal: PTY → rendered in xterm, 50 MB ≤ 1.3× writing the same bytes straight into xterm", and
 * the host's event-loop lag p99 during that flood (budget 20 ms). The engine and web host run in
 * this process; Chromium renders. Both sides end with the same screen; ours gets there through the
 * host's flood thinning (src/main/shells/flood.ts), which drops the lines that would scroll out of
 * the scrollback unseen, while the peer parses every byte.
 */
export async function terminalBench(): Promise<BenchLine[]> {
  const root = mkdtempSync(join(tmpdir(), 'paddock-bench-terminal-'))
  const home = join(root, 'home')
  const workspace = join(home, 'project')
  const page = join(root, 'page')
  mkdirSync(workspace, { recursive: true })
  mkdirSync(page)
  const xterm = join(process.cwd(), 'node_modules', '@xterm', 'xterm')
  copyFileSync(join(xterm, 'lib', 'xterm.js'), join(page, 'xterm.js'))
  copyFileSync(join(xterm, 'css', 'xterm.css'), join(page, 'xterm.css'))
  writeFileSync(join(page, 'index.html'), PAGE)
  writeFileSync(join(page, 'bench.js'), SCRIPT)
  const flood = floodText()
  writeFileSync(join(page, 'flood.txt'), flood)
  const logger = createMemoryLogger()
  const engine = createEngine({
    dataDir: join(root, 'data'),
    kind: 'web',
    logger,
    home,
    env: { PATH: process.env.PATH, HOME: home, SHELL: '/bin/bash', LANG: 'C.UTF-8' },
  })
  const host = await startWebHost({ engine, logger, rendererDir: page, port: 0 })
  const browser = await chromium.launch(
    existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {},
  )
  try {
    const tab = await browser.newPage()
    tab.on('pageerror', (err) => process.stderr.write(`bench page: ${String(err)}\n`))
    await tab.goto(`http://127.0.0.1:${host.port}/?token=${host.token}`)
    const direct = await tab.evaluate(() =>
      (window as unknown as { bench: { direct(): Promise<number> } }).bench.direct(),
    )
    const lag = monitorEventLoopDelay({ resolution: 1 })
    lag.enable()
    const ours = await tab.evaluate(
      ([w, f, s]) =>
        (
          window as unknown as {
            bench: {
              ours(w: string, f: string, s: string): Promise<{ ms: number; resets: number }>
            }
          }
        ).bench.ours(w, f, s),
      [workspace, join(page, 'flood.txt'), `BENCH-END-${Date.now()}`] as const,
    )
    lag.disable()
    const mb = (flood.length / 1024 / 1024).toFixed(0)
    return [
      {
        name: `terminal ${mb} MB through PTY and transport into xterm (${ours.resets} resets)`,
        ours: ours.ms,
        unit: 'ms',
        peer: { name: 'straight into xterm', value: direct },
      },
      {
        name: 'terminal host event-loop lag p99 during the flood',
        ours: lag.percentile(99) / 1e6,
        unit: 'ms',
        budget: 20,
      },
    ]
  } finally {
    await browser.close()
    await host.close()
    engine.close()
    rmSync(root, { recursive: true, force: true })
  }
}
