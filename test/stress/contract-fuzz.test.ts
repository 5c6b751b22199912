import { expect, it } from 'vitest'
import { fuzzContract } from '../support/contract-fuzz'
import { useFuzzWorld } from '../support/fuzz-world'

/**
 * The contract fuzz at length (`npm run test:stress`): FUZZ_ROUNDS inputs per method (default
 * 400), stopping early after FUZZ_BUDGET_MS (default 2 minutes: the suite runs beside the gauntlet
 * within CI's 10). FUZZ_SEED=<n> replays a run.
 */
const SEED = Number(process.env.FUZZ_SEED) || Date.now() % 2 ** 31
const ROUNDS = Number(process.env.FUZZ_ROUNDS) || 400
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS) || 2 * 60_000

const w = useFuzzWorld()

it('the contract holds under many random and boundary inputs for every method', async () => {
  process.stdout.write(`contract fuzz seed: FUZZ_SEED=${SEED}\n`)
  const { findings, calls, rejected } = await fuzzContract(w.fx, w.ids, {
    seed: SEED,
    perMethod: ROUNDS,
    deadline: Date.now() + BUDGET_MS,
  })
  process.stdout.write(`contract fuzz: ${calls} calls, ${rejected} rejected\n`)
  expect(findings, `FUZZ_SEED=${SEED}`).toEqual([])
  expect(calls).toBeGreaterThan(5000)
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect((await w.fx.call('host.info', {})).kind).toBe('web')
  await new Promise((r) => setTimeout(r, 100))
  expect(w.unhandled).toEqual([])
}, 600_000)
