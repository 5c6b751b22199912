import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Browser, CDPSession, Page } from '@playwright/test'
import { chromium } from '@playwright/test'
import { createMemoryLogger } from '../src/main/core/logger'
import { createEngine } from '../src/main/host/engine'
import { modelFromEnv } from '../src/main/providers/model-from-env'
import { startWebHost } from '../src/main/web/server'
import type { Layout } from '../src/shared/layout'
import { EMPTY_LAYOUT } from '../src/shared/layout'
import { startFakeLlm } from '../test/support/fake-llm'
import type { BenchLine } from './run'
import { STEPS, agentModule, agentPrompt, answerAgent } from './workbench-agents'
import type { WindowFigures } from './workbench-probe'
import { PROBE_SCRIPT, heapAfterGc, startWindow } from './workbench-probe'

const SYSTEM_CHROMIUM = process.env.PADDOCK_CHROMIUM ?? '/usr/bin/chromium'
const AGENTS = 8
const VISIBLE = 4
/** What the flooding shell prints, in bytes. */
const FLOOD_BYTES = 40 * 1024 * 1024

type Call = (method: string, params: unknown) => Promise<unknown>

interface Phase {
  page: WindowFigures
  lagP99Ms: number
  /** JS heap after GC with the phase's sessions open and idle, in MB. */
  idleHeapMb: number
  seconds: number
}

/**
 * "Fast with eight agents": eight sessions streaming at once (four in a 2×2 grid, four in
 * background tabs), each a scripted agent of the fake LLM (bench/workbench-agents.ts: markdown in
 * small chunks, `bash`, `read` and `edit` tool cards, output in its agent terminal) while a user
 * shell of the first session floods; versus one session streaming alone in a single pane. In
 * Chromium on the built renderer (`npm run build` first) through the web host, engine in this
 * process. Page: long tasks, slow frames and main-thread busy share over the streaming window;
 * JS heap per idle open session (after GC, over an empty workbench); host event-loop lag p99.
 */
