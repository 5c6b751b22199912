import { afterEach, describe, expect, it } from 'vitest'
import type { AgentFixture } from '../support/agent'
import type { ErrorTurn } from '../support/fake-llm'
import type { World } from '../support/fallback-world'
import {
  MINUTE,
  NOT_FOUND,
  QUOTA,
  bigSession,
  cleanUp,
  cleanups,
  isSummariser,
  open,
  prompt,
  sent,
  switches,
  world,
} from '../support/fallback-world'
import { logged } from '../support/session-log'

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

describe('a fallback compacted for never gets a request over its window', () => {
  /** The run's requests (not the summariser's) the fake refused as over their model's window. */
  const overWindow = (w: World): number =>
    w.fake.requests.filter((r) => r.status === 400 && !isSummariser(r.body as object)).length

  it('with auto-compact off, the compaction the fallback needs is still made, before its first request', async () => {
    const w = await world()
    const a = await open(w, { fallbacks: { 'work/big-model': ['work/small-model'] } })
    await a.fx.call('settings.set', { key: 'context.autoCompact', value: false })
    await bigSession(w, a)
    w.fake.script(QUOTA, { text: 'What the logs say, from the small model.' })
    expect(await prompt(a, 'Summarise them.')).toEqual({ reason: 'done' })
    expect(overWindow(w)).toBe(0)
    expect(logged(a, 'compaction')).toMatchObject([
      { reason: 'model_switch', model: 'small-model' },
    ])
    expect(switches(a).at(-1)).toMatchObject({ ref: 'work/small-model', reason: 'fallback' })
    expect(JSON.stringify(w.fake.chatRequests().at(-1)!.messages)).toContain(
      '[Paddock: context summary]',
    )
  })

  it('a compaction that fails leaves the fallback out: the run ends with the first failure, no request over a window', async () => {
    const w = await world()
    const a = await open(w, { fallbacks: { 'work/big-model': ['work/small-model'] } })
    await bigSession(w, a)
    w.summariserFails = {
      error: { status: 400, body: { error: { message: 'summariser refused', type: 'x' } } },
    }
    w.fake.script(QUOTA)
    const end = await prompt(a, 'Summarise them.')
    expect(end).toMatchObject({ reason: 'error', message: expect.stringMatching(/over quota/) })
    expect(overWindow(w)).toBe(0)
    expect(sent(w).at(-1)).toEqual(['big-model', 429])
    expect(logged(a, 'compaction')).toEqual([])
    // Never switched: the session is still on its primary.
    expect(switches(a).map((s) => s.ref)).toEqual(['work/big-model'])
  })
})

describe('a fallback this process cannot use: back to the primary, recorded, on every path', () => {
  /** The session falls back to `spare/other-model`; then the spare provider is removed. */
  async function onRemovedFallback(w: World, a: AgentFixture, mode = 'full-auto'): Promise<void> {
    await a.fx.call('providers.save', {
      name: 'spare',
      kind: 'openai',
      baseUrl: w.fake.baseUrl,
      apiKey: 'sk-spare-0123456789',
      models: ['other-model'],
    })
    const end = a.nextEnd()
    await a.fx.call('sessions.prompt', {
      sessionId: a.sessionId,
      text: 'Go on.',
      mode,
    })
    if (mode === 'full-auto') expect(await end).toEqual({ reason: 'done' })
  }
  const returned = { ref: 'work/big-model', from: 'spare/other-model', reason: 'return' }

  it('compacting the session (no model named) records the return it compacts for', async () => {
    const w = await world()
    const a = await open(w, { fallbacks: { 'work/big-model': ['spare/other-model'] } })
    await bigSession(w, a)
    w.fake.script(QUOTA, { text: 'From the spare provider.' })
    await onRemovedFallback(w, a)
    expect(switches(a).at(-1)).toMatchObject({ ref: 'spare/other-model', reason: 'fallback' })
    await a.fx.call('providers.remove', { name: 'spare' })
    await a.fx.call('sessions.compact', { sessionId: a.sessionId })
    expect(w.summaries.at(-1)!.model).toBe('big-model')
    expect(switches(a).at(-1)).toEqual(returned)
    const status = await a.fx.call('sessions.status', { sessionId: a.sessionId })
    expect(status.model).toBe('work/big-model')
  })

  it('an approval answered after a restart resumes on the primary, recorded', async () => {
    const w = await world()
    const a = await open(w, { fallbacks: { 'work/big-model': ['spare/other-model'] } })
    w.fake.script({ text: 'On the big model.' })
    expect(await prompt(a, 'Hi', 'work/big-model')).toEqual({ reason: 'done' })
    w.fake.script(QUOTA, { toolCalls: [{ name: 'bash', arguments: { command: 'touch x' } }] })
    await onRemovedFallback(w, a, 'ask')
    const asked = await a.waitFor((e) => e.type === 'entry.appended' && e.entry.type === 'approval')
    const approvalId = (asked as { entry: { payload: { approvalId: string } } }).entry.payload
      .approvalId
    await a.fx.engine.drain()
    await a.close()
    cleanups.shift()

    const b = await open(w, { sessionId: a.sessionId })
    await b.fx.call('providers.remove', { name: 'spare' })
    w.fake.script({ text: 'Touched, on the big model.' })
    const ended = b.nextEnd()
    await b.fx.call('sessions.answerApproval', {
      sessionId: a.sessionId,
      approvalId,
      answer: 'allow_once',
    })
    expect(await ended).toEqual({ reason: 'done' })
    expect(sent(w).at(-1)).toEqual(['big-model', 200])
    expect(switches(b).at(-1)).toEqual(returned)
  })
})

