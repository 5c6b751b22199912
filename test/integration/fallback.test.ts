import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions'
import { afterEach, describe, expect, it } from 'vitest'
import type { Turn } from '../support/fake-llm'
import {
  MINUTE,
  NOT_FOUND,
  OVERLOADED,
  QUOTA,
  SMALL,
  cleanUp,
  cleanups,
  open,
  prompt,
  sent,
  switches,
  world,
} from '../support/fallback-world'
import { logged } from '../support/session-log'

/** Fallback models at the wire (the world: test/support/fallback-world.ts). */

afterEach(cleanUp)

describe('a run falls back when its model fails, and returns after the cooldown', () => {
  it('429 with quota text → the fallback at once → back on the primary once the cooldown passed', async () => {
    const w = await world()
    const a = await open(w, { fallbacks: { 'work/big-model': ['work/small-model'] } })
    w.fake.script(QUOTA, { text: 'Answered by the small model.' })
    expect(await prompt(a, 'Hi', 'work/big-model')).toEqual({ reason: 'done' })
    // Quota is not retried: waiting does not bring credits back.
    expect(a.sleeps).toEqual([])
    expect(sent(w)).toEqual([
      ['big-model', 429],
      ['small-model', 200],
    ])
    // The request to the fallback is the request the primary refused.
    const [toBig, toSmall] = w.fake.requests.map((r) => r.body as ChatCompletionCreateParams)
    expect(JSON.stringify(toSmall!.messages)).toBe(JSON.stringify(toBig!.messages))
    expect(switches(a)).toEqual([
      { ref: 'work/big-model', from: null },
      {
        ref: 'work/small-model',
        from: 'work/big-model',
        reason: 'fallback',
        failure: {
          kind: 'quota',
          message: expect.stringMatching(/over quota .*exceeded your current quota/) as string,
        },
      },
    ])
    expect(logged(a, 'assistant_message').map((m) => m.model)).toEqual(['small-model'])
    const status = await a.fx.call('sessions.status', { sessionId: a.sessionId })
    expect(status.model).toBe('work/small-model')
    expect(status.context.windowTokens).toBe(SMALL)

    // Five minutes on, the primary still cools down: a run that names it stays on the fallback.
    w.clock.now += 5 * MINUTE
    w.fake.script({ text: 'Still the small one.' })
    expect(await prompt(a, 'Again', 'work/big-model')).toEqual({ reason: 'done' })
    expect(sent(w).at(-1)).toEqual(['small-model', 200])
    expect(switches(a)).toHaveLength(2)

    // Past the ten minutes: the next model call goes to the primary, recorded as a return.
    w.clock.now += 5 * MINUTE + 1
    w.fake.script({ text: 'The big one is back.' })
    expect(await prompt(a, 'Once more')).toEqual({ reason: 'done' })
    expect(sent(w).at(-1)).toEqual(['big-model', 200])
    expect(switches(a).at(-1)).toEqual({
      ref: 'work/big-model',
      from: 'work/small-model',
      reason: 'return',
    })
    expect((await a.fx.call('sessions.status', { sessionId: a.sessionId })).model).toBe(
      'work/big-model',
    )
  })

  it('a cooldown of 0: the call that failed is made again on the fallback, the next on the primary', async () => {
    const w = await world()
    const a = await open(w, { fallbacks: { 'work/big-model': ['work/small-model'] } })
    await a.fx.call('settings.set', { key: 'models.fallbackCooldownMinutes', value: 0 })
    w.fake.script(
      QUOTA,
      { toolCalls: [{ name: 'ls', arguments: {} }] },
      { text: 'Done on the big model.' },
    )
    expect(await prompt(a, 'Hi', 'work/big-model')).toEqual({ reason: 'done' })
    expect(sent(w)).toEqual([
      ['big-model', 429],
      ['small-model', 200],
      ['big-model', 200],
    ])
    expect(switches(a).map((s) => s.reason ?? 'user')).toEqual(['user', 'fallback', 'return'])
  })

  it('model not found → the fallback; a fallback that fails in turn → the next; none left → the run ends as before', async () => {
    const w = await world()
    const a = await open(w, {
      fallbacks: { 'work/big-model': ['work/small-model', 'work/other-model'] },
    })
    // The small model is overloaded on every attempt: retried, then given up for the next one.
    w.fake.script(NOT_FOUND, ...Array<Turn>(5).fill(OVERLOADED), { text: 'From the other model.' })
    expect(await prompt(a, 'Hi', 'work/big-model')).toEqual({ reason: 'done' })
    expect(a.sleeps).toHaveLength(4)
    expect(sent(w).map(([model]) => model)).toEqual([
      'big-model',
      ...Array<string>(5).fill('small-model'),
      'other-model',
    ])
    expect(switches(a).slice(1)).toMatchObject([
      {
        ref: 'work/small-model',
        from: 'work/big-model',
        reason: 'fallback',
        failure: { kind: 'model_not_found', message: expect.stringContaining('does not exist') },
      },
      {
        ref: 'work/other-model',
        from: 'work/small-model',
        reason: 'fallback',
        failure: { kind: 'overloaded' },
      },
    ])

    // Every fallback out of quota: the run ends with the error, as it would without fallbacks.
    w.fake.script(QUOTA, QUOTA)
    const end = await prompt(a, 'Again')
    expect(end.reason).toBe('error')
    expect(end.message).toMatch(/over quota/)
    expect(
      sent(w)
        .slice(-2)
        .map(([model]) => model),
    ).toEqual(['other-model', 'small-model'])
    expect(switches(a).at(-1)).toMatchObject({
      ref: 'work/small-model',
      from: 'work/other-model',
      reason: 'fallback',
    })
  })

  it('without a fallback for the model, a quota failure ends the run as it always did', async () => {
    const w = await world()
    const a = await open(w, { fallbacks: { 'work/other-model': ['work/small-model'] } })
    w.fake.script(QUOTA)
    const end = await prompt(a, 'Hi', 'work/big-model')
    expect(end).toMatchObject({ reason: 'error', message: expect.stringMatching(/over quota/) })
    expect(sent(w)).toEqual([['big-model', 429]])
    expect(switches(a)).toEqual([{ ref: 'work/big-model', from: null }])
  })

  it('a run’s own fallbackModels replace the setting’s chain', async () => {
    const w = await world()
    const a = await open(w, { fallbacks: { 'work/big-model': ['work/small-model'] } })
    w.fake.script(QUOTA, { text: 'From the other model.' })
    const end = await prompt(a, 'Hi', 'work/big-model', { fallbackModels: ['work/other-model'] })
    expect(end).toEqual({ reason: 'done' })
    expect(sent(w).map(([model]) => model)).toEqual(['big-model', 'other-model'])
    // A fallback no provider offers is refused before the run starts.
    await expect(
      a.fx.call('sessions.prompt', {
        sessionId: a.sessionId,
        text: 'x',
        fallbackModels: ['nowhere/model'],
      }),
    ).rejects.toMatchObject({ code: 'no_model' })
  })
})

