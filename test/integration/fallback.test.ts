import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions'
import { afterEach, describe, expect, it } from 'vitest'
import type { ModelSwitch, TurnEnd } from '../../src/shared/entries'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import type { ErrorTurn, FakeLlm, Turn } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { logged } from '../support/session-log'
import { tempDir } from '../support/temp'

/**
 * Fallback models at the wire: one configured provider with four models, all served by the fake
 * LLM, which enforces each model's own window and answers the summariser's requests (those that
 * offer no tools). The engine's clock is injected, so a cooldown passes without waiting.
 */

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

const BIG = 1_048_576
const SMALL = 16_384
const TINY = 4_096
const MINUTE = 60_000

const WINDOWS: Record<string, number> = {
  'big-model': BIG,
  'other-model': BIG,
  'small-model': SMALL,
  'tiny-model': TINY,
}

function isSummariser(body: { tools?: unknown[] }): boolean {
  return !body.tools || body.tools.length === 0
}

/** OpenAI's answer when the account is out of credits. */
const QUOTA: ErrorTurn = {
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
}

/** OpenAI's answer for a model the account cannot use. */
const NOT_FOUND: ErrorTurn = {
  error: {
    status: 404,
    body: {
      error: {
        message: 'The model `big-model` does not exist or you do not have access to it.',
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      },
    },
  },
}

const OVERLOADED: ErrorTurn = { error: { status: 529 } }

interface World {
  root: string
  fake: FakeLlm
  summaries: ChatCompletionCreateParams[]
  clock: { now: number }
}

async function world(): Promise<World> {
  const t = tempDir()
  cleanups.push(t.cleanup)
  mkdirSync(join(t.path, 'data'), { recursive: true })
  writeFileSync(
    join(t.path, 'data', 'models.json'),
    JSON.stringify({
      models: [
        { id: 'big-model', contextWindow: BIG, maxOutput: 32_768 },
        { id: 'other-model', contextWindow: BIG, maxOutput: 32_768 },
        { id: 'small-model', contextWindow: SMALL, maxOutput: 4_096 },
        { id: 'tiny-model', contextWindow: TINY, maxOutput: 1_024 },
      ],
    }),
  )
  const summaries: ChatCompletionCreateParams[] = []
  const fake = await startFakeLlm({
    contextWindow: (model) => WINDOWS[model],
    answer: (body) => {
      if (!isSummariser(body as { tools?: unknown[] })) return undefined
      summaries.push(body as ChatCompletionCreateParams)
      return { text: `## Goal\nRead the logs.\n\n## Progress\n### Done\nPart ${summaries.length}.` }
    },
  })
  cleanups.push(() => fake.close())
  return { root: t.path, fake, summaries, clock: { now: Date.UTC(2025, 5, 1, 9) } }
}

/** An engine on the world's data folder (a restart when it opens an existing session). */
async function open(
  w: World,
  opts: { sessionId?: string; fallbacks?: Record<string, string[]> } = {},
): Promise<AgentFixture> {
  const a = await agentFixture({
    fake: w.fake,
    reuse: { root: w.root },
    ...(opts.sessionId ? { sessionId: opts.sessionId } : {}),
    extra: { now: () => w.clock.now },
  })
  cleanups.unshift(() => a.close())
  if (!opts.sessionId) {
    await a.fx.call('providers.save', {
      name: 'work',
      kind: 'openai',
      baseUrl: w.fake.baseUrl,
      apiKey: 'sk-work-0123456789',
      models: Object.keys(WINDOWS),
    })
    await a.fx.call('settings.set', { key: 'models.fallbackCooldownMinutes', value: 10 })
  }
  if (opts.fallbacks) {
    await a.fx.call('settings.set', { key: 'models.fallbacks', value: opts.fallbacks })
  }
  return a
}

async function prompt(
  a: AgentFixture,
  text: string,
  model?: string,
  more: Record<string, unknown> = {},
): Promise<TurnEnd> {
  const end = a.nextEnd()
  await a.fx.call('sessions.prompt', {
    sessionId: a.sessionId,
    text,
    ...(model ? { model } : {}),
    mode: 'full-auto',
    ...more,
  })
  return end
}

/** The model and status of every request the fake received, in order. */
function sent(w: World): Array<[string, number | null]> {
  return w.fake.requests
    .filter((r) => !isSummariser(r.body as { tools?: unknown[] }))
    .map((r) => [(r.body as { model: string }).model, r.status])
}

/** The model switches the engine's branch records, in order. */
function switches(a: AgentFixture): ModelSwitch[] {
  return logged(a, 'model_switch')
}

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
