import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { FuzzIds } from '../support/contract-fuzz'
import { fuzzContract } from '../support/contract-fuzz'
import type { EngineFixture } from '../support/engine'
import { engineFixture } from '../support/engine'

/**
 * The contract fuzz at length (`npm run test:stress`): FUZZ_ROUNDS inputs per method (default
 * 400), stopping early after FUZZ_BUDGET_MS (default 2 minutes: the suite runs beside the gauntlet
 * within CI's 10). FUZZ_SEED=<n> replays a run.
 */
const SEED = Number(process.env.FUZZ_SEED) || Date.now() % 2 ** 31
const ROUNDS = Number(process.env.FUZZ_ROUNDS) || 400
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS) || 2 * 60_000

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

it('the contract holds under many random and boundary inputs for every method', async () => {
  process.stdout.write(`contract fuzz seed: FUZZ_SEED=${SEED}\n`)
  const { findings, calls, rejected } = await fuzzContract(fx, ids, {
    seed: SEED,
    perMethod: ROUNDS,
    deadline: Date.now() + BUDGET_MS,
  })
  process.stdout.write(`contract fuzz: ${calls} calls, ${rejected} rejected\n`)
  expect(findings, `FUZZ_SEED=${SEED}`).toEqual([])
  expect(calls).toBeGreaterThan(5000)
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect((await fx.call('host.info', {})).kind).toBe('web')
  await new Promise((r) => setTimeout(r, 100))
  expect(unhandled).toEqual([])
}, 600_000)
