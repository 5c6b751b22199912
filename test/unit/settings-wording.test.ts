import { describe, expect, it } from 'vitest'
import {
  freeName,
  keyStateLabel,
  kindLabel,
  modelCountLabel,
} from '../../src/renderer/src/features/settings/provider-display'
import { describeVerdict } from '../../src/renderer/src/features/settings/verdict'
import type { TestResult } from '../../src/renderer/src/features/settings/verdict'

const openai = { kind: 'openai', baseUrl: 'http://127.0.0.1:4000/v1' } as const

describe('connection verdicts', () => {
  it('counts the models of a good connection', () => {
    const ok = (models: string[]): string =>
      describeVerdict({ verdict: 'ok', message: 'Connected.', models }, openai).title
    expect(ok(['a', 'b', 'c'])).toBe('Connected — 3 models')
    expect(ok(['a'])).toBe('Connected — 1 model')
    expect(ok([])).toBe('Connected — no models listed')
    expect(describeVerdict({ verdict: 'ok', message: 'x', models: [] }, openai).tone).toBe('ok')
  })

  it('says the key was rejected, with the engine’s words under it', () => {
    expect(
      describeVerdict(
        { verdict: 'bad_key', message: 'HTTP 401: invalid api key', models: [] },
        openai,
      ),
    ).toEqual({ tone: 'error', title: 'The key was rejected', detail: 'HTTP 401: invalid api key' })
  })

  it('names the address nothing answers at', () => {
    const v = describeVerdict(
      { verdict: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:4000', models: [] },
      openai,
    )
    expect(v.title).toBe('Nothing answers at http://127.0.0.1:4000/v1')
    expect(v.detail).toBe('connect ECONNREFUSED 127.0.0.1:4000')
    const anthropic = describeVerdict(
      { verdict: 'unreachable', message: 'timeout', models: [] },
      { kind: 'anthropic', baseUrl: '' },
    )
    expect(anthropic.title).toBe('Nothing answers at https://api.anthropic.com')
  })

  it('tells a server that speaks something else apart, per kind', () => {
    const msg: TestResult = {
      verdict: 'not_compatible',
      message: 'GET /models answered HTML',
      models: [],
    }
    expect(describeVerdict(msg, openai)).toEqual({
      tone: 'warning',
      title: 'This is not an OpenAI-compatible endpoint',
      detail: 'GET /models answered HTML',
    })
    expect(describeVerdict(msg, { kind: 'anthropic', baseUrl: 'x' }).title).toBe(
      'This is not an Anthropic API endpoint',
    )
  })

  it('does not repeat the headline as its detail', () => {
    const v = describeVerdict(
      { verdict: 'bad_key', message: 'The key was rejected', models: [] },
      openai,
    )
    expect(v.detail).toBeNull()
  })
})

describe('a provider in the list', () => {
  it('shows where its key comes from, never more than the hint’s end', () => {
    expect(keyStateLabel({ source: 'stored', hint: 'sk-…a1b2', env: null })).toBe(
      'Key stored ••••a1b2',
    )
    expect(keyStateLabel({ source: 'stored', hint: 'sk-paddock-…7890', env: null })).toBe(
      'Key stored ••••7890',
    )
    expect(keyStateLabel({ source: 'stored', hint: null, env: null })).toBe('Key stored')
    expect(keyStateLabel({ source: 'env', hint: 'sk-…zz99', env: 'OPENROUTER_API_KEY' })).toBe(
      'Key from $OPENROUTER_API_KEY',
    )
    expect(keyStateLabel({ source: 'none', hint: null, env: null })).toBe('No key')
    expect(keyStateLabel({ source: 'none', hint: null, env: 'GROQ_API_KEY' })).toBe(
      'No key ($GROQ_API_KEY is not set)',
    )
  })

  it('names kinds and counts models', () => {
    expect(kindLabel('openai')).toBe('OpenAI-compatible')
    expect(kindLabel('anthropic')).toBe('Anthropic')
    expect([0, 1, 12].map(modelCountLabel)).toEqual(['no models', '1 model', '12 models'])
  })

  it('finds a free name for a detected local server', () => {
    expect(freeName('ollama', ['work'])).toBe('ollama')
    expect(freeName('ollama', ['ollama', 'ollama-2'])).toBe('ollama-3')
  })
})
