import { expect, test } from '@playwright/test'
import { closedPort } from '../support/ports'
import { PLANTED_KEY, WRONG_KEY } from './support/provider-keys'
import { shootBoth } from './support/screenshots'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * Settings' providers as the rest of the window sees them: the model pickers, a failed connection
 * test before saving, the notice after adding one and a run refused for its key.
 */

let sh: SessionHost | null = null
test.afterEach(async () => {
  await sh?.stop()
  sh = null
})

test('the first provider added in Settings gives the open session its model, without a reload', async ({
  page,
}) => {
  sh = await startSessionHost({ hostModel: false, fakeLlm: { models: ['fake-model'] } })
  const { fake } = sh
  await sh.openSession(page)
  const composer = page.getByRole('textbox', { name: 'Message' })
  const picker = page.getByRole('combobox', { name: 'Model' })
  await expect(picker.locator('option:checked')).toHaveText('No model configured')

  // Sending with no model says so and leads to Settings.
  await composer.fill('Say hello')
  await page.getByRole('button', { name: 'Send' }).click()
  const error = page.getByRole('alert').filter({ hasText: 'No model is configured' })
  await expect(error).toBeVisible()
  await error.getByRole('button', { name: 'Open Settings' }).click()
  const settings = page.getByRole('region', { name: 'Settings' })
  const providers = settings.getByRole('region', { name: 'Providers' })

  // Add the endpoint and save without testing: Save asks it for its models.
  await providers.getByRole('button', { name: 'Add provider' }).click()
  const form = providers.getByRole('form', { name: 'Add provider' })
  await form.getByLabel('Name', { exact: true }).fill('fake')
  await form.getByLabel('Base URL').fill(fake.baseUrl)
  await form.getByRole('button', { name: 'Save' }).click()
  await expect(form).toBeHidden()
  const item = providers.getByRole('listitem', { name: 'fake' })
  await expect(item).toContainText('1 model')

  // The only model became the default, and Settings says why.
  const defaultModel = providers.getByLabel('Default model')
  await expect(defaultModel).toHaveValue('fake/fake-model')
  await expect(providers.getByRole('status').filter({ hasText: 'the only model' })).toContainText(
    'fake/fake-model',
  )
  expect((await sh.client.call('models.list', {})).defaultModel).toBe('fake/fake-model')
  await shootBoth(page, 'first-run-settings')

  // Back in the session: its picker shows the model at once, and Send runs on it.
  await settings.getByRole('button', { name: 'Close settings' }).click()
  await expect(picker).toHaveValue('fake/fake-model')
  // "No model is configured" no longer holds: it is gone; the draft is still there.
  await expect(error).toBeHidden()
  await expect(composer).toHaveValue('Say hello')
  fake.script({ text: 'Hello from the only model.' })
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(
    page.getByRole('region', { name: 'Transcript' }).getByText('Hello from the only model.'),
  ).toBeVisible()
  expect(fake.chatRequests().at(-1)?.model).toBe('fake-model')
})

test('open model pickers follow provider changes made elsewhere and name each model’s provider', async ({
  page,
}) => {
  sh = await startSessionHost({ hostModel: false, fakeLlm: { models: ['fake-model'] } })
  const { fake } = sh
  await sh.openSession(page)
  const picker = page.getByRole('combobox', { name: 'Model' })
  await expect(picker.locator('option:checked')).toHaveText('No model configured')

  // A provider added by another client (the CLI, another window) reaches the open picker.
  await sh.client.call('providers.save', {
    name: 'fake',
    kind: 'openai',
    baseUrl: fake.baseUrl,
    models: ['fake-model'],
  })
  await expect(picker).toHaveValue('fake/fake-model')
  // The closed picker names the provider: two models of the same name stay apart.
  await expect(picker.locator('option:checked')).toHaveText('fake/fake-model (default)')

  await sh.client.call('providers.save', {
    name: 'other',
    kind: 'openai',
    baseUrl: fake.baseUrl,
    models: ['fake-model'],
  })
  await expect(picker.locator('option[value="other/fake-model"]')).toHaveText('other/fake-model')
  await picker.selectOption('other/fake-model')
  await expect(picker.locator('option:checked')).toHaveText('other/fake-model')
  await shootBoth(page, 'closed-picker')

  // The Settings default-model picker follows too, while it is open.
  await page.keyboard.press('Control+Comma')
  const providers = page
    .getByRole('region', { name: 'Settings' })
    .getByRole('region', { name: 'Providers' })
  const defaultModel = providers.getByLabel('Default model')
  await expect(defaultModel).toHaveValue('fake/fake-model')
  await sh.client.call('providers.save', {
    name: 'third',
    kind: 'openai',
    baseUrl: fake.baseUrl,
    models: ['fake-model'],
  })
  await expect(defaultModel.locator('option[value="third/fake-model"]')).toHaveCount(1)
  await expect(providers.getByRole('listitem', { name: 'third' })).toBeVisible()
  await sh.client.call('providers.remove', { name: 'other' })
  await expect(defaultModel.locator('option[value="other/fake-model"]')).toHaveCount(0)
})

