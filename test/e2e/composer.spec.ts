import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { BIN_PADDOCK, REPO_ROOT } from '../support/paths'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * The composer and run controls, through the UI only: send, steer, queue, stop, continue, the
 * model and mode pickers, @-mentions, history, and two sessions running at once with their
 * badges. The model is the fake LLM server, scripted per test; the agent's tools are real.
 */

let h: SessionHost

test.beforeAll(async () => {
  h = await startSessionHost({
    files: {
      'README.md': '# Demo\n\nA small project.\n',
      'package.json': '{ "name": "demo" }\n',
      'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b\n}\n',
      'src/math.test.ts': "import { add } from './math'\n",
      'src/main.ts': "import { add } from './math'\nconsole.log(add(1, 2))\n",
      'src/utils/format.ts': 'export const format = (n: number): string => n.toFixed(2)\n',
    },
  })
})

test.afterAll(async () => {
  await h?.stop()
})

test.afterEach(() => {
  // Every test consumes exactly the turns it scripted; leftovers would answer the next test.
  expect(h.fake.pending()).toBe(0)
})

const composerOf = (page: Page): Locator => page.getByRole('group', { name: 'Composer' })
const messageBox = (page: Page): Locator => page.getByRole('textbox', { name: 'Message' })
const conversation = (page: Page): Locator => page.getByRole('list', { name: 'Conversation' })
const statusLine = (page: Page): Locator => composerOf(page).getByRole('status')

/** The text of every message of a chat request, joined (what the model was sent). */
function requestText(index: number): string {
  const req = h.fake.chatRequests()[index]
  if (!req) return ''
  return req.messages
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n')
}

async function pickMode(page: Page, label: string): Promise<void> {
  const mode = composerOf(page).getByRole('combobox', { name: 'Mode', exact: true })
  await mode.click()
  await page.getByRole('listbox', { name: 'Modes' }).getByRole('option', { name: label }).click()
  await expect(mode).toHaveText(`Mode${label}`)
}

test('send with Ctrl+Enter, see the answer, recall the prompt; the pickers show model and mode', async ({
  page,
}) => {
  await h.openSession(page, 'Send test')
  const model = composerOf(page).getByRole('combobox', { name: 'Model' })
  await expect(model).toHaveValue('env/fake-model')
  await expect(model.getByRole('option', { name: 'fake-model (default)' })).toHaveCount(1)

  h.fake.script({ text: ['Hello ', 'from the fake model.'] })
  const box = messageBox(page)
  await box.fill('Say hello')
  await box.press('Control+Enter')
  await expect(conversation(page).getByText('Hello from the fake model.')).toBeVisible()
  await expect(conversation(page).getByText('Say hello')).toBeVisible()
  await expect(box).toHaveValue('')
  expect(requestText(h.fake.chatRequests().length - 1)).toContain('Say hello')

  // Up at the first line recalls the prompt; Down gives the (empty) draft back.
  await box.press('ArrowUp')
  await expect(box).toHaveValue('Say hello')
  await box.press('ArrowDown')
  await expect(box).toHaveValue('')

  // Mode: a one-line description per mode, the pick kept per session across a reload.
  const mode = composerOf(page).getByRole('combobox', { name: 'Mode', exact: true })
  await expect(mode).toHaveText('ModeAsk')
  await mode.click()
  const modes = page.getByRole('listbox', { name: 'Modes' })
  await expect(modes.getByRole('option')).toHaveCount(4)
  await expect(modes.getByRole('option', { name: /Plan/ })).toContainText('changes nothing')
  await page.keyboard.press('Escape')
  await expect(modes).toBeHidden()
  await pickMode(page, 'Plan')
  // A draft survives too.
  await box.fill('half-written thought')
  await page.reload()
  await expect(mode).toHaveText('ModePlan')
  await expect(messageBox(page)).toHaveValue('half-written thought')
  await messageBox(page).fill('')

  // Providers are managed in Settings.
  await composerOf(page).getByRole('button', { name: 'Manage providers…' }).click()
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
  await page.getByRole('button', { name: 'Close settings' }).click()
  await expect(messageBox(page)).toBeVisible()
})

