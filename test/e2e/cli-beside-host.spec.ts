import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { BIN_PADDOCK, REPO_ROOT } from '../support/paths'
import { spawnTs, waitForLine } from '../support/spawn'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'
import { agentWrites } from './support/agent-writes'
import { shootBoth } from './support/screenshots'

/**
 * A `paddock run` (its own process) in a workspace this web host has open, in Chromium: the host
 * takes the run's checkpoints, so its change is its own; when the store's holder takes none, a
 * banner says the session ran without checkpoints.
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

/** `paddock run` as a user types it, as its own process; resolves with its stderr. */
function paddockRun(prompt: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        BIN_PADDOCK,
        'run',
        '--workspace',
        sh.project,
        '--base-url',
        sh.fake.baseUrl,
        '--model',
        'fake-model',
        '--mode',
        'full-auto',
        '--data-dir',
        sh.dataDir,
        prompt,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: sh.home } },
    )
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code, stderr }))
  })
}

function sidebar(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Workspaces' })
}

test('a paddock run beside this host: the host takes its checkpoints, its change is its own', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  // A run in this host: from now on the host holds the workspace's checkpoint store.
  const ui = await sh.openSession(page, 'In the browser')
  await agentWrites(sh, ui, 'README.md', '# Demo, from the browser\n')

  sh.fake.script(
    { toolCalls: [{ name: 'write', arguments: { path: 'notes.txt', content: 'from the CLI\n' } }] },
    { text: 'Edited the notes.' },
  )
  const run = await paddockRun('Edit the notes')
  expect(run.code).toBe(0)
  expect(run.stderr).toMatch(/checkpoints are taken by the Paddock web host \(pid \d+/)
  expect(read('notes.txt')).toBe('from the CLI\n')

  // The CLI's session, titled from its prompt: its change is its own, with a point before it.
  await sidebar(page).getByRole('button', { name: 'Edit the notes', exact: true }).click()
  await expect(changes(page).getByRole('option', { name: /notes\.txt/ })).toBeVisible()
  const timeline = page.getByRole('region', { name: 'Timeline' })
  await expect(timeline.getByRole('option', { name: /before write/ })).toBeVisible()
  await expect(timeline.getByRole('option', { name: /notes\.txt/ }).first()).toBeVisible()
  await expect(page.getByRole('note', { name: 'Ran without checkpoints' })).toHaveCount(0)
  await shootBoth(page, 'cli-run-checkpointed-by-host')

  // The browser session's next run: its Changes hold its own files only, not the CLI's.
  await sidebar(page).getByRole('button', { name: 'In the browser', exact: true }).click()
  await agentWrites(sh, ui, 'src/math.ts', 'export const again = 2\n')
  const uiList = changes(page).getByRole('listbox', { name: 'Changed files' })
  await expect(uiList.getByRole('option')).toHaveCount(2)
  await expect(uiList.getByRole('option', { name: /notes\.txt/ })).toHaveCount(0)
})

test('a paddock run whose store another process holds without taking checkpoints: a banner says so', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  const workspaceId = await sh.openProject()
  const holder = spawnTs(join(REPO_ROOT, 'test/support/store-holder.ts'), [
    sh.dataDir,
    workspaceId,
    sh.project,
    sh.home,
  ])
  try {
    await waitForLine(holder, /^holding$/)
    await sh.openSession(page, 'In the browser')
    sh.fake.script(
      {
        toolCalls: [{ name: 'write', arguments: { path: 'notes.txt', content: 'from the CLI\n' } }],
      },
      { text: 'Edited the notes.' },
    )
    const run = await paddockRun('Edit the notes')
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(
      `paddock: No checkpoint before a step of this run: process ${holder.pid} on ${hostname()} holds`,
    )

    await sidebar(page).getByRole('button', { name: 'Edit the notes', exact: true }).click()
    const banner = page.getByRole('note', { name: 'Ran without checkpoints' })
    await expect(banner).toContainText('This session ran without checkpoints:')
    await expect(banner).toContainText(`process ${holder.pid} on ${hostname()} held`)
    await shootBoth(page, 'unprotected-run-banner')
    // Only that session is marked.
    await sidebar(page).getByRole('button', { name: 'In the browser', exact: true }).click()
    await expect(page.getByRole('tab', { name: 'In the browser', exact: true })).toHaveAttribute(
      'aria-selected',
      'true',
    )
    await expect(banner).toHaveCount(0)
  } finally {
    holder.kill('SIGTERM')
  }
})
