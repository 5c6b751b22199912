import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'
import { agentWrites } from './support/agent-writes'
import { shootBoth } from './support/screenshots'

/**
 * The Changes panel's "Revert all", in Chromium against the web host whose model is the fake LLM
 * server: this session's files by default, and a confirmation that names every file it touches.
 */

let sh: SessionHost

const FILES = {
  'README.md': '# Demo\n\nA small project.\n',
  'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b\n}\n',
  'notes.txt': 'first\n',
}

test.beforeEach(async () => {
  sh = await startSessionHost({ files: FILES })
})
test.afterEach(async () => {
  await sh?.stop()
})

const read = (rel: string): string => readFileSync(join(sh.project, rel), 'utf8')

function changes(page: Page): Locator {
  return page.getByRole('region', { name: 'Changes' })
}

test('Revert all: this session by default; asks first, naming other sessions’ files', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  const mine = await sh.openSession(page, 'Mine')
  await agentWrites(sh, mine, 'README.md', '# Demo, by mine\n')
  // Another session changes a file afterwards: it differs from Mine's first checkpoint too.
  const ws = await sh.openProject()
  const other = await sh.client.call('sessions.create', { workspaceId: ws, title: 'Other work' })
  await agentWrites(sh, other.id, 'src/math.ts', 'export const other = 1\n')

  const panel = changes(page)
  const filter = panel.getByRole('checkbox', { name: 'Changed by this session' })
  await expect(filter).toBeChecked()
  const list = panel.getByRole('listbox', { name: 'Changed files' })
  await expect(list.getByRole('option')).toHaveCount(1)
  await expect(list.getByRole('option', { name: /README\.md/ })).toBeVisible()

  // This session's files only: the dialog lists them and nothing else.
  await panel.getByRole('button', { name: 'Revert all…' }).click()
  let dialog = page.getByRole('dialog', { name: 'Revert 1 file?' })
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('region', { name: 'Changed by this session' })).toContainText(
    'README.md',
  )
  await expect(dialog.getByRole('region', { name: 'Changed by other sessions' })).toHaveCount(0)
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()

  // Every file: the other session's file is named, with the session that changed it.
  await filter.uncheck()
  await expect(list.getByRole('option')).toHaveCount(2)
  await panel.getByRole('button', { name: 'Revert all…' }).click()
  dialog = page.getByRole('dialog', { name: 'Revert 2 files?' })
  await expect(dialog).toBeVisible()
  const others = dialog.getByRole('region', { name: 'Changed by other sessions' })
  await expect(others.getByRole('listitem')).toHaveText(['src/math.ts — changed by “Other work”'])
  await expect(others.getByRole('alert')).toContainText('reverting undoes their work')
  await expect(dialog.getByRole('region', { name: 'Changed by this session' })).toContainText(
    'README.md',
  )
  await shootBoth(page, 'revert-all-dialog')

  // Cancel: nothing changes.
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  expect(read('README.md')).toBe('# Demo, by mine\n')
  expect(read('src/math.ts')).toBe('export const other = 1\n')

  // Confirm: both files go back.
  await panel.getByRole('button', { name: 'Revert all…' }).click()
  await page
    .getByRole('dialog', { name: 'Revert 2 files?' })
    .getByRole('button', {
      name: 'Revert 2 files',
    })
    .click()
  await expect.poll(() => read('README.md')).toBe(FILES['README.md'])
  await expect.poll(() => read('src/math.ts')).toBe(FILES['src/math.ts'])
  await expect(panel.getByRole('status')).toHaveText('Reverted 2 files.')
})
