import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { shootBoth } from './support/screenshots'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * Settings → Context edits `context.autoCompact`, `context.reserveTokens` and
 * `context.keepRecentTokens` — the settings the engine's compactor reads on every run. What the
 * form stores is read back through the contract (`settings.get`), as the engine reads it.
 */

let sh: SessionHost | null = null
test.afterEach(async () => {
  await sh?.stop()
  sh = null
})

/** The `context.*` values as stored, read through the contract. */
async function stored(): Promise<Record<string, unknown>> {
  const { values } = await sh!.client.call('settings.get', {})
  return Object.fromEntries(Object.entries(values).filter(([key]) => key.startsWith('context.')))
}

/** Open Settings with Ctrl+, and its Context section from the list; returns the section. */
async function openContext(page: Page): Promise<Locator> {
  await page.keyboard.press('Control+Comma')
  const settings = page.getByRole('region', { name: 'Settings' })
  await expect(settings).toBeFocused()
  await settings
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'Context', exact: true })
    .click()
  const region = settings.getByRole('region', { name: 'Context', exact: true })
  await expect(region.getByRole('heading', { name: 'Context', level: 2 })).toBeVisible()
  return region
}

test('Context: each setting is saved, a bad value is refused inline, empty goes back to the default', async ({
  page,
}) => {
  sh = await startSessionHost()
  await sh.openProject()
  await page.goto(sh.host.url)
  await expect(
    page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
  ).toBeVisible()
  const context = await openContext(page)
  const auto = context.getByLabel('Compact automatically')
  const reserve = context.getByLabel('Reserve for the reply')
  const keep = context.getByLabel('Keep recent')
  const save = context.getByRole('button', { name: 'Save' })
  const saved = context.getByRole('status').filter({ hasText: 'Saved.' })

  // Unset: the defaults are named, and each field explains itself.
  await expect(auto).toHaveValue('')
  await expect(auto.locator('option:checked')).toHaveText('Default (on)')
  await expect(reserve).toHaveValue('')
  await expect(reserve).toHaveAttribute('placeholder', 'Default (⅛ of window)')
  await expect(keep).toHaveValue('')
  await expect(keep).toHaveAttribute('placeholder', 'Default (≤ 20000)')
  await expect(auto).toHaveAccessibleDescription(/^Summarise the older conversation/)
  await expect(reserve).toHaveAccessibleDescription(/^Tokens kept free for the model’s reply/)
  await expect(keep).toHaveAccessibleDescription(/keeps word for word/)
  await shootBoth(page, 'settings-context-default')
  await page.setViewportSize({ width: 1400, height: 900 })
  expect(await stored()).toEqual({})

  // A reserve below 256 and a fractional keep: both explained under their fields with the
  // contract's own messages, and nothing of the form is stored (the valid Off neither).
  await auto.selectOption('false')
  await reserve.fill('100')
  await keep.fill('2500.5')
  await save.click()
  await expect(reserve).toHaveAttribute('aria-invalid', 'true')
  await expect(reserve).toHaveAccessibleDescription(/^must be at least 256 tokens/)
  await expect(keep).toHaveAttribute('aria-invalid', 'true')
  await expect(keep).toHaveAccessibleDescription(/^must be a whole number of tokens/)
  await expect(reserve).toBeFocused()
  await expect(context.getByText('Unsaved changes')).toBeVisible()
  await shootBoth(page, 'settings-context-error')
  await page.setViewportSize({ width: 1400, height: 900 })
  expect(await stored()).toEqual({})
  // Nothing typed is lost: the fields keep what was refused, to be fixed.
  await expect(auto).toHaveValue('false')
  await expect(reserve).toHaveValue('100')
  await expect(keep).toHaveValue('2500.5')
  // Not a number at all.
  await keep.fill('lots')
  await save.click()
  await expect(keep).toHaveAccessibleDescription(/^must be a number/)
  expect(await stored()).toEqual({})

  // Fixed: the three are stored as typed, the error goes, and a reload shows them.
  await reserve.fill('4096')
  await expect(reserve).not.toHaveAttribute('aria-invalid')
  await keep.fill('8000')
  await save.click()
  await expect(saved).toBeVisible()
  await expect(context.getByText('Unsaved changes')).toBeHidden()
  expect(await stored()).toEqual({
    'context.autoCompact': false,
    'context.reserveTokens': 4096,
    'context.keepRecentTokens': 8000,
  })
  await shootBoth(page, 'settings-context')
  await page.setViewportSize({ width: 1400, height: 900 })
  await page.reload()
  await expect(
    page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
  ).toBeVisible()
  const reloaded = await openContext(page)
  await expect(reloaded.getByLabel('Compact automatically')).toHaveValue('false')
  await expect(reloaded.getByLabel('Reserve for the reply')).toHaveValue('4096')
  await expect(reloaded.getByLabel('Keep recent')).toHaveValue('8000')

  // Back to the defaults from the keyboard: the first choice, an emptied field, Enter saves.
  const autoAgain = reloaded.getByLabel('Compact automatically')
  await autoAgain.focus()
  await page.keyboard.press('Home')
  await expect(autoAgain).toHaveValue('')
  await page.keyboard.press('Tab')
  await expect(reloaded.getByLabel('Reserve for the reply')).toBeFocused()
  await page.keyboard.press('Control+A')
  await page.keyboard.press('Backspace')
  await page.keyboard.press('Enter')
  await expect(reloaded.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible()
  expect(await stored()).toEqual({ 'context.keepRecentTokens': 8000 })
  await expect(reloaded.getByLabel('Reserve for the reply')).toHaveValue('')

  // On, then the last one back to its default: the stored rows are gone.
  await autoAgain.selectOption('true')
  await reloaded.getByLabel('Keep recent').fill('')
  await reloaded.getByRole('button', { name: 'Save' }).click()
  await expect(reloaded.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible()
  expect(await stored()).toEqual({ 'context.autoCompact': true })
  await autoAgain.selectOption('')
  await reloaded.getByRole('button', { name: 'Save' }).click()
  await expect(reloaded.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible()
  expect(await stored()).toEqual({})
})

test('Context: a value set elsewhere (the CLI, another client) shows when the section opens', async ({
  page,
}) => {
  sh = await startSessionHost()
  await sh.openProject()
  await sh.client.call('settings.set', { key: 'context.reserveTokens', value: 12_000 })
  await page.goto(sh.host.url)
  await expect(
    page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
  ).toBeVisible()
  const context = await openContext(page)
  await expect(context.getByLabel('Reserve for the reply')).toHaveValue('12000')
  await expect(context.getByLabel('Compact automatically')).toHaveValue('')
})
