import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { shootBoth } from './support/screenshots'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * Settings → Fallbacks edits `models.fallbacks` and `models.fallbackCooldownMinutes` without a
 * terminal: chains are built from the configured models' pickers, checked with the contract's own
 * messages, and what is stored is read back through the contract (`settings.get`), as the engine
 * reads it — and a run then falls back along the chain saved here.
 */

let sh: SessionHost | null = null
test.afterEach(async () => {
  expect(sh?.fake.pending() ?? 0).toBe(0)
  await sh?.stop()
  sh = null
})

/** The two settings as stored, read through the contract. */
async function stored(): Promise<{ chains: unknown; cooldown: unknown }> {
  const { values } = await sh!.client.call('settings.get', {})
  return { chains: values['models.fallbacks'], cooldown: values['models.fallbackCooldownMinutes'] }
}

/** Open Settings with Ctrl+, and its Fallbacks section from the list; returns the section. */
async function openFallbacks(page: Page): Promise<Locator> {
  await page.keyboard.press('Control+Comma')
  const settings = page.getByRole('region', { name: 'Settings' })
  await expect(settings).toBeFocused()
  await settings
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'Fallbacks', exact: true })
    .click()
  const region = settings.getByRole('region', { name: 'Fallbacks', exact: true })
  await expect(region.getByRole('heading', { name: 'Fallbacks', level: 2 })).toBeVisible()
  return region
}

/** The picked option's value of each fallback picker in a chain, in order. */
async function fallbacksOf(chain: Locator): Promise<string[]> {
  return chain
    .getByRole('combobox', { name: /^Fallback \d$/ })
    .evaluateAll((els) => els.map((el) => (el as HTMLSelectElement).value))
}