test('saving a provider whose connection fails asks first', async ({ page }) => {
  sh = await startSessionHost({ hostModel: false })
  const port = await closedPort()
  await page.goto(sh.host.url)
  await page
    .getByRole('navigation', { name: 'Workspaces' })
    .getByRole('button', { name: 'Settings' })
    .click()
  const providers = page
    .getByRole('region', { name: 'Settings' })
    .getByRole('region', { name: 'Providers' })
  await providers.getByRole('button', { name: 'Add provider' }).click()
  const form = providers.getByRole('form', { name: 'Add provider' })
  await form.getByLabel('Name', { exact: true }).fill('nowhere')
  await form.getByLabel('Base URL').fill(`http://127.0.0.1:${port}/v1`)
  await form.getByRole('button', { name: 'Test connection' }).click()
  await expect(form.getByRole('status')).toContainText('Nothing answers')

  // Save warns; Keep editing goes back to the form with nothing saved.
  await form.getByRole('button', { name: 'Save' }).click()
  const warning = form.getByRole('group', { name: /did not pass the connection test/ })
  await expect(warning).toBeVisible()
  await expect(warning).toContainText('Nothing answers')
  await expect(warning.getByRole('button', { name: 'Keep editing' })).toBeFocused()
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.screenshot({ path: test.info().outputPath('save-warning-1440.png') })
  await page.setViewportSize({ width: 1280, height: 720 })
  await warning.scrollIntoViewIfNeeded()
  await page.screenshot({ path: test.info().outputPath('save-warning-1280.png') })
  await warning.getByRole('button', { name: 'Keep editing' }).click()
  await expect(warning).toBeHidden()
  await expect(form).toBeVisible()
  expect((await sh.client.call('providers.list', {})).providers).toEqual([])

  // Save without a fresh test tests first, and warns the same way; Save anyway saves.
  await form.getByLabel('Base URL').fill(`http://127.0.0.1:${port}/v1/`)
  await form.getByRole('button', { name: 'Save' }).click()
  await expect(warning).toContainText('Nothing answers')
  await warning.getByRole('button', { name: 'Save anyway' }).click()
  await expect(form).toBeHidden()
  await expect(providers.getByRole('listitem', { name: 'nowhere' })).toBeVisible()
})

test('a notice after adding a provider goes away by itself', async ({ page }) => {
  sh = await startSessionHost({ hostModel: false, fakeLlm: { models: ['fake-model'] } })
  await page.clock.install()
  await page.goto(sh.host.url)
  await page
    .getByRole('navigation', { name: 'Workspaces' })
    .getByRole('button', { name: 'Settings' })
    .click()
  const providers = page
    .getByRole('region', { name: 'Settings' })
    .getByRole('region', { name: 'Providers' })
  await providers.getByRole('button', { name: 'Add provider' }).click()
  const form = providers.getByRole('form', { name: 'Add provider' })
  await form.getByLabel('Name', { exact: true }).fill('fake')
  await form.getByLabel('Base URL').fill(sh.fake.baseUrl)
  await form.getByRole('button', { name: 'Test connection' }).click()
  await expect(form.getByRole('status')).toContainText('Connected — 1 model')
  await form.getByRole('button', { name: 'Save' }).click()
  const notice = providers.getByRole('status').filter({ hasText: 'Added “fake”' })
  await expect(notice).toBeVisible()
  await page.clock.fastForward('01:00')
  await expect(notice).toHaveCount(0)
  await expect(providers.getByText('Added “fake”')).toHaveCount(0)
})

test('a run refused for its key links to that provider’s settings', async ({ page }) => {
  sh = await startSessionHost({
    hostModel: false,
    fakeLlm: { apiKey: PLANTED_KEY, models: ['fake-model'] },
  })
  await sh.client.call('providers.save', {
    name: 'fake',
    kind: 'openai',
    baseUrl: sh.fake.baseUrl,
    apiKey: WRONG_KEY,
    models: ['fake-model'],
  })
  await sh.client.call('models.setDefault', { ref: 'fake/fake-model' })
  await sh.openSession(page)
  await page.getByRole('textbox', { name: 'Message' }).fill('Say hello')
  await page.getByRole('button', { name: 'Send' }).click()
  const transcript = page.getByRole('region', { name: 'Transcript' })
  const end = transcript.getByRole('note').filter({ hasText: 'Run failed' })
  await expect(end).toContainText('refused the API key')
  const edit = end.getByRole('button', { name: 'Edit provider ‘fake’' })
  await expect(edit).toBeVisible()
  await shootBoth(page, 'key-rejected')
  await edit.click()

  // Settings opens on that provider's form, its key field focused.
  const form = page
    .getByRole('region', { name: 'Settings' })
    .getByRole('form', { name: 'Edit provider “fake”' })
  await expect(form).toBeVisible()
  const key = form.getByLabel('API key', { exact: true })
  await expect(key).toBeFocused()
  await expect(form).toBeInViewport()
  await page.screenshot({ path: test.info().outputPath('edit-provider-1280.png') })
  await key.fill(PLANTED_KEY)
  await form.getByRole('button', { name: 'Save' }).click()
  await expect(form).toBeHidden()
  expect(sh.fake.requests.some((r) => r.headers.authorization === `Bearer ${PLANTED_KEY}`)).toBe(
    true,
  )
})
