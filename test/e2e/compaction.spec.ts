import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { REPO_ROOT } from '../support/paths'
import { shootBoth } from './support/screenshots'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * Compaction in the UI, over the real host and the fake LLM at the wire: the card a compaction
 * leaves in the transcript and what it opens to, `/compact [focus]` in the composer (its progress,
 * its error, the request the summariser got), "Compact now" on the gauge, and a switch to a model
 * whose window cannot hold the session (the warning before anything is sent, the gauge at once).
 */

let env: SessionHost | null = null
test.afterEach(async () => {
  // Every test consumes exactly the turns it scripted.
  expect(env?.fake.pending() ?? 0).toBe(0)
  await env?.stop()
  env = null
})

/**
 * The host's model gets a 1M window and a second model, "Kimi K2", 128k (models.json in the data
 * dir, as a user would write it); the small one is served by the same fake under a provider of
 * its own.
 */
function writeModels({ dataDir }: { dataDir: string }): void {
  writeFileSync(
    join(dataDir, 'models.json'),
    JSON.stringify({
      models: [
        { id: 'fake-model', name: 'Fake Large', contextWindow: 1_000_000, maxOutput: 16_384 },
        { id: 'fake-small', name: 'Kimi K2', contextWindow: 128_000, maxOutput: 8_192 },
      ],
    }),
  )
}

const FILES = {
  'README.md': '# Demo\n\nA small project that adds numbers.\n',
  'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b\n}\n',
}

/** The first turn's last answer: long enough that a compaction keeping ~1k characters cuts after it. */
const LONG_ANSWER = [
  'The sum now carries a note. What the project holds:\n\n',
  ...Array.from(
    { length: 12 },
    (_, i) =>
      `- Point ${i + 1}: \`add\` in src/math.ts takes two numbers and returns their sum, unchanged by the note.\n`,
  ),
].join('')

const SUMMARY = [
  '## Goal\n\nNote the sum in `src/math.ts` and keep the tests green.\n\n',
  '## Constraints and preferences\n\n- "keep the note about the sum"\n\n',
  '## Progress\n\n- Done: read README.md; noted the sum in src/math.ts\n- In progress: running the tests\n\n',
  '## Next steps\n\n1. Run the tests.\n',
].join('')

const transcriptOf = (page: Page): Locator => page.getByRole('region', { name: 'Transcript' })
const conversation = (page: Page): Locator =>
  transcriptOf(page).getByRole('list', { name: 'Conversation' })
const composerOf = (page: Page): Locator => page.getByRole('group', { name: 'Composer' })
const gaugeOf = (page: Page): Locator => transcriptOf(page).getByRole('meter', { name: 'Context' })

async function idle(host: SessionHost, sessionId: string): Promise<void> {
  await expect
    .poll(async () => (await host.client.call('sessions.status', { sessionId })).running)
    .toBe(false)
}

/** The text of every message of a chat request, joined (what the model was sent). */
function requestText(host: SessionHost, index: number): string {
  const req = host.fake.chatRequests().at(index)
  if (!req) return ''
  return req.messages
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n')
}

