import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'
import { shootBoth } from './support/screenshots'

/**
 * What the composer keeps and what it takes, through the UI only: drafts across reloads (and
 * gone once sent), and text too long for a message, attached as a file of the workspace instead.
 * The model is the fake LLM server; the agent's tools are real.
 */

let h: SessionHost

test.beforeAll(async () => {
  h = await startSessionHost()
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

/** The text of every message of a chat request, joined (what the model was sent). */
function requestText(index: number): string {
  const req = h.fake.chatRequests()[index]
  if (!req) return ''
  return req.messages
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n')
}

test('a draft survives a reload; a sent draft is gone, restored or not', async ({ page }) => {
  const first = await h.openSession(page, 'Draft test')
  const box = messageBox(page)
  // Reloading at once: the draft is saved when the page goes away, not only after a pause.
  await box.fill('a restored draft')
  await page.reload()
  await expect(messageBox(page)).toHaveValue('a restored draft')

  // Sent as it came back, without touching it: it leaves the box and storage.
  h.fake.script({ text: 'Got the restored draft.' })
  await messageBox(page).press('Control+Enter')
  await expect(conversation(page).getByText('Got the restored draft.')).toBeVisible()
  await expect(messageBox(page)).toHaveValue('')
  await page.reload()
  await expect(messageBox(page)).toHaveValue('')
  await expect(conversation(page).getByText('Got the restored draft.')).toBeVisible()

  // A draft typed and sent in the same page load is gone after a reload too.
  h.fake.script({ text: 'Got the typed draft.' })
  await messageBox(page).fill('a typed draft')
  await messageBox(page).press('Control+Enter')
  await expect(conversation(page).getByText('Got the typed draft.')).toBeVisible()
  await page.reload()
  await expect(messageBox(page)).toHaveValue('')

  // Drafts are per session: another session's draft stays its own.
  await messageBox(page).fill('draft of the first session')
  await h.openSession(page, 'Draft test 2')
  await expect(messageBox(page)).toHaveValue('')
  await messageBox(page).fill('draft of the second session')
  await page.reload()
  await expect(messageBox(page)).toHaveValue('draft of the second session')
  await page
    .getByRole('navigation', { name: 'Workspaces' })
    .getByRole('button', { name: 'Draft test', exact: true })
    .click()
  await expect(messageBox(page)).toHaveValue('draft of the first session')
  const stored = await page.evaluate(
    (id) => localStorage.getItem(`paddock.composer.draft.${id}`),
    first,
  )
  expect(stored).toContain('draft of the first session')
  await messageBox(page).fill('')
})

test('a huge prompt: a size hint, a plain message, and Attach as a file', async ({ page }) => {
  await h.openSession(page, 'Huge prompt')
  const box = messageBox(page)
  const send = composerOf(page).getByRole('button', { name: 'Send', exact: true })
  const size = composerOf(page).getByText(/\/ 200,000 characters/)

  // Short: no hint; kept as the draft.
  await box.fill('A short question')
  await page.reload()
  await expect(box).toHaveValue('A short question')
  await expect(size).toHaveCount(0)
  // From 80% of the limit: how far along it is.
  await box.fill('x'.repeat(170_000))
  await expect(size).toHaveText('170,000 / 200,000 characters')
  await expect(send).toBeEnabled()

  // Over it: said plainly, Send is off, and the text can go to a file instead.
  const lines = Array.from({ length: 2_000 }, (_, i) => `line ${i} ${'y'.repeat(60)}`)
  const huge = `HUGE-PASTE-START\n${lines.join('\n')}`.padEnd(210_000, 'z')
  await box.fill(huge)
  await expect(size).toHaveText('210,000 / 200,000 characters')
  const over = composerOf(page).getByRole('alert')
  await expect(over).toContainText('too long to send')
  await expect(over).toContainText('Attach it as a file')
  await expect(over).not.toContainText('Too big')
  await expect(send).toBeDisabled()
  await shootBoth(page, 'huge-prompt')

  // Too long to keep as a draft: a reload does not bring back an older, shorter one instead.
  await page.reload()
  await expect(messageBox(page)).toHaveValue('')
  await messageBox(page).fill(huge)
  await over.getByRole('button', { name: 'Attach as a file' }).click()
  await expect(box).toHaveValue(/@\.paddock\/attachments\/[\w.-]+\.md/)
  const value = await box.inputValue()
  const path = /@(\.paddock\/attachments\/[\w.-]+\.md)/.exec(value)![1]!
  expect(value.length).toBeLessThan(300)
  expect(readFileSync(join(h.project, path), 'utf8')).toBe(huge)
  await expect(size).toHaveCount(0)
  await expect(over).toHaveCount(0)
  await page.screenshot({ path: test.info().outputPath('attached.png') })

  // The prompt names the file; the agent reads it without asking (ask mode).
  h.fake.script(
    { toolCalls: [{ name: 'read', arguments: { path, limit: 5 } }] },
    { text: 'Read the attached text.' },
  )
  const before = h.fake.chatRequests().length
  await box.press('Control+Enter')
  await expect(conversation(page).getByText('Read the attached text.')).toBeVisible()
  await expect(box).toHaveValue('')
  expect(requestText(before)).toContain(path)
  expect(requestText(before + 1)).toContain('HUGE-PASTE-START')
})
