import type { Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { shootBoth } from './support/screenshots'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * The theme: follows the system until the user picks one (the palette or Settings → Appearance);
 * the host stores the pick, so a reload and another browser show it; the terminal follows it.
 */

let sh: SessionHost | null = null
test.afterEach(async () => {
  await sh?.stop()
  sh = null
})

const background = (page: Page): Promise<string> =>
  page.evaluate(() => getComputedStyle(document.body).backgroundColor)

test('a theme picked in the palette shows at once, is stored by the host, and comes back', async ({
  page,
  browser,
}) => {
  sh = await startSessionHost()
  await page.emulateMedia({ colorScheme: 'light' })
  await sh.openSession(page, 'Theme check')
  const light = await background(page)

  await page.keyboard.press('Control+Shift+P')
  await page.getByRole('combobox', { name: 'Type a command' }).fill('theme dark')
  await page.keyboard.press('Enter')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect.poll(() => background(page)).not.toBe(light)
  const dark = await background(page)
  // The agent's terminal took the dark theme too.
  await expect
    .poll(() =>
      page
        .getByRole('region', { name: 'Terminal' })
        .locator('.xterm-viewport')
        .evaluate((el) => getComputedStyle(el).backgroundColor),
    )
    .not.toBe(light)
  await expect
    .poll(async () => (await sh!.client.call('settings.get', {})).values['appearance.theme'])
    .toBe('dark')

  // Another browser (no local memory of it) shows the host's choice once the settings arrive.
  const other = await browser.newPage()
  await other.emulateMedia({ colorScheme: 'light' })
  await other.goto(sh.host.url)
  await expect(other.locator('html')).toHaveAttribute('data-theme', 'dark')
  expect(await background(other)).toBe(dark)
  await other.close()

  // Settings → Appearance: back to the system's scheme (light here), stored as unset.
  await page.keyboard.press('Control+,')
  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'Appearance' })
    .click()
  const group = page.getByRole('group', { name: 'Theme' })
  await expect(group.getByRole('radio', { name: 'Dark', exact: true })).toBeChecked()
  await shootBoth(page, 'appearance-dark')
  await group.getByRole('radio', { name: 'Follow the system' }).check()
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.+/)
  await expect(page.locator('html')).toHaveAttribute('data-scheme', 'light')
  await expect.poll(() => background(page)).toBe(light)
  await expect
    .poll(async () => (await sh!.client.call('settings.get', {})).values['appearance.theme'])
    .toBeUndefined()
})