describe('a fallback whose window is smaller than the session', () => {
  /** A file of about `chars` characters, its name on every line. */
  function log(name: string, chars: number): string {
    const line = `${name}: GET /api/items 200 12ms ${'x'.repeat(40)}\n`
    return line.repeat(Math.ceil(chars / line.length)).slice(0, chars)
  }

  it('a window too small to ever hold it is skipped; the next is compacted for, and no request exceeds a window', async () => {
    const w = await world()
    const a = await open(w, {
      fallbacks: { 'work/big-model': ['work/tiny-model', 'work/small-model'] },
    })
    for (let i = 0; i < 3; i++) a.write(`logs/day-${i}.log`, log(`day-${i}`, 24_000))
    w.fake.script(
      ...[0, 1, 2].map((i) => ({
        toolCalls: [{ name: 'read', arguments: { path: `logs/day-${i}.log` } }],
      })),
      { text: 'Read every log.' },
    )
    expect(await prompt(a, 'Read the logs.', 'work/big-model')).toEqual({ reason: 'done' })
    const before = await a.fx.call('sessions.status', { sessionId: a.sessionId })
    // More than the small model's window holds, and far more than the tiny one's.
    expect(before.context.usedTokens).toBeGreaterThan(SMALL)

    w.fake.script(QUOTA, { text: 'What the logs say, from the small model.' })
    expect(await prompt(a, 'Summarise them.')).toEqual({ reason: 'done' })
    // The tiny model was never asked; the small one was, after a compaction it made itself.
    expect(w.fake.requests.some((r) => (r.body as { model: string }).model === 'tiny-model')).toBe(
      false,
    )
    expect(w.fake.requests.filter((r) => r.status === 400)).toEqual([])
    expect(switches(a).at(-1)).toMatchObject({
      ref: 'work/small-model',
      from: 'work/big-model',
      reason: 'fallback',
    })
    const [compaction] = logged(a, 'compaction')
    expect(compaction).toMatchObject({ reason: 'model_switch', model: 'small-model' })
    expect(w.summaries.length).toBeGreaterThan(0)
    expect(w.summaries.every((s) => s.model === 'small-model')).toBe(true)
    const last = w.fake.chatRequests().at(-1)!
    expect(last.model).toBe('small-model')
    expect(JSON.stringify(last.messages)).toContain('[Paddock: context summary]')
    // Every request the small model got fits its window, as the fake measures it.
    const windowed = w.fake.requests.filter(
      (r) => (r.body as { model: string }).model === 'small-model',
    )
    expect(windowed.every((r) => r.status === 200)).toBe(true)
  })
})

