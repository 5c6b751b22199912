import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { createMemoryLogger } from '../src/main/core/logger'
import { createEngine } from '../src/main/host/engine'
import { startWebHost } from '../src/main/web/server'
import type { BenchLine } from './run'

const SYSTEM_CHROMIUM = process.env.PADDOCK_CHROMIUM ?? '/usr/bin/chromium'
const LINES = 5000
const HUNKS = 200
/** Budget to the diff's first paint, in ms. */
const BUDGET_MS = 300

function bigFile(changed: boolean): string {
  const out: string[] = []
  for (let i = 0; i < LINES; i++) {
    const hunk = changed && i % (LINES / HUNKS) === 7
    out.push(`export const value${i} = ${hunk ? `'changed ${i}'` : i} // line ${i}`)
  }
  return out.join('\n') + '\n'
}

/**
 * Opening the diff of a 5k-line file with 200 changed hunks in the Changes panel, in Chromium on
 * the built renderer (`npm run build` first): from the click on the file to the first frame that
 * shows the diff's decorations. Monaco is already loaded (a small file was opened first): the
 * lazy chunk's one-time load is not what is measured.
 */
export async function reviewBench(): Promise<BenchLine[]> {
  // One open is one sample, and single samples swing on a busy machine: the median of RUNS
  // first opens, each in a fresh host and browser.
  const alone: number[] = []
  const grid: number[] = []
  for (let run = 0; run < RUNS; run++) {
    alone.push(await firstPaintOnce(false))
    grid.push(await firstPaintOnce(true))
  }
  const line = (samples: number[], where: string): BenchLine => ({
    name: `review open a ${LINES}-line diff with ${HUNKS} hunks to first paint${where} (median of ${RUNS})`,
    ours: median(samples),
    unit: 'ms',
    budget: BUDGET_MS,
  })
  return [line(alone, ''), line(grid, ', in a 2×2 grid of sessions')]
}

/** Fresh runs measured; the median is reported. */
const RUNS = 5

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/**
 * One first open of the big diff, in ms, in a fresh engine, web host and browser. With `grid`,
 * the session is the first of four in a 2×2 grid (the layout the host keeps), its transcript
 * made small to review, the other three with every panel open — terminals, changes, timelines.
 */
async function firstPaintOnce(grid: boolean): Promise<number> {
  const rendererDir = join(process.cwd(), 'out', 'renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error('bench review: build the renderer first (npm run build).')
  }
  const root = mkdtempSync(join(tmpdir(), 'paddock-bench-review-'))
  const home = join(root, 'home')
  const project = join(home, 'project')
  mkdirSync(project, { recursive: true })
  writeFileSync(join(project, 'big.ts'), bigFile(false))
  writeFileSync(join(project, 'a-small.ts'), 'export const a = 1\n')
  const logger = createMemoryLogger()
  const engine = createEngine({
    dataDir: join(root, 'data'),
    kind: 'web',
    logger,
    home,
    env: { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8' },
  })
  const host = await startWebHost({ engine, logger, rendererDir, port: 0 })
  const browser = await chromium.launch(
    existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {},
  )
  try {
    const call = async (method: string, params: unknown): Promise<unknown> => {
      const out = await engine.call(method as never, params as never, { transport: 'bench' })
      if (!out.ok) throw new Error(`${method}: ${JSON.stringify(out.error)}`)
      return out.result
    }
    const ws = (await call('workspaces.open', { path: project })) as { id: string }
    const session = (await call('sessions.create', { workspaceId: ws.id, title: 'Bench' })) as {
      id: string
      title: string
    }
    await call('checkpoints.create', { sessionId: session.id })
    if (grid) {
      const others: string[] = []
      for (const title of ['Second', 'Third', 'Fourth'])
        others.push(
          ((await call('sessions.create', { workspaceId: ws.id, title })) as { id: string }).id,
        )
      const panes = [session.id, ...others]
      await call('layout.save', {
        layout: {
          openTabs: panes,
          panes,
          focusedPane: 0,
          maximised: false,
          // The transcript made small to review, as a user drags the separator up.
          sizes: { 'session.stack.split': 25 },
          collapsed: Object.fromEntries(
            panes.map((id) => [`${id}@grid`, id === session.id ? ['terminal', 'timeline'] : []]),
          ),
        },
      })
    }
    writeFileSync(join(project, 'big.ts'), bigFile(true))
    writeFileSync(join(project, 'a-small.ts'), 'export const a = 2\n')

    const tab = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    await tab.goto(`http://127.0.0.1:${host.port}/?token=${host.token}`)
    if (!grid)
      await tab
        .getByRole('navigation', { name: 'Workspaces' })
        .getByRole('button', { name: session.title, exact: true })
        .click()
    const pane = tab.locator(`[data-session-id="${session.id}"]`)
    if (grid) await tab.locator('.pane-grid[data-panes="4"]').waitFor()
    const panel = pane.getByRole('region', { name: 'Changes' })
    // The files were written here, not by the session's tools: show every changed file.
    await panel.getByRole('checkbox', { name: 'Changed by this session' }).uncheck()
    await panel.getByRole('option', { name: /a-small\.ts/ }).click()
    await panel
      .getByRole('region', { name: 'Diff of a-small.ts' })
      .locator('.view-lines')
      .first()
      .waitFor()
    const ms = await tab.evaluate(async (sessionId) => {
      const view = document.querySelector(`[data-session-id="${sessionId}"]`)!
      const option = Array.from(view.querySelectorAll('[role="option"]')).find((o) =>
        o.getAttribute('aria-label')?.startsWith('big.ts'),
      ) as HTMLElement
      const t0 = performance.now()
      option.click()
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r))
        // The region is named after big.ts as soon as its texts arrive, a frame or so before the
        // editor swaps them in: until then it still shows a-small.ts with its own decorations.
        // Only big.ts's lines with their decorations are the diff a user sees.
        const region = view.querySelector('[aria-label="Diff of big.ts"]')
        const modified = region?.querySelector('.editor.modified')
        if (
          modified?.querySelector('.line-insert, .char-insert') &&
          modified.textContent?.includes('changed')
        )
          return performance.now() - t0
        if (performance.now() - t0 > 30_000) throw new Error('the diff never painted')
      }
    }, session.id)
    return ms
  } finally {
    await browser.close()
    await host.close()
    engine.close()
    rmSync(root, { recursive: true, force: true })
  }
}
