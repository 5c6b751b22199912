import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * The rewind timeline in Chromium against the web host whose model is the fake LLM
 * server: points per checkpoint grouped by prompt, files restore and its undo, a conversation
 * rewind that starts a second branch, switching back, and a fork.
 */

let sh: SessionHost

test.beforeAll(async () => {
  sh = await startSessionHost({ files: { 'notes.md': 'zero\n' } })
})
test.afterAll(async () => {
  await sh?.stop()
})
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    ;(window as { __PADDOCK_TEST__?: boolean }).__PADDOCK_TEST__ = true
  })
})

const read = (rel: string): string | null => {
  const p = join(sh.project, rel)
  return existsSync(p) ? readFileSync(p, 'utf8') : null
}

const transcript = (page: Page): Locator => page.getByRole('region', { name: 'Transcript' })
const timeline = (page: Page): Locator => page.getByRole('region', { name: 'Timeline' })

async function prompt(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text)
  await page.getByRole('button', { name: 'Send', exact: true }).click()
}

async function pickMode(page: Page, label: string): Promise<void> {
  const mode = page.getByRole('combobox', { name: 'Mode', exact: true })
  await mode.click()
  await page.getByRole('listbox', { name: 'Modes' }).getByRole('option', { name: label }).click()
  await expect(mode).toHaveText(`Mode${label}`)
}

/** Everything the last request to the fake server said, as text. */
function lastRequest(): string {
  const all = sh.fake.chatRequests()
  return JSON.stringify(all[all.length - 1]?.messages ?? [])
}

/** The point of the first prompt's run that changed notes.md. */
function firstPoint(page: Page): Locator {
  return timeline(page)
    .getByRole('listbox', { name: 'Points on the current branch' })
    .getByRole('group', { name: 'First: write notes' })
    .getByRole('option', { name: /notes\.md/ })
}

async function restoreTo(page: Page, point: Locator, scope: string): Promise<Locator> {
  await point.click()
  await expect(point).toHaveAttribute('aria-selected', 'true')
  await point.press('Enter')
  const dialog = page.getByRole('dialog', { name: 'Restore' })
  await expect(dialog).toBeVisible()
  await dialog.getByRole('radio', { name: scope, exact: true }).check()
  return dialog
}

