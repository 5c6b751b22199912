import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions'
import { connectClient } from '../support/node-client'
import { REPO_ROOT } from '../support/paths'
import { startWebHost } from '../support/web-host'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'
import { shootBoth } from './support/screenshots'

/**
 * Approvals in the session UI, against the web host whose model is the fake LLM server: the agent
 * (scripted at the wire) asks for edits and commands in the default `ask` mode, and the user
 * answers from the card in the transcript — by mouse and by keyboard.
 */

let sh: SessionHost

test.beforeAll(async () => {
  sh = await startSessionHost({
    files: {
      'README.md': '# Demo\n\nA small project.\n',
      'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b\n}\n',
      'src/strings.ts': "export const greeting = 'hello'\n",
    },
  })
})
test.afterAll(async () => {
  await sh?.stop()
})

const read = (rel: string): string => readFileSync(join(sh.project, rel), 'utf8')

/**
 * Start a run the way a user does: the composer when it is there (its Send button, or Ctrl+Enter
 * with `typing`, which keeps the focus in the composer), else the contract.
 */
async function prompt(page: Page, text: string, opts: { typing?: boolean } = {}): Promise<void> {
  const message = page.getByRole('textbox', { name: 'Message' })
  // The composer must be there: a missing composer fails the test, it is never worked around.
  await expect(message).toBeVisible()
  await message.fill(text)
  if (opts.typing) await message.press('Control+Enter')
  else await page.getByRole('button', { name: 'Send', exact: true }).click()
}

function transcript(page: Page): Locator {
  return page.getByRole('region', { name: 'Transcript' })
}

function approvals(page: Page): Locator {
  return transcript(page).getByRole('group', { name: /^Approval: / })
}

/** Tool result messages of a request the fake server received. */
function toolResults(req: ChatCompletionCreateParams | undefined): string[] {
  return (req?.messages ?? [])
    .filter((m) => m.role === 'tool')
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
}

async function answerEntries(sessionId: string): Promise<unknown[]> {
  const entries = await sh.client.call('sessions.entries', { sessionId })
  return entries
    .filter((e) => e.type === 'approval')
    .map((e) => e.payload)
    .filter((p) => (p as { kind?: string }).kind === 'answer')
}

test('approve one edit from the transcript: the file changes, the card becomes a record', async ({
  page,
}) => {
  const title = 'Approve an edit'
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
  const sessionId = await sh.openSession(page, title)
  await prompt(page, 'Mark the add function as checked')

  const card = transcript(page).getByRole('group', { name: 'Approval: Edit src/math.ts' })
  await expect(card).toBeVisible()
  // Why it asks: the deciding rule and its source; and the change, before → after.
  await expect(card).toContainText('any tool: * → ask (ask mode)')
  await expect(card.getByLabel('Change preview')).toContainText('return a + b // checked')
  await expect(card).toContainText('Also allows edits and writes of src/math.ts')
  // The tab says a question waits.
  const badge = page.getByRole('tab', { name: title, exact: true }).locator('[data-badge]')
  await expect(badge).toHaveAttribute('data-badge', 'approval')

  // A double click answers once.
  await card.getByRole('button', { name: 'Approve', exact: true }).dblclick()
  await expect.poll(() => read('src/math.ts')).toContain('return a + b // checked')
  await expect(card).toHaveAttribute('data-state', 'approved')
  await expect(card).toContainText('Approved')
  await expect(card.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0)
  await expect(transcript(page).getByRole('alert')).toHaveCount(0)
  expect(await answerEntries(sessionId)).toEqual([
    expect.objectContaining({ answer: 'allow_once' }),
  ])
  await expect(transcript(page)).toContainText('Marked it as checked.')
  await expect(
    page.getByRole('tab', { name: title, exact: true }).locator('[data-badge="approval"]'),
  ).toHaveCount(0)
})

