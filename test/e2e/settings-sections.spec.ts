import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { BIN_PADDOCK } from '../support/paths'
import { runNode } from '../support/spawn'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

let sh: SessionHost | null = null
test.afterEach(async () => {
  await sh?.stop()
  sh = null
})

/** `paddock settings …` on the host's data folder, as a user in a terminal beside the app. */
async function paddockSettings(args: string[]): Promise<string> {
  const r = await runNode([BIN_PADDOCK, 'settings', ...args, '--data-dir', sh!.dataDir])
  expect(r.status, r.stderr).toBe(0)
  return r.stdout
}

/** Open Settings with Ctrl+, (unless open) and go to a section from its list; returns its region. */
async function openSection(page: Page, name: string): Promise<Locator> {
  const settings = page.getByRole('region', { name: 'Settings' })
  if (!(await settings.isVisible())) {
    await page.keyboard.press('Control+Comma')
    await expect(settings).toBeFocused()
  }
  await settings
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name, exact: true })
    .click()
  const region = settings.getByRole('region', { name, exact: true })
  await expect(region.getByRole('heading', { name, level: 2 })).toBeVisible()
  return region
}

test('Permissions: a rule added in the table decides the preview; an invalid one is refused inline', async ({
  page,
}) => {
  sh = await startSessionHost()
  await sh.openProject()
  await page.goto(sh.host.url)
  await expect(
    page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
  ).toBeVisible()
  const permissions = await openSection(page, 'Permissions')

  // Before any rule of yours: the mode decides.
  const preview = permissions.getByRole('group', { name: 'Decision preview' })
  await preview.getByLabel('Mode').selectOption('ask')
  await preview.getByLabel('Tool', { exact: true }).selectOption('bash')
  await preview.getByLabel('Command').fill('make deploy')
  const verdict = preview.getByRole('status')
  await expect(verdict).toContainText('Ask')
  await expect(verdict).not.toContainText('your rule')

  // Add a rule: the new row's first field takes focus; the preview decides with the draft.
  const rules = permissions.getByRole('table', { name: 'Your rules' })
  await expect(permissions.getByText('No rules of your own yet.')).toBeVisible()
  await permissions.getByRole('button', { name: 'Add rule' }).click()
  await expect(rules.getByLabel('Tool, rule 1')).toBeFocused()
  await rules.getByLabel('Tool, rule 1').fill('bash')
  await rules.getByLabel('Pattern, rule 1').fill('make')
  await rules.getByLabel('Decision, rule 1').selectOption('deny')
  await expect(verdict).toContainText('Deny')
  await expect(verdict).toContainText('your rule: bash make → deny')
  await expect(permissions.getByText('Unsaved changes')).toBeVisible()
  await permissions.getByRole('button', { name: 'Save rules' }).click()
  await expect(permissions.getByRole('status').filter({ hasText: 'Saved 1 rule' })).toBeVisible()
  expect(JSON.parse(await paddockSettings(['get', 'permissions.rules']))).toEqual([
    { tool: 'bash', pattern: 'make', action: 'deny' },
  ])

  // A later rule wins: one allowing `make deploy`, moved above, no longer decides.
  await permissions.getByRole('button', { name: 'Add rule' }).click()
  await rules.getByLabel('Tool, rule 2').fill('bash')
  await rules.getByLabel('Pattern, rule 2').fill('make deploy')
  await rules.getByLabel('Decision, rule 2').selectOption('allow')
  await expect(verdict).toContainText('your rule: bash make deploy → allow')
  await rules.getByRole('button', { name: 'Move rule 2 up' }).click()
  await expect(rules.getByLabel('Pattern, rule 1')).toHaveValue('make deploy')
  await expect(verdict).toContainText('your rule: bash make → deny')

  // An empty pattern: the row says why, and nothing is saved.
  await permissions.getByRole('button', { name: 'Add rule' }).click()
  await rules.getByLabel('Tool, rule 3').fill('read')
  await permissions.getByRole('button', { name: 'Save rules' }).click()
  const pattern3 = rules.getByLabel('Pattern, rule 3')
  await expect(pattern3).toHaveAttribute('aria-invalid', 'true')
  await expect(rules.getByRole('row').nth(3)).toContainText('give a pattern, or * for anything')
  await expect(permissions.getByText('Fix the rule marked below to save.')).toBeVisible()
  expect(JSON.parse(await paddockSettings(['get', 'permissions.rules']))).toEqual([
    { tool: 'bash', pattern: 'make', action: 'deny' },
  ])

  // Delete the bad row and save: the order is stored as shown.
  await rules.getByRole('button', { name: 'Delete rule 3' }).click()
  await permissions.getByRole('button', { name: 'Save rules' }).click()
  await expect(permissions.getByRole('status').filter({ hasText: 'Saved 2 rules' })).toBeVisible()
  expect(JSON.parse(await paddockSettings(['get', 'permissions.rules']))).toEqual([
    { tool: 'bash', pattern: 'make deploy', action: 'allow' },
    { tool: 'bash', pattern: 'make', action: 'deny' },
  ])
})

