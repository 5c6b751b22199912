import { defineConfig } from '@playwright/test'
import { systemChromium } from './scripts/chromium.mjs'

/**
 * e2e runs the built web host in Chromium: Debian's /usr/bin/chromium when present (CI installs
 * it), else Playwright's managed browser if one was installed with `npx playwright install chromium`.
 */
const executablePath = systemChromium()

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['./test/e2e/skip-reporter.ts']],
  globalSetup: './test/e2e/global-setup.ts',
  use: {
    viewport: { width: 1400, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
})
