import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAnthropicStream } from '../../src/main/providers/anthropic'
import { createOpenAiCompatibleStream } from '../../src/main/providers/openai-compatible'
import type { StreamFn } from '../../src/main/providers/types'
import { ProviderError } from '../../src/main/providers/types'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { REPO_ROOT } from '../support/paths'

interface Fixture {
  family: string
  wire: 'openai' | 'anthropic'
  status: number
  body: object
  source: string
}

const { fixtures } = JSON.parse(
  readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'context-overflow.json'), 'utf8'),
) as { fixtures: Fixture[] }

let fake: FakeLlm
beforeAll(async () => {
  fake = await startFakeLlm()
})
afterAll(async () => {
  await fake.close()
})

async function failure(stream: StreamFn): Promise<unknown> {
  try {
    for await (const _ of stream({
      model: 'm',
      system: 's',
      messages: [{ role: 'user', content: 'a very long conversation' }],
      tools: [],
      signal: new AbortController().signal,
    })) {
      // Nothing should stream.
    }
  } catch (err) {
    return err
  }
  return null
}

describe('context overflow answers from each provider family', () => {
  it('has a cited fixture for every family', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8)
    for (const f of fixtures) expect(f.source.length).toBeGreaterThan(20)
  })

  for (const f of fixtures) {
    it(`classifies ${f.family} (${f.status}) as context_overflow, without retrying`, async () => {
      fake.script({ error: { status: f.status, body: f.body } })
      const stream =
        f.wire === 'anthropic'
          ? createAnthropicStream({ baseUrl: fake.anthropicBaseUrl, apiKey: 'k' })
          : createOpenAiCompatibleStream({ baseUrl: fake.baseUrl, apiKey: 'k' })
      const err = await failure(stream)
      expect(err).toBeInstanceOf(ProviderError)
      expect((err as ProviderError).kind).toBe('context_overflow')
      expect((err as ProviderError).retryable).toBe(false)
      expect(fake.pending()).toBe(0)
    })
  }
})
