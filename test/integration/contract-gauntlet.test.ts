import { describe, expect, it } from 'vitest'
import { SCENARIOS, gauntletOptions, gauntletWidth, selectScenarios, summary } from '../gauntlet'
import { runAll } from '../gauntlet/runner'

/**
 * The open-model contract gauntlet (issue 17): every one-quirk scenario of test/gauntlet streamed
 * at the wire by the fake LLM and run through `paddock run` in this process. Each must finish
 * (exit 0) with its intended effect on disk, ask the model only as often as scripted, and pass its
 * checks of what the model was told. `GAUNTLET_ONLY=id[,id…]` runs only those scenarios,
 * `GAUNTLET_WIDTH` sets how many run at once (default 4), every scenario runs against a server
 * that refuses invalid history arguments (`GAUNTLET_STRICT=0`: a lenient one).
 */

describe('the scenario table', () => {
  it('has at least 80 scenarios with unique ids, each with a why', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(80)
    const ids = SCENARIOS.map((s) => s.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const s of SCENARIOS) {
      expect(s.id).toMatch(/^[a-z0-9][a-z0-9_-]*$/i)
      expect(s.why.length).toBeGreaterThan(10)
    }
  })
})

describe('contract gauntlet', () => {
  it('every scenario ends with its intended effect and a finished run', async () => {
    const scenarios = selectScenarios()
    const results = await runAll(scenarios, gauntletWidth(), gauntletOptions())
    const report = summary('gauntlet', results)
    console.log(report)
    expect(results.filter((r) => !r.ok).map((r) => r.id)).toEqual([])
  }, 600_000)
})
