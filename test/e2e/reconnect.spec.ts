import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'
import { shootBoth } from './support/screenshots'

/**
 * An open page across a host crash: the web host is killed outright (SIGKILL) and started again on
 * the same port, the page reconnects by itself (no reload), and what it shows is what the new host
 * says — a run that died is over, its running tool call interrupted, and the open diff current.
 */

let sh: SessionHost

test.beforeAll(async () => {
  sh = await startSessionHost()
})
test.afterAll(async () => {
  await sh?.stop()
})

function transcript(page: Page): Locator {
  return page.getByRole('region', { name: 'Transcript' })
}

function changes(page: Page): Locator {
  return page.getByRole('region', { name: 'Changes' })
}

/**
 * Mark the page, so a test can tell it was not reloaded, and note when the page says it lost the
 * host (the banner may come and go faster than a test looks).
 */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as { __notReloaded?: boolean; __sawReconnecting?: boolean }
    w.__notReloaded = true
    w.__sawReconnecting = false
    new MutationObserver(() => {
      if (document.body.textContent?.includes('Reconnecting to the Paddock host')) {
        w.__sawReconnecting = true
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true })
  })
}

async function stillSamePage(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as { __notReloaded?: boolean }).__notReloaded === true)
}

/** The page's connection went down and is back (the banner came and went). */
async function waitReconnected(page: Page): Promise<void> {
  await expect
    .poll(() =>
      page.evaluate(() => (window as { __sawReconnecting?: boolean }).__sawReconnecting === true),
    )
    .toBe(true)
  await expect(page.getByText('Reconnecting to the Paddock host…')).toBeHidden({
    timeout: 30_000,
  })
}

test('after a host crash the reconnected page shows the dead run as interrupted, not running', async ({
  page,
}) => {
  const title = 'Crashed run'
  const sessionId = await sh.openSession(page, title)
  // One turn only: the run dies before it would ask for the next.
  sh.fake.script({ toolCalls: [{ name: 'bash', arguments: { command: 'sleep 30' } }] })
  await sh.client.call('sessions.prompt', { sessionId, text: 'Sleep a while', mode: 'full-auto' })

  const card = transcript(page).getByRole('article', { name: 'Tool call bash: sleep 30' })
  await expect(card).toContainText('running')
  const stop = page.getByRole('button', { name: 'Stop', exact: true })
  await expect(stop).toBeVisible()
  const tab = page.getByRole('tab', { name: title, exact: true })
  await expect(tab.locator('[data-badge]')).toHaveAttribute('data-badge', 'running')
  await markPage(page)

  await sh.crash()
  await waitReconnected(page)

  // The host's truth: the run is over and its command was cut off.
  await expect(card).toContainText('interrupted')
  await expect(card.locator('.spinner')).toHaveCount(0)
  // How long it ran before the crash is unknown: no duration rather than a wrong one.
  await expect(card.locator('.tool-duration')).toHaveCount(0)
  await expect(stop).toHaveCount(0)
  await expect(tab.locator('[data-badge="running"]')).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeVisible()
  expect((await sh.client.call('sessions.status', { sessionId })).running).toBe(false)
  // …without a reload.
  expect(await stillSamePage(page)).toBe(true)

  await shootBoth(page, 'reconnected')
})

test('a question asked before a host crash is still there after the page reconnects, and answering it runs the command', async ({
  page,
}) => {
  const title = 'Crashed question'
  const sessionId = await sh.openSession(page, title)
  sh.fake.script(
    { toolCalls: [{ name: 'bash', arguments: { command: 'touch made-after-crash.txt' } }] },
    { text: 'Made it.' },
  )
  await sh.client.call('sessions.prompt', { sessionId, text: 'Make a file', mode: 'ask' })
  const question = transcript(page).getByRole('group', { name: /^Approval: / })
  await expect(question).toBeVisible()
  const tab = page.getByRole('tab', { name: title, exact: true })
  await expect(tab.locator('[data-badge]')).toHaveAttribute('data-badge', 'approval')
  await markPage(page)

  await sh.crash()
  await waitReconnected(page)

  // The run is over, the question is not: it waits for its answer, as the host says.
  await expect(page.getByRole('button', { name: 'Stop', exact: true })).toHaveCount(0)
  await expect(tab.locator('[data-badge]')).toHaveAttribute('data-badge', 'approval')
  await question.getByRole('button', { name: 'Approve', exact: true }).click()
  await expect(transcript(page).getByText('Made it.')).toBeVisible()
  expect(existsSync(join(sh.project, 'made-after-crash.txt'))).toBe(true)
  await expect(tab.locator('[data-badge="approval"]')).toHaveCount(0)
  expect(await stillSamePage(page)).toBe(true)
})

/** The text the diff editor shows on its modified (right) side. */
function modifiedSide(page: Page): Locator {
  return changes(page).locator('.changes-editor .editor.modified .view-lines:not(.line-delete)')
}

/** Run one scripted write in full-auto (no approval), and wait for the run to end. */
async function agentWrites(sessionId: string, path: string, content: string): Promise<void> {
  sh.fake.script(
    { toolCalls: [{ name: 'write', arguments: { path, content } }] },
    { text: 'Done.' },
  )
  await sh.client.call('sessions.prompt', { sessionId, text: `Write ${path}`, mode: 'full-auto' })
  await expect
    .poll(async () => (await sh.client.call('sessions.status', { sessionId })).running)
    .toBe(false)
}

const math = (op: string): string =>
  `export function add(a: number, b: number): number {\n  return a ${op} b\n}\n`

/** Open the session's Changes on src/math.ts after the agent changed it to `a <op> b`. */
async function openMathDiff(page: Page, title: string, op: string): Promise<string> {
  const sessionId = await sh.openSession(page, title)
  await agentWrites(sessionId, 'src/math.ts', math(op))
  await changes(page)
    .getByRole('option', { name: /src\/math\.ts, modified, \+1 −1/ })
    .click()
  await expect(modifiedSide(page)).toContainText(`return a ${op} b`)
  return sessionId
}

test('the open diff in Changes follows a new edit by the agent to the same file', async ({
  page,
}) => {
  const sessionId = await openMathDiff(page, 'Edited again', '*')
  // The agent changes the same line again (the same +1 −1 against the base).
  await agentWrites(sessionId, 'src/math.ts', math('-'))
  await expect(modifiedSide(page)).toContainText('return a - b')
})

test('the open diff in Changes shows an edit made on disk once the page reconnects after a host crash', async ({
  page,
}) => {
  await openMathDiff(page, 'Edited on disk', '+ 1 +')
  await markPage(page)
  writeFileSync(join(sh.project, 'src/math.ts'), math('%'))
  await sh.crash()
  await waitReconnected(page)
  await expect(modifiedSide(page)).toContainText('return a % b')
  expect(await stillSamePage(page)).toBe(true)
  await shootBoth(page, 'reconnected-diff')
})
