// `npm test`'s first step: the e2e tests at its end need a Chromium; without one, say how to get
// it in one line now, before the long steps, instead of failing deep inside the e2e run.
import { managedChromium, noChromiumHint, systemChromium } from './chromium.mjs'

if (!systemChromium() && !(await managedChromium())) {
  process.stderr.write(`npm test: ${noChromiumHint()}\n`)
  process.exit(1)
}