test('the timeline shows each step; restore files, conversation, both; undo; branch; fork', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1400, height: 1100 })
  await sh.openSession(page, 'Rewind demo')
  await pickMode(page, 'Full auto')
  // A taller timeline, with the keyboard, so both branches show.
  const resize = page.getByRole('separator', { name: 'Resize timeline' })
  await resize.focus()
  for (let i = 0; i < 30 && Number(await resize.getAttribute('aria-valuenow')) > 56; i++) {
    await page.keyboard.press('ArrowUp')
  }
  expect(Number(await resize.getAttribute('aria-valuenow'))).toBeLessThanOrEqual(56)
  sh.fake.script(
    { toolCalls: [{ name: 'write', arguments: { path: 'notes.md', content: 'one\n' } }] },
    { text: 'Wrote one.' },
    {
      toolCalls: [
        { name: 'write', arguments: { path: 'todo.md', content: 'todo\n' } },
        { name: 'write', arguments: { path: 'notes.md', content: 'two\n' } },
      ],
    },
    { text: 'Wrote two.' },
  )
  await prompt(page, 'First: write notes')
  await expect(transcript(page).getByText('Wrote one.')).toBeVisible()
  await prompt(page, 'Second: write todo')
  await expect(transcript(page).getByText('Wrote two.')).toBeVisible()
  expect(read('notes.md')).toBe('two\n')

  // The points, grouped by prompt, with their files.
  const points = timeline(page).getByRole('group', { name: 'Checkpoints' })
  await expect(firstPoint(page)).toBeVisible()
  await expect(firstPoint(page)).toHaveAccessibleName(/after step · notes\.md \+1 −1/)
  // Hovering shows the diff stat.
  await expect(firstPoint(page)).toHaveAttribute(
    'title',
    /^1 files changed, \+1 −1\nmodified notes\.md/,
  )
  const second = points.getByRole('group', { name: 'Second: write todo' })
  await expect(second.getByRole('option', { name: /todo\.md/ }).first()).toBeVisible()

  // Arrow keys step through the points; the selection previews its diff against the working tree.
  await firstPoint(page).click()
  await page.keyboard.press('ArrowRight')
  await expect(firstPoint(page)).toHaveAttribute('aria-selected', 'false')
  await page.keyboard.press('ArrowLeft')
  await expect(firstPoint(page)).toHaveAttribute('aria-selected', 'true')
  await expect(firstPoint(page)).toBeFocused()
  const preview = timeline(page).getByRole('complementary', { name: 'Checkpoint preview' })
  await expect(preview.getByText('-one')).toBeVisible()
  await expect(preview.getByText('+two')).toBeVisible()
  await preview.getByRole('button', { name: 'Previous point' }).click()
  await expect(preview.getByText('+one')).toBeVisible()

  // Restore files to the first point: the dialog lists what is written and deleted.
  let dialog = await restoreTo(page, firstPoint(page), 'Files')
  await expect(dialog.getByRole('list', { name: 'Files written' })).toHaveText('notes.md')
  await expect(dialog.getByRole('list', { name: 'Files deleted' })).toHaveText('todo.md')
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click()
  await expect(dialog).toBeHidden()
  await expect.poll(() => read('notes.md')).toBe('one\n')
  expect(read('todo.md')).toBeNull()
  // The transcript notes the restore.
  await expect(
    transcript(page)
      .getByText(/Restored files to checkpoint/)
      .first(),
  ).toBeVisible()

  // Undo restore: the later state again.
  await timeline(page).getByRole('button', { name: 'Undo restore' }).click()
  await expect.poll(() => read('notes.md')).toBe('two\n')
  expect(read('todo.md')).toBe('todo\n')

  // After a files restore, the next request carries the restore notice.
  dialog = await restoreTo(page, firstPoint(page), 'Files')
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click()
  await expect.poll(() => read('notes.md')).toBe('one\n')
  sh.fake.script({ text: 'I will read the files again.' })
  await prompt(page, 'Third: after the restore')
  await expect(transcript(page).getByText('I will read the files again.')).toBeVisible()
  expect(lastRequest()).toMatch(/\[Paddock note\] The user restored files to checkpoint/)
  expect(lastRequest()).toContain('notes.md')
  await timeline(page).getByRole('button', { name: 'Undo restore' }).click()
  await expect.poll(() => read('notes.md')).toBe('two\n')

  // Rewind the conversation to the first turn and send a new prompt: a second branch, and the
  // request holds only the first turn's history.
  dialog = await restoreTo(page, firstPoint(page), 'Conversation')
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click()
  await expect(transcript(page).getByText('Wrote two.')).toBeHidden()
  await expect(transcript(page).getByText('Wrote one.')).toBeVisible()
  expect(read('notes.md')).toBe('two\n')
  sh.fake.script({ text: 'A different second step.' })
  await prompt(page, 'Second, again: another way')
  await expect(transcript(page).getByText('A different second step.')).toBeVisible()
  const sent = lastRequest()
  expect(sent).toContain('First: write notes')
  expect(sent).toContain('Wrote one.')
  expect(sent).toContain('Second, again: another way')
  expect(sent).not.toContain('Second: write todo')
  expect(sent).not.toContain('Wrote two.')
  expect(sent).not.toContain('Third: after the restore')
  const lanes = points.locator(':scope > [role="group"]')
  await expect(lanes).toHaveCount(2)
  const oldBranch = lanes.nth(1)
  await expect(oldBranch).toContainText('Branch from “First: write notes”')
  await expect(
    oldBranch
      .getByRole('listbox', { name: 'Points on the branch from “First: write notes”' })
      .getByRole('group', { name: 'Second: write todo' }),
  ).toBeVisible()

  // The picture: a timeline with a branch, a point selected.
  await firstPoint(page).click()
  await page.mouse.move(1, 1)
  await page.screenshot({ path: 'docs/timeline.png' })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: 'docs/timeline-dark.png' })
  await page.emulateMedia({ colorScheme: 'light' })

  // Switch back to the old branch: its history is intact.
  await oldBranch.getByRole('button', { name: 'Switch to this branch' }).click()
  await expect(transcript(page).getByText('Wrote two.')).toBeVisible()
  await expect(transcript(page).getByText('Third: after the restore')).toBeVisible()
  await expect(transcript(page).getByText('A different second step.')).toBeHidden()
  sh.fake.script({ text: 'Back on the first branch.' })
  await prompt(page, 'Fourth: on the old branch')
  await expect(transcript(page).getByText('Back on the first branch.')).toBeVisible()
  expect(lastRequest()).toContain('Second: write todo')
  expect(lastRequest()).not.toContain('Second, again: another way')

  // Fork at the first point: a new session tab with the history up to there.
  await firstPoint(page).click()
  await timeline(page).getByRole('button', { name: 'Fork session here' }).click()
  const forkTab = page.getByRole('tab', { name: /Rewind demo \(fork\)/ })
  await expect(forkTab).toBeVisible()
  await expect(forkTab).toHaveAttribute('aria-selected', 'true')
  await expect(transcript(page).getByText('Wrote one.')).toBeVisible()
  await expect(transcript(page).getByText('First: write notes')).toBeVisible()
  await expect(transcript(page).getByText('Wrote two.')).toBeHidden()
})

