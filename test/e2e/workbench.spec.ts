import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { BIN_PADDOCK, REPO_ROOT } from '../support/paths'
import { createInDialog } from './support/new-session'
import { startSessionHost } from './support/session-host'
import { tempDir } from '../support/temp'
import type { RunningWebHost } from '../support/web-host'
import { startWebHost } from '../support/web-host'

let tmp: ReturnType<typeof tempDir>
let dataDir: string
let home: string
let project: string
let host: RunningWebHost | null = null

test.beforeAll(() => {
  tmp = tempDir('paddock-e2e-')
  dataDir = join(tmp.path, 'data')
  // The host-side folder browser starts in HOME: give the host a tidy one.
  home = join(tmp.path, 'home')
  project = join(home, 'code', 'acme-api')
  mkdirSync(join(project, 'src'), { recursive: true })
  mkdirSync(join(home, 'code', 'website'), { recursive: true })
  mkdirSync(join(home, 'Documents'), { recursive: true })
})
test.afterAll(async () => {
  await host?.stop()
  tmp.cleanup()
})

const hostEnv = (): NodeJS.ProcessEnv => ({ HOME: home })
/** Screenshots to look at, outside the repository. */
const SHOTS = join(tmpdir(), 'paddock-shots-workbench')

test('open a folder, create and rename sessions, and find them again after a restart', async ({
  page,
}) => {
  host = await startWebHost({ dataDir, env: hostEnv() })
  await page.goto(host.url)
  // The token is swapped for a cookie and removed from the address bar.
  await expect(page).toHaveURL(`${host.origin}/`)

  await page.getByRole('button', { name: 'Open folder' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'Open folder' })
  await expect(dialog).toBeVisible()
  // Browse like a person: home → code → acme-api.
  await dialog.getByRole('button', { name: 'code', exact: true }).click()
  await dialog.getByRole('button', { name: 'acme-api', exact: true }).click()
  await expect(dialog.getByRole('textbox', { name: 'Folder path' })).toHaveValue(project)
  await dialog.getByRole('button', { name: 'Open this folder' }).click()
  await expect(dialog).toBeHidden()

  const sidebar = page.getByRole('navigation', { name: 'Workspaces' })
  await expect(sidebar.getByText('acme-api')).toBeVisible()

  await sidebar.getByRole('button', { name: 'New session' }).click()
  await createInDialog(page)
  await expect(page.getByRole('tab', { name: 'Session 1', exact: true })).toBeVisible()
  await sidebar.getByRole('button', { name: 'New session' }).click()
  await createInDialog(page)
  await expect(page.getByRole('tab', { name: 'Session 2', exact: true })).toBeVisible()

  await sidebar.getByRole('button', { name: 'Rename Session 1' }).click()
  const title = sidebar.getByRole('textbox', { name: 'Session title' })
  await title.fill('Refactor auth middleware')
  await title.press('Enter')
  await expect(
    page.getByRole('tab', { name: 'Refactor auth middleware', exact: true }),
  ).toBeVisible()

  const panel = page.getByRole('tabpanel')
  for (const region of ['Transcript', 'Terminal', 'Changes', 'Timeline']) {
    await expect(panel.getByRole('region', { name: region })).toBeVisible()
  }
  await page.getByRole('tab', { name: 'Refactor auth middleware', exact: true }).click()
  await page.screenshot({ path: join(REPO_ROOT, 'docs', 'workbench.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: join(REPO_ROOT, 'docs', 'workbench-dark.png') })

  // Restart the host on the same data dir: everything is back, with its name.
  expect(await host.stop()).toBe(0)
  host = await startWebHost({ dataDir, env: hostEnv() })
  await page.goto(host.url)
  await expect(sidebar.getByText('acme-api')).toBeVisible()
  await expect(
    sidebar.getByRole('button', { name: 'Refactor auth middleware', exact: true }),
  ).toBeVisible()
  await expect(sidebar.getByRole('button', { name: 'Session 2', exact: true })).toBeVisible()

  // And the CLI, on the same database while the host runs, lists them.
  const listed = spawnSync(
    process.execPath,
    [BIN_PADDOCK, 'sessions', 'list', '--json', '--data-dir', dataDir],
    {
      encoding: 'utf8',
    },
  )
  expect(listed.status).toBe(0)
  const rows = JSON.parse(listed.stdout) as Array<{ title: string; workspacePath: string }>
  expect(rows.map((r) => r.title).sort()).toEqual(['Refactor auth middleware', 'Session 2'])
  expect(rows.every((r) => r.workspacePath === project)).toBe(true)
})

test('a page, an asset and a socket without the token or cookie get 401', async ({ page }) => {
  host ??= await startWebHost({ dataDir, env: hostEnv() })
  const response = await page.goto(`${host.origin}/`)
  expect(response?.status()).toBe(401)
  await expect(page.getByText(/Unauthorized/)).toBeVisible()
  const asset = await page.request.get(`${host.origin}/assets/index.js`)
  expect(asset.status()).toBe(401)
  const socket = await page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url)
        ws.onopen = () => resolve('open')
        ws.onerror = () => resolve('refused')
      }),
    `ws://127.0.0.1:${host.port}/ws`,
  )
  expect(socket).toBe('refused')
})

