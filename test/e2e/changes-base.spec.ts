import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'
import { shootBoth } from './support/screenshots'
import { git, initRepo } from './support/git-repo'

/**
 * The Changes panel of a worktree session, "Against base": what its branch would bring to the
 * base, committed and uncommitted together, each file's diff base → now in Monaco. The session's
 * checkpoints stay a choice too; a session in place has no such option.
 */

let sh: SessionHost | null = null
test.afterEach(async () => {
  await sh?.stop()
  sh = null
})

test('Against base lists committed and uncommitted work of a worktree session', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  sh = await startSessionHost({ prepare: ({ project }) => initRepo(project) })
  const ws = await sh.openProject()
  const session = await sh.client.call('sessions.create', {
    workspaceId: ws,
    title: 'Base diff',
    place: 'worktree',
  })
  const wt = session.worktree!.path
  const inPlace = await sh.client.call('sessions.create', { workspaceId: ws, title: 'In place' })

  // The agent writes a file (relative: in its worktree), uncommitted.
  sh.fake.script(
    { toolCalls: [{ name: 'write', arguments: { path: 'agent.txt', content: 'by the agent\n' } }] },
    { text: 'Wrote agent.txt.' },
  )
  await sh.client.call('sessions.prompt', {
    sessionId: session.id,
    text: 'Write agent.txt',
    mode: 'full-auto',
  })
  await expect
    .poll(async () => (await sh!.client.call('sessions.status', { sessionId: session.id })).running)
    .toBe(false)
  expect(readFileSync(join(wt, 'agent.txt'), 'utf8')).toBe('by the agent\n')
  // The user commits a change in the worktree; a binary file stays uncommitted.
  writeFileSync(join(wt, 'README.md'), '# Demo\n\nA small project, on a branch.\n')
  git(wt, ['commit', '-qam', 'README on the branch'])
  writeFileSync(join(wt, 'logo.bin'), Buffer.from([0, 1, 2, 3, 0, 255]))
  // The user's checkout is untouched.
  expect(readFileSync(join(sh.project, 'README.md'), 'utf8')).toBe('# Demo\n\nA small project.\n')

  await page.goto(sh.host.url)
  const sidebar = page.getByRole('navigation', { name: 'Workspaces' })
  await sidebar.getByRole('button', { name: 'Base diff', exact: true }).click()
  await expect(page.getByRole('tab', { name: 'Base diff', exact: true })).toBeVisible()

  const panel = page.getByRole('region', { name: 'Changes' })
  const base = panel.getByRole('combobox', { name: 'Base' })
  await expect(base.getByRole('option', { name: 'Against base (main)' })).toHaveCount(1)
  // By default the first checkpoint: only the agent's file.
  const list = panel.getByRole('listbox', { name: 'Changed files' })
  await expect(list.getByRole('option', { name: /agent\.txt/ })).toBeVisible()

  await base.selectOption({ label: 'Against base (main)' })
  await expect(list.getByRole('option')).toHaveCount(3)
  await expect(list.getByRole('option', { name: 'agent.txt, added' })).toBeVisible()
  await expect(list.getByRole('option', { name: 'README.md, modified' })).toBeVisible()
  await expect(list.getByRole('option', { name: 'logo.bin, added' })).toBeVisible()

  await list.getByRole('option', { name: 'README.md, modified' }).click()
  const diff = panel.getByRole('region', { name: 'Diff of README.md against main' })
  await expect(diff).toBeVisible()
  await expect(diff).toContainText('on a branch')
  await list.getByRole('option', { name: 'logo.bin, added' }).click()
  await expect(panel.getByText('Binary file — logo.bin (added); not shown.')).toBeVisible()
  await list.getByRole('option', { name: 'agent.txt, added' }).click()
  await expect(panel.getByRole('region', { name: 'Diff of agent.txt against main' })).toContainText(
    'by the agent',
  )
  await shootBoth(page, 'changes-base')

  // Back to a checkpoint: the checkpoint view again.
  await page.setViewportSize({ width: 1440, height: 900 })
  await base.selectOption({ index: 0 })
  await expect(panel.getByRole('checkbox', { name: 'Changed by this session' })).toBeVisible()

  // The composer's @-mentions search the session's worktree: agent.txt is only there.
  const box = page.getByRole('textbox', { name: 'Message' })
  await box.click()
  await box.pressSequentially('Look at @agent')
  const picker = page.getByRole('listbox', { name: 'Files' })
  await expect(picker.getByRole('option', { name: 'agent.txt', exact: true })).toBeVisible()
  await box.press('Escape')
  await box.fill('')

  // A session in place has no "against base".
  await sidebar.getByRole('button', { name: inPlace.title, exact: true }).click()
  await expect(page.getByRole('tab', { name: inPlace.title, exact: true })).toBeVisible()
  await expect(panel.getByRole('option', { name: /Against base/ })).toHaveCount(0)
})
