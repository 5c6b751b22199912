import { ARGUMENTS } from './scenarios/arguments'
import { DELTAS } from './scenarios/deltas'
import { HISTORY } from './scenarios/history'
import { NAMES } from './scenarios/names'
import { REASONING } from './scenarios/reasoning'
import { TEXT_FORMATS } from './scenarios/text-formats'
import { TRUNCATION } from './scenarios/truncation'
import type { RunOptions } from './runner'
import type { Scenario, ScenarioResult } from './types'

/**
 * The contract gauntlet: one-quirk scenarios of open models behind real servers, each streamed at
 * the wire and run through `paddock run`. See test/integration/contract-gauntlet.test.ts (every
 * scenario once) and test/gauntlet/stress.test.ts (random chunking, repeated).
 */
export const SCENARIOS: readonly Scenario[] = [
  ...TEXT_FORMATS,
  ...REASONING,
  ...HISTORY,
  ...DELTAS,
  ...NAMES,
  ...ARGUMENTS,
  ...TRUNCATION,
]

/** `GAUNTLET_ONLY=id[,id…]` runs just those; an unknown id is an error, not an empty run. */
export function selectScenarios(only: string | undefined = process.env.GAUNTLET_ONLY): Scenario[] {
  if (!only) return [...SCENARIOS]
  const ids = only
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean)
  const unknown = ids.filter((id) => !SCENARIOS.some((s) => s.id === id))
  if (unknown.length) throw new Error(`GAUNTLET_ONLY: no scenario ${unknown.join(', ')}`)
  return SCENARIOS.filter((s) => ids.includes(s.id))
}

/** Concurrent scenarios: `GAUNTLET_WIDTH`, default 4 (each is a CLI run and a fake server). */
export function gauntletWidth(): number {
  const width = Number(process.env.GAUNTLET_WIDTH ?? 4)
  return Number.isInteger(width) && width > 0 ? width : 4
}

/**
 * Every scenario runs against a server that refuses invalid history arguments, as vLLM and
 * llama-server do; `GAUNTLET_STRICT=0` runs them against a lenient one.
 */
export function gauntletOptions(): RunOptions {
  return process.env.GAUNTLET_STRICT === '0' ? {} : { strictHistory: true }
}

/**
 * The report: `gauntlet: N/M passed`, the tally by group, then each failure with why (`compact`:
 * one line each, its first reason).
 */
export function summary(
  label: string,
  results: readonly ScenarioResult[],
  compact = false,
): string {
  const passed = results.filter((r) => r.ok).length
  const lines = [`${label}: ${passed}/${results.length} passed`]
  const groups = [...new Set(SCENARIOS.map((s) => s.group))]
  const tally = groups.flatMap((g) => {
    const mine = results.filter((r) => SCENARIOS.find((s) => s.id === r.id)?.group === g)
    return mine.length ? [`${g} ${mine.filter((r) => r.ok).length}/${mine.length}`] : []
  })
  lines.push(`  by group: ${tally.join(', ')}`)
  for (const r of results.filter((x) => !x.ok)) {
    const s = SCENARIOS.find((x) => x.id === r.id)
    if (compact) {
      lines.push(`  FAIL ${r.id}: ${r.failures[0] ?? ''}`.slice(0, 240))
      continue
    }
    lines.push(`  FAIL ${r.id} [${s?.group ?? '?'}]`)
    for (const f of r.failures) lines.push(`       - ${f}`)
    if (r.results.length) lines.push(`       told: ${r.results.join(' | ')}`)
  }
  return lines.join('\n')
}
