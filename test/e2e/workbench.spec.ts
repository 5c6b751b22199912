import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { BIN_PADDOCK, REPO_ROOT } from '../support/paths'
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
  await expect(page.getByRole('tab', { name: 'Session 1', exact: true })).toBeVisible()
  await sidebar.getByRole('button', { name: 'New session' }).click()
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