describe('an overflow after a switch', () => {
  it('the fallback’s first overflow gets its own compaction, not the primary’s spent retry', async () => {
    const w = await world()
    const a = await open(w, { fallbacks: { 'work/big-model': ['work/other-model'] } })
    w.fake.script({ text: 'On the big model.' })
    expect(await prompt(a, 'Hi', 'work/big-model')).toEqual({ reason: 'done' })
    // The primary overflows (compacted, retried), then is out of quota; the fallback overflows.
    const overflow: ErrorTurn = { error: 'context_overflow' }
    w.fake.script(overflow, QUOTA, overflow)
    const end = await prompt(a, 'Go on.')
    expect(sent(w).map(([model]) => model)).toEqual([
      'big-model',
      'big-model',
      'big-model',
      'other-model',
    ])
    // The fallback's overflow is answered by a compaction of its own: here the primary's left
    // nothing new to summarise, so the run ends saying so (before: "even after compacting it",
    // though nothing was compacted for the fallback).
    expect(end).toMatchObject({
      reason: 'context_overflow',
      message: expect.stringMatching(/compacting it failed: Nothing to compact/) as string,
    })
    expect(logged(a, 'compaction').map((c) => [c.reason, c.model])).toEqual([
      ['overflow', 'big-model'],
    ])
  })
})

describe('a run’s own fallbackModels', () => {
  it('none twice, and never the model the run uses', async () => {
    const w = await world()
    const a = await open(w)
    const call = (model: string | undefined, fallbackModels: string[]): Promise<unknown> =>
      a.fx.call('sessions.prompt', {
        sessionId: a.sessionId,
        text: 'x',
        ...(model ? { model } : {}),
        fallbackModels,
      })
    await expect(
      call('work/big-model', ['work/small-model', 'work/small-model']),
    ).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringContaining('a fallback is named twice') as string,
    })
    await expect(call('work/big-model', ['work/big-model'])).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringContaining('cannot be its own fallback') as string,
    })
    expect(w.fake.requests).toEqual([])
    expect(switches(a)).toEqual([])
  })
})

describe('the failure a switch records', () => {
  it('is clipped: an HTML error page is not copied whole into the log', async () => {
    const w = await world()
    const a = await open(w, { fallbacks: { 'work/big-model': ['work/other-model'] } })
    const page = `<html><body>${'<p>Service Unavailable</p>'.repeat(400)}</body></html>`
    const down: ErrorTurn = { error: { status: 503, body: { error: { message: page } } } }
    w.fake.script(...Array<ErrorTurn>(5).fill(down), { text: 'From the other model.' })
    expect(await prompt(a, 'Hi', 'work/big-model')).toEqual({ reason: 'done' })
    const { failure } = switches(a).at(-1)!
    expect(failure!.kind).toBe('overloaded')
    expect(failure!.message).toMatch(/^The model server is overloaded \(503\): 503 <html><body><p>/)
    expect(failure!.message.length).toBeLessThanOrEqual(500)
    expect(failure!.message).toMatch(/…$/)
  })
})

describe('a return the user asks for', () => {
  it('naming the primary after the cooldown is recorded as the return it is', async () => {
    const w = await world()
    const a = await open(w, { fallbacks: { 'work/big-model': ['work/small-model'] } })
    w.fake.script(QUOTA, { text: 'From the small model.' })
    expect(await prompt(a, 'Hi', 'work/big-model')).toEqual({ reason: 'done' })
    w.clock.now += 11 * MINUTE
    w.fake.script({ text: 'The big one is back.' })
    expect(await prompt(a, 'Again', 'work/big-model')).toEqual({ reason: 'done' })
    expect(sent(w).at(-1)).toEqual(['big-model', 200])
    expect(switches(a).at(-1)).toEqual({
      ref: 'work/big-model',
      from: 'work/small-model',
      reason: 'return',
    })
  })
})

describe('a primary the provider does not have', () => {
  it('is not asked again in the same run, even with a cooldown of 0', async () => {
    const w = await world()
    const a = await open(w, { fallbacks: { 'work/big-model': ['work/small-model'] } })
    await a.fx.call('settings.set', { key: 'models.fallbackCooldownMinutes', value: 0 })
    w.fake.script(
      NOT_FOUND,
      { toolCalls: [{ name: 'ls', arguments: {} }] },
      { toolCalls: [{ name: 'ls', arguments: {} }] },
      { text: 'Done on the small model.' },
    )
    expect(await prompt(a, 'Hi', 'work/big-model')).toEqual({ reason: 'done' })
    expect(sent(w).map(([model]) => model)).toEqual([
      'big-model',
      'small-model',
      'small-model',
      'small-model',
    ])
    expect(switches(a).map((s) => s.reason ?? 'user')).toEqual(['user', 'fallback'])
  })
})
