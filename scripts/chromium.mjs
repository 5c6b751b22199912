// Which Chromium the e2e tests drive: $PADDOCK_CHROMIUM, else Debian's /usr/bin/chromium, else
// Playwright's own (`npx playwright install chromium`). One rule for playwright.config.ts, the
// e2e set-up and `npm test`'s first step (scripts/check-browser.mjs).
import { existsSync } from 'node:fs'

/** The system Chromium the tests use when it exists: $PADDOCK_CHROMIUM, else /usr/bin/chromium. */
export function systemChromium(env = process.env) {
  const path = env.PADDOCK_CHROMIUM || '/usr/bin/chromium'
  return existsSync(path) ? path : undefined
}

/** Where Playwright's own Chromium is, when it was installed. */
export async function managedChromium() {
  const { chromium } = await import('@playwright/test')
  const path = chromium.executablePath()
  return path && existsSync(path) ? path : undefined
}

/** What to do without either, in one line. */
export function noChromiumHint(env = process.env) {
  const wanted = env.PADDOCK_CHROMIUM
    ? `PADDOCK_CHROMIUM=${env.PADDOCK_CHROMIUM} does not exist`
    : 'no /usr/bin/chromium and no browser of Playwright'
  return (
    `No Chromium for the e2e tests (${wanted}): install one with "sudo apt-get install -y chromium" ` +
    'or "npx playwright install chromium", or set PADDOCK_CHROMIUM to a Chromium binary.'
  )
}