test('Permissions: the workspace’s own rules are shown read-only with their file', async ({
  page,
}) => {
  sh = await startSessionHost({
    files: {
      'README.md': '# Demo\n',
      '.paddock/permissions.json': JSON.stringify({
        rules: [{ tool: 'edit', pattern: 'docs/**', action: 'allow' }],
      }),
    },
  })
  const workspaceId = await sh.openProject()
  await sh.client.call('workspaces.trust', { workspaceId, trusted: true })
  await page.goto(sh.host.url)
  await expect(
    page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
  ).toBeVisible()
  const permissions = await openSection(page, 'Permissions')
  const workspaceRules = permissions.getByRole('table', { name: 'Rules of project' })
  await expect(workspaceRules).toContainText('edit')
  await expect(workspaceRules).toContainText('docs/**')
  await expect(workspaceRules).toContainText('allow')
  // Its source: the file, by its path on the host.
  const { workspace } = await sh.client.call('policy.rules', { workspaceId })
  await expect(permissions.getByText(workspace.path)).toBeVisible()
  await expect(workspaceRules.getByRole('textbox')).toHaveCount(0)

  // The preview applies them: an edit under docs/ is allowed by the workspace's rule.
  const preview = permissions.getByRole('group', { name: 'Decision preview' })
  await preview.getByLabel('Mode').selectOption('ask')
  await preview.getByLabel('Tool', { exact: true }).selectOption('write')
  await preview.getByLabel('Path').fill('docs/guide.md')
  await expect(preview.getByRole('status')).toContainText('workspace rule: edit docs/** → allow')
})

