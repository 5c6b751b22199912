import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { REPO_ROOT } from '../support/paths'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'
import { shootBoth } from './support/screenshots'

/**
 * Notifications in Chromium through the web host, the model being the fake LLM server: a session
 * the user is not looking at finishes (or asks something) and the browser's Notification API is
 * called once for it; clicking the notification shows that session with the caret in its
 * composer. The permission is asked only from Settings → Notifications, never on load.
 */

interface Recorded {
  title: string
  body: string | undefined
  tag: string | undefined
}

declare global {
  interface Window {
    __notes?: Array<Recorded & { n: Notification }>
    __permissionRequests?: number
    __tones?: number
  }
}

/** Wrap the real Notification: record each one made (and still make it) and each request. */
async function recordNotifications(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Real = window.Notification
    const notes: Array<Recorded & { n: Notification }> = []
    window.__notes = notes
    window.__permissionRequests = 0
    class Recording extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options)
        notes.push({ title, body: options?.body, tag: options?.tag, n: this })
      }
      static override requestPermission(
        callback?: NotificationPermissionCallback,
      ): Promise<NotificationPermission> {
        window.__permissionRequests = (window.__permissionRequests ?? 0) + 1
        return Real.requestPermission(callback)
      }
    }
    window.Notification = Recording
    // The tone: each oscillator started is one chime.
    window.__tones = 0
    const RealAudio = window.AudioContext
    window.AudioContext = class extends RealAudio {
      override createOscillator(): OscillatorNode {
        window.__tones = (window.__tones ?? 0) + 1
        return super.createOscillator()
      }
    }
  })
}

const notes = (page: Page): Promise<Recorded[]> =>
  page.evaluate(() => (window.__notes ?? []).map(({ title, body, tag }) => ({ title, body, tag })))
const tones = (page: Page): Promise<number> => page.evaluate(() => window.__tones ?? -1)
const permissionRequests = (page: Page): Promise<number> =>
  page.evaluate(() => window.__permissionRequests ?? -1)

let sh: SessionHost

test.beforeEach(async () => {
  sh = await startSessionHost()
})
test.afterEach(async () => {
  await sh?.stop()
})

async function idle(sessionId: string): Promise<void> {
  await expect
    .poll(async () => (await sh.client.call('sessions.status', { sessionId })).running)
    .toBe(false)
}