test('steer while a long tool runs; queue a follow-up for after the answer', async ({ page }) => {
  await h.openSession(page, 'Steer test')
  await pickMode(page, 'Full auto')
  // The steer waits for the running tool: long enough to type it and see its chip.
  h.fake.script(
    { toolCalls: [{ name: 'bash', arguments: { command: 'sleep 4' } }] },
    { text: 'Done, with tabs.' },
  )
  const before = h.fake.chatRequests().length
  const box = messageBox(page)
  await box.fill('Reformat the project')
  await composerOf(page).getByRole('button', { name: 'Send' }).click()
  await expect(statusLine(page)).toContainText('Running bash')

  await box.fill('Use tabs, not spaces')
  await composerOf(page).getByRole('button', { name: 'Steer' }).click()
  await expect(box).toHaveValue('')
  // The steer waits for the tool as a chip, then lands in the conversation and in the request.
  const chips = composerOf(page).getByRole('list', { name: 'Queued messages' })
  await expect(chips).toContainText('Queued steer: Use tabs, not spaces')
  await expect(conversation(page).getByText('Use tabs, not spaces')).toBeVisible()
  await expect(chips).toBeHidden()
  await expect(conversation(page).getByText('Done, with tabs.')).toBeVisible()
  expect(h.fake.chatRequests().length).toBe(before + 2)
  expect(requestText(before)).not.toContain('Use tabs, not spaces')
  expect(requestText(before + 1)).toContain('Use tabs, not spaces')
  await expect(composerOf(page).getByRole('button', { name: 'Send' })).toBeVisible()

  // Queue: delivered only after the answer, in a request of its own.
  // The follow-up waits for the tool and a slow answer: its chip stays meanwhile.
  h.fake.script(
    { toolCalls: [{ name: 'bash', arguments: { command: 'sleep 3' } }] },
    { text: ['First ', 'answer', '.'], delayMs: 700 },
    { text: 'Answer to the follow-up.' },
  )
  const start = h.fake.chatRequests().length
  await box.fill('Run it again')
  await box.press('Control+Enter')
  await expect(statusLine(page)).toContainText('Running bash')
  await box.fill('Then summarise it')
  await composerOf(page).getByRole('button', { name: 'Queue' }).click()
  await expect(chips).toContainText('Queued: Then summarise it')
  await expect(conversation(page).getByText('Answer to the follow-up.')).toBeVisible()
  await expect(chips).toBeHidden()
  expect(h.fake.chatRequests().length).toBe(start + 3)
  expect(requestText(start + 1)).not.toContain('Then summarise it')
  const third = requestText(start + 2)
  expect(third).toContain('First answer.')
  expect(third.indexOf('Then summarise it')).toBeGreaterThan(third.indexOf('First answer.'))
})

test('Stop and Esc end a run; Continue resumes it', async ({ page }) => {
  const id = await h.openSession(page, 'Stop test')
  const tab = page.getByRole('tab', { name: 'Stop test', exact: true })
  h.fake.script({ text: ['Thinking ', 'about ', 'it'], hang: { after: 2 } })
  const box = messageBox(page)
  await box.fill('Take your time')
  await box.press('Control+Enter')
  const stop = composerOf(page).getByRole('button', { name: 'Stop' })
  await expect(stop).toBeVisible()
  await expect(tab.locator('[data-badge]')).toHaveAttribute('data-badge', 'running')
  // Alt+Enter queues a follow-up; a run that is stopped drops it.
  await box.fill('Afterwards, run the tests')
  await box.press('Alt+Enter')
  const chips = composerOf(page).getByRole('list', { name: 'Queued messages' })
  await expect(chips).toContainText('Queued: Afterwards, run the tests')
  await expect(box).toHaveValue('')
  await page.screenshot({ path: test.info().outputPath('running.png') })
  await stop.click()
  await expect(chips).toBeHidden()
  await expect(statusLine(page)).toContainText('Stopped')
  await expect(conversation(page).getByRole('note')).toContainText('Run stopped')
  await expect(tab.locator('[data-badge]')).toHaveCount(0)
  const cont = composerOf(page).getByRole('button', { name: 'Continue' })
  await expect(cont).toBeVisible()

  // Continue resumes; Esc in the message box stops it again.
  h.fake.script({ hang: true })
  const before = h.fake.chatRequests().length
  await cont.click()
  await expect(stop).toBeVisible()
  await expect.poll(() => h.fake.chatRequests().length).toBe(before + 1)
  await box.focus()
  await box.press('Escape')
  await expect(stop).toBeHidden()
  await expect(statusLine(page)).toContainText('Stopped')
  await expect(cont).toBeVisible()
  const status = await h.client.call('sessions.status', { sessionId: id })
  expect(status.lastStop?.reason).toBe('aborted')
})