test('/compact with a focus: progress, an error that keeps the draft, then the card that opens to the summary and what it replaced', async ({
  page,
}) => {
  env = await startSessionHost({ files: FILES, prepare: writeModels })
  const host = env
  // A compaction keeps only the newest ~1k characters verbatim: the first turn is what it replaces.
  await host.client.call('settings.set', { key: 'context.keepRecentTokens', value: 256 })
  host.fake.script(
    {
      text: 'Let me look at the README.',
      toolCalls: [{ name: 'read', arguments: { path: 'README.md' } }],
      usage: { prompt_tokens: 61_000, completion_tokens: 30 },
    },
    {
      toolCalls: [
        {
          name: 'edit',
          arguments: {
            path: 'src/math.ts',
            old_string: '  return a + b\n',
            new_string: '  return a + b // the sum\n',
          },
        },
      ],
      usage: { prompt_tokens: 84_000, completion_tokens: 60 },
    },
    { text: LONG_ANSWER, usage: { prompt_tokens: 98_000, completion_tokens: 400 } },
    { text: 'The tests pass.', usage: { prompt_tokens: 142_000, completion_tokens: 20 } },
  )
  const sessionId = await host.openSession(page, 'A long session')
  await host.client.call('sessions.prompt', {
    sessionId,
    text: 'Read the README, then note the sum in src/math.ts.',
    mode: 'full-auto',
  })
  await idle(host, sessionId)
  await host.client.call('sessions.prompt', { sessionId, text: 'Now run the tests.' })
  await idle(host, sessionId)
  const list = conversation(page)
  await expect(list.getByText('The tests pass.')).toBeVisible()
  // The last call's prompt and answer: 142,000 + 20 tokens.
  const gauge = gaugeOf(page)
  await expect(gauge).toHaveAttribute('aria-valuenow', '142020')
  await expect(gauge).toContainText('142k / 1M')

  const box = page.getByRole('textbox', { name: 'Message' })
  const status = composerOf(page).getByRole('status')

  // The summariser fails: the host's message shows, the draft stays, nothing is recorded.
  host.fake.script({ error: { status: 400, message: 'The summariser is out of order.' } })
  await box.fill('/compact keep the note about the sum')
  await expect(composerOf(page)).toContainText('Ctrl+Enter compacts the conversation')
  await box.press('Control+Enter')
  const failure = composerOf(page).getByRole('alert')
  await expect(failure).toContainText('Could not compact the conversation')
  await expect(failure).toContainText('The summariser is out of order.')
  await expect(box).toHaveValue('/compact keep the note about the sum')
  await expect(list.getByRole('article', { name: 'Context compaction' })).toHaveCount(0)
  await failure.getByRole('button', { name: 'Dismiss compaction error' }).click()
  await expect(failure).toHaveCount(0)

  // Again, with the summariser held until the test lets it answer: the progress shows meanwhile.
  let answer!: () => void
  const gate = new Promise<void>((resolve) => (answer = resolve))
  host.fake.script({ text: SUMMARY, gate })
  const before = host.fake.chatRequests().length
  await box.press('Control+Enter')
  await expect(status).toContainText('Compacting the conversation…')
  await expect(list.getByText('Compacting the conversation…')).toBeVisible()
  await expect(transcriptOf(page).getByRole('button', { name: /^Compact/ })).toBeDisabled()
  await expect.poll(() => host.fake.chatRequests().length).toBe(before + 1)
  answer()

  const card = list.getByRole('article', { name: 'Context compaction' })
  await expect(card).toBeVisible()
  await expect(box).toHaveValue('')
  await expect(list.getByText('Compacting the conversation…')).toHaveCount(0)
  await expect(status).not.toContainText('Compacting')

  // The summariser's request: no tools, one message carrying the history and the user's focus.
  const summariser = host.fake.chatRequests()[before]!
  expect(summariser.tools ?? []).toHaveLength(0)
  expect(summariser.messages.filter((m) => m.role !== 'system')).toHaveLength(1)
  const sent = requestText(host, before)
  expect(sent).toContain('The user asks the summary to focus on: keep the note about the sum')
  expect(sent).toContain('Read the README, then note the sum in src/math.ts.')

  // The card: numbers and reason, collapsed; it opens (by keyboard) to the summary, the messages
  // it replaced and the file lists.
  const toggle = card.getByRole('button', {
    name: /^Context compacted: 142k → [\d.]+k? tokens \(asked by you\)/,
  })
  await expect(toggle).toHaveAttribute('aria-expanded', 'false')
  await expect(card.getByRole('region', { name: 'Summary' })).toHaveCount(0)
  await toggle.focus()
  await page.keyboard.press('Enter')
  await expect(toggle).toHaveAttribute('aria-expanded', 'true')
  const summary = card.getByRole('region', { name: 'Summary' })
  await expect(summary.getByRole('heading', { name: 'Goal' })).toBeVisible()
  await expect(summary).toContainText('Note the sum in src/math.ts and keep the tests green.')
  await expect(card).toContainText('Focus: keep the note about the sum')
  const replaced = card.getByRole('region', { name: 'Replaced messages' }).getByRole('listitem')
  await expect(replaced.first()).toContainText('Read the README, then note the sum in src/math.ts.')
  await expect(replaced.filter({ hasText: 'called read' })).toHaveCount(1)
  await expect(replaced.filter({ hasText: '# Demo' })).toHaveCount(1)
  await expect(replaced.filter({ hasText: 'called edit' })).toHaveCount(1)
  await expect(replaced.filter({ hasText: 'The sum now carries a note.' })).toHaveCount(1)
  // The newest turn is kept verbatim: not among the replaced.
  await expect(replaced.filter({ hasText: 'Now run the tests.' })).toHaveCount(0)
  await expect(card.getByRole('region', { name: 'Files read' })).toContainText('README.md')
  await expect(card.getByRole('region', { name: 'Files modified' })).toContainText('src/math.ts')

  // The gauge followed the compaction.
  await expect
    .poll(async () => Number(await gauge.getAttribute('aria-valuenow')))
    .toBeLessThan(20_000)

  // The picture: the Timeline pane made small, the card whole at the end of the list.
  await page.getByRole('separator', { name: 'Resize timeline' }).press('End')
  await list.focus()
  await page.keyboard.press('End')
  await list.blur()
  await page.mouse.move(0, 0)
  await page.setViewportSize({ width: 1440, height: 900 })
  await expect(toggle).toBeInViewport()
  await page.screenshot({ path: join(REPO_ROOT, 'docs', 'context-compaction.png') })
  await shootBoth(page, 'context-compaction')

  await toggle.press('Enter')
  await expect(toggle).toHaveAttribute('aria-expanded', 'false')

  // A message starting with another slash is a prompt like any other; the model now starts from
  // the summary.
  host.fake.script({ text: 'Here is some help.' })
  await box.fill('/help me with the tests')
  await box.press('Control+Enter')
  await expect(list.getByText('Here is some help.')).toBeVisible()
  await expect(list.getByText('/help me with the tests')).toBeVisible()
  const next = requestText(host, -1)
  expect(next).toContain('/help me with the tests')
  expect(next).toContain('Note the sum in `src/math.ts` and keep the tests green.')
})

