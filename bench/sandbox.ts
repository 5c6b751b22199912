import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createMemoryLogger } from '../src/main/core/logger'
import { SessionSandboxes } from '../src/main/sandbox/session-sandbox'
import { ShellManager } from '../src/main/shells/shell-manager'
import { bashTool } from '../src/main/tools/bash'
import { createToolContext } from '../src/main/tools/context'
import type { BenchLine } from './run'

/** Round trips measured per side, after a warm-up. */
const ROUNDS = 60
const WARMUP = 5
/** Largest ratio inside/outside allowed for one trivial command in a started shell. */
const RATIO_BUDGET = 1.2

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

/** One shell, sandboxed or not: its start (to the first command's end) and `true` round trips. */
async function measure(root: string, confined: boolean): Promise<{ start: number; trip: number }> {
  const workspace = join(root, confined ? 'in' : 'out')
  const dataDir = join(root, confined ? 'data-in' : 'data-out')
  mkdirSync(workspace, { recursive: true })
  const sandboxes = new SessionSandboxes({
    dataDir,
    home: join(root, 'home'),
    platform: process.platform,
    arch: process.arch,
    settings: () => ({ mode: confined ? 'workspace-write' : 'off' }),
    otherFolders: () => [],
  })
  const manager = new ShellManager({
    dataDir,
    logger: createMemoryLogger(),
    env: () => ({
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: join(root, 'home'),
      SHELL: '/bin/bash',
      LANG: 'C.UTF-8',
    }),
    workspaceOf: () => workspace,
    settings: () => ({ shell: '/bin/bash' }),
    sandbox: (sid, r, cwd, file, args) => sandboxes.wrap(sid, r, cwd, file, args),
    publish: () => {},
    stamp: (sessionId, draft) =>
      ({ ...draft, sessionId, seq: 1, at: Date.now(), ephemeral: true }) as never,
  })
  const ctx = {
    ...createToolContext({
      workspaceRoot: workspace,
      spillDir: join(dataDir, 'spill'),
      ripgrepPath: null,
    }),
    shell: manager.agentShell('s1'),
  }
  const run = async (): Promise<number> => {
    const t0 = performance.now()
    const r = await bashTool.execute({ command: 'true' }, ctx)
    if (r.isError) throw new Error(`bench command failed: ${r.content}`)
    return performance.now() - t0
  }
  try {
    const start = await run()
    for (let i = 0; i < WARMUP; i++) await run()
    const trips: number[] = []
    for (let i = 0; i < ROUNDS; i++) trips.push(await run())
    return { start, trip: median(trips) }
  } finally {
    manager.shutdown()
  }
}

/** `npm run bench -- sandbox`: what the sandbox adds to a bash round trip, and to a shell's start. */
export async function sandboxBench(): Promise<BenchLine[]> {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/bwrap')) {
    process.stdout.write('bench sandbox: skipped (needs Linux and /usr/bin/bwrap)\n')
    return []
  }
  mkdirSync('/var/tmp', { recursive: true })
  const root = mkdtempSync('/var/tmp/paddock-bench-sandbox-')
  try {
    const outside = await measure(root, false)
    const inside = await measure(root, true)
    return [
      {
        name: 'sandbox bash round trip (true, started shell)',
        ours: inside.trip,
        unit: 'ms',
        peer: { name: 'unsandboxed', value: outside.trip },
      },
      {
        name: 'sandbox bash round trip inside / outside',
        ours: inside.trip / outside.trip,
        unit: 'x',
        budget: RATIO_BUDGET,
      },
      {
        name: 'sandbox shell start to first command',
        ours: inside.start,
        unit: 'ms',
        peer: { name: 'unsandboxed', value: outside.start },
      },
    ]
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
