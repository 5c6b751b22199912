import { defineConfig } from 'vitest/config'
import { isolatedHome } from './test/support/test-home'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    // Native addons (better-sqlite3) and child processes: separate processes, not worker threads.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // Shells started by tests must not read the developer's rc files (see isolatedHome).
    env: { HOME: isolatedHome() },
  },
})
