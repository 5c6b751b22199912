import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { managedChromium, noChromiumHint, systemChromium } from '../../scripts/chromium.mjs'
import { BUILT_WEB_ENTRY } from '../support/paths'
import { isolatedHome } from '../support/test-home'

/** Fail early and clearly when the build or a browser is missing. */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(BUILT_WEB_ENTRY)) {
    throw new Error('The app is not built: run "npm run build" before "npm run test:e2e".')
  }
  const managed = systemChromium() ? undefined : await managedChromium()
  if (!systemChromium() && !managed) throw new Error(noChromiumHint())
  // Playwright looks for its own browser under the home folder, which changes next: point it
  // at where that browser is (…/ms-playwright/chromium-NNNN/chrome-linux64/chrome).
  if (managed && !process.env.PLAYWRIGHT_BROWSERS_PATH) {
    process.env.PLAYWRIGHT_BROWSERS_PATH = dirname(dirname(dirname(managed)))
  }
  // Inherited by the workers and the web hosts they start: their shells read no developer rc files.
  process.env.HOME = isolatedHome()
}