export async function workbenchBench(): Promise<BenchLine[]> {
  const rendererDir = join(process.cwd(), 'out', 'renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error('bench workbench: build the renderer first (npm run build).')
  }
  const root = mkdtempSync(join(tmpdir(), 'paddock-bench-workbench-'))
  const home = join(root, 'home')
  const project = join(home, 'project')
  mkdirSync(join(project, 'src'), { recursive: true })
  writeFileSync(join(project, 'README.md'), '# Bench\n\nEight agents at once.\n')
  for (let n = 1; n <= AGENTS + 1; n++)
    writeFileSync(join(project, 'src', `agent${n}.ts`), agentModule(n))
  const fake = await startFakeLlm({ answer: (body) => answerAgent(body) })
  const logger = createMemoryLogger()
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    SHELL: '/bin/bash',
    LANG: 'C.UTF-8',
    PADDOCK_BASE_URL: fake.baseUrl,
    PADDOCK_MODEL: 'bench-model',
    PADDOCK_API_KEY_ENV: 'PADDOCK_BENCH_KEY',
    PADDOCK_BENCH_KEY: 'bench-key',
  }
  // The host's model as the web host takes it from its environment (src/main/web/main.ts).
  const engine = createEngine({
    dataDir: join(root, 'data'),
    kind: 'web',
    logger,
    home,
    env,
    model: (settings) => modelFromEnv(env, settings.network()),
  })
  const host = await startWebHost({ engine, logger, rendererDir, port: 0 })
  const browser = await chromium.launch(
    existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {},
  )
  const url = `http://127.0.0.1:${host.port}/?token=${host.token}`
  const call: Call = async (method, params) => {
    const out = await engine.call(method as never, params as never, { transport: 'bench' })
    if (!out.ok) throw new Error(`${method}: ${JSON.stringify(out.error)}`)
    return out.result
  }
  try {
    const ws = (await call('workspaces.open', { path: project })) as { id: string }
    const ids: string[] = []
    for (let n = 1; n <= AGENTS + 1; n++) {
      const s = (await call('sessions.create', { workspaceId: ws.id, title: `Agent ${n}` })) as {
        id: string
      }
      ids.push(s.id)
    }
    const eight = ids.slice(0, AGENTS)
    const alone = ids[AGENTS]!

    const empty = await withPage(browser, url, call, EMPTY_LAYOUT, 0, async (_page, cdp) =>
      heapAfterGc(cdp),
    )
    const one = await runPhase(browser, url, call, [alone], 1, null)
    const flood = (await call('terminals.create', { sessionId: eight[0] })) as {
      terminalId: string
    }
    const many = await runPhase(browser, url, call, eight, VISIBLE, flood.terminalId)
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')
    const perSession = (many.idleHeapMb - empty) / AGENTS
    const tag = (p: Phase): string => `${p.seconds.toFixed(0)} s streamed, load ${load}`
    const figures = (label: string, p: Phase): BenchLine[] => [
      {
        name: `workbench ${label}: longest long task (${p.page.longTasks} long tasks)`,
        ours: p.page.longestTaskMs,
        unit: 'ms',
        ...(label === '8 agents' ? { budget: 50 } : {}),
      },
      {
        name: `workbench ${label}: main thread busy (its CPU time ${p.page.cpuPct.toFixed(0)} %)`,
        ours: p.page.busyPct,
        unit: '%',
        ...(label === '8 agents' ? { budget: 50 } : {}),
      },
      {
        name: `workbench ${label}: frames over 20 ms (of ${p.page.frames}, ${tag(p)})`,
        ours: p.page.slowFramePct,
        unit: '%',
        ...(label === '8 agents' ? { budget: 5 } : {}),
      },
      {
        name: `workbench ${label}: host event-loop lag p99${label === '8 agents' ? ' with a shell flooding' : ''}`,
        ours: p.lagP99Ms,
        unit: 'ms',
        ...(label === '8 agents' ? { budget: 20 } : {}),
      },
    ]
    return [
      ...figures('8 agents', many),
      {
        name: `workbench JS heap per idle open session (8 open: ${many.idleHeapMb.toFixed(1)} MB, empty ${empty.toFixed(1)} MB)`,
        ours: perSession,
        unit: 'MB',
        budget: 30,
      },
      ...figures('1 agent alone', one),
      {
        name: 'workbench 1 agent alone: JS heap of its idle open session',
        ours: one.idleHeapMb - empty,
        unit: 'MB',
      },
    ]
  } finally {
    await browser.close()
    await host.close()
    engine.close()
    await fake.close()
    rmSync(root, { recursive: true, force: true })
  }
}

/**
 * Open the page on a layout (stored through the contract, loaded by the page at boot), wait until
 * `panes` transcripts are on screen, run `body`, close the page.
 */
async function withPage<T>(
  browser: Browser,
  url: string,
  call: Call,
  layout: Layout,
  panes: number,
  body: (page: Page, cdp: CDPSession) => Promise<T>,
): Promise<T> {
  await call('layout.save', { layout })
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  try {
    const page = await context.newPage()
    page.on('pageerror', (err) => process.stderr.write(`bench page: ${String(err)}\n`))
    await page.addInitScript(PROBE_SCRIPT)
    await page.goto(url)
    if (panes > 0) {
      await page
        .getByRole('region', { name: 'Transcript' })
        .nth(panes - 1)
        .waitFor()
    } else {
      await page.getByRole('navigation', { name: 'Workspaces' }).waitFor()
    }
    // Let boot settle (fonts, the first fetches of each pane).
    await page.waitForTimeout(1500)
    const cdp = await context.newCDPSession(page)
    return await body(page, cdp)
  } finally {
    await context.close()
  }
}