test('the Restore dialog names files changed outside Paddock and asks before overwriting them', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await sh.openSession(page, 'Outside edits')
  await pickMode(page, 'Full auto')
  sh.fake.script(
    { toolCalls: [{ name: 'write', arguments: { path: 'plan.md', content: 'agent\n' } }] },
    { text: 'Wrote the plan.' },
  )
  await prompt(page, 'Write the plan')
  await expect(transcript(page).getByText('Wrote the plan.')).toBeVisible()
  // The user edits the agent's file and another one in an editor, outside Paddock.
  writeFileSync(join(sh.project, 'plan.md'), 'mine\n')
  writeFileSync(join(sh.project, 'notes.md'), 'my notes\n')

  const point = timeline(page)
    .getByRole('listbox', { name: 'Points on the current branch' })
    .getByRole('group', { name: 'Write the plan' })
    .getByRole('option', { name: /plan\.md/ })
    .first()
  const dialog = await restoreTo(page, point, 'Files')
  const outside = dialog.getByRole('list', { name: 'Files changed outside Paddock' })
  await expect(outside.getByRole('listitem')).toHaveText(['notes.md', 'plan.md'])
  const restore = dialog.getByRole('button', { name: 'Restore', exact: true })
  await expect(restore).toBeDisabled()
  await page.screenshot({ path: join(tmpdir(), 'paddock-restore-outside.png') })

  // Conversation only: no file is touched, nothing to ask.
  await dialog.getByRole('radio', { name: 'Conversation', exact: true }).check()
  await expect(outside).toBeHidden()
  await expect(restore).toBeEnabled()
  await dialog.getByRole('radio', { name: 'Files', exact: true }).check()
  await expect(restore).toBeDisabled()

  await dialog.getByRole('checkbox', { name: 'Overwrite these changes' }).check()
  await restore.click()
  await expect(dialog).toBeHidden()
  await expect.poll(() => read('plan.md')).toBe('agent\n')
  await timeline(page).getByRole('button', { name: 'Undo restore' }).click()
  await expect.poll(() => read('plan.md')).toBe('mine\n')
  expect(read('notes.md')).toBe('my notes\n')
})

/** Screenshots to look at, outside the repository. */
const SHOTS = join(tmpdir(), 'paddock-shots-timeline')

/** `n` numbered lines: a file whose diff is taller than the preview. */
const lines = (tag: string, n: number): string =>
  Array.from({ length: n }, (_, i) => `${tag} line ${i + 1}`).join('\n') + '\n'

