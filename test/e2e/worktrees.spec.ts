import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import type { Session } from '../../src/shared/model'
import { git, initRepo, writeIn } from './support/git-repo'
import { REPO_ROOT } from '../support/paths'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * Worktree sessions (issue 20) in Chromium against the web host, on a real git repository, with
 * the fake LLM as the model: the New session dialog, a run in the worktree, the Git area's commit
 * and merge, delete (with the refusal dialog when work would be lost), and the radar's badge.
 */

let sh: SessionHost

test.beforeEach(async () => {
  sh = await startSessionHost({ prepare: ({ project }) => initRepo(project) })
})
test.afterEach(async () => {
  await sh?.stop()
})

/** The page at 1440×900 and 1280×720 into docs/worktrees-<name>[-1280].png. */
async function shoot(page: Page, name: string, target?: Locator): Promise<void> {
  for (const [w, h, suffix] of [
    [1440, 900, ''],
    [1280, 720, '-1280'],
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    if (target) {
      await expect(target).toBeVisible()
      await target.scrollIntoViewIfNeeded()
    }
    await page.screenshot({ path: join(REPO_ROOT, 'docs', `worktrees-${name}${suffix}.png`) })
  }
  await page.setViewportSize({ width: 1440, height: 900 })
}

async function sessionNamed(title: string): Promise<Session> {
  const list = await sh.client.call('sessions.list', {})
  const found = list.find((s) => s.title === title)
  if (!found) throw new Error(`no session ${title}`)
  return found
}

async function runTo(sessionId: string): Promise<void> {
  await expect
    .poll(async () => (await sh.client.call('sessions.status', { sessionId })).running)
    .toBe(false)
}

const sidebar = (page: Page): Locator => page.getByRole('navigation', { name: 'Workspaces' })

test('a worktree session: create in the dialog, run, commit, merge, delete', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await sh.openProject()
  await page.goto(sh.host.url)
  const dialog = page.getByRole('dialog', { name: 'New session' })
  // Escape cancels: nothing is created.
  await sidebar(page).getByRole('button', { name: 'New session' }).click()
  await expect(dialog).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  expect(await sh.client.call('sessions.list', {})).toHaveLength(0)

  await sidebar(page).getByRole('button', { name: 'New session' }).click()
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('textbox', { name: 'Title (optional)' })).toBeFocused()
  // In a repository the worktree is the default; the base is the current branch.
  await expect(dialog.getByRole('radio', { name: /New worktree/ })).toBeChecked()
  await expect(dialog.getByRole('combobox', { name: 'Base branch' })).toHaveValue('main')
  await dialog.getByRole('textbox', { name: 'Title (optional)' }).fill('Fix auth')
  await expect(dialog.getByRole('textbox', { name: 'Branch name (optional)' })).toHaveAttribute(
    'placeholder',
    'paddock/fix-auth',
  )
  await shoot(page, 'dialog', dialog)
  await dialog.getByRole('textbox', { name: 'Title (optional)' }).press('Enter')
  await expect(dialog).toBeHidden()

  await expect(page.getByRole('tab', { name: 'Fix auth', exact: true })).toBeVisible()
  await expect(page.locator('.session-branch')).toHaveText('paddock/fix-auth')
  await expect(page.locator('[data-worktree-mark="tab"]')).toBeVisible()
  await expect(page.locator('[data-worktree-mark="sidebar"]')).toBeVisible()
  const session = await sessionNamed('Fix auth')
  const wt = session.worktree
  if (!wt) throw new Error('not a worktree session')

  // The agent writes a file: in its worktree, not in the user's checkout.
  sh.fake.script(
    { toolCalls: [{ name: 'write', arguments: { path: 'src/auth.ts', content: 'ok\n' } }] },
    { text: 'Wrote src/auth.ts.' },
  )
  await sh.client.call('sessions.prompt', {
    sessionId: session.id,
    text: 'Write src/auth.ts',
    mode: 'full-auto',
  })
  await runTo(session.id)
  expect(readFileSync(join(wt.path, 'src/auth.ts'), 'utf8')).toBe('ok\n')
  expect(existsSync(join(sh.project, 'src/auth.ts'))).toBe(false)

  await page.getByRole('tab', { name: 'Git' }).click()
  const area = page.getByRole('region', { name: 'Git' })
  await expect(area.getByRole('region', { name: 'Uncommitted files' })).toContainText('src/auth.ts')
  await expect(area).toContainText('paddock/fix-auth merges into main')
  await shoot(page, 'git-area', area)

  await area.getByRole('textbox', { name: 'Commit message' }).fill('Add auth')
  await area.getByRole('button', { name: 'Commit', exact: true }).click()
  await expect(area.getByText(/Committed [0-9a-f]{7} “Add auth”/)).toBeVisible()
  await expect(area).toContainText('1 commit ahead')
  await expect(area).toContainText('0 uncommitted files')

  await area.getByRole('button', { name: 'Merge into main' }).click()
  await expect(area.getByText(/Merged \(fast-forward\)/)).toBeVisible()
  expect(readFileSync(join(sh.project, 'src/auth.ts'), 'utf8')).toBe('ok\n')
  expect(git(sh.project, ['log', '-1', '--format=%s']).trim()).toBe('Add auth')

  // Nothing would be lost: the inline confirmation, then the session and its folder go.
  await sidebar(page).getByRole('button', { name: 'Delete Fix auth' }).click()
  const confirm = sidebar(page).getByRole('group', { name: /Delete “Fix auth”\?/ })
  await confirm.getByRole('button', { name: 'Delete' }).click()
  await expect(sidebar(page).getByRole('button', { name: 'Fix auth', exact: true })).toHaveCount(0)
  await expect.poll(() => existsSync(wt.path)).toBe(false)
})