test('@ opens a file picker driven by the keyboard', async ({ page }) => {
  await h.openSession(page, 'Mention test')
  h.fake.script({
    text: 'A tiny TypeScript library: `add` in **src/math.ts**, a test, and a `format` helper.',
  })
  const box = messageBox(page)
  await box.fill('What does this project do?')
  await box.press('Control+Enter')
  await expect(conversation(page).getByText('A tiny TypeScript library')).toBeVisible()
  await box.click()
  await box.pressSequentially('Explain @ma')
  const files = page.getByRole('listbox', { name: 'Files' })
  await expect(files.getByRole('option', { name: 'src/math.ts', exact: true })).toBeVisible()
  const names = await files
    .getByRole('option')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))
  expect(names.length).toBeGreaterThan(1)
  const target = names.indexOf('src/math.ts')
  // Walk to it with the arrows from the best match (first), then insert with Enter.
  for (let i = 0; i < target; i++) await box.press('ArrowDown')
  await expect(files.getByRole('option', { name: 'src/math.ts', exact: true })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await page.screenshot({ path: join(REPO_ROOT, 'docs', 'composer.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: test.info().outputPath('composer-dark.png') })
  await page.emulateMedia({ colorScheme: 'light' })
  await box.press('Enter')
  await expect(files).toBeHidden()
  await expect(box).toHaveValue('Explain @src/math.ts ')

  // Esc closes the picker and leaves the text alone; Tab inserts too.
  await box.pressSequentially('and @READ')
  await expect(files).toBeVisible()
  await box.press('Escape')
  await expect(files).toBeHidden()
  await expect(box).toHaveValue('Explain @src/math.ts and @READ')
  await box.pressSequentially(' @READ')
  await expect(files.getByRole('option', { name: 'README.md', exact: true })).toBeVisible()
  await box.press('Tab')
  await expect(box).toHaveValue('Explain @src/math.ts and @READ @README.md ')
})

test('two sessions run at once; the background tab shows running, then done', async ({ page }) => {
  // Slow answers (the first long enough to still run while the second tab opens and sends).
  const slow = (word: string, pieces: number): { text: string[]; delayMs: number } => ({
    text: [`${word} `, ...Array.from({ length: pieces }, () => '. '), `${word} finished.`],
    delayMs: 200,
  })
  h.fake.script(slow('Alpha', 50), slow('Beta', 15))
  const start = h.fake.chatRequests().length
  await h.openSession(page, 'Alpha')
  await messageBox(page).fill('Work on alpha')
  await messageBox(page).press('Control+Enter')
  await expect.poll(() => h.fake.chatRequests().length).toBe(start + 1)

  await h.openSession(page, 'Beta')
  await messageBox(page).fill('Work on beta')
  await messageBox(page).press('Control+Enter')

  const alphaTab = page.getByRole('tab', { name: 'Alpha', exact: true })
  const sidebar = page.getByRole('navigation', { name: 'Workspaces' })
  const alphaItem = sidebar.getByRole('button', { name: 'Alpha', exact: true })
  await expect(alphaTab.locator('[data-badge]')).toHaveAttribute('data-badge', 'running')
  await expect(alphaTab).toHaveAccessibleDescription('running')
  await expect(alphaItem.locator('[data-badge]')).toHaveAttribute('data-badge', 'running')
  // Both run: the second request arrived while the first was still streaming.
  await expect.poll(() => h.fake.chatRequests().length).toBe(start + 2)
  await expect(composerOf(page).getByRole('button', { name: 'Stop' })).toBeVisible()

  await expect(conversation(page).getByText('Beta finished.', { exact: false })).toBeVisible()
  await expect(alphaTab.locator('[data-badge]')).toHaveAttribute('data-badge', 'done')
  await expect(alphaTab).toHaveAccessibleDescription('done, unread')
  await expect(alphaItem.locator('[data-badge]')).toHaveAttribute('data-badge', 'done')
  // The tab on screen has nothing unread.
  const betaTab = page.getByRole('tab', { name: 'Beta', exact: true })
  await expect(betaTab.locator('[data-badge]')).toHaveCount(0)

  await alphaTab.click()
  await expect(conversation(page).getByText('Alpha finished.', { exact: false })).toBeVisible()
  await expect(alphaTab.locator('[data-badge]')).toHaveCount(0)
})

test('a question for the user shows as an amber badge with its count', async ({ page }) => {
  await h.openSession(page, 'Ask test')
  h.fake.script({ toolCalls: [{ name: 'bash', arguments: { command: 'echo hi > out.txt' } }] })
  await messageBox(page).fill('Write a file')
  await messageBox(page).press('Control+Enter')
  const tab = page.getByRole('tab', { name: 'Ask test', exact: true })
  const item = page
    .getByRole('navigation', { name: 'Workspaces' })
    .getByRole('button', { name: 'Ask test', exact: true })
  await expect(tab.locator('[data-badge]')).toHaveAttribute('data-badge', 'approval')
  await expect(tab.locator('[data-badge]')).toHaveText('1')
  await expect(tab).toHaveAccessibleDescription('needs approval')
  await expect(item.locator('[data-badge]')).toHaveAttribute('data-badge', 'approval')
  await expect(statusLine(page)).toContainText('Waiting for your approval')
  await page.screenshot({ path: test.info().outputPath('approval-badge.png') })
  // Stopping withdraws the question: the badge goes.
  await composerOf(page).getByRole('button', { name: 'Stop' }).click()
  await expect(tab.locator('[data-badge]')).toHaveCount(0)
  await expect(item.locator('[data-badge]')).toHaveCount(0)
})

test.describe('without a model', () => {
  let bare: SessionHost
  test.beforeAll(async () => {
    bare = await startSessionHost({ hostModel: false })
  })
  test.afterAll(async () => {
    await bare?.stop()
  })

  test('says so inline, keeps the draft, and offers Settings', async ({ page }) => {
    await bare.openSession(page, 'No model')
    const box = messageBox(page)
    await box.fill('Hello?')
    await box.press('Control+Enter')
    const alert = composerOf(page).getByRole('alert')
    await expect(alert).toContainText('No model is configured')
    await expect(box).toHaveValue('Hello?')
    await alert.getByRole('button', { name: 'Open Settings' }).click()
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
  })
})

test.describe('at a spend cap', () => {
  let capped: SessionHost
  test.beforeAll(async () => {
    capped = await startSessionHost({
      // A catalog model, so calls have a price; a cap of $1 per session.
      env: { PADDOCK_MODEL: 'gpt-4.1' },
      prepare: ({ dataDir }) => {
        const set = spawnSync(
          process.execPath,
          [BIN_PADDOCK, 'settings', 'set', 'spend.perSessionUsd', '1', '--data-dir', dataDir],
          { encoding: 'utf8' },
        )
        expect(set.status, set.stderr).toBe(0)
      },
    })
  })
  test.afterAll(async () => {
    await capped?.stop()
  })

  test('Continue asks first, naming the cap, then goes on past it', async ({ page }) => {
    await capped.openSession(page, 'Capped')
    // The first answer costs $1.20 (600k prompt tokens of GPT-4.1): the next call is paused.
    // (A million would pass the compaction threshold of GPT-4.1's window: the session would be
    // compacted before the next call, and the summary would take a turn of its own.)
    capped.fake.script(
      {
        toolCalls: [{ name: 'read', arguments: { path: 'README.md' } }],
        usage: { prompt_tokens: 600_000, completion_tokens: 10 },
      },
      { text: 'Resumed past the cap.' },
    )
    await messageBox(page).fill('Read the README')
    await messageBox(page).press('Control+Enter')
    await expect(statusLine(page)).toContainText('Paused at the spend cap')
    await composerOf(page).getByRole('button', { name: 'Continue' }).click()
    const confirm = composerOf(page).getByRole('alertdialog', { name: 'Spend cap' })
    await expect(confirm).toContainText('cap of $1.00')
    // Cancel leaves it paused, without a call.
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await expect(confirm).toBeHidden()
    expect(capped.fake.chatRequests()).toHaveLength(1)
    await composerOf(page).getByRole('button', { name: 'Continue' }).click()
    await confirm.getByRole('button', { name: 'Continue past the cap' }).click()
    await expect(conversation(page).getByText('Resumed past the cap.')).toBeVisible()
    expect(capped.fake.chatRequests()).toHaveLength(2)
    expect(capped.fake.pending()).toBe(0)
  })
})