test('the timeline follows the newest run, shows a whole diff, folds empty points and shows the branch a rewind left', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await sh.openSession(page, 'Long history')
  await pickMode(page, 'Full auto')
  const runs = 8
  for (let i = 1; i <= runs; i++) {
    sh.fake.script(
      {
        toolCalls: [
          { name: 'write', arguments: { path: `step-${i}.md`, content: lines(`step ${i}`, 60) } },
        ],
      },
      { text: `Wrote step ${i}.` },
    )
    await prompt(page, `Run ${i}: write the step ${i} notes`)
    await expect(transcript(page).getByText(`Wrote step ${i}.`)).toBeVisible()
  }
  const current = timeline(page).getByRole('listbox', { name: 'Points on the current branch' })
  const newest = current
    .getByRole('group', { name: `Run ${runs}: write the step ${runs} notes` })
    .getByRole('option')
    .last()

  // The newest run is in view without scrolling by hand.
  await expect(newest).toBeVisible()
  await expect.soft(newest).toBeInViewport()
  await page.screenshot({ path: join(SHOTS, 'newest-1440.png') })

  // A point that changed nothing is folded: no "no changes +0 −0" card, still reachable.
  await expect.soft(current).not.toContainText('no changes')
  const empty = current.getByRole('option', { name: /no file changes/ }).first()
  await expect(empty).toHaveCount(1)
  await empty.click()
  await expect(empty).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowRight')
  await expect(empty).toHaveAttribute('aria-selected', 'false')
  await page.keyboard.press('ArrowLeft')
  await expect(empty).toBeFocused()

  // The diff can be read on a smaller screen too: its first lines show under the preview's head,
  // and its last line scrolls into view while the head stays.
  await page.setViewportSize({ width: 1280, height: 720 })
  await newest.click()
  const preview = timeline(page).getByRole('complementary', { name: 'Checkpoint preview' })
  const previous = preview.getByRole('button', { name: 'Previous point' })
  await previous.click()
  await expect.soft(preview.getByText(`+step ${runs} line 1`, { exact: true })).toBeInViewport()
  await page.screenshot({ path: join(SHOTS, 'diff-top-1280.png') })
  const lastLine = preview.getByText(`+step ${runs} line 60`, { exact: true })
  await expect(lastLine).toBeAttached()
  await lastLine.scrollIntoViewIfNeeded()
  await expect(lastLine).toBeInViewport()
  await expect.soft(previous).toBeInViewport()
  await page.screenshot({ path: join(SHOTS, 'diff-bottom-1280.png') })
  await page.setViewportSize({ width: 1440, height: 900 })

  // A conversation rewind: the branch it left, with its way back, comes into view.
  const target = current
    .getByRole('group', { name: 'Run 2: write the step 2 notes' })
    .getByRole('option')
    .last()
  const dialog = await restoreTo(page, target, 'Conversation')
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click()
  await expect(dialog).toBeHidden()
  const back = timeline(page).getByRole('button', { name: 'Switch to this branch' })
  await expect.soft(back).toBeInViewport()
  await expect.soft(back).toBeFocused()
  await page.screenshot({ path: join(SHOTS, 'rewind-1440.png') })

  await page.setViewportSize({ width: 1280, height: 720 })
  await page.screenshot({ path: join(SHOTS, 'rewind-1280.png') })
  await back.click()
  await expect(transcript(page).getByText(`Wrote step ${runs}.`)).toBeVisible()
  await expect(newest).toBeInViewport()
  await page.screenshot({ path: join(SHOTS, 'newest-1280.png') })
})

test('a change an undo-restore made is its own point, not the next prompt’s', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await sh.openSession(page, 'Undo credit')
  await pickMode(page, 'Full auto')
  sh.fake.script(
    { toolCalls: [{ name: 'write', arguments: { path: 'credit.md', content: 'one\n' } }] },
    { text: 'Credit one.' },
    { toolCalls: [{ name: 'write', arguments: { path: 'credit.md', content: 'two\n' } }] },
    { text: 'Credit two.' },
  )
  await prompt(page, 'Credit: first')
  await expect(transcript(page).getByText('Credit one.')).toBeVisible()
  await prompt(page, 'Credit: second')
  await expect(transcript(page).getByText('Credit two.')).toBeVisible()
  const current = timeline(page).getByRole('listbox', { name: 'Points on the current branch' })
  const dialog = await restoreTo(
    page,
    current.getByRole('group', { name: 'Credit: first' }).getByRole('option').last(),
    'Files',
  )
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click()
  await expect.poll(() => read('credit.md')).toBe('one\n')
  await timeline(page).getByRole('button', { name: 'Undo restore' }).click()
  await expect.poll(() => read('credit.md')).toBe('two\n')

  sh.fake.script(
    { toolCalls: [{ name: 'write', arguments: { path: 'other.md', content: 'x\n' } }] },
    { text: 'Other written.' },
  )
  await prompt(page, 'Credit: third')
  await expect(transcript(page).getByText('Other written.')).toBeVisible()
  const third = current.getByRole('group', { name: 'Credit: third' })
  await expect(third.getByRole('option', { name: /other\.md/ }).first()).toBeVisible()
  await expect(third.getByRole('option', { name: /credit\.md/ })).toHaveCount(0)
  const undone = current.getByRole('group', { name: 'Undo restore' })
  await expect(undone.getByRole('option', { name: /after undo · credit\.md/ })).toHaveCount(1)
  await page.screenshot({ path: join(SHOTS, 'undo-credit-1440.png') })
})
