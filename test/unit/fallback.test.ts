import { describe, expect, it } from 'vitest'
import { fallbackCause, fallbackState } from '../../src/main/engine/fallback'
import { ProviderError } from '../../src/main/providers/types'
import { EDITABLE_SETTINGS } from '../../src/shared/contract/settings'
import type { ModelSwitch } from '../../src/shared/entries'
import { payloadOf } from '../../src/shared/entries'
import type { Entry } from '../../src/shared/model'
import { modelSwitchNote } from '../../src/shared/model-switch'

let seq = 0
function entry(type: Entry['type'], payload: unknown, createdAt = ++seq): Entry {
  return { id: `e${++seq}`, parentId: null, sessionId: 's', type, payload, createdAt }
}
const change = (payload: ModelSwitch, at?: number): Entry => entry('model_switch', payload, at)
const prompt = (text: string): Entry => entry('user_message', { text, kind: 'prompt' })
const failure = { kind: 'quota' as const, message: 'Out of credits' }

describe('fallbackCause: what a run falls back on', () => {
  it('quota, overload and a model the provider does not have; nothing else', () => {
    expect(fallbackCause(new ProviderError('quota', 'Out of credits (402)', 402))).toBe('quota')
    expect(fallbackCause(new ProviderError('overloaded', 'overloaded (529)', 529))).toBe(
      'overloaded',
    )
    // OpenAI, Ollama, Anthropic (404) and OpenRouter (400) wordings.
    for (const [status, text] of [
      [404, 'Unexpected answer (404): The model `gpt-9` does not exist or you do not have access'],
      [404, 'Unexpected answer (404): model "qwen3:99b" not found, try pulling it first'],
      [404, 'The server rejected the request (404): model: claude-sonnet-9'],
      [400, 'The server rejected the request (400): foo/bar is not a valid model ID'],
    ] as const) {
      expect(fallbackCause(new ProviderError('bad_request', text, status))).toBe('model_not_found')
    }
    expect(
      fallbackCause(new ProviderError('bad_request', 'Invalid URL (POST /v2/chat)', 404)),
    ).toBe(null)
    expect(fallbackCause(new ProviderError('bad_request', 'messages: required', 400))).toBe(null)
    expect(fallbackCause(new ProviderError('rate_limit', 'Rate limited (429)', 429))).toBe(null)
    expect(fallbackCause(new ProviderError('auth', 'refused the key', 401))).toBe(null)
    expect(fallbackCause(new ProviderError('context_overflow', 'too long', 400))).toBe(null)
    expect(fallbackCause(new Error('quota'))).toBe(null)
  })
})

describe('fallbackState: where a session stands, from its log', () => {
  it('none while the last switch is the user’s or a return', () => {
    expect(fallbackState([prompt('hi')])).toBeNull()
    expect(fallbackState([change({ ref: 'w/big', from: null })])).toBeNull()
    expect(
      fallbackState([
        change({ ref: 'w/small', from: 'w/big', reason: 'fallback', failure }),
        change({ ref: 'w/big', from: 'w/small', reason: 'return' }),
      ]),
    ).toBeNull()
    expect(
      fallbackState([
        change({ ref: 'w/small', from: 'w/big', reason: 'fallback', failure }),
        change({ ref: 'w/other', from: 'w/small' }),
      ]),
    ).toBeNull()
  })

  it('fallbacks in a row: the primary and its failure time come from the first', () => {
    const state = fallbackState([
      change({ ref: 'w/big', from: null, contextWindow: 200_000 }, 100),
      prompt('hi'),
      change({ ref: 'w/small', from: 'w/big', reason: 'fallback', failure }, 1_000),
      prompt('again'),
      change({ ref: 'w/other', from: 'w/small', reason: 'fallback', failure }, 5_000),
    ])
    expect(state).toEqual({
      primary: 'w/big',
      current: 'w/other',
      since: 1_000,
      primaryWindow: 200_000,
    })
  })

  it('a window set on the fallback (--context-window) keeps the session on it, primary and all', () => {
    const fell = change({ ref: 'w/small', from: 'w/big', reason: 'fallback', failure }, 1_000)
    const windowOnly = change({ ref: 'w/small', from: 'w/small', contextWindow: 8_192 }, 2_000)
    const expected = { primary: 'w/big', current: 'w/small', since: 1_000 }
    expect(fallbackState([fell, windowOnly])).toEqual(expected)
    // Between two fallbacks of a row, too: the row still starts at the primary's failure.
    expect(
      fallbackState([
        change({ ref: 'w/big', from: null, contextWindow: 200_000 }, 100),
        fell,
        windowOnly,
        change({ ref: 'w/other', from: 'w/small', reason: 'fallback', failure }, 3_000),
      ]),
    ).toEqual({ ...expected, current: 'w/other', primaryWindow: 200_000 })
    // The primary's own window, set without a model change before it failed, is still carried.
    expect(
      fallbackState([
        change({ ref: 'w/big', from: null }, 100),
        change({ ref: 'w/big', from: 'w/big', contextWindow: 100_000 }, 200),
        fell,
      ]),
    ).toEqual({ ...expected, primaryWindow: 100_000 })
  })

  it('after a return, a new failure starts a new cooldown', () => {
    const state = fallbackState([
      change({ ref: 'w/small', from: 'w/big', reason: 'fallback', failure }, 1_000),
      change({ ref: 'w/big', from: 'w/small', reason: 'return' }, 2_000),
      change({ ref: 'w/small', from: 'w/big', reason: 'fallback', failure }, 3_000),
    ])
    expect(state).toEqual({ primary: 'w/big', current: 'w/small', since: 3_000 })
  })
})

