import { defineConfig } from 'vitest/config'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    // Native addons (better-sqlite3) and child processes: separate processes, not worker threads.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // An empty home folder: shells started by tests must not read the developer's rc files
    // (see test/support/test-home.ts, which the e2e setup uses).
    env: { HOME: mkdtempSync(join(tmpdir(), 'paddock-test-home-')) },
  },
})