/** The layout with these sessions open and the first `visible` of them in panes. */
function layoutOf(sessions: string[], visible: number): Layout {
  const panes = sessions.slice(0, visible)
  const collapsed: Layout['collapsed'] = {}
  // Each visible pane shows its transcript and its Terminal panel (the agent terminal).
  for (const id of panes) collapsed[visible >= 3 ? `${id}@grid` : id] = ['changes', 'timeline']
  return { ...EMPTY_LAYOUT, openTabs: sessions, panes, collapsed }
}

/** Stream the sessions' agents to the end with the page on screen; measure; then the idle heap. */
async function runPhase(
  browser: Browser,
  url: string,
  call: Call,
  sessions: string[],
  visible: number,
  floodTerminal: string | null,
): Promise<Phase> {
  return withPage(browser, url, call, layoutOf(sessions, visible), visible, async (page, cdp) => {
    const lag = monitorEventLoopDelay({ resolution: 1 })
    // PADDOCK_BENCH_PROFILE=<file>: the page's CPU profile of the grid's window, for DevTools
    // (and of the single session's beside it, in <file>-alone).
    const profileTo = process.env.PADDOCK_BENCH_PROFILE
    const profile = profileTo && (floodTerminal ? profileTo : `${profileTo}-alone`)
    if (profile) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.start')
    }
    const traceTo = process.env.PADDOCK_BENCH_TRACE
    const trace = traceTo && (floodTerminal ? traceTo : traceTo.replace(/\.json$/, '-alone.json'))
    // The timeline only (no JS sampling, which inflates script time): PADDOCK_BENCH_TRACE_LIGHT=1.
    const categories = process.env.PADDOCK_BENCH_TRACE_LIGHT
      ? ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute']
      : undefined
    if (trace)
      await browser.startTracing(page, { path: trace, ...(categories ? { categories } : {}) })
    const stop = await startWindow(page, cdp)
    lag.enable()
    const t0 = performance.now()
    for (const [i, id] of sessions.entries()) {
      await call('sessions.prompt', {
        sessionId: id,
        text: agentPrompt(i + 1),
        mode: 'full-auto',
        maxTurns: STEPS + 5,
      })
    }
    if (floodTerminal) {
      await new Promise((r) => setTimeout(r, 2000))
      await call('terminals.input', {
        terminalId: floodTerminal,
        data: `yes "flood $(date +%s) the quick brown fox jumps over the lazy dog 0123456789" | head -c ${FLOOD_BYTES}\r`,
      })
    }
    // PADDOCK_BENCH_SHOT=<file.png>: how the page looks while they stream.
    const shot = process.env.PADDOCK_BENCH_SHOT
    if (shot) {
      await new Promise((r) => setTimeout(r, 3000))
      await page.screenshot({ path: floodTerminal ? shot : shot.replace(/\.png$/, '-alone.png') })
    }
    for (;;) {
      const states = await Promise.all(
        sessions.map(
          (id) => call('sessions.status', { sessionId: id }) as Promise<{ running: boolean }>,
        ),
      )
      if (states.every((s) => !s.running)) break
      if (performance.now() - t0 > 60_000)
        throw new Error(
          `bench workbench: the agents never finished: ${JSON.stringify(await call('sessions.activity', {}))} ${JSON.stringify(await call('sessions.entries', { sessionId: sessions[0] })).slice(-3000)}`,
        )
      await new Promise((r) => setTimeout(r, 100))
    }
    const seconds = (performance.now() - t0) / 1000
    lag.disable()
    const figures = await stop()
    if (trace) await browser.stopTracing()
    if (profile) writeFileSync(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile))
    // Idle: the last entries rendered, nothing streaming.
    await page.waitForTimeout(1500)
    const idleHeapMb = await heapAfterGc(cdp)
    return { page: figures, lagP99Ms: lag.percentile(99) / 1e6, idleHeapMb, seconds }
  })
}
