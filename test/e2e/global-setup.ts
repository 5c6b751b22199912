import { existsSync } from 'node:fs'
import { managedChromium, noChromiumHint, systemChromium } from '../../scripts/chromium.mjs'
import { BUILT_WEB_ENTRY } from '../support/paths'

/** Fail early and clearly when the build or a browser is missing. */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(BUILT_WEB_ENTRY)) {
    throw new Error('The app is not built: run "npm run build" before "npm run test:e2e".')
  }
  if (!systemChromium() && !(await managedChromium())) throw new Error(noChromiumHint())
}