test('a folder that cannot be a workspace is refused with a clear message', async ({ page }) => {
  host ??= await startWebHost({ dataDir, env: hostEnv() })
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Open folder' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'Open folder' })
  const path = dialog.getByRole('textbox', { name: 'Folder path' })
  await path.fill('/')
  await path.press('Enter')
  await expect(dialog.getByRole('button', { name: 'Open this folder' })).toBeDisabled()
  await path.fill(join(home, 'does-not-exist'))
  await path.press('Enter')
  await expect(dialog.getByRole('alert')).toContainText('does not exist')
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
})

test('first steps: a mistyped path stays, the next step is named, the first prompt titles a session, Ask says what runs, F2 renames a tab', async ({
  page,
}) => {
  const sh = await startSessionHost({ files: { 'README.md': '# Demo\n' } })
  try {
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto(sh.host.url)
    const heading = page.getByRole('heading', { level: 1 })
    await expect(heading).toHaveText('Open a folder, then create a session')
    await page.screenshot({ path: join(SHOTS, 'welcome-1440.png') })
    await page.setViewportSize({ width: 1280, height: 720 })

    // A mistyped path: the error shows, and what was typed stays to be corrected.
    await page.getByRole('button', { name: 'Open folder' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'Open folder' })
    const path = dialog.getByRole('textbox', { name: 'Folder path' })
    const typo = `${sh.project}-typo`
    await path.fill(typo)
    await path.press('Enter')
    await expect(dialog.getByRole('alert')).toContainText('does not exist')
    await expect.soft(path).toHaveValue(typo)
    await page.screenshot({ path: join(SHOTS, 'open-folder-typo-1280.png') })
    await path.fill(sh.project)
    await path.press('Enter')
    await expect(dialog.getByRole('alert')).toBeHidden()
    await expect(path).toHaveValue(sh.project)
    await dialog.getByRole('button', { name: 'Open this folder' }).click()
    await expect(dialog).toBeHidden()

    // A folder is open: the next step is a session in it.
    await expect.soft(heading).toHaveText('Create a session')
    await page.screenshot({ path: join(SHOTS, 'welcome-folder-open-1280.png') })
    const sidebar = page.getByRole('navigation', { name: 'Workspaces' })
    await sidebar.getByRole('button', { name: 'New session' }).click()
    await createInDialog(page)
    await expect(page.getByRole('tab', { name: 'Session 1', exact: true })).toBeVisible()

    // Ask mode says what is true: a read-only command runs without a question.
    const mode = page.getByRole('combobox', { name: 'Mode', exact: true })
    await mode.click()
    await expect
      .soft(page.getByRole('listbox', { name: 'Modes' }).getByRole('option', { name: /^Ask/ }))
      .toContainText('read-only commands run')
    await page.screenshot({ path: join(SHOTS, 'modes-1280.png') })
    await page.keyboard.press('Escape')
    sh.fake.script(
      { toolCalls: [{ name: 'bash', arguments: { command: 'ls' } }] },
      { text: 'There is a README.' },
    )
    await page.getByRole('textbox', { name: 'Message' }).fill('List the files\nin this project')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    const transcript = page.getByRole('region', { name: 'Transcript' })
    await expect(transcript.getByText('There is a README.')).toBeVisible()
    await expect(transcript.getByRole('group', { name: /^Approval/ })).toHaveCount(0)

    // The first prompt titled the session, in the tab and the sidebar.
    const titled = page.getByRole('tab', { name: 'List the files in this project', exact: true })
    await expect.soft(titled).toBeVisible()
    await expect
      .soft(sidebar.getByRole('button', { name: 'List the files in this project', exact: true }))
      .toBeVisible()
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.screenshot({ path: join(SHOTS, 'titled-session-1440.png') })

    // F2 on the focused tab renames it in place; Enter saves and gives the focus back.
    const tab = page.getByRole('tablist', { name: 'Sessions' }).getByRole('tab')
    await tab.focus()
    await page.keyboard.press('F2')
    const title = page
      .getByRole('tablist', { name: 'Sessions' })
      .getByRole('textbox', { name: 'Session title' })
    await expect(title).toBeFocused()
    await page.screenshot({ path: join(SHOTS, 'tab-rename-1440.png') })
    await title.fill('Docs pass')
    await title.press('Enter')
    const renamed = page.getByRole('tab', { name: 'Docs pass', exact: true })
    await expect(renamed).toBeFocused()
    await expect(sidebar.getByRole('button', { name: 'Docs pass', exact: true })).toBeVisible()

    // With every tab closed, the next step is to pick a session or start one.
    await page.keyboard.press('Delete')
    await expect(heading).toHaveText('Pick a session, or start a new one')
    await page.getByRole('button', { name: 'New session in project' }).click()
    await createInDialog(page)
    await expect(page.getByRole('tab', { name: 'Session 2', exact: true })).toBeVisible()
  } finally {
    await sh.stop()
  }
})