test('“Compact now” on the gauge compacts the session (Stop ends it cleanly); the card says why', async ({
  page,
}) => {
  env = await startSessionHost({ files: FILES, prepare: writeModels })
  const host = env
  host.fake.script(
    { text: LONG_ANSWER, usage: { prompt_tokens: 70_000, completion_tokens: 400 } },
    { text: 'Done.', usage: { prompt_tokens: 90_000, completion_tokens: 10 } },
  )
  const sessionId = await host.openSession(page, 'Compact from the gauge')
  await host.client.call('sessions.prompt', { sessionId, text: 'Describe the project.' })
  await idle(host, sessionId)
  await host.client.call('sessions.prompt', { sessionId, text: 'Thanks.' })
  await idle(host, sessionId)
  const gauge = gaugeOf(page)
  await expect(gauge).toHaveAttribute('aria-valuenow', '90010')

  // Stop ends a compaction like a run: nothing recorded, no error to dismiss.
  host.fake.script({ text: SUMMARY, hang: true })
  const compactNow = transcriptOf(page).getByRole('button', { name: 'Compact now' })
  await expect(compactNow).toBeEnabled()
  await compactNow.click()
  const status = composerOf(page).getByRole('status')
  await expect(status).toContainText('Compacting the conversation…')
  await composerOf(page).getByRole('button', { name: 'Stop' }).click()
  await expect(compactNow).toBeEnabled()
  await expect(status).not.toContainText('Compacting')
  await expect(composerOf(page).getByRole('alert')).toHaveCount(0)
  const list = conversation(page)
  await expect(list.getByRole('article', { name: 'Context compaction' })).toHaveCount(0)
  await expect(gauge).toHaveAttribute('aria-valuenow', '90010')

  host.fake.script({ text: SUMMARY })
  await compactNow.click()
  const card = list.getByRole('article', { name: 'Context compaction' })
  await expect(card.getByRole('button', { name: /^Context compacted: 90k → / })).toContainText(
    '(asked by you)',
  )
  await expect
    .poll(async () => Number(await gauge.getAttribute('aria-valuenow')))
    .toBeLessThan(20_000)
  // No focus was given: the summariser was asked for none.
  expect(requestText(host, -1)).not.toContain('The user asks the summary to focus on')
})

