import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { REPO_ROOT } from '../support/paths'
import { shootBoth } from './support/screenshots'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

let sh: SessionHost | null = null
test.afterEach(async () => {
  await sh?.stop()
  sh = null
})

test('Settings → Doctor: each check with its state, a problem with its fix, Run again sees a fix', async ({
  page,
}) => {
  // The host's PATH: the machine's, behind a folder whose git is too old (found first).
  const bin = mkdtempSync(join(tmpdir(), 'paddock-doctor-bin-'))
  const gitVersion = (v: string): void => {
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\nif [ "$1" = --version ]; then echo "git version ${v}"; else exec /usr/bin/git "$@"; fi\n`,
    )
    chmodSync(join(bin, 'git'), 0o755)
  }
  gitVersion('2.20.1')
  sh = await startSessionHost({ env: { PATH: `${bin}:${process.env.PATH ?? ''}` } })
  await page.goto(sh.host.url)
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  const settings = page.getByRole('region', { name: 'Settings' })
  await settings
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'Doctor', exact: true })
    .click()
  const doctor = settings.getByRole('region', { name: 'Doctor', exact: true })
  const list = doctor.getByRole('list', { name: 'Doctor checks' })
  await expect(list.getByRole('listitem')).toHaveCount(7)
  for (const title of [
    'Git',
    'GitHub CLI',
    'Sandbox',
    'Terminal (node-pty)',
    'Login shell PATH',
    'Free disk space',
    'Data folder',
  ]) {
    await expect(list.getByText(title, { exact: true })).toBeVisible()
  }
  const git = list.getByRole('listitem').filter({ has: page.getByText('Git', { exact: true }) })
  await expect(git).toHaveAttribute('data-status', 'warn')
  await expect(git).toContainText('git 2.20.1 is older than 2.30')
  await expect(git).toContainText('Fix:')
  await expect(doctor.getByRole('status')).toHaveText(/warning/)
  await expect(list.getByRole('listitem').filter({ hasText: 'Data folder' })).toContainText(
    `${sh.dataDir} is writable.`,
  )
  // A missing gh is a note with what installing it brings, not a problem.
  const gh = list.getByRole('listitem').filter({ hasText: 'GitHub CLI' })
  await expect(gh).toHaveAttribute('data-status', /ok|info/)
  await shootBoth(page, 'doctor')
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.screenshot({ path: join(REPO_ROOT, 'docs/doctor.png') })

  // The user updates git; Run again, from the keyboard, sees it.
  gitVersion('2.45.2')
  await doctor.getByRole('button', { name: 'Run again' }).focus()
  await page.keyboard.press('Enter')
  await expect(git).toHaveAttribute('data-status', 'ok')
  await expect(git).toContainText('git 2.45.2')
  await expect(git).not.toContainText('Fix:')
  rmSync(bin, { recursive: true, force: true })
})
