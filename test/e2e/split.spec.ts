import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { REPO_ROOT } from '../support/paths'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * Several sessions on screen at once, in Chromium against the web host whose model is the fake
 * LLM: two side by side running together, the 2×2 grid, the pane keys (Alt+1…4 here, F6), a
 * maximised pane, collapsed panels, and a reload that brings the same layout back.
 */

let sh: SessionHost | null = null
test.afterEach(async () => {
  await sh?.stop()
  sh = null
})

const sidebar = (page: Page): Locator => page.getByRole('navigation', { name: 'Workspaces' })
/** Every session pane on screen. */
const panes = (page: Page): Locator => page.locator('.main-sessions .session-view:visible')
/** A session's pane (labelled by its tab, whose name is the session's title). */
const pane = (page: Page, title: string): Locator =>
  page.getByRole('tabpanel', { name: title, exact: true })
const composer = (page: Page, title: string): Locator =>
  pane(page, title).getByRole('textbox', { name: 'Message' })
const transcript = (page: Page, title: string): Locator =>
  pane(page, title).getByRole('region', { name: 'Transcript' })

/**
 * The docs' pictures: docs/<name>.png (1440×900, light), -dark, -1280 and -1280-dark; the page
 * is back at 1440×900, light, afterwards.
 */
async function docShots(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    const suffix = scheme === 'dark' ? '-dark' : ''
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.screenshot({ path: join(REPO_ROOT, 'docs', `${name}${suffix}.png`) })
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.screenshot({ path: join(REPO_ROOT, 'docs', `${name}-1280${suffix}.png`) })
  }
  await page.emulateMedia({ colorScheme: 'light' })
  await page.setViewportSize({ width: 1440, height: 900 })
}

async function sessions(titles: string[]): Promise<string[]> {
  const ws = await sh!.openProject()
  const ids: string[] = []
  for (const title of titles)
    ids.push((await sh!.client.call('sessions.create', { workspaceId: ws, title })).id)
  return ids
}

