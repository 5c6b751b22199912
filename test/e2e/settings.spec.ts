import { statSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { REPO_ROOT } from '../support/paths'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'
import { filesContaining, PLANTED_KEY, WRONG_KEY } from './support/provider-keys'

let sh: SessionHost | null = null
let ollama: FakeLlm | null = null
test.afterEach(async () => {
  await sh?.stop()
  await ollama?.close()
  sh = null
  ollama = null
})

test('add a provider in Settings, test its key, make it the default and run a session on it', async ({
  page,
}) => {
  sh = await startSessionHost({
    hostModel: false,
    fakeLlm: { apiKey: PLANTED_KEY, models: ['fake-model', 'fake-model-mini'] },
  })
  const { fake, dataDir } = sh
  await sh.openProject()
  await page.goto(sh.host.url)

  // Open Settings from the sidebar: focus moves into the view.
  const sidebar = page.getByRole('navigation', { name: 'Workspaces' })
  await sidebar.getByRole('button', { name: 'Settings' }).click()
  const settings = page.getByRole('region', { name: 'Settings' })
  await expect(settings.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
  await expect(settings).toBeFocused()
  const providers = settings.getByRole('region', { name: 'Providers' })
  await expect(providers.getByText('No providers yet.')).toBeVisible()
  await expect(providers.getByLabel('Default model')).toBeDisabled()

  // Add a custom OpenAI-compatible endpoint. A preset prefills, and switching back takes it back.
  await providers.getByRole('button', { name: 'Add provider' }).click()
  const form = providers.getByRole('form', { name: 'Add provider' })
  const type = form.getByLabel('Type')
  await expect(type).toBeFocused()
  await type.selectOption({ label: 'Moonshot (Kimi)' })
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue('moonshot')
  await expect(form.getByLabel('Base URL')).toHaveValue('https://api.moonshot.ai/v1')
  await type.selectOption({ label: 'OpenAI-compatible endpoint' })
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue('')
  await form.getByLabel('Name', { exact: true }).fill('fake')
  await form.getByLabel('Base URL').fill(fake.baseUrl)

  const key = form.getByLabel('API key', { exact: true })
  await expect(key).toHaveAttribute('type', 'password')
  await expect(key).toHaveAttribute('autocomplete', 'off')
  await key.fill(PLANTED_KEY)
  const showKey = form.getByRole('button', { name: 'Show key' })
  await showKey.click()
  await expect(key).toHaveAttribute('type', 'text')
  await showKey.click()
  await expect(key).toHaveAttribute('type', 'password')

  // Test connection: ok with the right key, rejected with a wrong one.
  const formStatus = form.getByRole('status')
  await form.getByRole('button', { name: 'Test connection' }).click()
  await expect(formStatus).toContainText('Connected — 2 models')
  await expect(form.getByRole('group', { name: 'Models: 2 of 2 selected' })).toBeVisible()
  await key.fill(WRONG_KEY)
  await form.getByRole('button', { name: 'Test connection' }).click()
  await expect(formStatus).toContainText('The key was rejected')
  await expect(formStatus).not.toContainText('Connected')

  // Save checks the fields, says what is wrong where, and keeps what was typed.
  await form.getByLabel('Name', { exact: true }).fill('Fake Endpoint')
  await form.getByRole('button', { name: 'Save' }).click()
  await expect(form.getByText('Use lower-case letters, digits')).toBeVisible()
  await expect(form.getByLabel('Name', { exact: true })).toBeFocused()
  await expect(form.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await expect(form.getByLabel('Base URL')).toHaveValue(fake.baseUrl)
  await expect(key).toHaveValue(WRONG_KEY)

  // Fix the name, put the right key back, keep only one of the fetched models, save.
  await form.getByLabel('Name', { exact: true }).fill('fake')
  await key.fill(PLANTED_KEY)
  await form.getByRole('button', { name: 'Fetch models' }).click()
  await expect(formStatus).toContainText('Connected — 2 models')
  await form.getByRole('checkbox', { name: 'fake-model-mini' }).uncheck()
  await expect(form.getByRole('group', { name: 'Models: 1 of 2 selected' })).toBeVisible()
  await form.getByRole('button', { name: 'Save' }).click()
  await expect(form).toBeHidden()
  await expect(providers.getByRole('button', { name: 'Add provider' })).toBeFocused()

  const item = providers.getByRole('listitem', { name: 'fake' })
  await expect(item).toContainText('OpenAI-compatible')
  await expect(item).toContainText(fake.baseUrl)
  await expect(item).toContainText('Key stored ••••7890')
  await expect(item).toContainText('1 model')
  await item.getByRole('button', { name: 'Test connection' }).click()
  await expect(item.getByRole('status')).toContainText('Connected — 2 models')

  // The default model: the provider's kept model, saved through the contract.
  const defaultModel = providers.getByLabel('Default model')
  await expect(defaultModel).toBeEnabled()
  await defaultModel.selectOption('fake/fake-model')
  await expect(providers.getByText('New sessions use fake/fake-model.')).toBeVisible()
  expect((await sh.client.call('models.list', {})).defaultModel).toBe('fake/fake-model')

  // Once saved, the key is nowhere in the page: not in the DOM, not in the page's storage.
  expect(await page.content()).not.toContain(PLANTED_KEY)
  const storage = await page.evaluate<string>(
    'JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])',
  )
  expect(storage).not.toContain(PLANTED_KEY)

  await page.mouse.move(900, 850) // no hover highlight in the pictures
  await page.screenshot({ path: join(REPO_ROOT, 'docs', 'settings.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: join(REPO_ROOT, 'docs', 'settings-dark.png') })
  await page.emulateMedia({ colorScheme: 'light' })

  // Editing shows the stored key as a placeholder, never the key; Esc cancels the edit only.
  await item.getByRole('button', { name: 'Edit' }).click()
  const edit = providers.getByRole('form', { name: 'Edit provider “fake”' })
  const editKey = edit.getByLabel('API key', { exact: true })
  await expect(editKey).toHaveValue('')
  await expect(editKey).toHaveAttribute('placeholder', 'Stored — leave empty to keep')
  await expect(edit.getByLabel('Name', { exact: true })).toHaveAttribute('readonly', '')
  await editKey.press('Escape')
  await expect(edit).toBeHidden()
  await expect(item.getByRole('button', { name: 'Edit' })).toBeFocused()

  // Remove asks first; cancelling keeps the provider.
  await item.getByRole('button', { name: 'Remove' }).click()
  const confirm = item.getByRole('group', { name: /Remove “fake”/ })
  await confirm.getByRole('button', { name: 'Cancel' }).click()
  await expect(confirm).toBeHidden()
  await expect(item).toBeVisible()

  // Esc closes Settings and gives focus back to the button that opened it; Ctrl+, reopens it.
  await page.keyboard.press('Escape')
  await expect(settings).toBeHidden()
  await expect(sidebar.getByRole('button', { name: 'Settings' })).toBeFocused()
  await page.keyboard.press('Control+Comma')
  await expect(settings).toBeVisible()
  await expect(settings).toBeFocused()
  await settings.getByRole('button', { name: 'Close settings' }).click()
  await expect(settings).toBeHidden()

  // A session runs on the default model, with the planted key as the Bearer.
  fake.script({ text: 'Hello from the provider you configured.' })
  await sh.openSession(page)
  await page.getByRole('textbox', { name: 'Message' }).fill('Say hello')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(
    page
      .getByRole('region', { name: 'Transcript' })
      .getByText('Hello from the provider you configured.'),
  ).toBeVisible()
  expect(fake.chatRequests().at(-1)?.model).toBe('fake-model')
  const chat = fake.requests.filter((r) => r.path.endsWith('/chat/completions'))
  expect(chat.at(-1)?.status).toBe(200)
  expect(chat.at(-1)?.headers.authorization).toBe(`Bearer ${PLANTED_KEY}`)

  // The key rests only in secrets.json (0600): not in the database, its WAL, logs or anything else,
  // while the host runs and after it stopped; and never in what the host printed.
  expect(filesContaining(dataDir, PLANTED_KEY)).toEqual(['secrets.json'])
  expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600)
  expect(await page.content()).not.toContain(PLANTED_KEY)
  expect(await sh.host.stop()).toBe(0)
  expect(filesContaining(dataDir, PLANTED_KEY)).toEqual(['secrets.json'])
  expect(sh.host.output()).not.toContain(PLANTED_KEY)
  expect(sh.host.output()).not.toContain(WRONG_KEY)
})

/** Ollama's usual address: `providers.detectLocal` probes it, so the stand-in must listen there. */
const OLLAMA_PORT = 11434

test('the host’s own model is read-only; a detected local server is added in one click', async ({
  page,
}) => {
  try {
    ollama = await startFakeLlm({ port: OLLAMA_PORT, models: ['qwen3:8b', 'llama3.2:3b'] })
  } catch (err) {
    const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
    test.skip(taken, `port ${OLLAMA_PORT} is taken on this machine (a real Ollama?)`)
    throw err
  }
  sh = await startSessionHost()
  await sh.openProject()
  await page.goto(sh.host.url)
  const sidebar = page.getByRole('navigation', { name: 'Workspaces' })
  await expect(sidebar.getByText('project')).toBeVisible()

  // Ctrl+, opens Settings on Providers.
  await page.keyboard.press('Control+Comma')
  const settings = page.getByRole('region', { name: 'Settings' })
  await expect(settings).toBeFocused()
  const providers = settings.getByRole('region', { name: 'Providers' })

  // The model the host was started with: listed, marked read-only, testable, not editable.
  const env = providers.getByRole('listitem', { name: 'env' })
  await expect(env).toContainText('Read-only')
  await expect(env.getByRole('button', { name: 'Edit' })).toHaveCount(0)
  await expect(env.getByRole('button', { name: 'Remove' })).toHaveCount(0)
  await expect(providers.getByLabel('Default model')).toHaveValue('env/fake-model')

  // Detect local servers finds the Ollama stand-in with its models; Add makes it a provider.
  const local = providers.getByRole('group', { name: 'Local model servers' })
  await local.getByRole('button', { name: 'Detect local servers' }).click()
  const found = local.getByRole('listitem', { name: 'Ollama', exact: true })
  await expect(found).toContainText('http://127.0.0.1:11434/v1')
  await expect(found).toContainText('2 models')
  await found.getByRole('button', { name: 'Add' }).click()
  await expect(found).toContainText('Added as “ollama”')
  const added = providers.getByRole('listitem', { name: 'ollama', exact: true })
  await expect(added).toContainText('No key')
  await expect(added).toContainText('2 models')
  const defaultModel = providers.getByLabel('Default model')
  for (const ref of ['ollama/qwen3:8b', 'ollama/llama3.2:3b']) {
    await expect(defaultModel.locator(`option[value="${ref}"]`)).toHaveCount(1)
  }
  await added.getByRole('button', { name: 'Test connection' }).click()
  await expect(added.getByRole('status')).toContainText('Connected — 2 models')
  expect(ollama.requests.every((r) => r.headers.authorization === undefined)).toBe(true)

  // Remove, confirmed in place.
  await added.getByRole('button', { name: 'Remove' }).click()
  await added.getByRole('button', { name: 'Remove provider' }).click()
  await expect(added).toHaveCount(0)
  await expect(defaultModel.locator('option[value^="ollama/"]')).toHaveCount(0)
  await expect(defaultModel).toHaveValue('env/fake-model')

  // Opening a session from the sidebar shows it: Settings steps aside.
  const session = await sh.client.call('sessions.create', { workspaceId: await sh.openProject() })
  await sidebar.getByRole('button', { name: session.title, exact: true }).click()
  await expect(settings).toBeHidden()
  await expect(page.getByRole('tab', { name: session.title, exact: true })).toBeVisible()
})