test('reject an edit with feedback: the file stays, the agent reads the feedback', async ({
  page,
}) => {
  const before = read('src/strings.ts')
  const feedback = 'Keep the greeting; add a test for it instead.'
  sh.fake.script(
    {
      toolCalls: [
        {
          name: 'edit',
          arguments: {
            path: 'src/strings.ts',
            old_string: "'hello'",
            new_string: "'goodbye'",
          },
        },
      ],
    },
    { text: 'Understood, I will add a test.' },
  )
  await sh.openSession(page, 'Reject an edit')
  const requestsBefore = sh.fake.chatRequests().length
  await prompt(page, 'Change the greeting')

  const card = transcript(page).getByRole('group', { name: 'Approval: Edit src/strings.ts' })
  await expect(card).toBeVisible()
  await card.getByRole('button', { name: 'Reject', exact: true }).click()
  const box = card.getByRole('textbox', { name: 'Feedback for the agent' })
  await expect(box).toBeFocused()
  await box.fill(feedback)
  await card.getByRole('button', { name: 'Send rejection' }).click()

  await expect(card).toHaveAttribute('data-state', 'rejected')
  await expect(card).toContainText(`Rejected: ${feedback}`)
  await expect.poll(() => sh.fake.chatRequests().length).toBe(requestsBefore + 2)
  const results = toolResults(sh.fake.chatRequests()[requestsBefore + 1])
  expect(results).toEqual([`The user denied this call and said: ${feedback}`])
  await expect(transcript(page)).toContainText('Understood, I will add a test.')
  expect(read('src/strings.ts')).toBe(before)
})

test('"Approve for session" lets the next identical command run without asking', async ({
  page,
}) => {
  const touch = { name: 'bash', arguments: { command: 'touch x.txt' } }
  sh.fake.script({ toolCalls: [touch] }, { toolCalls: [touch] }, { text: 'Touched it twice.' })
  const sessionId = await sh.openSession(page, 'Approve for session')
  const requestsBefore = sh.fake.chatRequests().length
  await prompt(page, 'Touch x.txt twice')

  const card = transcript(page).getByRole('group', { name: 'Approval: Run touch x.txt' })
  await expect(card).toBeVisible()
  await expect(card.getByRole('list', { name: 'Subcommands' })).toContainText('touch x.txt')
  await expect(card).toContainText('bash: touch x.txt → allow')
  await card.getByRole('button', { name: 'Approve for session' }).click()

  await expect(card).toHaveAttribute('data-state', 'session')
  await expect(card).toContainText('Approved for this session (rule bash: touch x.txt)')
  await expect(transcript(page)).toContainText('Touched it twice.')
  expect(sh.fake.chatRequests().length).toBe(requestsBefore + 3)
  // The second, identical call ran without a question.
  await expect(approvals(page)).toHaveCount(1)
  expect(await answerEntries(sessionId)).toHaveLength(1)
  const results = toolResults(sh.fake.chatRequests()[requestsBefore + 2])
  expect(results).toHaveLength(2)
  for (const r of results) expect(r).not.toMatch(/denied/)
  expect(existsSync(join(sh.project, 'x.txt'))).toBe(true)
})

test('a session rule settles the identical question still waiting', async ({ page }) => {
  const touch = { name: 'bash', arguments: { command: 'touch y.txt' } }
  sh.fake.script({ toolCalls: [touch, touch] }, { text: 'Done.' })
  await sh.openSession(page, 'Settled by a rule')
  await prompt(page, 'Touch y.txt, twice')

  const cards = transcript(page).getByRole('group', { name: 'Approval: Run touch y.txt' })
  await expect(cards).toHaveCount(2)
  // Both asked at once; the newest takes the focus.
  await expect(cards.nth(1)).toBeFocused()
  await cards.nth(0).getByRole('button', { name: 'Approve for session' }).click()
  await expect(cards.nth(0)).toHaveAttribute('data-state', 'session')
  await expect(cards.nth(1)).toHaveAttribute('data-state', 'settled')
  await expect(cards.nth(1)).toContainText('Settled by a session rule')
  await expect(transcript(page)).toContainText('Done.')
})

