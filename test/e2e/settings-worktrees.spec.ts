import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { REPO_ROOT } from '../support/paths'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'
import { initRepo } from './support/git-repo'
import { shootBoth } from './support/screenshots'

/**
 * Settings → Worktrees in Chromium against the web host, on a real git repository: the folder
 * setting, every worktree with its size, a deleted session restored into the sidebar with its
 * files, and a worktree folder removed by hand shown as missing, then pruned.
 */

let sh: SessionHost | null = null
test.afterEach(async () => {
  await sh?.stop()
  sh = null
})

async function openWorktreesSettings(page: Page): Promise<Locator> {
  await page.goto(sh!.host.url)
  await expect(
    page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
  ).toBeVisible()
  await page.keyboard.press('Control+Comma')
  const settings = page.getByRole('region', { name: 'Settings' })
  await settings
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'Worktrees', exact: true })
    .click()
  const section = settings.getByRole('region', { name: 'Worktrees', exact: true })
  await expect(section.getByRole('heading', { name: 'Worktrees', level: 2 })).toBeVisible()
  return section
}

test('Worktrees: folder setting, sizes, restore a deleted session, prune a missing folder', async ({
  page,
}) => {
  sh = await startSessionHost({ prepare: ({ project }) => initRepo(project) })
  const ws = await sh.openProject()
  const create = (title: string) =>
    sh!.client.call('sessions.create', { workspaceId: ws, title, place: 'worktree' })
  const login = await create('Login form')
  const spare = await create('Spare idea')
  const old = await create('Old experiment')
  expect(login.worktree).not.toBeNull()
  const loginPath = login.worktree!.path
  // Uncommitted work: it has a size, and deleting needs force (it is saved first).
  writeFileSync(join(loginPath, 'login.ts'), `export const form = '${'x'.repeat(6000)}'\n`)
  await sh.client.call('sessions.delete', { sessionId: old.id, force: true })

  const section = await openWorktreesSettings(page)

  // The folder setting is checked with its schema; an absolute path is stored.
  const folder = section.getByRole('textbox', { name: 'Worktrees folder' })
  await expect(folder).toHaveValue('')
  await folder.fill('relative/worktrees')
  await section.getByRole('button', { name: 'Save' }).click()
  await expect(section.getByText('must be an absolute path')).toBeVisible()
  await expect(folder).toHaveAttribute('aria-invalid', 'true')
  await folder.fill('~/worktrees')
  await section.getByRole('button', { name: 'Save' }).click()
  await expect(section.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible()
  const stored = await sh.client.call('settings.get', {})
  expect(stored.values['worktrees.dir']).toBe('~/worktrees')

  // Every worktree, with its branch, session and size.
  const table = section.getByRole('table', { name: 'Worktrees' })
  const loginRow = table.getByRole('row').filter({ hasText: 'Login form' })
  await expect(loginRow).toContainText('paddock/login-form')
  await expect(loginRow).toContainText(/\d+(\.\d)? KB/)
  await expect(loginRow).toContainText(/just now|min ago/)
  await expect(table.getByRole('row').filter({ hasText: 'Spare idea' })).toBeVisible()
  await expect(table.getByRole('row').filter({ hasText: 'Old experiment' })).toHaveCount(0)

  // A deleted session is listed, restorable for 30 days.
  const deleted = section.getByRole('list', { name: 'Deleted sessions' })
  await expect(deleted.getByRole('listitem').filter({ hasText: 'Old experiment' })).toContainText(
    'restorable until',
  )

  // Deleting with uncommitted work (forced): saved, listed, then restored with its files.
  await sh.client.call('sessions.delete', { sessionId: login.id, force: true })
  await expect.poll(() => existsSync(loginPath)).toBe(false)
  const sidebar = page.getByRole('navigation', { name: 'Workspaces' })
  await expect(sidebar.getByRole('button', { name: 'Login form', exact: true })).toHaveCount(0)
  await section.getByRole('button', { name: 'Refresh' }).click()
  await expect(loginRow).toHaveCount(0)
  await section.getByRole('button', { name: 'Restore Login form' }).click()
  await expect(
    section.getByRole('status').filter({ hasText: 'Restored “Login form”' }),
  ).toBeVisible()
  await expect(sidebar.getByRole('button', { name: 'Login form', exact: true })).toBeVisible()
  expect(readFileSync(join(loginPath, 'login.ts'), 'utf8')).toContain('xxxx')
  await expect(deleted.getByRole('listitem').filter({ hasText: 'Login form' })).toHaveCount(0)
  await expect(loginRow).toContainText('paddock/login-form')

  // A folder removed by hand: missing, then pruned.
  rmSync(spare.worktree!.path, { recursive: true, force: true })
  await section.getByRole('button', { name: 'Refresh' }).click()
  const spareRow = table.getByRole('row').filter({ hasText: 'spare-idea' })
  await expect(spareRow).toContainText('missing')
  await expect(spareRow).toContainText('Folder is gone')

  await page.setViewportSize({ width: 1440, height: 900 })
  await page.screenshot({ path: join(REPO_ROOT, 'docs/settings-worktrees.png') })
  await shootBoth(page, 'settings-worktrees')

  await section.getByRole('button', { name: 'Prune' }).click()
  await expect(
    section
      .getByRole('status')
      .filter({ hasText: 'Pruned 1 worktree: project.worktrees/spare-idea.' }),
  ).toBeVisible()
  await expect(table.getByRole('row').filter({ hasText: 'spare-idea' })).toHaveCount(0)
})
