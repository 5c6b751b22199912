import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { REPO_ROOT } from '../support/paths'
import { initRepo } from './support/git-repo'
import { createInDialog } from './support/new-session'
import { shootBoth } from './support/screenshots'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * The command palette and "Go to session" in Chromium against the web host: the keys open them,
 * typing filters, Enter runs, Esc gives focus back, and Settings lists the same keys.
 */

let sh: SessionHost | null = null
test.afterEach(async () => {
  await sh?.stop()
  sh = null
})

const palette = (page: Page) => page.getByRole('dialog', { name: 'Command palette' })
const goTo = (page: Page) => page.getByRole('dialog', { name: 'Go to session' })

test('Ctrl+Shift+P runs any action by name; Ctrl+P goes to a session; Esc gives focus back', async ({
  page,
}) => {
  sh = await startSessionHost()
  const other = join(sh.home, 'website')
  mkdirSync(other, { recursive: true })
  const web = await sh.client.call('workspaces.open', { path: other })
  await sh.client.call('sessions.create', { workspaceId: web.id, title: 'Landing page copy' })
  await sh.openSession(page, 'Fix the parser')

  const composer = page.getByRole('textbox', { name: 'Message' })
  await composer.focus()

  // Ctrl+Shift+P: the palette, its field focused, every action with its keys.
  await page.keyboard.press('Control+Shift+P')
  await expect(palette(page)).toBeVisible()
  const field = palette(page).getByRole('combobox', { name: 'Type a command' })
  await expect(field).toBeFocused()
  const list = palette(page).getByRole('listbox')
  await expect(list.getByRole('option', { name: /Show all commands/ })).toContainText(
    'Ctrl+Shift+P',
  )
  await expect(list.getByRole('option', { name: /Open settings/ })).toContainText('Ctrl+,')
  // What cannot run now is said, not offered.
  const stop = list.getByRole('option', { name: /Stop the agent/ })
  await expect(stop).toHaveAttribute('aria-disabled', 'true')
  await expect(stop).toContainText('not now: the agent is not running')

  await page.setViewportSize({ width: 1440, height: 900 })
  await page.screenshot({ path: join(REPO_ROOT, 'docs', 'palette.png') })
  await shootBoth(page, 'palette-light')
  await page.emulateMedia({ colorScheme: 'dark' })
  await shootBoth(page, 'palette-dark')
  await page.emulateMedia({ colorScheme: 'light' })
  await page.setViewportSize({ width: 1440, height: 900 })

  // Esc closes it and focus is back in the composer.
  await page.keyboard.press('Escape')
  await expect(palette(page)).toBeHidden()
  await expect(composer).toBeFocused()

  // Typing filters fuzzily; the first match is the active option; Enter runs it.
  await page.keyboard.press('Control+Shift+P')
  await expect(field).toBeFocused()
  await field.pressSequentially('nwses')
  const first = list.getByRole('option').first()
  await expect(first).toContainText('New session in place')
  await expect(first).toHaveAttribute('aria-selected', 'true')
  await expect(field).toHaveAttribute('aria-activedescendant', (await first.getAttribute('id'))!)
  await expect(list.getByRole('option', { name: /Open settings/ })).toHaveCount(0)
  // ↓ moves the active option, ↑ comes back.
  await page.keyboard.press('ArrowDown')
  await expect(first).toHaveAttribute('aria-selected', 'false')
  await page.keyboard.press('ArrowUp')
  await expect(first).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Enter')
  await expect(palette(page)).toBeHidden()
  const newSession = page.getByRole('dialog', { name: 'New session' })
  await expect(newSession.getByRole('radio', { name: /In place/ })).toBeChecked()
  const tabs = page.getByRole('tablist', { name: 'Sessions' }).getByRole('tab')
  const before = await tabs.count()
  await createInDialog(page)
  await expect(tabs).toHaveCount(before + 1)
  await expect(tabs.last()).toHaveAttribute('aria-selected', 'true')
  await expect(tabs.last()).not.toHaveText(/Fix the parser/)

  // Ctrl+P: every session of every workspace, by name; the browser's print key stays ours.
  await page.evaluate(() => {
    window.addEventListener('keydown', (e) => {
      if (e.key.toLowerCase() === 'p' && e.ctrlKey && !e.shiftKey)
        document.body.dataset.ctrlP = String(e.defaultPrevented)
    })
  })
  await page.keyboard.press('Control+P')
  await expect(goTo(page)).toBeVisible()
  await expect(page.locator('body')).toHaveAttribute('data-ctrl-p', 'true')
  const sessions = goTo(page).getByRole('listbox')
  await expect(sessions.getByRole('option', { name: /Landing page copy/ })).toContainText('website')
  await goTo(page).getByRole('combobox').pressSequentially('fixpars')
  await expect(sessions.getByRole('option')).toHaveCount(1)
  await page.keyboard.press('Enter')
  await expect(goTo(page)).toBeHidden()
  await expect(page.getByRole('tab', { name: 'Fix the parser', exact: true })).toHaveAttribute(
    'aria-selected',
    'true',
  )

  // A session of another workspace, through the palette's "Go to session…".
  await page.keyboard.press('Control+Shift+P')
  await palette(page).getByRole('combobox').pressSequentially('go to sess')
  await page.keyboard.press('Enter')
  await expect(goTo(page)).toBeVisible()
  await goTo(page).getByRole('combobox').pressSequentially('landing')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('tab', { name: 'Landing page copy', exact: true })).toHaveAttribute(
    'aria-selected',
    'true',
  )

  // Rewind puts focus in the timeline.
  await page.keyboard.press('Control+Shift+P')
  await palette(page).getByRole('combobox').pressSequentially('rewind')
  await page.keyboard.press('Enter')
  await expect(palette(page)).toBeHidden()
  await expect
    .poll(() =>
      page.evaluate(
        () => document.activeElement?.closest('section[aria-label="Timeline"]') !== null,
      ),
    )
    .toBe(true)

  // From a terminal too: it does not swallow the palette's keys, and gets the focus back.
  await runAction(page, 'focus terminal')
  const inTerminal = (): Promise<boolean> =>
    page.evaluate(
      () =>
        document.activeElement?.matches('section[aria-label="Terminal"] .xterm-helper-textarea') ??
        false,
    )
  await expect.poll(inTerminal).toBe(true)
  await page.keyboard.press('Control+P')
  await expect(goTo(page)).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(goTo(page)).toBeHidden()
  await expect.poll(inTerminal).toBe(true)
})