test.describe('with the permission granted', () => {
  test.use({ permissions: ['notifications'] })

  test('a hidden session that finishes raises one notification; clicking it shows the session', async ({
    page,
  }) => {
    await recordNotifications(page)
    const ws = await sh.openProject()
    const hidden = await sh.client.call('sessions.create', {
      workspaceId: ws,
      title: 'Hidden worker',
    })
    // The user looks at another session: the hidden one is only a tab in the background.
    const front = await sh.openSession(page, 'In front')
    await expect(page.getByRole('tab', { name: 'In front', exact: true })).toHaveAttribute(
      'aria-selected',
      'true',
    )
    expect(await permissionRequests(page)).toBe(0)
    expect(await page.evaluate(() => document.hasFocus())).toBe(true)

    // What the user watches finish raises nothing (its batch is decided before the next one's).
    sh.fake.script({ text: 'Looked at it.' })
    await sh.client.call('sessions.prompt', { sessionId: front, text: 'Look at the README' })
    await idle(front)
    sh.fake.script({ text: 'Done: the README is fine as it is.' })
    await sh.client.call('sessions.prompt', { sessionId: hidden.id, text: 'Check the README' })
    await idle(hidden.id)
    // Within the batch (about two seconds), one notification about it, and only one.
    await expect.poll(() => notes(page)).toHaveLength(1)
    expect(await notes(page)).toEqual([
      {
        title: 'Hidden worker finished',
        body: 'In project',
        tag: `paddock-session-${hidden.id}`,
      },
    ])

    // Clicking it brings the session forward, with the caret in its composer.
    await page.evaluate(() => {
      const note = window.__notes?.[0]?.n
      note?.onclick?.(new Event('click'))
    })
    await expect(page.getByRole('tab', { name: 'Hidden worker', exact: true })).toHaveAttribute(
      'aria-selected',
      'true',
    )
    await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused()

    // A session that asks the user something, under Settings: notified, and counted in the title.
    const asking = await sh.client.call('sessions.create', { workspaceId: ws, title: 'Curious' })
    await page.keyboard.press('Control+Comma')
    await expect(page.getByRole('region', { name: 'Settings' })).toBeVisible()
    sh.fake.script({ text: 'I read it. Should I also add a section about tests?' })
    await sh.client.call('sessions.prompt', { sessionId: asking.id, text: 'Read the README' })
    await idle(asking.id)
    await expect.poll(() => notes(page)).toHaveLength(2)
    expect((await notes(page))[1]).toEqual({
      title: 'Curious is waiting for your input',
      body: 'In project',
      tag: `paddock-session-${asking.id}`,
    })
    await expect(page).toHaveTitle('(1) Paddock')
    expect(await permissionRequests(page)).toBe(0)
    // Sound is off by default.
    expect(await tones(page)).toBe(0)
  })

  test('Settings → Notifications: what notifies is stored; a test notification shows', async ({
    page,
  }) => {
    await recordNotifications(page)
    await sh.openProject()
    await page.goto(sh.host.url)
    await page.setViewportSize({ width: 1440, height: 900 })
    await expect(
      page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
    ).toBeVisible()
    await page.keyboard.press('Control+Comma')
    const settings = page.getByRole('region', { name: 'Settings' })
    await settings
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('button', { name: 'Notifications', exact: true })
      .click()
    const section = settings.getByRole('region', { name: 'Notifications', exact: true })
    await expect(section.getByText('Notifications are on in this browser.')).toBeVisible()
    await expect(section.getByRole('button', { name: 'Turn on notifications' })).toHaveCount(0)

    await section.getByRole('checkbox', { name: 'A session finished' }).uncheck()
    await section.getByRole('checkbox', { name: 'Play a short tone' }).check()
    await section.getByRole('button', { name: 'Save' }).click()
    await expect(section.getByText('Saved.')).toBeVisible()
    const stored = await sh.client.call('settings.get', {})
    expect(stored.values['notifications.finished']).toBe(false)
    expect(stored.values['notifications.sound']).toBe(true)
    expect(stored.values['notifications.failed']).toBeUndefined()

    await section.getByRole('button', { name: 'Send a test notification' }).click()
    await expect
      .poll(() => notes(page))
      .toEqual([
        {
          title: 'Paddock notifications are on',
          body: 'A session that needs you will look like this.',
          tag: 'paddock-test',
        },
      ])
    // Sound on: one chime with it.
    await expect.poll(() => tones(page)).toBe(1)
    await shootBoth(page, 'notifications-granted')
  })
})

test('the permission is asked only from the button, never on load', async ({ page }) => {
  await recordNotifications(page)
  await sh.openProject()
  await page.goto(sh.host.url)
  await expect(
    page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
  ).toBeVisible()
  expect(await permissionRequests(page)).toBe(0)
  await page.keyboard.press('Control+Comma')
  const settings = page.getByRole('region', { name: 'Settings' })
  await settings
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'Notifications', exact: true })
    .click()
  const section = settings.getByRole('region', { name: 'Notifications', exact: true })
  const permission = await page.evaluate(() => Notification.permission)
  if (permission === 'default') {
    const turnOn = section.getByRole('button', { name: 'Turn on notifications' })
    await expect(section.getByText('has not been allowed')).toBeVisible()
    await expect(section.getByRole('button', { name: 'Send a test notification' })).toBeDisabled()
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.screenshot({ path: join(REPO_ROOT, 'docs', 'notifications.png') })
    await shootBoth(page, 'notifications')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shootBoth(page, 'notifications-dark')
    await page.emulateMedia({ colorScheme: 'light' })
    expect(await permissionRequests(page)).toBe(0)
    await turnOn.click()
    await expect.poll(() => permissionRequests(page)).toBe(1)
    // Whatever the browser answered, the page says it.
    await expect(
      section.getByText(/^(Notifications are on\.|The browser did not allow notifications\.)$/),
    ).toBeVisible()
  } else {
    // This Chromium answers for the user (headless may deny outright): the page says how to
    // allow them, and still asked nothing.
    await expect(section.getByText('This browser blocks Paddock’s notifications.')).toBeVisible()
    expect(await permissionRequests(page)).toBe(0)
  }
})