describe('a recorded failure', () => {
  it('a message longer than 2000 characters (a log from before the clip) reads clipped', () => {
    const long = change({
      ref: 'w/small',
      from: 'w/big',
      reason: 'fallback',
      failure: { kind: 'overloaded', message: 'x'.repeat(5_000) },
    })
    const read = payloadOf(long, 'model_switch')
    expect(read?.ref).toBe('w/small')
    expect(read?.failure?.message.length).toBeLessThanOrEqual(2_000)
  })
})

describe('the words for a switch', () => {
  it('names the cause and the model that failed, or the model it came back from', () => {
    expect(modelSwitchNote({ ref: 'w/small', from: 'w/big', reason: 'fallback', failure })).toBe(
      'fallback: quota on w/big',
    )
    expect(
      modelSwitchNote({
        ref: 'w/small',
        from: 'w/big',
        reason: 'fallback',
        failure: { kind: 'model_not_found', message: 'x' },
      }),
    ).toBe('fallback: model not found on w/big')
    expect(modelSwitchNote({ ref: 'w/big', from: 'w/small', reason: 'return' })).toBe(
      'back from w/small',
    )
    expect(modelSwitchNote({ ref: 'w/big', from: null })).toBeNull()
    expect(modelSwitchNote({ ref: 'w/big', from: 'w/a', reason: 'user' })).toBeNull()
  })
})

describe('the settings', () => {
  const chains = EDITABLE_SETTINGS['models.fallbacks']
  it('models.fallbacks: refs, at most three each, none twice, never the model itself', () => {
    expect(chains.safeParse({ 'w/big': ['w/small', 'x/other'] }).success).toBe(true)
    const issue = (value: unknown): string | undefined =>
      chains.safeParse(value).error?.issues[0]?.message
    expect(issue({ 'w/big': ['a/1', 'a/2', 'a/3', 'a/4'] })).toBe('at most 3 fallbacks per model')
    expect(issue({ 'w/big': ['a/1', 'a/1'] })).toBe('a fallback is named twice')
    expect(issue({ 'w/big': ['w/big'] })).toBe('a model cannot be its own fallback')
    expect(issue({ 'w/big': ['small'] })).toMatch(/<provider>\/<model>/)
  })

  it('models.fallbackCooldownMinutes: 0 to a week', () => {
    const cooldown = EDITABLE_SETTINGS['models.fallbackCooldownMinutes']
    expect(cooldown.safeParse(0).success).toBe(true)
    expect(cooldown.safeParse(2.5).success).toBe(true)
    expect(cooldown.safeParse(-1).success).toBe(false)
    expect(cooldown.safeParse(10_081).success).toBe(false)
  })
})