test('keyboard: N opens feedback, Esc closes it, Enter sends; the next card takes focus, Y approves', async ({
  page,
}) => {
  const before = read('src/math.ts')
  sh.fake.script(
    {
      toolCalls: [
        {
          name: 'edit',
          arguments: { path: 'src/math.ts', old_string: 'a + b', new_string: 'b + a' },
        },
      ],
    },
    {
      toolCalls: [
        {
          name: 'write',
          arguments: { path: 'NOTES.md', content: '# Notes\n\nAddition commutes.\n' },
        },
      ],
    },
    { text: 'Wrote notes instead.' },
  )
  await sh.openSession(page, 'Keyboard answers')
  await prompt(page, 'Swap the operands', { typing: true })

  const first = transcript(page).getByRole('group', { name: 'Approval: Edit src/math.ts' })
  await expect(first).toBeVisible()
  // Sent with Ctrl+Enter, the composer is empty: the card takes the focus, as after a click.
  await expect(first).toBeFocused()
  await expect(first.getByRole('button', { name: 'Approve', exact: true })).toContainText('Y')
  await page.keyboard.press('n')
  const box = first.getByRole('textbox', { name: 'Feedback for the agent' })
  await expect(box).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(box).toHaveCount(0)
  await expect(first).toBeFocused()
  await page.keyboard.press('n')
  await expect(box).toBeFocused()
  await page.keyboard.type('Write a note about it instead.')
  await page.keyboard.press('Enter')
  await expect(first).toContainText('Rejected: Write a note about it instead.')
  expect(read('src/math.ts')).toBe(before)

  // The next question takes focus as it appears (nobody is typing), and Y approves it.
  const second = transcript(page).getByRole('group', { name: 'Approval: Write new file NOTES.md' })
  await expect(second).toBeVisible()
  await expect(second).toBeFocused()
  await page.keyboard.press('y')
  await expect(second).toHaveAttribute('data-state', 'approved')
  await expect.poll(() => existsSync(join(sh.project, 'NOTES.md'))).toBe(true)
  expect(read('NOTES.md')).toContain('Addition commutes.')
  await expect(transcript(page)).toContainText('Wrote notes instead.')
})

test('after Ctrl+Enter the card keys work; from an empty composer too, never from one with text', async ({
  page,
}) => {
  const touch = (name: string): { name: string; arguments: { command: string } } => ({
    name: 'bash',
    arguments: { command: `touch ${name}` },
  })
  sh.fake.script(
    { toolCalls: [touch('key1.txt')] },
    { toolCalls: [touch('key2.txt')] },
    { text: 'Both touched.' },
  )
  await sh.openSession(page, 'Keys after Ctrl+Enter')
  const message = page.getByRole('textbox', { name: 'Message' })
  await prompt(page, 'Touch two files', { typing: true })

  // The same rule as a click on Send: the card takes the focus, Y approves, nothing is typed.
  const first = transcript(page).getByRole('group', { name: 'Approval: Run touch key1.txt' })
  await expect(first).toBeFocused()
  await page.keyboard.press('y')
  await expect(first).toHaveAttribute('data-state', 'approved')
  await expect.poll(() => existsSync(join(sh.project, 'key1.txt'))).toBe(true)
  await expect(message).toHaveValue('')

  // Back in the empty composer, the keys still answer the waiting card (the hint says so).
  const second = transcript(page).getByRole('group', { name: 'Approval: Run touch key2.txt' })
  await expect(second).toBeVisible()
  await message.click()
  const composer = page.getByRole('group', { name: 'Composer' })
  await expect(composer).toContainText('Y approve · A for session')
  await shootBoth(page, 'keys-from-composer')
  // With text in it, letters are the composer's: nothing is answered.
  await page.keyboard.type('wy')
  await expect(message).toHaveValue('wy')
  await expect(second).toHaveAttribute('data-state', 'pending')
  await message.fill('')
  // A capital starts a sentence: typed, not an answer.
  await page.keyboard.press('Shift+A')
  await expect(message).toHaveValue('A')
  await expect(second).toHaveAttribute('data-state', 'pending')
  await message.fill('')
  await page.keyboard.press('y')
  await expect(second).toHaveAttribute('data-state', 'approved')
  await expect(message).toHaveValue('')
  await expect.poll(() => existsSync(join(sh.project, 'key2.txt'))).toBe(true)
  await expect(transcript(page)).toContainText('Both touched.')
  await expect(message).toHaveValue('')
})

