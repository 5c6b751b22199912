import { expect, test } from '@playwright/test'
import { BIN_PADDOCK } from '../support/paths'
import { runNode } from '../support/spawn'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

let sh: SessionHost | null = null
test.afterEach(async () => {
  await sh?.stop()
  sh = null
})

/** `paddock settings …` on the host's data folder, as a user in a terminal beside the app. */
async function paddockSettings(args: string[]): Promise<string> {
  const r = await runNode([BIN_PADDOCK, 'settings', ...args, '--data-dir', sh!.dataDir])
  expect(r.status, r.stderr).toBe(0)
  return r.stdout
}

test('Loops: each detector turns off and on again, stored as the CLI reads it', async ({
  page,
}) => {
  sh = await startSessionHost()
  await sh.openProject()
  await paddockSettings(['set', 'loops.identicalCalls', 'false'])
  await page.goto(sh.host.url)
  await expect(
    page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
  ).toBeVisible()
  await page.keyboard.press('Control+Comma')
  const settings = page.getByRole('region', { name: 'Settings' })
  await settings
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'Loops', exact: true })
    .click()
  const loops = settings.getByRole('region', { name: 'Loops', exact: true })
  await expect(loops.getByRole('heading', { name: 'Loops', level: 2 })).toBeVisible()

  // What the CLI stored shows; the others are on by default.
  const identical = loops.getByRole('checkbox', { name: /^Identical calls/ })
  const text = loops.getByRole('checkbox', { name: /^Repeated text/ })
  await expect(identical).not.toBeChecked()
  await expect(text).toBeChecked()
  await expect(loops.getByRole('checkbox', { name: /^Failing command/ })).toBeChecked()

  await text.uncheck()
  await identical.check()
  await expect(loops.getByText('Unsaved changes')).toBeVisible()
  await loops.getByRole('button', { name: 'Save' }).click()
  await expect(loops.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()
  expect(await paddockSettings(['get', 'loops.repeatedText'])).toBe('false\n')
  // On is the default: stored as unset.
  expect(await paddockSettings(['get', 'loops.identicalCalls'])).toBe('\n')
})
