import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decide } from '../src/main/policy/decide'
import type { PolicyContext } from '../src/main/policy/decide'
import { MODES } from '../src/main/policy/modes'
import type { BenchLine } from './run'

/** Budget for deciding one command line, in ms. */
const BUDGET_MS = 5
/** Timed runs of each command (its median counts). */
const RUNS = 5

/**
 * The policy's decision for each of 1,000 real-world command lines (`bench/policy-corpus.txt`, one
 * per line, `⏎` for a newline) in every mode, in a workspace with a few hundred files so that globs
 * are really expanded: the mean per command, and the slowest command (the median of its runs).
 */
export async function policyBench(): Promise<BenchLine[]> {
  const corpus = readFileSync(join(import.meta.dirname, 'policy-corpus.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.replaceAll('⏎', '\n'))
  const root = mkdtempSync(join(tmpdir(), 'paddock-bench-policy-'))
  try {
    const home = join(root, 'home')
    const workspace = join(home, 'project')
    for (const dir of ['src/components', 'src/utils', 'lib', 'tests', 'docs', 'config']) {
      mkdirSync(join(workspace, dir), { recursive: true })
      for (let i = 0; i < 60; i++) writeFileSync(join(workspace, dir, `file${i}.ts`), '')
    }
    for (const f of ['.env', '.env.local', 'package.json', 'README.md', 'config/server.pem']) {
      writeFileSync(join(workspace, f), '')
    }
    mkdirSync(join(home, '.ssh'))
    const ctx = (mode: PolicyContext['mode']): PolicyContext => ({
      mode,
      workspaceRoot: workspace,
      home,
      dataDir: join(home, '.config', 'Paddock'),
      rules: [],
    })
    const contexts = MODES.map(ctx)
    const once = (command: string): number => {
      const start = performance.now()
      for (const c of contexts) decide('bash', { command }, c)
      return (performance.now() - start) / contexts.length
    }
    for (const command of corpus) once(command)
    const perCommand = corpus.map((command) => {
      const times = Array.from({ length: RUNS }, () => once(command)).sort((a, b) => a - b)
      return times[Math.floor(RUNS / 2)]!
    })
    const mean = perCommand.reduce((a, b) => a + b, 0) / perCommand.length
    const worst = Math.max(...perCommand)
    return [
      {
        name: `policy decision per command (mean of ${corpus.length})`,
        ours: mean,
        unit: 'ms',
        budget: BUDGET_MS,
      },
      {
        name: `policy decision per command (slowest of ${corpus.length})`,
        ours: worst,
        unit: 'ms',
        budget: BUDGET_MS,
      },
    ]
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