test('picking a model too small for the session warns before anything is sent; the gauge shows its window at once', async ({
  page,
}) => {
  env = await startSessionHost({ files: FILES, prepare: writeModels })
  const host = env
  await host.client.call('providers.save', {
    name: 'small',
    kind: 'openai',
    baseUrl: host.fake.baseUrl,
    models: ['fake-small'],
  })
  host.fake.script({
    text: 'I read the whole repository.',
    usage: { prompt_tokens: 150_000, completion_tokens: 10 },
  })
  const sessionId = await host.openSession(page, 'Switch down')
  // The first run names its model, so the session's log records which model it ran on.
  await host.client.call('sessions.prompt', {
    sessionId,
    text: 'Read the whole repository.',
    model: 'env/fake-model',
  })
  await expect(conversation(page).getByText('I read the whole repository.')).toBeVisible()
  await idle(host, sessionId)
  const box = page.getByRole('textbox', { name: 'Message' })
  const gauge = gaugeOf(page)
  await expect(gauge).toHaveAttribute('aria-valuemax', '1000000')
  await expect(gauge).toContainText('150k / 1M')

  const composer = composerOf(page)
  const picker = composer.getByRole('combobox', { name: 'Model' })
  const warning = composer.getByRole('note', { name: 'Model switch' })
  const sentBefore = host.fake.chatRequests().length
  await picker.selectOption('small/fake-small')
  await expect(warning).toContainText(
    'This session uses 150k tokens; Kimi K2 holds 128k — it will be compacted first.',
  )
  // The gauge measures against the picked model's window at once.
  await expect(gauge).toHaveAttribute('aria-valuemax', '128000')
  await expect(gauge).toContainText('150k / 128k')
  // Nothing was sent to any model.
  expect(host.fake.chatRequests().length).toBe(sentBefore)

  await page.mouse.move(0, 0)
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.screenshot({ path: join(REPO_ROOT, 'docs', 'context-switch-warning.png') })
  await shootBoth(page, 'context-switch-warning')

  // Back to the large model: no warning, its window again.
  await picker.selectOption('env/fake-model')
  await expect(warning).toHaveCount(0)
  await expect(gauge).toHaveAttribute('aria-valuemax', '1000000')

  // The switch, for real: the first request on the small model is compacted first.
  await picker.selectOption('small/fake-small')
  await expect(warning).toBeVisible()
  host.fake.script(
    { text: SUMMARY },
    {
      text: 'Carrying on with the small model.',
      usage: { prompt_tokens: 9_000, completion_tokens: 10 },
    },
  )
  await box.fill('Carry on.')
  await box.press('Control+Enter')
  const list = conversation(page)
  await expect(list.getByText('Carrying on with the small model.')).toBeVisible()
  await expect(
    list
      .getByRole('article', { name: 'Context compaction' })
      .getByRole('button', { name: /^Context compacted: 150k → .* \(model switch\)/ }),
  ).toBeVisible()
  await expect(warning).toHaveCount(0)
  await expect(gauge).toHaveAttribute('aria-valuemax', '128000')
  await expect(gauge).toContainText('9k / 128k')
  // The model answered from the summary, on the small model.
  const last = host.fake.chatRequests().at(-1)!
  expect(last.model).toBe('fake-small')
  expect(requestText(host, -1)).toContain('Note the sum in `src/math.ts` and keep the tests green.')
})
