// `npm run bench [-- --check]`: side-by-side and budget benchmarks, one line each (docs/CONVENTIONS.md).
// With --check, exits non-zero when any line is over its budget.
import { checkpointsBench } from './checkpoints'
import { contextBench } from './context'
import { contractBench } from './contract'
import { engineRoundTripBench } from './engine-round-trip'
import { mcpBench } from './mcp'
import { policyBench } from './policy'
import { prefixBench } from './prefix'
import { reopenSessionBench } from './reopen-session'
import { reviewBench } from './review'
import { sandboxBench } from './sandbox'
import { terminalBench } from './terminal'
import { workbenchBench } from './workbench'
import { worktreesBench } from './worktrees'

export interface BenchLine {
  name: string
  ours: number
  unit: string
  /** Against a peer measured in the same run… */
  peer?: { name: string; value: number }
  /** …or against a budget (docs/ARCHITECTURE.md, "Budgets"). Neither: a figure to read. */
  budget?: number
}

export function formatLine(line: BenchLine): { text: string; over: boolean } {
  const ours = `${line.ours.toFixed(2)} ${line.unit}`
  if (line.peer) {
    const ratio = line.ours / line.peer.value
    return {
      text: `bench ${line.name}: ${ours} | ${line.peer.name} ${line.peer.value.toFixed(2)} ${line.unit} | ratio ${ratio.toFixed(2)}`,
      over: false,
    }
  }
  if (line.budget === undefined) return { text: `bench ${line.name}: ${ours}`, over: false }
  const over = line.ours > line.budget
  return {
    text: `bench ${line.name}: ${ours} | budget ${line.budget} ${line.unit} | ${over ? 'over' : 'ok'}`,
    over,
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const check = args.includes('--check')
  // `npm run bench -- engine` runs only the benchmarks whose name contains "engine".
  const filters = args.filter((a) => !a.startsWith('--'))
  const all: Array<[string, () => Promise<BenchLine[]>]> = [
    ['reopen-session', reopenSessionBench],
    ['engine-round-trip', engineRoundTripBench],
    ['terminal', terminalBench],
    ['checkpoints', checkpointsBench],
    ['review', reviewBench],
    ['policy', policyBench],
    ['contract', contractBench],
    ['context', contextBench],
    ['prefix', prefixBench],
    ['worktrees', worktreesBench],
    ['workbench', workbenchBench],
    ['sandbox', sandboxBench],
    ['mcp', mcpBench],
  ]
  const benches = all
    .filter(([name]) => filters.length === 0 || filters.some((f) => name.includes(f)))
    .map(([, fn]) => fn)
  let anyOver = false
  for (const bench of benches) {
    for (const line of await bench()) {
      const { text, over } = formatLine(line)
      anyOver ||= over
      process.stdout.write(`${text}\n`)
    }
  }
  if (check && anyOver) process.exitCode = 1
}

await main()