describe('the fallback survives a restart', () => {
  it('a new process keeps the session on the fallback until the cooldown, then returns; the chain holds', async () => {
    const w = await world()
    const a = await open(w, { fallbacks: { 'work/big-model': ['work/small-model'] } })
    w.fake.script(QUOTA, { text: 'From the small model.' })
    expect(await prompt(a, 'Hi', 'work/big-model')).toEqual({ reason: 'done' })
    await a.close()
    cleanups.shift()

    // Another process, three minutes later: the log says where the session stands.
    w.clock.now += 3 * MINUTE
    const b = await open(w, { sessionId: a.sessionId })
    const stored = await b.fx.call('settings.get', {})
    expect(stored.values['models.fallbacks']).toEqual({
      'work/big-model': ['work/small-model'],
    })
    w.fake.script({ text: 'Still on the small model.' })
    expect(await prompt(b, 'Go on', 'work/big-model')).toEqual({ reason: 'done' })
    expect(sent(w).at(-1)).toEqual(['small-model', 200])

    // The cooldown runs from the primary's failure, not from the restart.
    w.clock.now += 7 * MINUTE
    w.fake.script({ text: 'Back on the big model.' })
    expect(await prompt(b, 'And now?')).toEqual({ reason: 'done' })
    expect(sent(w).at(-1)).toEqual(['big-model', 200])
    expect(switches(b).at(-1)).toMatchObject({ ref: 'work/big-model', reason: 'return' })

    // The chain is the stored one: the primary fails again, the fallback takes over again.
    w.fake.script(QUOTA, { text: 'Small again.' })
    expect(await prompt(b, 'Once more')).toEqual({ reason: 'done' })
    expect(sent(w).slice(-2)).toEqual([
      ['big-model', 429],
      ['small-model', 200],
    ])
    expect(switches(b).at(-1)).toMatchObject({ ref: 'work/small-model', reason: 'fallback' })
  })
})
