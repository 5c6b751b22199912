import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { REPO_ROOT } from '../support/paths'
import { createInDialog } from './support/new-session'
import { filesContaining, PLANTED_KEY, WRONG_KEY } from './support/provider-keys'
import { shootBoth } from './support/screenshots'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

let sh: SessionHost | null = null
let vllm: FakeLlm | null = null
test.afterEach(async () => {
  await sh?.stop()
  await vllm?.close()
  sh = null
  vllm = null
})

/** vLLM's usual address: `providers.detectLocal` probes it, so the stand-in must listen there. */
const VLLM_PORT = 8000

test('from an empty data folder to a first answer, by clicks and typing only', async ({ page }) => {
  sh = await startSessionHost({
    hostModel: false,
    fakeLlm: { apiKey: PLANTED_KEY, models: ['fake-model', 'fake-coder'] },
  })
  const { fake, dataDir, project } = sh
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(sh.host.url)

  // No provider, no folder: the main area is the guided setup; the sidebar stays usable.
  const setup = page.getByRole('region', { name: 'Guided setup' })
  await expect(setup.getByRole('heading', { name: 'Set up Paddock', level: 1 })).toBeVisible()
  const steps = setup
    .getByRole('listitem')
    .filter({ hasText: /Connect a model|Open a project|Start a session/ })
  await expect(steps).toHaveText(['1Connect a model', '2Open a project', '3Start a session'])
  await expect(setup.locator('[aria-current="step"]')).toHaveText('1Connect a model')
  const cards = setup.getByRole('list', { name: 'Model providers' })
  await expect(cards.getByRole('button', { name: /OpenRouter/ })).toBeVisible()
  await expect(cards.getByRole('button', { name: /^Anthropic/ })).toBeVisible()
  await expect(setup.getByRole('button', { name: 'Detect local models' })).toBeVisible()
  const sidebar = page.getByRole('navigation', { name: 'Workspaces' })
  await expect(sidebar.getByRole('button', { name: 'Open folder' })).toBeEnabled()
  await shootBoth(page, 'first-run-providers')
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.screenshot({ path: join(REPO_ROOT, 'docs/first-run.png') })

  // A hosted card says where to get a key; back to the cards.
  await cards.getByRole('button', { name: /OpenRouter/ }).click()
  const openrouter = setup.getByRole('form', { name: 'Connect OpenRouter' })
  await expect(
    openrouter.getByRole('link', { name: /openrouter\.ai\/settings\/keys/ }),
  ).toBeVisible()
  await expect(openrouter.getByLabel('Base URL')).toHaveValue('https://openrouter.ai/api/v1')
  await expect(openrouter.getByLabel('API key', { exact: true })).toBeFocused()
  await openrouter.getByRole('button', { name: '← All providers' }).click()

  // Our own endpoint: its Base URL, a wrong key (the verdict in words), then the right one.
  await cards.getByRole('button', { name: /Another OpenAI-compatible endpoint/ }).click()
  const form = setup.getByRole('form', { name: 'Connect an OpenAI-compatible endpoint' })
  await form.getByLabel('Base URL').fill(fake.baseUrl)
  const key = form.getByLabel('API key', { exact: true })
  await expect(key).toHaveAttribute('type', 'password')
  await key.fill(WRONG_KEY)
  await form.getByRole('button', { name: 'Test connection' }).click()
  await expect(form.getByRole('status')).toContainText('The key was rejected')
  await expect(form.getByRole('button', { name: 'Save and continue' })).toHaveCount(0)
  await key.fill(PLANTED_KEY)
  await form.getByRole('button', { name: 'Test connection' }).click()
  await expect(form.getByRole('status')).toContainText('Connected — 2 models')
  // The picker starts on the model made for code; the user picks the other one.
  await expect(form.getByLabel('Model', { exact: true })).toHaveValue('fake-coder')
  await form.getByLabel('Model', { exact: true }).selectOption('fake-model')
  await shootBoth(page, 'first-run-connected')
  await page.setViewportSize({ width: 1440, height: 900 })
  await form.getByRole('button', { name: 'Save and continue' }).click()

  // Saved: the provider, its key in the secret store only, the default model.
  await expect(setup.getByText('Connected: new sessions use local/fake-model.')).toBeVisible()
  const models = await sh.client.call('models.list', {})
  expect(models.defaultModel).toBe('local/fake-model')
  expect(filesContaining(dataDir, PLANTED_KEY)).toEqual(['secrets.json'])
  expect(await page.content()).not.toContain(PLANTED_KEY)
  const storage = await page.evaluate(() =>
    JSON.stringify([{ ...localStorage }, { ...sessionStorage }]),
  )
  expect(storage).not.toContain(PLANTED_KEY)
  expect(sh.host.output()).not.toContain(PLANTED_KEY)

  // Settings in the middle of it: the setup waits behind, where it was.
  await expect(setup.locator('[aria-current="step"]')).toHaveText('2Open a project')
  await page.keyboard.press('Control+Comma')
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
  await expect(setup).toBeHidden()
  await page.keyboard.press('Escape')
  await expect(setup.locator('[aria-current="step"]')).toHaveText('2Open a project')

  // Open a project: the folder browser (the desktop app shows the system's dialog instead).
  await setup.getByRole('button', { name: 'Choose a folder…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Open folder' })
  await dialog.getByRole('button', { name: 'project', exact: true }).click()
  await expect(dialog.getByRole('textbox', { name: 'Folder path' })).toHaveValue(project)
  await dialog.getByRole('button', { name: 'Open this folder' }).click()
  await expect(dialog).toBeHidden()

  // Start: how sessions work, a first task; the session starts with it in its composer.
  await expect(setup.locator('[aria-current="step"]')).toHaveText('3Start a session')
  await expect(setup.getByText('A session is one agent on one task')).toBeVisible()
  await expect(setup.getByRole('button', { name: 'Start a session with this task' })).toBeFocused()
  await shootBoth(page, 'first-run-start')
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.screenshot({ path: join(REPO_ROOT, 'docs/first-run-start.png') })
  await setup.getByRole('button', { name: 'Start a session with this task' }).click()
  await createInDialog(page)
  await expect(setup).toBeHidden()
  const composer = page.getByRole('textbox', { name: 'Message' })
  await expect(composer).toHaveValue(/^Read this project and explain what it does/)

  fake.script({ text: ['It is a small demo: ', 'one README and an add function.'] })
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  const transcript = page.getByRole('region', { name: 'Transcript' })
  await expect(transcript.getByText('one README and an add function.')).toBeVisible()
  const sent = fake.chatRequests().at(-1)!
  expect(sent.model).toBe('fake-model')
  expect(JSON.stringify(sent.messages)).toContain('Read this project and explain what it does')
})

