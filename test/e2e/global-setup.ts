import { existsSync } from 'node:fs'
import { chromium } from '@playwright/test'
import { BUILT_WEB_ENTRY } from '../support/paths'

/** Fail early and clearly when the build or a browser is missing. */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(BUILT_WEB_ENTRY)) {
    throw new Error('The app is not built: run "npm run build" before "npm run test:e2e".')
  }
  const system = process.env.PADDOCK_CHROMIUM ?? '/usr/bin/chromium'
  if (existsSync(system)) return
  const managed = chromium.executablePath()
  if (!existsSync(managed)) {
    throw new Error(
      `No Chromium found. Install Debian's (apt-get install -y chromium, giving ${system}), point ` +
        'PADDOCK_CHROMIUM at a Chromium binary, or run "npx playwright install chromium".',
    )
  }
}