test('an answer that fails says why inline; the question stays open and answerable', async ({
  page,
}) => {
  // Another host process drives the session and asks; this page's host cannot answer for it.
  const other = await startWebHost({
    dataDir: sh.dataDir,
    env: {
      HOME: sh.home,
      PADDOCK_BASE_URL: sh.fake.baseUrl,
      PADDOCK_MODEL: 'fake-model',
      PADDOCK_API_KEY_ENV: 'PADDOCK_E2E_KEY',
      PADDOCK_E2E_KEY: 'e2e-key',
    },
  })
  const otherClient = connectClient(other)
  try {
    sh.fake.script(
      {
        toolCalls: [
          {
            name: 'edit',
            arguments: { path: 'README.md', old_string: '# Demo', new_string: '# Demo project' },
          },
        ],
      },
      { text: 'Renamed the heading.' },
    )
    const workspaceId = await sh.openProject()
    const session = await sh.client.call('sessions.create', {
      workspaceId,
      title: 'Asked elsewhere',
    })
    await otherClient.call('sessions.prompt', { sessionId: session.id, text: 'Rename the heading' })
    await page.goto(sh.host.url)
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('button', { name: 'Asked elsewhere', exact: true })
      .click()

    const card = transcript(page).getByRole('group', { name: 'Approval: Edit README.md' })
    await expect(card).toBeVisible()
    await card.getByRole('button', { name: 'Approve', exact: true }).click()
    await expect(card.getByRole('alert')).toContainText('Could not send the answer:')
    await expect(card).toHaveAttribute('data-state', 'pending')
    expect(read('README.md')).not.toContain('# Demo project')

    // Once the other process is gone, the same button answers, and the run goes on here.
    otherClient.close()
    expect(await other.stop()).toBe(0)
    await card.getByRole('button', { name: 'Approve', exact: true }).click()
    await expect(card).toHaveAttribute('data-state', 'approved')
    await expect(card.getByRole('alert')).toHaveCount(0)
    await expect.poll(() => read('README.md')).toContain('# Demo project')
    await expect(transcript(page)).toContainText('Renamed the heading.')
  } finally {
    otherClient.close()
    await other.stop()
  }
})

test('screenshot: a risky command and an edit waiting together', async ({ page }) => {
  // A trusted workspace rule that asks for rm, so "why it asks" names a workspace rule.
  mkdirSync(join(sh.project, '.paddock'), { recursive: true })
  writeFileSync(
    join(sh.project, '.paddock', 'permissions.json'),
    JSON.stringify({ rules: [{ tool: 'bash', pattern: 'rm', action: 'ask' }] }),
  )
  const workspaceId = await sh.openProject()
  await sh.client.call('workspaces.trust', { workspaceId, trusted: true })
  sh.fake.script(
    {
      text: 'I will clean the build output and record the fix.',
      toolCalls: [
        { name: 'bash', arguments: { command: 'rm -rf build && echo cleaned > build.log' } },
        {
          name: 'edit',
          arguments: {
            path: 'src/math.ts',
            old_string: 'export function add(a: number, b: number): number {',
            new_string:
              '/** Adds two numbers. */\nexport function add(a: number, b: number): number {',
          },
        },
      ],
    },
    { text: 'Stopped.' },
  )
  await sh.openSession(page, 'Clean up the build')
  await prompt(page, 'Clean the build and document add()')

  const command = transcript(page).getByRole('group', {
    name: 'Approval: Run rm -rf build && echo cleaned > build.log',
  })
  const edit = transcript(page).getByRole('group', { name: 'Approval: Edit src/math.ts' })
  await expect(command).toBeVisible()
  await expect(edit).toBeVisible()
  await expect(command).toContainText('bash: rm → ask (workspace rule)')
  const risky = command.getByLabel('Command', { exact: true }).locator('mark')
  await expect(risky).toHaveText(['rm -rf', '> build.log'])
  await expect(risky.first()).toHaveAttribute('title', /destructive: rm -rf/)
  await expect(
    command.getByRole('list', { name: 'Subcommands' }).locator(':scope > li'),
  ).toHaveCount(2)
  const badge = page
    .getByRole('tab', { name: 'Clean up the build', exact: true })
    .locator('[data-badge]')
  await expect(badge).toHaveAttribute('data-badge', 'approval')

  // Tall enough to show both questions in the transcript at once.
  await page.setViewportSize({ width: 1400, height: 1400 })
  await transcript(page)
    .getByText('I will clean the build output')
    .evaluate((el) => el.scrollIntoView({ block: 'start' }))
  await page.screenshot({ path: join(REPO_ROOT, 'docs', 'approval.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: join(REPO_ROOT, 'docs', 'approval-dark.png') })
  await page.emulateMedia({ colorScheme: 'light' })

  await command.getByRole('button', { name: 'Reject and stop' }).click()
  await expect(command).toContainText('Rejected and stopped')
  // Stopping the run withdraws the question still open.
  await expect(edit).toContainText('Withdrawn — the run moved on')
  await expect(edit).toHaveAttribute('data-state', 'withdrawn')
})