test('Spend, Network and Terminals round-trip with the CLI’s settings', async ({ page }) => {
  sh = await startSessionHost()
  await sh.openProject()
  await page.goto(sh.host.url)
  await expect(
    page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
  ).toBeVisible()

  // Spend: a cap set here is what `paddock settings` reports; today's spend is shown.
  const spend = await openSection(page, 'Spend')
  await expect(spend.getByText('Spent today')).toBeVisible()
  await expect(spend.getByText('$0.00')).toBeVisible()
  await spend.getByLabel('Cap per session').fill('2.5')
  await spend.getByRole('button', { name: 'Save' }).click()
  await expect(spend.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()
  expect(await paddockSettings(['get', 'spend.perSessionUsd'])).toBe('2.5\n')
  const caps = await sh.client.call('sessions.spendToday', {})
  expect(caps.caps.perSessionUsd).toBe(2.5)
  // An invalid cap: inline error, nothing stored.
  await spend.getByLabel('Cap per day').fill('-3')
  await spend.getByRole('button', { name: 'Save' }).click()
  await expect(spend.getByLabel('Cap per day')).toHaveAttribute('aria-invalid', 'true')
  await expect(spend.getByText('must be more than 0')).toBeVisible()
  expect(await paddockSettings(['get', 'spend.perDayUsd'])).toBe('\n')

  // Network: a proxy round-trips; a relative CA file is refused where it was typed.
  const network = await openSection(page, 'Network')
  await network.getByLabel('Proxy', { exact: true }).fill('http://proxy.test:3128')
  await network.getByLabel('CA certificates file').fill('corp.pem')
  await network.getByRole('button', { name: 'Save' }).click()
  await expect(network.getByText('must be an absolute path')).toBeVisible()
  expect(await paddockSettings(['get', 'network.proxy'])).toBe('\n')
  const caFile = `${sh.home}/corp.pem`
  await network.getByLabel('CA certificates file').fill(caFile)
  await network.getByRole('button', { name: 'Save' }).click()
  await expect(network.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()
  expect(await paddockSettings(['get', 'network.proxy'])).toBe('http://proxy.test:3128\n')
  expect(await paddockSettings(['get', 'network.caFile'])).toBe(`${caFile}\n`)
  // Set from the CLI: shown the next time the section opens.
  await paddockSettings(['set', 'network.requestTimeoutMs', '300000'])
  await paddockSettings(['unset', 'network.proxy'])
  await page.keyboard.press('Escape')
  const reopened = await openSection(page, 'Network')
  await expect(reopened.getByLabel('Request timeout')).toHaveValue('300000')
  await expect(reopened.getByLabel('Proxy', { exact: true })).toHaveValue('')

  // Terminals: the shell and scrollback round-trip both ways.
  const terminals = await openSection(page, 'Terminals')
  await terminals.getByLabel('Scrollback', { exact: true }).fill('5000')
  await terminals.getByLabel('Shell', { exact: true }).fill('/bin/sh')
  await terminals.getByRole('button', { name: 'Save' }).click()
  await expect(terminals.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()
  expect(await paddockSettings(['get', 'terminals.scrollbackLines'])).toBe('5000\n')
  expect(await paddockSettings(['get', 'terminals.shell'])).toBe('/bin/sh\n')
  await paddockSettings(['set', 'agent.passEnv', '["GH_TOKEN"]'])
  await page.keyboard.press('Escape')
  const again = await openSection(page, 'Terminals')
  await expect(again.getByLabel('Pass these variables')).toHaveValue('GH_TOKEN')
  await again.getByLabel('Scrollback', { exact: true }).fill('')
  await again.getByRole('button', { name: 'Save' }).click()
  await expect(again.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()
  expect(await paddockSettings(['get', 'terminals.scrollbackLines'])).toBe('\n')
})

test('the sections are reachable and usable from the keyboard', async ({ page }) => {
  sh = await startSessionHost()
  await sh.openProject()
  await page.goto(sh.host.url)
  await expect(
    page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
  ).toBeVisible()
  await page.keyboard.press('Control+Comma')
  const settings = page.getByRole('region', { name: 'Settings' })
  await expect(settings).toBeFocused()
  const nav = settings.getByRole('navigation', { name: 'Settings sections' })
  for (const name of [
    'Providers',
    'Fallbacks',
    'Permissions',
    'MCP servers',
    'Spend',
    'Context',
    'Loops',
    'Network',
    'Terminals',
    'Worktrees',
    'Sandbox',
    'Skills',
    'Appearance',
    'Notifications',
    'Keyboard shortcuts',
    'Doctor',
  ]) {
    await expect(nav.getByRole('button', { name, exact: true })).toBeVisible()
  }

  // Tab reaches the list; arrows move along it and Enter opens a section.
  const providersItem = nav.getByRole('button', { name: 'Providers', exact: true })
  for (
    let i = 0;
    i < 4 && !(await providersItem.evaluate((el) => el === document.activeElement));
    i++
  )
    await page.keyboard.press('Tab')
  await expect(providersItem).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(nav.getByRole('button', { name: 'Fallbacks', exact: true })).toBeFocused()
  await page.keyboard.press('ArrowDown')
  const permissionsItem = nav.getByRole('button', { name: 'Permissions', exact: true })
  await expect(permissionsItem).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(permissionsItem).toHaveAttribute('aria-current', 'page')
  const permissions = settings.getByRole('region', { name: 'Permissions', exact: true })

  // Tab goes on into the section: Add rule with Enter puts the caret in the new row.
  const add = permissions.getByRole('button', { name: 'Add rule' })
  // (past the rest of the list: one Tab per section after Permissions)
  for (let i = 0; i < 20 && !(await add.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab')
  await expect(add).toBeFocused()
  await page.keyboard.press('Enter')
  const tool = permissions.getByLabel('Tool, rule 1')
  await expect(tool).toBeFocused()
  await page.keyboard.type('bash')
  await page.keyboard.press('Tab')
  await page.keyboard.type('npm test')
  await expect(permissions.getByLabel('Pattern, rule 1')).toHaveValue('npm test')

  // End and Home jump along the list.
  await permissionsItem.focus()
  await page.keyboard.press('End')
  await expect(nav.getByRole('button', { name: 'Doctor', exact: true })).toBeFocused()
  await page.keyboard.press('Home')
  await expect(providersItem).toBeFocused()
})
