import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions'
import { REPO_ROOT } from '../support/paths'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * Diff review (issue 10) in Chromium against the web host whose model is the fake LLM server:
 * edits waiting for approval open in Monaco's diff editor; the user approves, rejects, or rewrites
 * the proposal before approving.
 */

let sh: SessionHost

test.beforeAll(async () => {
  sh = await startSessionHost({
    files: {
      'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b\n}\n',
      'src/strings.ts': "export const greeting = 'hello'\n",
      'src/names.ts': "export const name = 'paddock'\n",
    },
  })
})
test.afterAll(async () => {
  await sh?.stop()
})
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    ;(window as { __PADDOCK_TEST__?: boolean }).__PADDOCK_TEST__ = true
  })
})

const read = (rel: string): string => readFileSync(join(sh.project, rel), 'utf8')

function transcript(page: Page): Locator {
  return page.getByRole('region', { name: 'Transcript' })
}

function toolResults(req: ChatCompletionCreateParams | undefined): string[] {
  return (req?.messages ?? [])
    .filter((m) => m.role === 'tool')
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
}

async function prompt(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text)
  await page.getByRole('button', { name: 'Send', exact: true }).click()
}

/** The Monaco diff inside an approval card, once Monaco drew both sides. */
async function monacoDiff(card: Locator): Promise<Locator> {
  const diff = card.getByRole('region', { name: 'Change preview' })
  await expect(diff.locator('.monaco-diff-editor')).toBeVisible()
  await expect(diff.locator('.editor.modified .view-lines').first()).toBeVisible()
  return diff
}

test('an edit waiting for approval opens in Monaco; approve it: the file changes', async ({
  page,
}) => {
  sh.fake.script(
    {
      toolCalls: [
        {
          name: 'edit',
          arguments: {
            path: 'src/math.ts',
            old_string: '  return a + b',
            new_string: '  return a + b // checked',
          },
        },
      ],
    },
    { text: 'Marked it as checked.' },
  )
  await sh.openSession(page, 'Approve in Monaco')
  await prompt(page, 'Mark the add function as checked')
  const card = transcript(page).getByRole('group', { name: 'Approval: Edit src/math.ts' })
  const diff = await monacoDiff(card)
  // Left: the file now; right: the file once approved. Nothing touched disk yet.
  await expect(diff.locator('.editor.original')).toContainText('return a + b')
  await expect(diff.locator('.editor.modified')).toContainText('return a + b // checked')
  expect(read('src/math.ts')).not.toContain('// checked')
  await page.screenshot({ path: join(REPO_ROOT, 'docs/approval-monaco.png') })
  await card.getByRole('button', { name: 'Approve', exact: true }).click()
  await expect.poll(() => read('src/math.ts')).toContain('return a + b // checked')
  await expect(card).toHaveAttribute('data-state', 'approved')
  await expect(transcript(page)).toContainText('Marked it as checked.')
})

test('reject an edit with feedback: the file is unchanged and the feedback is in the next request', async ({
  page,
}) => {
  const before = read('src/strings.ts')
  const feedback = 'Keep the greeting as it is.'
  sh.fake.script(
    {
      toolCalls: [
        {
          name: 'edit',
          arguments: { path: 'src/strings.ts', old_string: "'hello'", new_string: "'bye'" },
        },
      ],
    },
    { text: 'Kept it.' },
  )
  await sh.openSession(page, 'Reject in Monaco')
  const requestsBefore = sh.fake.chatRequests().length
  await prompt(page, 'Change the greeting')
  const card = transcript(page).getByRole('group', { name: 'Approval: Edit src/strings.ts' })
  await monacoDiff(card)
  await card.getByRole('button', { name: 'Reject', exact: true }).click()
  await card.getByRole('textbox', { name: 'Feedback for the agent' }).fill(feedback)
  await card.getByRole('button', { name: 'Send rejection' }).click()
  await expect(card).toHaveAttribute('data-state', 'rejected')
  await expect.poll(() => sh.fake.chatRequests().length).toBe(requestsBefore + 2)
  expect(toolResults(sh.fake.chatRequests()[requestsBefore + 1])).toEqual([
    `The user denied this call and said: ${feedback}`,
  ])
  expect(read('src/strings.ts')).toBe(before)
})

test('edit the proposed text before approving: the file holds the user text and the model is told', async ({
  page,
}) => {
  sh.fake.script(
    {
      toolCalls: [
        {
          name: 'edit',
          arguments: {
            path: 'src/names.ts',
            old_string: "'paddock'",
            new_string: "'Paddock'",
          },
        },
      ],
    },
    { text: 'Noted your version.' },
  )
  await sh.openSession(page, 'Rewrite before approving')
  const requestsBefore = sh.fake.chatRequests().length
  await prompt(page, 'Capitalise the name')
  const card = transcript(page).getByRole('group', { name: 'Approval: Edit src/names.ts' })
  const diff = await monacoDiff(card)
  // Type into the proposed side like a user: select the proposed word and replace it.
  const modified = diff.locator('.editor.modified .view-lines').first()
  await modified.click()
  await page.keyboard.press('Control+End')
  await page.keyboard.type('export const tagline = "by the user"\n')
  await expect(card.getByRole('status')).toContainText('You changed the proposed text')
  await card.getByRole('button', { name: 'Approve', exact: true }).click()
  const expected = 'export const name = \'Paddock\'\nexport const tagline = "by the user"\n'
  await expect.poll(() => read('src/names.ts')).toBe(expected)
  await expect.poll(() => sh.fake.chatRequests().length).toBe(requestsBefore + 2)
  const [result] = toolResults(sh.fake.chatRequests()[requestsBefore + 1])
  expect(result).toContain('The user edited your change before applying it')
  expect(result).toContain('export const tagline = "by the user"')
})
