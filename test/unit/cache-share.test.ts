import { describe, expect, it } from 'vitest'
import type { Entry, EntryType } from '../../src/shared/model'
import {
  cachePercent,
  cacheTitle,
  lastRequestCache,
} from '../../src/renderer/src/features/transcript/cache-share'

function branch(...specs: Array<[EntryType, unknown]>): Entry[] {
  return specs.map(([type, payload], i) => ({
    id: `e${i + 1}`,
    parentId: i === 0 ? null : `e${i}`,
    sessionId: 's1',
    type,
    payload,
    createdAt: 1_000 + i,
  }))
}

const answer = (usage: object, extra: object = {}): unknown => ({
  content: 'ok',
  reasoning: '',
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 0, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, ...usage },
  model: 'm',
  ...extra,
})

describe('the cache share of the last request', () => {
  it('is what the provider read from its cache over the whole prompt of the last answer', () => {
    const entries = branch(
      ['user_message', { text: 'hi', kind: 'prompt' }],
      ['assistant_message', answer({ inputTokens: 10_000 })],
      ['user_message', { text: 'again', kind: 'prompt' }],
      [
        'assistant_message',
        answer({ inputTokens: 500, cacheReadTokens: 9_200, cacheWriteTokens: 300 }),
      ],
      // A cut-off answer and one without usage are not requests the provider counted.
      ['assistant_message', answer({ cacheReadTokens: 1 }, { partial: true })],
      ['assistant_message', answer({})],
    )
    const cache = lastRequestCache(entries)
    expect(cache).toEqual({ prompt: 10_000, read: 9_200, written: 300 })
    expect(cachePercent(cache!)).toBe(92)
    expect(cacheTitle(cache!)).toContain('9,200 of 10,000 prompt tokens')
    expect(cacheTitle(cache!)).toContain('300 written to it')
  })

  it('rounds down, so only a prompt read whole shows 100 %', () => {
    expect(cachePercent({ prompt: 1_000, read: 996, written: 0 })).toBe(99)
    expect(cachePercent({ prompt: 1_000, read: 1_000, written: 0 })).toBe(100)
  })

  it('is null before any answer counted a prompt', () => {
    expect(lastRequestCache(branch(['user_message', { text: 'hi', kind: 'prompt' }]))).toBeNull()
    expect(lastRequestCache(branch(['assistant_message', answer({})]))).toBeNull()
  })
})
