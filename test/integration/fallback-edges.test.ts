import { afterEach, describe, expect, it } from 'vitest'
import type { ErrorTurn } from '../support/fake-llm'
import { cleanUp, open, prompt, switches, world } from '../support/fallback-world'

/**
 * Fallbacks at the wire, the edges the first round missed (review of issue 19): each provider's
 * own words for quota, a window-only switch while on a fallback, compaction with auto-compact off,
 * the paths that plan a run without starting one. The world: test/support/fallback-world.ts.
 */

afterEach(cleanUp)

/** Anthropic's answer when the account is out of credits: a 400, not a 429. */
const ANTHROPIC_NO_CREDIT: ErrorTurn = {
  error: {
    status: 400,
    body: {
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message:
          'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      },
    },
  },
}

describe('quota in each provider’s words', () => {
  it('Anthropic’s “credit balance is too low” (400) falls back like a quota 429', async () => {
    const w = await world()
    const a = await open(w, { fallbacks: { 'claude/claude-big': ['work/small-model'] } })
    await a.fx.call('providers.save', {
      name: 'claude',
      kind: 'anthropic',
      baseUrl: w.fake.anthropicBaseUrl,
      apiKey: 'sk-ant-0123456789',
      models: ['claude-big'],
    })
    w.fake.script(ANTHROPIC_NO_CREDIT, { text: 'Answered by the small model.' })
    expect(await prompt(a, 'Hi', 'claude/claude-big')).toEqual({ reason: 'done' })
    expect(a.sleeps).toEqual([])
    expect(w.fake.requests.map((r) => [r.path, r.status])).toEqual([
      ['/v1/messages', 400],
      ['/v1/chat/completions', 200],
    ])
    expect(switches(a).at(-1)).toEqual({
      ref: 'work/small-model',
      from: 'claude/claude-big',
      reason: 'fallback',
      failure: {
        kind: 'quota',
        message: expect.stringMatching(/credit balance is too low/) as string,
      },
    })
  })
})