test('two sessions side by side run at once until both answer; the layout comes back on reload', async ({
  page,
}) => {
  sh = await startSessionHost()
  await sessions(['Parser fix', 'Docs pass'])
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(sh.host.url)
  await sidebar(page).getByRole('button', { name: 'Parser fix', exact: true }).click()
  await expect(pane(page, 'Parser fix')).toBeVisible()

  // Mark the first pane's transcript and changes: opening a pane beside it (which collapses its
  // Terminal and Timeline) must not remount them (a remount loses scroll, selection, the editor).
  for (const region of ['Transcript', 'Changes'])
    await pane(page, 'Parser fix')
      .getByRole('region', { name: region })
      .evaluate((el) => el.setAttribute('data-kept', 'yes'))

  // The sidebar's split button opens the second session beside the first, focused.
  await sidebar(page).getByRole('button', { name: 'Open Docs pass to the side' }).click()
  await expect(panes(page)).toHaveCount(2)
  await expect(pane(page, 'Docs pass')).toHaveAttribute('data-pane', '2')
  await expect(page.getByRole('tab', { name: 'Docs pass' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await expect(page.getByRole('tab', { name: 'Parser fix' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  // Each pane keeps its own transcript region and composer.
  await expect(transcript(page, 'Parser fix')).toBeVisible()
  for (const region of ['Transcript', 'Changes'])
    await expect(pane(page, 'Parser fix').getByRole('region', { name: region })).toHaveAttribute(
      'data-kept',
      'yes',
    )
  await expect(transcript(page, 'Docs pass')).toBeVisible()

  // Both agents wait on the model together, then both answer.
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  sh.fake.script({ text: 'The parser now accepts trailing commas.', gate })
  sh.fake.script({ text: 'The docs now describe the new flag.', gate })
  await composer(page, 'Parser fix').fill('Fix the parser')
  await composer(page, 'Parser fix').press('Control+Enter')
  await expect.poll(() => sh!.fake.requests.length).toBe(1)
  await composer(page, 'Docs pass').fill('Update the docs')
  await composer(page, 'Docs pass').press('Control+Enter')
  await expect.poll(() => sh!.fake.requests.length).toBe(2)
  for (const title of ['Parser fix', 'Docs pass'])
    await expect(pane(page, title).getByRole('button', { name: 'Stop' })).toBeVisible()
  release()
  await expect(transcript(page, 'Parser fix')).toContainText('accepts trailing commas')
  await expect(transcript(page, 'Docs pass')).toContainText('describe the new flag')

  // Alt+1 / Alt+2 (the browser keeps Ctrl+1…8) and F6 move between panes, into the composer.
  await page.keyboard.press('Alt+1')
  await expect(composer(page, 'Parser fix')).toBeFocused()
  await page.keyboard.press('F6')
  await expect(composer(page, 'Docs pass')).toBeFocused()
  await page.keyboard.press('Shift+F6')
  await expect(composer(page, 'Parser fix')).toBeFocused()

  // Side by side, a pane collapses the Timeline and the Terminal first; the toggles bring them.
  const tools = pane(page, 'Parser fix').getByRole('group', { name: 'Panels of Parser fix' })
  await expect(tools.getByRole('button', { name: 'Timeline' })).toHaveAttribute(
    'aria-pressed',
    'false',
  )
  await expect(tools.getByRole('button', { name: 'Changes' })).toHaveAttribute(
    'aria-pressed',
    'true',
  )
  await expect(pane(page, 'Parser fix').getByRole('region', { name: 'Changes' })).toBeVisible()
  await tools.getByRole('button', { name: 'Terminal' }).click()
  await expect(pane(page, 'Parser fix').getByRole('region', { name: 'Terminal' })).toBeVisible()

  await docShots(page, 'split')
  await page.setViewportSize({ width: 1440, height: 900 })

  // Ctrl+Shift+Enter maximises the focused pane; the other stays open, hidden; again restores.
  await composer(page, 'Parser fix').focus()
  await page.keyboard.press('Control+Shift+Enter')
  await expect(pane(page, 'Docs pass')).toBeHidden()
  await expect(composer(page, 'Parser fix')).toBeFocused()
  await page.keyboard.press('Control+Shift+Enter')
  await expect(pane(page, 'Docs pass')).toBeVisible()

  // The host keeps the layout: a reload (a new page, even) comes back the same.
  await page.reload()
  await expect(panes(page)).toHaveCount(2)
  await expect(pane(page, 'Parser fix')).toHaveAttribute('data-pane', '1')
  await expect(pane(page, 'Docs pass')).toHaveAttribute('data-pane', '2')
  await expect(pane(page, 'Parser fix').getByRole('region', { name: 'Terminal' })).toBeVisible()
  const fresh = await page.context().browser()!.newPage()
  await fresh.goto(sh.host.url)
  await expect(panes(fresh)).toHaveCount(2)
  await fresh.close()

  // Closing a pane keeps its session's tab.
  await pane(page, 'Docs pass').getByRole('button', { name: 'Close pane Docs pass' }).click()
  await expect(panes(page)).toHaveCount(1)
  await expect(page.getByRole('tab', { name: 'Docs pass' })).toBeVisible()
  await expect(page.getByRole('tab', { name: 'Docs pass' })).toHaveAttribute(
    'aria-selected',
    'false',
  )

  // The Agents view opens a session to the side as well, and steps aside.
  await sidebar(page)
    .getByRole('button', { name: /^Agents/ })
    .click()
  await page
    .getByRole('list', { name: 'Sessions, what needs you first' })
    .getByRole('button', { name: 'Open Docs pass to the side' })
    .click()
  await expect(panes(page)).toHaveCount(2)
  await expect(composer(page, 'Docs pass')).toBeVisible()

  // The palette reaches a collapsed panel: "Focus timeline" shows the focused pane's Timeline.
  await expect(pane(page, 'Docs pass').getByRole('region', { name: 'Timeline' })).toHaveCount(0)
  await page.keyboard.press('Control+Shift+P')
  await page.getByRole('combobox', { name: 'Type a command' }).fill('focus timeline')
  await page.keyboard.press('Enter')
  await expect(pane(page, 'Docs pass').getByRole('region', { name: 'Timeline' })).toBeVisible()
})

test('the 2×2 grid: four sessions, Ctrl+\\ splits with the next tab, a deleted one leaves cleanly', async ({
  page,
}) => {
  sh = await startSessionHost()
  const titles = ['Parser fix', 'Docs pass', 'Flaky test', 'Release notes']
  const ids = await sessions(titles)
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(sh.host.url)
  for (const title of titles)
    await sidebar(page).getByRole('button', { name: title, exact: true }).click()
  // Four tabs, one pane (the last opened); Ctrl+\ opens the next tabs beside it.
  await expect(panes(page)).toHaveCount(1)
  await composer(page, 'Release notes').focus()
  for (const count of [2, 3, 4]) {
    await page.keyboard.press('Control+\\')
    await expect(panes(page)).toHaveCount(count)
  }
  for (const title of titles) await expect(transcript(page, title)).toBeVisible()
  // Alt+3 reaches the third pane's composer.
  await page.keyboard.press('Alt+3')
  await expect(
    page.locator('.session-view[data-pane="3"]').getByRole('textbox', { name: 'Message' }),
  ).toBeFocused()

  await docShots(page, 'grid')

  // A session deleted elsewhere leaves its pane and tab; the others stay where they were.
  await sh.client.call('sessions.delete', { sessionId: ids[1]! })
  await expect(panes(page)).toHaveCount(3)
  await expect(page.getByRole('tab', { name: 'Docs pass' })).toHaveCount(0)
  await page.reload()
  await expect(panes(page)).toHaveCount(3)
})
