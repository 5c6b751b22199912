import { defineConfig } from 'vitest/config'

/**
 * `npm run test:stress`: the contract gauntlet with every stream chunked at random, several rounds
 * (test/gauntlet/stress.test.ts), and the heavy runs of test/stress/ (the web host under load, the
 * contract fuzz at length). Kept out of `npm run test:unit`; CI bounds it to 10 minutes.
 */
export default defineConfig({
  test: {
    include: ['test/gauntlet/stress.test.ts', 'test/stress/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 600_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
})
