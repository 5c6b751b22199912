import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { REPO_ROOT } from '../support/paths'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'
import { shootBoth } from './support/screenshots'

/**
 * The Agents view against the web host whose model is the fake LLM server: sessions in every
 * state, listed with what needs the user first, and a question answered from the list lets the
 * agent go on.
 */

let sh: SessionHost

test.beforeAll(async () => {
  sh = await startSessionHost({
    files: {
      'README.md': '# Demo\n\nA small project.\n',
      'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b\n}\n',
    },
  })
})
test.afterAll(async () => {
  await sh?.stop()
})

const read = (rel: string): string => readFileSync(join(sh.project, rel), 'utf8')

function agentsList(page: Page): Locator {
  return page.getByRole('list', { name: 'Sessions, what needs you first' })
}

function row(page: Page, title: string): Locator {
  return agentsList(page).getByRole('listitem', { name: title, exact: true })
}

/** Start a run through the contract (the composer is not what this test is about). */
async function run(
  workspaceId: string,
  title: string,
  text: string,
  mode?: 'full-auto',
): Promise<string> {
  const session = await sh.client.call('sessions.create', { workspaceId, title })
  await sh.client.call('sessions.prompt', {
    sessionId: session.id,
    text,
    ...(mode ? { mode } : {}),
  })
  return session.id
}

async function idle(sessionId: string): Promise<void> {
  await expect
    .poll(async () => (await sh.client.call('sessions.status', { sessionId })).running)
    .toBe(false)
}

test('the Agents view lists every state, needs-you first; approving there lets the agent go on', async ({
  page,
}) => {
  const ws = await sh.openProject()
  await sh.client.call('sessions.create', { workspaceId: ws, title: 'Quiet one' })
  await page.goto(sh.host.url)
  await page.setViewportSize({ width: 1440, height: 900 })
  const sidebar = page.getByRole('navigation', { name: 'Workspaces' })
  await sidebar.getByRole('button', { name: /^Agents/ }).click()
  await expect(page.getByRole('heading', { name: 'Agents', level: 1 })).toBeVisible()
  await expect(row(page, 'Quiet one')).toContainText('idle')

  sh.fake.script({ error: { status: 400, message: 'The request was malformed.' } })
  const broke = await run(ws, 'Broke', 'Do something')
  await idle(broke)
  await expect(row(page, 'Broke')).toHaveAttribute('data-state', 'failed')

  sh.fake.script({ text: 'I read the README. Should I also add a section about tests?' })
  const asks = await run(ws, 'Asks a question', 'Look at the README')
  await idle(asks)
  await expect(row(page, 'Asks a question')).toHaveAttribute('data-state', 'waiting_input')

  sh.fake.script(
    { toolCalls: [{ name: 'write', arguments: { path: 'notes.md', content: '# Notes\n' } }] },
    { text: 'Wrote notes.md.' },
  )
  const wrote = await run(ws, 'Wrote notes', 'Write notes.md', 'full-auto')
  await idle(wrote)
  await expect(row(page, 'Wrote notes')).toHaveAttribute('data-state', 'finished_unreviewed')

  // A long command keeps one agent running (it is stopped from the list at the end).
  sh.fake.script({ toolCalls: [{ name: 'bash', arguments: { command: 'sleep 300' } }] })
  await run(ws, 'Long runner', 'Wait a while', 'full-auto')
  await expect(row(page, 'Long runner')).toHaveAttribute('data-state', 'running')
  await expect(row(page, 'Long runner')).toContainText('bash')

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
  const asking = await run(ws, 'Needs a yes', 'Mark the add function as checked')
  const yes = row(page, 'Needs a yes')
  await expect(yes).toContainText('waiting for approval')
  const question = yes.getByRole('group', { name: 'Approval: Edit src/math.ts' })
  await expect(question).toBeVisible()
  // The sidebar counts who waits on the user: the question, the question asked, the failure.
  await expect(sidebar.getByRole('button', { name: 'Agents, 3 waiting on you' })).toBeVisible()

  // What needs the user first: approval, input, failed, finished, running, idle.
  await expect(agentsList(page).getByRole('heading', { level: 3 })).toHaveText([
    'Needs a yes',
    'Asks a question',
    'Broke',
    'Wrote notes',
    'Long runner',
    'Quiet one',
  ])
  await expect(row(page, 'Long runner').getByRole('button', { name: 'Stop' })).toBeVisible()
  await page.screenshot({ path: join(REPO_ROOT, 'docs', 'agents.png') })
  await shootBoth(page, 'agents')
  await page.emulateMedia({ colorScheme: 'dark' })
  await shootBoth(page, 'agents-dark')
  await page.emulateMedia({ colorScheme: 'light' })
  await page.setViewportSize({ width: 1440, height: 900 })

  // Approving in the list answers the question: the edit is made and the agent goes on.
  await question.getByRole('button', { name: 'Approve', exact: true }).click()
  await expect.poll(() => read('src/math.ts')).toContain('return a + b // checked')
  await idle(asking)
  await expect(yes).not.toHaveAttribute('data-state', 'waiting_approval')
  await expect(yes.getByRole('group', { name: /^Approval: / })).toHaveCount(0)
  const entries = await sh.client.call('sessions.entries', { sessionId: asking })
  expect(
    entries
      .filter((e) => e.type === 'approval')
      .map((e) => e.payload)
      .filter((p) => (p as { kind?: string }).kind === 'answer'),
  ).toEqual([expect.objectContaining({ answer: 'allow_once' })])
  expect(entries.some((e) => JSON.stringify(e.payload).includes('Marked it as checked.'))).toBe(
    true,
  )

  // Stop from the list; then the stopped run can be continued from there too.
  await row(page, 'Long runner').getByRole('button', { name: 'Stop' }).click()
  await expect(row(page, 'Long runner')).toHaveAttribute('data-state', 'idle')
  await expect(row(page, 'Long runner').getByRole('button', { name: 'Continue' })).toBeVisible()

  // Open goes to the session and the view steps aside.
  await row(page, 'Broke').getByRole('button', { name: 'Open', exact: true }).click()
  await expect(page.getByRole('tab', { name: 'Broke', exact: true })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await expect(agentsList(page)).toHaveCount(0)
})
