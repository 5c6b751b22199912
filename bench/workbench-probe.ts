import type { CDPSession, Page } from '@playwright/test'

/**
 * What the workbench bench measures in the page, over a window of time: long tasks
 * (PerformanceObserver 'longtask': their number and the longest), frames (requestAnimationFrame
 * deltas: the share longer than 20 ms) and how busy the main thread was (CDP
 * `Performance.getMetrics` TaskDuration over wall time). And the page's JS heap after a full GC.
 */
export interface WindowFigures {
  longTasks: number
  longestTaskMs: number
  frames: number
  /** Share of frames longer than 20 ms, in percent. */
  slowFramePct: number
  /** Main-thread busy share (time in tasks over wall time), in percent. */
  busyPct: number
  /** The main thread's CPU time over wall time, in percent: busy less the time the OS ran others. */
  cpuPct: number
  wallMs: number
}

/** Installed before the app's scripts: observers that run from the first frame. */
export const PROBE_SCRIPT = `
(() => {
  const probe = { recording: false, tasks: [], deltas: [], last: 0 }
  window.__workbenchProbe = probe
  new PerformanceObserver((list) => {
    if (!probe.recording) return
    for (const e of list.getEntries()) probe.tasks.push(e.duration)
  }).observe({ type: 'longtask', buffered: false })
  const frame = (t) => {
    if (probe.recording && probe.last > 0) probe.deltas.push(t - probe.last)
    probe.last = t
    requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
})()
`

interface ProbeState {
  recording: boolean
  tasks: number[]
  deltas: number[]
  last: number
}

/** Seconds the main thread spent in tasks, and its CPU time. */
async function taskSeconds(cdp: CDPSession): Promise<{ task: number; cpu: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics')
  const metric = (name: string): number => metrics.find((m) => m.name === name)?.value ?? 0
  return { task: metric('TaskDuration'), cpu: metric('ThreadTime') }
}

/** Start recording; the returned function stops and returns the window's figures. */
export async function startWindow(
  page: Page,
  cdp: CDPSession,
): Promise<() => Promise<WindowFigures>> {
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' })
  await page.evaluate(() => {
    const p = (window as unknown as { __workbenchProbe: ProbeState }).__workbenchProbe
    p.tasks = []
    p.deltas = []
    p.last = 0
    p.recording = true
  })
  const task0 = await taskSeconds(cdp)
  const t0 = performance.now()
  return async () => {
    const task1 = await taskSeconds(cdp)
    const wallMs = performance.now() - t0
    const { tasks, deltas } = await page.evaluate(() => {
      const p = (window as unknown as { __workbenchProbe: ProbeState }).__workbenchProbe
      p.recording = false
      return { tasks: p.tasks, deltas: p.deltas }
    })
    const slow = deltas.filter((d) => d > 20).length
    return {
      longTasks: tasks.length,
      longestTaskMs: tasks.length === 0 ? 0 : Math.max(...tasks),
      frames: deltas.length,
      slowFramePct: deltas.length === 0 ? 100 : (100 * slow) / deltas.length,
      busyPct: (100 * (task1.task - task0.task) * 1000) / wallMs,
      cpuPct: (100 * (task1.cpu - task0.cpu) * 1000) / wallMs,
      wallMs,
    }
  }
}

/** The page's JS heap in use after a full garbage collection, in MB. */
export async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.enable')
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  return usedSize / 1024 / 1024
}