test('skips the folder step when one is open, can be skipped, and comes back from Settings', async ({
  page,
}) => {
  sh = await startSessionHost({ hostModel: false, fakeLlm: { models: ['fake-model'] } })
  await sh.openProject()
  await page.goto(sh.host.url)

  const setup = page.getByRole('region', { name: 'Guided setup' })
  const steps = setup
    .getByRole('listitem')
    .filter({ hasText: /Connect a model|Open a project|Start a session/ })
  await expect(steps).toHaveText(['1Connect a model', '2Start a session'])

  // Skip: kept by the host, so a reload does not bring it back; the empty state offers it.
  await setup.getByRole('button', { name: 'Skip setup' }).click()
  await expect(setup).toBeHidden()
  const stored = await sh.client.call('settings.get', {})
  expect(stored.values['firstRun.skipped']).toBe(true)
  await page.reload()
  await expect(page.getByText('No model is connected yet.')).toBeVisible()
  await expect(setup).toBeHidden()

  // From Settings → Providers: the guided setup again, over the session area.
  await page
    .getByRole('navigation', { name: 'Workspaces' })
    .getByRole('button', { name: 'Settings' })
    .click()
  await page.getByRole('button', { name: 'Guided setup' }).click()
  await expect(setup.getByRole('heading', { name: 'Set up Paddock' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeHidden()

  // A vLLM server on this computer (its usual port): detected with its models, no key, no test.
  try {
    vllm = await startFakeLlm({ port: VLLM_PORT, models: ['Qwen/Qwen2.5-Coder-7B-Instruct'] })
  } catch (err) {
    const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
    test.skip(taken, `port ${VLLM_PORT} is taken on this machine (a real vLLM?)`)
    throw err
  }
  await setup.getByRole('button', { name: 'Detect local models' }).click()
  await setup
    .getByRole('list', { name: 'Local model servers' })
    .getByRole('button', { name: /vLLM/ })
    .click()
  const form = setup.getByRole('form', { name: 'Connect vLLM' })
  await expect(form.getByLabel('Base URL')).toHaveValue(`http://127.0.0.1:${VLLM_PORT}/v1`)
  await expect(form.getByRole('status')).toContainText('Found — 1 model')
  await expect(form.getByLabel('Model', { exact: true })).toHaveValue(
    'Qwen/Qwen2.5-Coder-7B-Instruct',
  )
  await form.getByRole('button', { name: 'Save and continue' }).click()
  // The folder was open when the setup began: the next step is the session.
  await expect(setup.locator('[aria-current="step"]')).toHaveText('2Start a session')
  await setup.getByRole('button', { name: 'Close' }).click()
  await expect(setup).toBeHidden()
  await expect(page.getByText('No model is connected yet.')).toBeHidden()

  // From the palette, with a model set up: it offers to keep it; Esc puts it away.
  await page.keyboard.press('Control+Shift+P')
  await page.getByRole('combobox').fill('Guided setup')
  await page.keyboard.press('Enter')
  await expect(setup).toBeFocused()
  await expect(
    setup.getByRole('button', { name: 'Keep the models I have and continue' }),
  ).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(setup).toBeHidden()
  expect((await sh.client.call('models.list', {})).defaultModel).toBe(
    'vllm/Qwen/Qwen2.5-Coder-7B-Instruct',
  )
})
