import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fuzzContract, snapshot } from '../support/contract-fuzz'
import { useFuzzWorld } from '../support/fuzz-world'

/** The contract fuzz, light (the heavy run is test/stress/contract-fuzz.test.ts). FUZZ_SEED=<n> replays. */
const SEED = Number(process.env.FUZZ_SEED) || Date.now() % 2 ** 31

const w = useFuzzWorld()

describe('contract fuzz (light)', () => {
  it('sees a change in the database and in the files (so "changed nothing" means something)', async () => {
    const before = snapshot(w.fx, [w.fx.dataDir, w.ids.folder])
    const s = await w.fx.call('sessions.create', { workspaceId: w.ids.workspaceId })
    const afterDb = snapshot(w.fx, [w.fx.dataDir, w.ids.folder])
    expect(afterDb).not.toBe(before)
    writeFileSync(join(w.ids.folder, 'b.txt'), 'x')
    expect(snapshot(w.fx, [w.fx.dataDir, w.ids.folder])).not.toBe(afterDb)
    await w.fx.call('sessions.delete', { sessionId: s.id })
  })

  it('answers random and boundary inputs for every method with a typed error, changing nothing', async () => {
    process.stdout.write(`contract fuzz seed: FUZZ_SEED=${SEED}\n`)
    const { findings, calls, rejected } = await fuzzContract(w.fx, w.ids, {
      seed: SEED,
      perMethod: 12,
    })
    expect(findings, `FUZZ_SEED=${SEED}`).toEqual([])
    expect(calls).toBeGreaterThan(500)
    expect(rejected).toBeGreaterThan(calls * 0.8)
    // Nothing was polluted, the engine still answers, nothing was left unhandled.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((await w.fx.call('host.info', {})).kind).toBe('web')
    await new Promise((r) => setTimeout(r, 50))
    expect(w.unhandled).toEqual([])
  }, 300_000)
})
