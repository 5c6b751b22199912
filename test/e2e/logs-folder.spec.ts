import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { shootBoth } from './support/screenshots'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/** "Open logs folder" in the browser: a page cannot open a folder, so it says where the logs are. */

let sh: SessionHost | null = null
test.afterEach(async () => {
  await sh?.stop()
  sh = null
})

test('Open logs folder from the palette shows the web host’s logs folder', async ({ page }) => {
  sh = await startSessionHost()
  await sh.openSession(page, 'Fix the parser')
  await page.keyboard.press('Control+Shift+P')
  const palette = page.getByRole('dialog', { name: 'Command palette' })
  await palette.getByRole('combobox', { name: 'Type a command' }).fill('logs')
  await expect(palette.getByRole('option', { name: /Open logs folder/ })).toBeVisible()
  await page.keyboard.press('Enter')
  await expect(palette).toBeHidden()
  await expect(page.getByText(`The logs are in ${join(sh.dataDir, 'logs')}`)).toBeVisible()
  await shootBoth(page, 'logs-folder-notice')
})