test('Fallbacks: a chain is built, refused when it repeats or names itself, reordered, trimmed and read back; the cooldown round-trips', async ({
  page,
}) => {
  // Two providers beside the host's own model (env/fake-model): four models to choose from.
  sh = await startSessionHost()
  await sh.client.call('providers.save', {
    name: 'work',
    kind: 'openai',
    baseUrl: sh.fake.baseUrl,
    models: ['fake-small', 'fake-large'],
  })
  await sh.client.call('providers.save', {
    name: 'spare',
    kind: 'openai',
    baseUrl: sh.fake.baseUrl,
    models: ['fake-model'],
  })
  await sh.openProject()
  await page.goto(sh.host.url)
  await expect(
    page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
  ).toBeVisible()
  let fallbacks = await openFallbacks(page)
  const save = (): Promise<void> => fallbacks.getByRole('button', { name: 'Save' }).click()
  const saved = (): Locator => fallbacks.getByRole('status').filter({ hasText: 'Saved.' })

  // Nothing yet; the help says when a fallback is used.
  await expect(fallbacks.getByText('No fallbacks yet')).toBeVisible()
  await expect(fallbacks.getByText(/out of quota, overloaded .* or not found/)).toBeVisible()
  await expect(fallbacks.getByText(/whose context window holds the session/)).toBeVisible()
  const cooldown = fallbacks.getByLabel('Cooldown')
  await expect(cooldown).toHaveValue('')
  await expect(cooldown).toHaveAttribute('placeholder', 'Default (30)')
  await expect(cooldown).toHaveAccessibleDescription(/tries its own model again/)

  // Add model (from the keyboard): the new chain's model picker takes focus.
  await fallbacks.getByRole('button', { name: 'Add model' }).focus()
  await page.keyboard.press('Enter')
  const fresh = fallbacks.getByRole('group', { name: 'Fallbacks of a new model' })
  await expect(fresh.getByRole('combobox', { name: 'Model', exact: true })).toBeFocused()
  await fresh.getByRole('combobox', { name: 'Model', exact: true }).selectOption('env/fake-model')
  const chain = fallbacks.getByRole('group', { name: 'Fallbacks of env/fake-model' })
  // A fallback picker lists the configured models, never the model itself.
  const first = chain.getByRole('combobox', { name: 'Fallback 1', exact: true })
  await expect(first.locator('option[value="work/fake-small"]')).toHaveCount(1)
  await expect(first.locator('option[value="spare/fake-model"]')).toHaveCount(1)
  await expect(first.locator('option[value="env/fake-model"]')).toHaveCount(0)
  await first.selectOption('work/fake-small')
  await chain.getByRole('button', { name: 'Add fallback' }).click()
  await expect(chain.getByRole('combobox', { name: 'Fallback 2', exact: true })).toBeFocused()
  await chain
    .getByRole('combobox', { name: 'Fallback 2', exact: true })
    .selectOption('spare/fake-model')
  await expect(fallbacks.getByText('Unsaved changes')).toBeVisible()
  await save()
  await expect(saved()).toBeVisible()
  expect(await stored()).toEqual({
    chains: { 'env/fake-model': ['work/fake-small', 'spare/fake-model'] },
    cooldown: undefined,
  })
  await page.mouse.move(900, 850)
  await shootBoth(page, 'settings-fallbacks')
  await page.setViewportSize({ width: 1400, height: 900 })

  // After a reload, the stored chain is what the section shows.
  await page.reload()
  await expect(
    page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
  ).toBeVisible()
  fallbacks = await openFallbacks(page)
  await expect(chain.getByRole('combobox', { name: 'Model', exact: true })).toHaveValue(
    'env/fake-model',
  )
  expect(await fallbacksOf(chain)).toEqual(['work/fake-small', 'spare/fake-model'])

  // A fallback named twice: refused under it with the contract's words, and nothing is stored.
  await chain.getByRole('button', { name: 'Add fallback' }).click()
  const third = chain.getByRole('combobox', { name: 'Fallback 3', exact: true })
  await third.selectOption('work/fake-small')
  await expect(chain.getByRole('button', { name: 'Add fallback' })).toHaveCount(0)
  await expect(chain.getByText('At most 3 fallbacks per model.')).toBeVisible()
  await save()
  await expect(third).toHaveAttribute('aria-invalid', 'true')
  await expect(third).toHaveAccessibleDescription('a fallback is named twice')
  await expect(third).toBeFocused()
  await expect(fallbacks.getByRole('alert')).toContainText('Nothing was saved')
  await page.mouse.move(900, 850)
  await shootBoth(page, 'settings-fallbacks-refused')
  await page.setViewportSize({ width: 1400, height: 900 })
  expect((await stored()).chains).toEqual({
    'env/fake-model': ['work/fake-small', 'spare/fake-model'],
  })
  // Fixed, the error goes; the model made one of its own fallbacks is refused the same way.
  await third.selectOption('work/fake-large')
  await expect(third).not.toHaveAttribute('aria-invalid')
  await chain.getByRole('combobox', { name: 'Model', exact: true }).selectOption('work/fake-small')
  const renamed = fallbacks.getByRole('group', { name: 'Fallbacks of work/fake-small' })
  await save()
  await expect(
    renamed.getByRole('combobox', { name: 'Fallback 1', exact: true }),
  ).toHaveAccessibleDescription('a model cannot be its own fallback')
  expect((await stored()).chains).toEqual({
    'env/fake-model': ['work/fake-small', 'spare/fake-model'],
  })
  // Revert brings back what is stored.
  await fallbacks.getByRole('button', { name: 'Revert' }).click()
  await expect(fallbacks.getByRole('button', { name: 'Save' })).toBeFocused()
  expect(await fallbacksOf(chain)).toEqual(['work/fake-small', 'spare/fake-model'])
  await expect(fallbacks.getByRole('alert')).toHaveCount(0)

  // Reorder and remove from the keyboard: focus follows the moved fallback, then its neighbour.
  await chain.getByRole('button', { name: 'Move fallback 2 up' }).focus()
  await page.keyboard.press('Enter')
  expect(await fallbacksOf(chain)).toEqual(['spare/fake-model', 'work/fake-small'])
  await expect(chain.getByRole('button', { name: 'Move fallback 1 down' })).toBeFocused()
  await chain.getByRole('button', { name: 'Remove fallback 1' }).focus()
  await page.keyboard.press('Enter')
  expect(await fallbacksOf(chain)).toEqual(['work/fake-small'])
  await expect(chain.getByRole('button', { name: 'Remove fallback 1' })).toBeFocused()

  // A bad cooldown is refused under its field; the chain is not stored either.
  await cooldown.fill('-5')
  await save()
  await expect(cooldown).toHaveAttribute('aria-invalid', 'true')
  await expect(cooldown).toHaveAccessibleDescription(/^must be 0 or more minutes/)
  await expect(cooldown).toBeFocused()
  expect(await stored()).toEqual({
    chains: { 'env/fake-model': ['work/fake-small', 'spare/fake-model'] },
    cooldown: undefined,
  })
  await cooldown.fill('0')
  await save()
  await expect(saved()).toBeVisible()
  expect(await stored()).toEqual({
    chains: { 'env/fake-model': ['work/fake-small'] },
    cooldown: 0,
  })

  // Set through the contract (as `paddock settings set` does): shown when the section opens again.
  await sh.client.call('settings.set', { key: 'models.fallbackCooldownMinutes', value: 45 })
  await page.keyboard.press('Escape')
  fallbacks = await openFallbacks(page)
  await expect(cooldown).toHaveValue('45')
  // Empty goes back to the default (unset).
  await cooldown.fill('')
  await save()
  await expect(saved()).toBeVisible()
  expect((await stored()).cooldown).toBeUndefined()

  // The chain saved here is the one a run walks: a quota failure moves it to work/fake-small.
  sh.fake.script(
    {
      error: {
        status: 429,
        body: {
          error: { message: 'You exceeded your current quota.', code: 'insufficient_quota' },
        },
      },
    },
    { text: 'Answered by the fallback.' },
  )
  const sessionId = await sh.openSession(page, 'A provider has a bad hour')
  await sh.client.call('sessions.prompt', {
    sessionId,
    text: 'Say hello',
    mode: 'full-auto',
    model: 'env/fake-model',
  })
  await expect(
    page.getByRole('region', { name: 'Transcript' }).getByText('Answered by the fallback.'),
  ).toBeVisible()
  expect(sh.fake.chatRequests().map((r) => r.model)).toEqual(['fake-model', 'fake-small'])
})

test('Fallbacks: with fewer than two models, the section says so and leads to Providers', async ({
  page,
}) => {
  sh = await startSessionHost()
  await sh.openProject()
  await page.goto(sh.host.url)
  await expect(
    page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
  ).toBeVisible()
  const fallbacks = await openFallbacks(page)
  await expect(fallbacks.getByText('Fallbacks need at least two models')).toBeVisible()
  await expect(fallbacks.getByRole('button', { name: 'Add model' })).toBeDisabled()
  await shootBoth(page, 'settings-fallbacks-no-models')
  await fallbacks.getByRole('button', { name: 'Open Providers' }).click()
  await expect(
    page.getByRole('region', { name: 'Settings' }).getByRole('heading', {
      name: 'Providers',
      level: 2,
    }),
  ).toBeVisible()
})