test('delete refuses with the files it would lose; Delete anyway saves them', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  const ws = await sh.openProject()
  const session = await sh.client.call('sessions.create', {
    workspaceId: ws,
    title: 'Dirty work',
    place: 'worktree',
  })
  const wt = session.worktree
  if (!wt) throw new Error('not a worktree session')
  writeIn(wt.path, 'src/wip.ts', 'half done\n')
  await page.goto(sh.host.url)
  await sidebar(page).getByRole('button', { name: 'Dirty work', exact: true }).click()

  await sidebar(page).getByRole('button', { name: 'Delete Dirty work' }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete “Dirty work” and its unsaved work?' })
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('list', { name: 'Uncommitted files' })).toContainText('src/wip.ts')
  await expect(dialog).toContainText('restored for 30 days from Settings → Worktrees')
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await shoot(page, 'delete-refusal', dialog)

  // Cancel keeps it.
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  expect(existsSync(join(wt.path, 'src/wip.ts'))).toBe(true)

  await sidebar(page).getByRole('button', { name: 'Delete Dirty work' }).click()
  await dialog.getByRole('button', { name: 'Delete anyway' }).click()
  await expect(sidebar(page).getByRole('button', { name: 'Dirty work', exact: true })).toHaveCount(
    0,
  )
  const deleted = await sh.client.call('worktrees.deleted', {})
  expect(deleted.map((d) => d.title)).toContain('Dirty work')
})

