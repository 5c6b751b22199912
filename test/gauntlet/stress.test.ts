import { expect, it } from 'vitest'
import { gauntletOptions, gauntletWidth, selectScenarios, summary } from '.'
import { runAll } from './runner'
import { randomChunker, seededRandom } from './wire'

/**
 * The gauntlet under stress (`npm run test:stress`): every scenario again, several rounds, with
 * every stream's text, reasoning and argument strings cut into random pieces of 1..N characters,
 * so a parser that only works when a tag or a JSON token arrives whole is caught. Each round has a
 * seed, printed; a scenario's cuts depend only on that seed and its id, so
 * `GAUNTLET_SEED=<seed> GAUNTLET_ONLY=<id> npm run test:stress` replays one exactly.
 *
 * GAUNTLET_ROUNDS (default 5), GAUNTLET_MAX_CHUNK (N, default 12), GAUNTLET_BUDGET_MS (no new
 * round starts after this much time, default 8 minutes; CI bounds the whole run to 10), and those
 * of the gauntlet itself (GAUNTLET_ONLY, GAUNTLET_WIDTH, GAUNTLET_STRICT).
 */

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}

/** FNV-1a of the id mixed with the round's seed: the scenario's own seed. */
function scenarioSeed(roundSeed: number, id: string): number {
  let h = 0x811c9dc5 ^ roundSeed
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  return h >>> 0
}

it('the gauntlet passes with every stream chunked at random, round after round', async () => {
  const rounds = envNumber('GAUNTLET_ROUNDS', 5)
  const maxChunk = envNumber('GAUNTLET_MAX_CHUNK', 12)
  const budgetMs = envNumber('GAUNTLET_BUDGET_MS', 8 * 60_000)
  const firstSeed = envNumber('GAUNTLET_SEED', Date.now() % 2 ** 31)
  const scenarios = selectScenarios()
  const started = Date.now()
  const failed = new Map<string, string[]>()
  let ran = 0
  for (let round = 0; round < rounds && Date.now() - started < budgetMs; round++) {
    const roundSeed = firstSeed + round
    // Each scenario gets its own 1..N: some rounds of a scenario are cut one character at a time.
    const chunkers = new Map(
      scenarios.map((s) => {
        const seed = scenarioSeed(roundSeed, s.id)
        const max = 1 + Math.floor(seededRandom(seed)() * maxChunk)
        return [s.id, randomChunker(seed, max)] as const
      }),
    )
    const results = await runAll(scenarios, gauntletWidth(), {
      ...gauntletOptions(),
      chunkFor: (s) => chunkers.get(s.id)!,
    })
    ran += 1
    console.log(
      summary(
        `gauntlet stress round ${round + 1} (GAUNTLET_SEED=${roundSeed}, N=${maxChunk})`,
        results,
        true,
      ),
    )
    for (const r of results.filter((x) => !x.ok)) {
      failed.set(r.id, [...(failed.get(r.id) ?? []), `seed ${roundSeed}: ${r.failures[0] ?? ''}`])
    }
  }
  console.log(
    `gauntlet stress: ${ran} round(s) of ${scenarios.length} in ${Math.round((Date.now() - started) / 1000)} s; ` +
      `${failed.size} scenario(s) failed at least once`,
  )
  expect(Object.fromEntries(failed)).toEqual({})
})
