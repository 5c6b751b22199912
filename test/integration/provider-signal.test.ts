import { getEventListeners } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAnthropicStream } from '../../src/main/providers/anthropic'
import { createOpenAiCompatibleStream } from '../../src/main/providers/openai-compatible'
import type { StreamFn } from '../../src/main/providers/types'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { waitUntil } from '../support/wait'

/**
 * A run's signal serves every request of the run.  The OpenAI SDK leaves a listener on the signal of each
 * request they send; twelve steps in one run must not leave twelve (Node warns of a leak past ten).
 */
let fake: FakeLlm

beforeAll(async () => {
  fake = await startFakeLlm()
})

afterAll(async () => {
  await fake.close()
})

async function twelveSteps(stream: StreamFn, signal: AbortSignal): Promise<string[]> {
  const texts: string[] = []
  for (let i = 0; i < 12; i++) {
    fake.script({ text: `step ${i}` })
    const events = stream({
      model: 'm',
      system: 's',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [],
      signal,
    })
    for await (const ev of events) if (ev.type === 'done') texts.push(ev.turn.content)
  }
  return texts
}

describe("a run's signal across its requests", () => {
  it('OpenAI-compatible: no listener is left on it after each request', async () => {
    const run = new AbortController()
    const stream = createOpenAiCompatibleStream({ baseUrl: fake.baseUrl, apiKey: 'k' })
    const texts = await twelveSteps(stream, run.signal)
    expect(texts).toHaveLength(12)
    expect(texts[11]).toBe('step 11')
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0)
  })

  it('Anthropic: no listener is left on it after each request', async () => {
    const run = new AbortController()
    const stream = createAnthropicStream({ baseUrl: fake.anthropicBaseUrl, apiKey: 'k' })
    const texts = await twelveSteps(stream, run.signal)
    expect(texts[11]).toBe('step 11')
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0)
  })

  it('aborting the run still aborts the request in flight', async () => {
    const run = new AbortController()
    const stream = createOpenAiCompatibleStream({ baseUrl: fake.baseUrl, apiKey: 'k' })
    const before = fake.chatRequests().length
    fake.script({ text: 'never finished', hang: true })
    const events = stream({
      model: 'm',
      system: 's',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [],
      signal: run.signal,
    })
    const drained = (async () => {
      for await (const ev of events) void ev
    })()
    // The request is in the server's hands, its answer stalled: the user stops the run.
    await waitUntil(() => fake.chatRequests().length === before + 1, 20_000, 'the request')
    run.abort()
    await expect(drained).rejects.toMatchObject({ kind: 'aborted' })
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0)
  })
})
