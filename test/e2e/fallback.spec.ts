import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { shootBoth } from './support/screenshots'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * A fallback in the transcript, over the real host and the fake LLM at the wire: the host's model
 * runs out of quota, the run continues on its fallback, and the switch shows with its reason (the
 * provider's words on hover).
 */

let env: SessionHost | null = null
test.afterEach(async () => {
  expect(env?.fake.pending() ?? 0).toBe(0)
  await env?.stop()
  env = null
})

const conversation = (page: Page): Locator =>
  page.getByRole('region', { name: 'Transcript' }).getByRole('list', { name: 'Conversation' })

test('a quota failure: the run goes on with the fallback, and the transcript says why', async ({
  page,
}) => {
  env = await startSessionHost()
  const host = env
  await host.client.call('providers.save', {
    name: 'work',
    kind: 'openai',
    baseUrl: host.fake.baseUrl,
    models: ['fake-small'],
  })
  await host.client.call('settings.set', {
    key: 'models.fallbacks',
    value: { 'env/fake-model': ['work/fake-small'] },
  })
  host.fake.script(
    {
      error: {
        status: 429,
        body: {
          error: {
            message: 'You exceeded your current quota, please check your plan and billing details.',
            type: 'insufficient_quota',
            param: null,
            code: 'insufficient_quota',
          },
        },
      },
    },
    { text: 'The sum is in `src/math.ts`: `add(a, b)` returns `a + b`.' },
  )
  const sessionId = await host.openSession(page, 'A provider has a bad hour')
  await host.client.call('sessions.prompt', {
    sessionId,
    text: 'Where is the sum computed?',
    mode: 'full-auto',
    model: 'env/fake-model',
  })
  const list = conversation(page)
  await expect(list.getByText('returns a + b')).toBeVisible()
  const divider = list.getByRole('separator', {
    name: 'Model: work/fake-small · fallback: quota on env/fake-model',
  })
  await expect(divider).toBeVisible()
  await expect(divider).toHaveAttribute('title', /exceeded your current quota/)
  expect(host.fake.requests.map((r) => (r.body as { model: string }).model)).toEqual([
    'fake-model',
    'fake-small',
  ])
  await shootBoth(page, 'fallback-transcript')
})
