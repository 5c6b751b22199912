import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions'
import { REPO_ROOT } from '../support/paths'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * Diff review in Chromium against the web host whose model is the fake LLM server:
 * edits waiting for approval open in Monaco's diff editor; the user approves, rejects, or rewrites
 * the proposal before approving.
 */

let sh: SessionHost

const TWO_BEFORE =
  Array.from({ length: 20 }, (_, i) => `export const v${i + 1} = ${i + 1}`).join('\n') + '\n'
/** Two changes far apart: line 2 and line 18. */
const TWO_AFTER = TWO_BEFORE.replace('v2 = 2', 'v2 = 200').replace('v18 = 18', 'v18 = 1800')

test.beforeAll(async () => {
  sh = await startSessionHost({
    files: {
      'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b\n}\n',
      'src/strings.ts': "export const greeting = 'hello'\n",
      'src/names.ts': "export const name = 'paddock'\n",
      'src/two.ts': TWO_BEFORE,
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
  // The proposed line itself: in the inline layout a narrow card gets, the removed line is drawn
  // in a zone of the same editor, and a click there does not give the editor the caret.
  const modified = diff
    .locator('.editor.modified .view-lines .view-line')
    .filter({ hasText: /'Paddock'/ })
  // Click into the proposed text until it has the caret: keys typed elsewhere would reach the
  // card (where "n" means reject).
  await expect(async () => {
    await modified.click()
    expect(
      await page.evaluate(() => document.activeElement?.closest('.editor.modified') != null),
    ).toBe(true)
  }).toPass({ timeout: 15_000 })
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

function changes(page: Page): Locator {
  return page.getByRole('region', { name: 'Changes' })
}

/** Run one scripted write in full-auto (no approval), and wait for the run to end. */
async function agentWrites(
  sessionId: string,
  writes: Array<{ path: string; content: string }>,
): Promise<void> {
  sh.fake.script(
    { toolCalls: writes.map((w) => ({ name: 'write', arguments: w })) },
    { text: 'Wrote it.' },
  )
  await sh.client.call('sessions.prompt', { sessionId, text: 'Write the files', mode: 'full-auto' })
  await expect
    .poll(async () => (await sh.client.call('sessions.status', { sessionId })).running, {
      timeout: 150_000,
    })
    .toBe(false)
}

test('revert one hunk of a two-hunk change from the Changes panel: only that hunk goes back', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1600, height: 1000 })
  const sessionId = await sh.openSession(page, 'Revert a hunk')
  await agentWrites(sessionId, [{ path: 'src/two.ts', content: TWO_AFTER }])
  await expect.poll(() => read('src/two.ts')).toBe(TWO_AFTER)
  const panel = changes(page)
  await expect(panel.getByRole('option', { name: /src\/two\.ts, modified, \+2 −2/ })).toBeVisible()
  await panel.getByRole('option', { name: /src\/two\.ts/ }).click()
  const bar = panel.getByRole('toolbar', { name: 'Changes in this file' })
  await expect(bar).toContainText('Change 1 of 2: line 2')
  await page.screenshot({ path: join(REPO_ROOT, 'docs/review.png') })
  await bar.getByRole('button', { name: 'Next change' }).click()
  await expect(bar).toContainText('Change 2 of 2: line 18')
  await bar.getByRole('button', { name: 'Revert change' }).click()
  const expected = TWO_BEFORE.replace('v2 = 2', 'v2 = 200')
  await expect.poll(() => read('src/two.ts')).toBe(expected)
  await expect(bar).toContainText('Change 1 of 1: line 2')
  // The revert is a restore: undo puts the hunk back.
  await sh.client.call('checkpoints.undoRestore', { sessionId })
  expect(read('src/two.ts')).toBe(TWO_AFTER)
})

test('two line comments and "Send review": the next request holds both with path:line', async ({
  page,
}) => {
  const sessionId = await sh.openSession(page, 'Line comments')
  const after = TWO_AFTER.replace('v5 = 5', 'v5 = 55')
  await agentWrites(sessionId, [{ path: 'src/two.ts', content: after }])
  const panel = changes(page)
  await panel.getByRole('option', { name: /src\/two\.ts/ }).click()
  const editor = panel.getByRole('region', { name: 'Diff of src/two.ts' })
  await expect(editor.locator('.editor.modified .view-lines').first()).toBeVisible()
  // Click the line numbers of lines 2 and 5 on the modified side.
  for (const [line, text] of [
    [2, 'Why 200?'],
    [5, 'Keep this one at 5.'],
  ] as const) {
    await editor
      .locator('.editor.modified .line-numbers')
      .getByText(String(line), { exact: true })
      .click()
    const box = panel.getByRole('textbox', { name: `Comment on src/two.ts:${line}` })
    await box.fill(text)
    await panel.getByRole('button', { name: 'Add comment' }).click()
  }
  const tray = panel.getByRole('region', { name: 'Review comments' })
  await expect(tray).toContainText('src/two.ts:2')
  await expect(tray).toContainText('src/two.ts:5')
  sh.fake.script({ text: 'Thanks for the review.' })
  const before = sh.fake.chatRequests().length
  await tray.getByRole('button', { name: /Send review/ }).click()
  await expect.poll(() => sh.fake.chatRequests().length).toBe(before + 1)
  const last = JSON.stringify(sh.fake.chatRequests()[before]!.messages.at(-1))
  expect(last).toContain('src/two.ts:2')
  expect(last).toContain('> export const v2 = 200')
  expect(last).toContain('Why 200?')
  expect(last).toContain('src/two.ts:5')
  expect(last).toContain('Keep this one at 5.')
  await expect(tray).toHaveCount(0)
})

test('switching between 200 files keeps Monaco models bounded and the heap flat', async ({
  page,
}) => {
  test.setTimeout(400_000)
  // A base checkpoint, then 200 new files on disk (as a build step or the agent would leave them).
  const workspaceId = await sh.openProject()
  const session = await sh.client.call('sessions.create', {
    workspaceId,
    title: 'Two hundred files',
  })
  await sh.client.call('checkpoints.create', { sessionId: session.id })
  for (let i = 0; i < 200; i++) {
    const rel = `many/f${String(i).padStart(3, '0')}.ts`
    mkdirSync(join(sh.project, 'many'), { recursive: true })
    writeFileSync(
      join(sh.project, rel),
      Array.from({ length: 50 }, (_, j) => `export const x${j} = ${i * j}`).join('\n'),
    )
  }
  if (page.url() === 'about:blank') await page.goto(sh.host.url)
  await page
    .getByRole('navigation', { name: 'Workspaces' })
    .getByRole('button', { name: session.title, exact: true })
    .click()
  const panel = changes(page)
  // No session wrote them: they show once the list is not limited to this session's files.
  await expect(panel).toContainText('This session changed none of the 200 files')
  await panel.getByRole('checkbox', { name: 'Changed by this session' }).uncheck()
  const list = panel.getByRole('listbox', { name: 'Changed files' })
  await expect(list.getByRole('option')).toHaveCount(200)
  await list.getByRole('option').first().click()
  const cdp = await page.context().newCDPSession(page)
  const heap = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage')
    return (await cdp.send('Runtime.getHeapUsage')).usedSize
  }
  const models = (): Promise<number> =>
    page.evaluate(
      () =>
        (window as { __paddockMonaco?: { modelCount(): number } }).__paddockMonaco?.modelCount() ??
        -1,
    )
  // Every file once, down the list (199 switches), then every file again back up.
  const lap = async (key: 'ArrowDown' | 'ArrowUp'): Promise<void> => {
    for (let i = 0; i < 199; i++) await list.press(key)
    const end =
      key === 'ArrowDown' ? list.getByRole('option').last() : list.getByRole('option').first()
    await expect(end).toHaveAttribute('aria-selected', 'true')
  }
  await lap('ArrowDown')
  await expect(
    panel
      .getByRole('region', { name: /^Diff of many\// })
      .locator('.view-lines')
      .first(),
  ).toBeVisible()
  const firstHeap = await heap()
  const firstModels = await models()
  expect(firstModels).toBeGreaterThan(0)
  expect(firstModels).toBeLessThanOrEqual(4)
  await lap('ArrowUp')
  await expect(
    panel
      .getByRole('region', { name: /^Diff of many\// })
      .locator('.view-lines')
      .first(),
  ).toBeVisible()
  expect(await models()).toBeLessThanOrEqual(4)
  const lastHeap = await heap()
  // Flat: 199 more switches may not grow the heap by more than a few MB.
  expect(lastHeap - firstHeap).toBeLessThan(8 * 1024 * 1024)
})
