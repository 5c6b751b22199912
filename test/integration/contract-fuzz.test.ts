import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FuzzIds } from '../support/contract-fuzz'
import { fuzzContract, snapshot } from '../support/contract-fuzz'
import type { EngineFixture } from '../support/engine'
import { engineFixture } from '../support/engine'

/** The contract fuzz, light (the heavy run is test/stress/contract-fuzz.test.ts). FUZZ_SEED=<n> replays. */
const SEED = Number(process.env.FUZZ_SEED) || Date.now() % 2 ** 31

let fx: EngineFixture
let ids: FuzzIds
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason)
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled)
  fx = engineFixture()
  const folder = join(fx.home, 'project')
  mkdirSync(folder)
  writeFileSync(join(folder, 'a.txt'), 'hello\n')
  const ws = await fx.call('workspaces.open', { path: folder })
  const s = await fx.call('sessions.create', { workspaceId: ws.id })
  ids = { workspaceId: ws.id, sessionId: s.id, folder }
})
afterAll(() => {
  process.off('unhandledRejection', onUnhandled)
  fx.cleanup()
})

describe('contract fuzz (light)', () => {
  it('sees a change in the database and in the files (so "changed nothing" means something)', async () => {
    const before = snapshot(fx, [fx.dataDir, ids.folder])
    const s = await fx.call('sessions.create', { workspaceId: ids.workspaceId })
    const afterDb = snapshot(fx, [fx.dataDir, ids.folder])
    expect(afterDb).not.toBe(before)
    writeFileSync(join(ids.folder, 'b.txt'), 'x')
    expect(snapshot(fx, [fx.dataDir, ids.folder])).not.toBe(afterDb)
    await fx.call('sessions.delete', { sessionId: s.id })
  })

  it('answers random and boundary inputs for every method with a typed error, changing nothing', async () => {
    process.stdout.write(`contract fuzz seed: FUZZ_SEED=${SEED}\n`)
    const { findings, calls, rejected } = await fuzzContract(fx, ids, { seed: SEED, perMethod: 12 })
    expect(findings, `FUZZ_SEED=${SEED}`).toEqual([])
    expect(calls).toBeGreaterThan(500)
    expect(rejected).toBeGreaterThan(calls * 0.8)
    // Nothing was polluted, the engine still answers, nothing was left unhandled.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((await fx.call('host.info', {})).kind).toBe('web')
    await new Promise((r) => setTimeout(r, 50))
    expect(unhandled).toEqual([])
  }, 300_000)
})
