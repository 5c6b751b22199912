import { expect, test } from '@playwright/test'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

let env: SessionHost | null = null
test.afterEach(async () => {
  await env?.stop()
  env = null
})

test('the usage header shows the share of the last request read from the prompt cache', async ({
  page,
}, testInfo) => {
  env = await startSessionHost({ env: { PADDOCK_MODEL: 'gpt-oss-120b' } })
  const host = env
  host.fake.script(
    {
      toolCalls: [{ name: 'read', arguments: { path: 'README.md' } }],
      usage: { prompt_tokens: 20_000, completion_tokens: 40 },
    },
    {
      text: 'It is a small project.',
      usage: {
        prompt_tokens: 21_000,
        completion_tokens: 30,
        prompt_tokens_details: { cached_tokens: 19_320 },
      },
    },
  )
  await host.openSession(page, 'Cache')
  const region = page.getByRole('region', { name: 'Transcript' })
  const meter = region.locator('.session-meter')
  await page.getByRole('textbox', { name: 'Message' }).fill('What is this project?')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(region.getByText('It is a small project.')).toBeVisible()

  // 19,320 of the last request's 21,000 prompt tokens came from the cache: 92 %.
  const share = meter.locator('.cache-share')
  await expect(share).toHaveText('Cache 92 %')
  await expect(share).toHaveAttribute(
    'title',
    /Prompt cache, last request: 19,320 of 21,000 prompt tokens read from the provider's cache \(92 %\)/,
  )
  // The session's totals say the same in the tokens' tooltip.
  await expect(meter.locator('.meter-item').first()).toHaveAttribute(
    'title',
    /19,320 of them read from the provider's cache/,
  )

  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height })
    await expect(share).toBeVisible()
    // Nothing in the header is cut: its last control, "Compact now", shows whole.
    const box = (await meter.boundingBox())!
    const button = (await meter.getByRole('button', { name: 'Compact now' }).boundingBox())!
    expect(button.x + button.width).toBeLessThanOrEqual(box.x + box.width + 0.5)
    await page.screenshot({ path: testInfo.outputPath(`cache-share-${width}x${height}.png`) })
  }
})
