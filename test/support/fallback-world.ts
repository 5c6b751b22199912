import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions'
import type { ModelSwitch, TurnEnd } from '../../src/shared/entries'
import type { AgentFixture } from './agent'
import { agentFixture } from './agent'
import type { ErrorTurn, FakeLlm } from './fake-llm'
import { startFakeLlm } from './fake-llm'
import { logged } from './session-log'
import { tempDir } from './temp'

/**
 * The world of the fallback tests at the wire: one configured provider ("work") with four models,
 * all served by the fake LLM, which enforces each model's own window and answers the summariser's
 * requests (those that offer no tools). The engine's clock is injected, so a cooldown passes
 * without waiting. Each test file runs `cleanups` after each test.
 */

export const cleanups: Array<() => unknown> = []

/** Run (and forget) every cleanup, last first: call it in `afterEach`. */
export async function cleanUp(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!()
}

export const BIG = 1_048_576
export const SMALL = 16_384
export const TINY = 4_096
export const MINUTE = 60_000

export const WINDOWS: Record<string, number> = {
  'big-model': BIG,
  'other-model': BIG,
  'small-model': SMALL,
  'tiny-model': TINY,
}

export function isSummariser(body: { tools?: unknown[] }): boolean {
  return !body.tools || body.tools.length === 0
}

/** OpenAI's answer when the account is out of credits. */
export const QUOTA: ErrorTurn = {
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
export const NOT_FOUND: ErrorTurn = {
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

export const OVERLOADED: ErrorTurn = { error: { status: 529 } }

export interface World {
  root: string
  fake: FakeLlm
  summaries: ChatCompletionCreateParams[]
  clock: { now: number }
  /** While set, the summariser's requests are answered with this error (a compaction fails). */
  summariserFails: ErrorTurn | null
}

export async function world(): Promise<World> {
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
  const w: { summariserFails: ErrorTurn | null } = { summariserFails: null }
  const fake = await startFakeLlm({
    contextWindow: (model) => WINDOWS[model],
    answer: (body) => {
      if (!isSummariser(body as { tools?: unknown[] })) return undefined
      if (w.summariserFails) return w.summariserFails
      summaries.push(body as ChatCompletionCreateParams)
      return { text: `## Goal\nRead the logs.\n\n## Progress\n### Done\nPart ${summaries.length}.` }
    },
  })
  cleanups.push(() => fake.close())
  return Object.assign(w, {
    root: t.path,
    fake,
    summaries,
    clock: { now: Date.UTC(2025, 5, 1, 9) },
  })
}

/** A file of about `chars` characters, its name on every line. */
export function logFile(name: string, chars: number): string {
  const line = `${name}: GET /api/items 200 12ms ${'x'.repeat(40)}\n`
  return line.repeat(Math.ceil(chars / line.length)).slice(0, chars)
}

/** A session on the big model that reads three logs: more than the small model's window holds. */
export async function bigSession(w: World, a: AgentFixture): Promise<void> {
  for (let i = 0; i < 3; i++) a.write(`logs/day-${i}.log`, logFile(`day-${i}`, 24_000))
  w.fake.script(
    ...[0, 1, 2].map((i) => ({
      toolCalls: [{ name: 'read', arguments: { path: `logs/day-${i}.log` } }],
    })),
    { text: 'Read every log.' },
  )
  const end = await prompt(a, 'Read the logs.', 'work/big-model')
  if (end.reason !== 'done') throw new Error(`the big session did not finish: ${end.message}`)
}

/** An engine on the world's data folder (a restart when it opens an existing session). */
export async function open(
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

export async function prompt(
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
export function sent(w: World): Array<[string, number | null]> {
  return w.fake.requests
    .filter((r) => !isSummariser(r.body as { tools?: unknown[] }))
    .map((r) => [(r.body as { model: string }).model, r.status])
}

/** The model switches the engine's branch records, in order. */
export function switches(a: AgentFixture): ModelSwitch[] {
  return logged(a, 'model_switch')
}
