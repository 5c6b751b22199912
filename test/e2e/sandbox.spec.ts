import { existsSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { shootBoth } from './support/screenshots'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * The sandbox in the workbench: the session header's shield shows the agent shell's mode, a write
 * outside the session's folder comes back to the model (and the transcript) as blocked by the
 * sandbox, and the shield's menu switches the sandbox off (the user's agreement to run unconfined).
 */

let sh: SessionHost

test.beforeAll(async () => {
  sh = await startSessionHost()
})
test.afterAll(async () => {
  await sh?.stop()
})

test.skip(process.platform !== 'linux', 'the sandbox is proved with bubblewrap on Linux')

test('the shield shows the mode, a blocked write says so, and the menu turns it off', async ({
  page,
}) => {
  const sessionId = await sh.openSession(page, 'Sandboxed')
  const shield = page.getByRole('button', { name: 'Sandbox: Sandboxed' })
  await expect(shield).toBeVisible()

  // Outside /tmp: the sandbox gives the shell a private /tmp, where this test's home lies.
  const outside = `/var/tmp/paddock-e2e-outside-${process.pid}.txt`
  sh.fake.script(
    { toolCalls: [{ name: 'bash', arguments: { command: `echo planted > ${outside}` } }] },
    { text: 'The sandbox refused it.' },
  )
  await sh.client.call('sessions.prompt', {
    sessionId,
    text: 'Write outside',
    mode: 'full-auto',
  })
  const transcript = page.getByRole('region', { name: 'Transcript' })
  await expect(transcript).toContainText('The sandbox refused it.')
  // What the model was told comes first in the tool's result.
  const sent = sh.fake.requests.at(-1)
  expect(JSON.stringify(sent?.body)).toContain(
    `Blocked by the sandbox: writing ${outside} (outside this session's folder)`,
  )
  expect(existsSync(outside)).toBe(false)
  await shootBoth(page, 'sandbox-shield')

  await shield.click()
  const menu = page.getByRole('dialog', { name: 'Sandbox' })
  await expect(menu).toBeVisible()
  await shootBoth(page, 'sandbox-menu')
  await menu.getByRole('radio', { name: /Off: run commands unconfined/ }).click()
  await expect(page.getByRole('button', { name: 'Sandbox: Unsandboxed' })).toBeVisible()
  await expect(menu.getByRole('status')).toContainText('next shell')
  const stored = await sh.client.call('settings.get', {})
  expect(stored.values['sandbox.mode']).toBe('off')
})
