import { existsSync, readFileSync, rmSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { shootBoth } from './support/screenshots'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * The sandbox in the workbench: the session header's shield shows the agent shell's mode; a write
 * outside the session's folder is blocked, and the card offers to run it once outside the
 * sandbox; the shield's menu switches the sandbox off (the user's agreement to run unconfined).
 */

let sh: SessionHost
// Outside /tmp: the sandbox gives the shell a private /tmp, where this test's home lies.
const OUTSIDE = `/var/tmp/paddock-e2e-outside-${process.pid}.txt`

test.beforeAll(async () => {
  sh = await startSessionHost()
})
test.afterAll(async () => {
  await sh?.stop()
  rmSync(OUTSIDE, { force: true })
})

test.skip(process.platform !== 'linux', 'the sandbox is proved with bubblewrap on Linux')

test('a blocked write shows the blocked note and runs once outside the sandbox when asked', async ({
  page,
}) => {
  const sessionId = await sh.openSession(page, 'Sandboxed')
  const shield = page.getByRole('button', { name: 'Sandbox: Sandboxed' })
  await expect(shield).toBeVisible()

  sh.fake.script(
    { toolCalls: [{ name: 'bash', arguments: { command: `echo planted > ${OUTSIDE}` } }] },
    { text: 'Written outside, with your leave.' },
  )
  await sh.client.call('sessions.prompt', { sessionId, text: 'Write outside', mode: 'full-auto' })
  const card = page.getByRole('group', { name: /^Approval: Run echo planted/ })
  await expect(card.getByRole('heading', { name: 'Blocked by the sandbox' })).toBeVisible()
  await expect(card).toContainText(`Blocked by the sandbox: writing ${OUTSIDE}`)
  expect(existsSync(OUTSIDE)).toBe(false)
  await shootBoth(page, 'sandbox-card')

  await card.getByRole('button', { name: 'Run once outside the sandbox' }).click()
  const transcript = page.getByRole('region', { name: 'Transcript' })
  await expect(transcript).toContainText('Written outside, with your leave.')
  expect(readFileSync(OUTSIDE, 'utf8')).toBe('planted\n')
  await expect(transcript).toContainText('Ran once outside the sandbox, as the user allowed')
})

test('the shield menu turns the sandbox off', async ({ page }) => {
  await sh.openSession(page, 'Shield')
  await page.getByRole('button', { name: 'Sandbox: Sandboxed' }).click()
  const menu = page.getByRole('dialog', { name: 'Sandbox' })
  await expect(menu).toBeVisible()
  await shootBoth(page, 'sandbox-menu')
  await menu.getByRole('radio', { name: /Off: run commands unconfined/ }).click()
  await expect(page.getByRole('button', { name: 'Sandbox: Unsandboxed' })).toBeVisible()
  await expect(menu.getByRole('status')).toContainText('next shell')
  const stored = await sh.client.call('settings.get', {})
  expect(stored.values['sandbox.mode']).toBe('off')
})

test('Settings → Sandbox: network on, then the mode back to workspace write, stored and shown', async ({
  page,
}) => {
  await sh.openSession(page, 'Sandbox settings')
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  const settings = page.getByRole('region', { name: 'Settings' })
  await settings
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'Sandbox', exact: true })
    .click()
  const section = settings.getByRole('region', { name: 'Sandbox', exact: true })
  // The test before left it off: the network choice waits for a sandbox to apply to.
  const network = section.getByRole('checkbox', { name: /Let sandboxed commands use the network/ })
  await expect(network).toBeDisabled()
  await section.getByRole('radio', { name: /Workspace write/ }).check()
  await expect(section.getByRole('status')).toHaveText(/Saved/)
  await expect(network).toBeEnabled()
  await network.check()
  await expect(network).toBeChecked()
  await shootBoth(page, 'settings-sandbox')
  const stored = await sh.client.call('settings.get', {})
  expect(stored.values['sandbox.mode']).toBe('workspace-write')
  expect(stored.values['sandbox.network']).toBe('on')
  expect(await sh.client.call('sandbox.status', {})).toMatchObject({
    mode: 'workspace-write',
    network: true,
    unavailable: null,
  })
})