test('Settings → Keyboard shortcuts lists every action with its keys, from the palette too', async ({
  page,
}) => {
  sh = await startSessionHost()
  await sh.openSession(page, 'First')
  await page.keyboard.press('Control+Shift+P')
  await palette(page).getByRole('combobox').pressSequentially('keyboard shortcuts')
  await page.keyboard.press('Enter')
  const section = page
    .getByRole('region', { name: 'Settings' })
    .getByRole('region', { name: 'Keyboard shortcuts', exact: true })
  await expect(section).toBeVisible()
  const table = section.getByRole('table', { name: 'Keyboard shortcuts' })
  await expect(table.getByRole('row', { name: /Show all commands/ })).toContainText('Ctrl+Shift+P')
  await expect(table.getByRole('row', { name: /Go to session/ })).toContainText('Ctrl+P')
  await expect(table.getByRole('row', { name: /Open settings/ })).toContainText('Ctrl+,')
  await expect(table.getByRole('row', { name: /Close tab/ })).toContainText('Ctrl+W')
  await expect(table.getByRole('row', { name: /Stop the agent/ })).toContainText('Esc')
  await shootBoth(page, 'settings-shortcuts')
})

/** Run an action by typing its name into the palette and pressing Enter. */
async function runAction(page: Page, typed: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P')
  await palette(page).getByRole('combobox').pressSequentially(typed)
  await page.keyboard.press('Enter')
  await expect(palette(page)).toBeHidden()
}

test('the pending request is approved from the palette, and Stop is offered while it waits', async ({
  page,
}) => {
  sh = await startSessionHost()
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
  const sessionId = await sh.openSession(page, 'Approve from the palette')
  const message = page.getByRole('textbox', { name: 'Message' })
  await message.fill('Mark the add function as checked')
  await message.press('Control+Enter')
  const transcript = page.getByRole('region', { name: 'Transcript' })
  const card = transcript.getByRole('group', { name: 'Approval: Edit src/math.ts' })
  await expect(card).toBeVisible()

  await page.keyboard.press('Control+Shift+P')
  const list = palette(page).getByRole('listbox')
  await expect(list.getByRole('option', { name: /Stop the agent/ })).not.toHaveAttribute(
    'aria-disabled',
    'true',
  )
  await page.keyboard.press('Escape')
  await runAction(page, 'approve')
  await expect
    .poll(() => readFileSync(join(sh!.project, 'src/math.ts'), 'utf8'))
    .toContain('return a + b // checked')
  await expect(card).toHaveAttribute('data-state', 'approved')
  await expect(transcript).toContainText('Marked it as checked.')
  const answers = (await sh.client.call('sessions.entries', { sessionId }))
    .filter((e) => e.type === 'approval')
    .map((e) => e.payload as { kind?: string; answer?: string })
    .filter((p) => p.kind === 'answer')
  expect(answers).toEqual([expect.objectContaining({ answer: 'allow_once' })])
})

test('"New session in a worktree" opens the dialog with the worktree chosen', async ({ page }) => {
  sh = await startSessionHost({ prepare: ({ project }) => initRepo(project) })
  await sh.openSession(page, 'Main line')
  await runAction(page, 'new session worktree')
  const dialog = page.getByRole('dialog', { name: 'New session' })
  await expect(dialog.getByRole('radio', { name: /New worktree/ })).toBeChecked()
  await expect(dialog.getByRole('combobox', { name: 'Base branch' })).toBeVisible()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
  // And "in place" chooses in place, whatever the workspace chose last.
  await runAction(page, 'new session in place')
  await expect(dialog.getByRole('radio', { name: /In place/ })).toBeChecked()
  await expect(dialog.getByRole('radio', { name: /New worktree/ })).toBeEnabled()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
})

test('rename and delete the shown session from the palette, through the sidebar’s own flows', async ({
  page,
}) => {
  sh = await startSessionHost()
  await sh.openSession(page, 'Keep me')
  await sh.openSession(page, 'Old name')
  const sidebar = page.getByRole('navigation', { name: 'Workspaces' })

  await runAction(page, 'rename session')
  const title = sidebar.getByRole('textbox', { name: 'Session title' })
  await expect(title).toBeFocused()
  await title.fill('Short-lived')
  await title.press('Enter')
  await expect(page.getByRole('tab', { name: 'Short-lived', exact: true })).toBeVisible()

  await runAction(page, 'delete session')
  const confirm = sidebar.getByRole('button', { name: 'Delete', exact: true })
  await expect(confirm).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(sidebar.getByRole('button', { name: 'Short-lived', exact: true })).toHaveCount(0)
  await expect(sidebar.getByRole('button', { name: 'Keep me', exact: true })).toBeVisible()
})