test('the radar badges two sessions changing the same line', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  const ws = await sh.openProject()
  const make = async (title: string): Promise<Session> =>
    sh.client.call('sessions.create', { workspaceId: ws, title, place: 'worktree' })
  const a = await make('Alpha')
  const b = await make('Beta')
  if (!a.worktree || !b.worktree) throw new Error('not worktree sessions')
  const line = (n: number): string =>
    `export function add(a: number, b: number): number {\n  return a + b + ${n}\n}\n`
  writeIn(a.worktree.path, 'src/math.ts', line(1))
  writeIn(b.worktree.path, 'src/math.ts', line(2))
  // The host compares at most once per 5 s: ask until it has looked at the new work.
  await expect
    .poll(
      async () => {
        const radar = await sh.client.call('worktrees.radar', {})
        return radar.sessions.some((s) => s.overlaps.length > 0)
      },
      { timeout: 20_000, intervals: [1_000] },
    )
    .toBe(true)

  await page.goto(sh.host.url)
  await sidebar(page).getByRole('button', { name: 'Alpha', exact: true }).click()
  const tabDot = page.getByRole('tab', { name: 'Alpha', exact: true }).locator('[data-overlap]')
  await expect(tabDot).toHaveAttribute('title', /overlaps with “Beta” in src\/math\.ts/)
  const sideDot = sidebar(page)
    .getByRole('button', { name: 'Beta', exact: true })
    .locator('[data-overlap]')
  await expect(sideDot).toHaveAttribute('title', /overlaps with “Alpha” in src\/math\.ts/)
  await expect(page.getByRole('tab', { name: 'Alpha', exact: true })).toHaveAccessibleDescription(
    /overlaps with “Beta”/,
  )

  await page.getByRole('tab', { name: 'Git' }).click()
  const area = page.getByRole('region', { name: 'Git' })
  await expect(area).toContainText('overlaps with “Beta” in src/math.ts')
  // The picture shows the branch read, not the moment before.
  await expect(area).not.toContainText('Reading the branch')
  await shoot(page, 'overlap', area)
})

test('a merge conflict lists the files and asks the agent to resolve', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  const ws = await sh.openProject()
  const s = await sh.client.call('sessions.create', {
    workspaceId: ws,
    title: 'Readme work',
    place: 'worktree',
  })
  if (!s.worktree) throw new Error('not a worktree session')
  writeIn(s.worktree.path, 'README.md', '# Demo\n\nBy the session.\n')
  git(s.worktree.path, ['commit', '-qam', 'Session readme'])
  writeIn(sh.project, 'README.md', '# Demo\n\nBy the user.\n')
  git(sh.project, ['commit', '-qam', 'User readme'])

  await page.goto(sh.host.url)
  await sidebar(page).getByRole('button', { name: 'Readme work', exact: true }).click()
  await page.getByRole('tab', { name: 'Git' }).click()
  const area = page.getByRole('region', { name: 'Git' })
  await expect(area).toContainText('1 commit ahead')
  await expect(area).toContainText('1 behind')
  await area.getByRole('button', { name: 'Merge into main' }).click()
  const alert = area.getByRole('alert')
  await expect(alert).toContainText('The merge conflicted and was aborted')
  await expect(alert).toContainText('README.md')
  expect(readFileSync(join(sh.project, 'README.md'), 'utf8')).toBe('# Demo\n\nBy the user.\n')
  await shoot(page, 'conflict', alert)

  sh.fake.script({ text: 'I will resolve README.md.' })
  await alert.getByRole('button', { name: 'Ask the agent to resolve' }).click()
  await expect(area.getByText(/The agent was asked to resolve 1 conflicted file/)).toBeVisible()
  await runTo(s.id)
  await expect(area).toContainText('A rebase is in progress in the worktree')
})

test('a session whose folder is gone says so and cannot run', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  const ws = await sh.openProject()
  const s = await sh.client.call('sessions.create', {
    workspaceId: ws,
    title: 'Gone',
    place: 'worktree',
  })
  if (!s.worktree) throw new Error('not a worktree session')
  rmSync(s.worktree.path, { recursive: true, force: true })
  await page.goto(sh.host.url)
  await sidebar(page).getByRole('button', { name: 'Gone', exact: true }).click()
  const text = `This session's folder is gone (${s.worktree.path}). Restore it from Settings → Worktrees, or delete the session.`
  await expect(page.getByRole('alert').filter({ hasText: text })).toBeVisible()
  const message = page.getByRole('textbox', { name: 'Message' })
  await expect(message).toBeDisabled()
  await expect(message).toHaveAccessibleDescription(text)
})
