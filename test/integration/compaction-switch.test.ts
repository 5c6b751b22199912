import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions'
import { afterEach, describe, expect, it } from 'vitest'
import { CompactionPayload } from '../../src/shared/entries'
import type { TurnEnd } from '../../src/shared/entries'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import type { FakeLlm, Turn } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { REPO_ROOT } from '../support/paths'
import { logged } from '../support/session-log'
import { tempDir } from '../support/temp'
import { waitUntil } from '../support/wait'

/**
 * Switching a long session to a model with a smaller window, and a process killed while it
 * compacts. Two models of one configured provider, both served by the fake LLM, which enforces
 * each model's own window and answers the summariser's requests (those that offer no tools).
 */

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

const BIG = 1_048_576
const SMALL = 32_768

function isSummariser(body: { tools?: unknown[] }): boolean {
  return !body.tools || body.tools.length === 0
}

interface World {
  root: string
  fake: FakeLlm
  summaries: ChatCompletionCreateParams[]
  /** What the summariser answers next (default: a short structured summary). */
  summary: { next: () => Turn }
}

async function world(): Promise<World> {
  const t = tempDir()
  cleanups.push(t.cleanup)
  mkdirSync(join(t.path, 'data'), { recursive: true })
  writeFileSync(
    join(t.path, 'data', 'models.json'),
    JSON.stringify({
      models: [
        { id: 'big-model', name: 'Big Model', contextWindow: BIG, maxOutput: 32_768 },
        { id: 'small-model', name: 'Small Model', contextWindow: SMALL, maxOutput: 4_096 },
      ],
    }),
  )
  const summaries: ChatCompletionCreateParams[] = []
  const summary = {
    next: (): Turn => ({
      text: `## Goal\nRead the logs.\n\n## Progress\n### Done\nPart ${summaries.length} read.`,
    }),
  }
  const fake = await startFakeLlm({
    contextWindow: (model) => (model === 'small-model' ? SMALL : BIG),
    answer: (body) => {
      if (!isSummariser(body as { tools?: unknown[] })) return undefined
      summaries.push(body as ChatCompletionCreateParams)
      return summary.next()
    },
  })
  cleanups.push(() => fake.close())
  return { root: t.path, fake, summaries, summary }
}

async function open(w: World, sessionId?: string): Promise<AgentFixture> {
  const a = await agentFixture({
    fake: w.fake,
    reuse: { root: w.root },
    ...(sessionId ? { sessionId } : {}),
  })
  if (!sessionId) {
    await a.fx.call('providers.save', {
      name: 'work',
      kind: 'openai',
      baseUrl: w.fake.baseUrl,
      apiKey: 'sk-work-0123456789',
      models: ['big-model', 'small-model'],
    })
  }
  return a
}

async function prompt(
  a: AgentFixture,
  text: string,
  model: string,
  maxTurns = 200,
): Promise<TurnEnd> {
  const end = a.nextEnd()
  await a.fx.call('sessions.prompt', {
    sessionId: a.sessionId,
    text,
    model,
    mode: 'full-auto',
    maxTurns,
  })
  return end
}

/** A log file of about `chars` characters, its name on every line. */
function log(name: string, chars: number): string {
  const line = `${name}: GET /api/items 200 12ms ${'x'.repeat(40)}\n`
  return line.repeat(Math.ceil(chars / line.length)).slice(0, chars)
}

describe('switching a long session to a smaller model', () => {
  it('1M → 32k at 600k tokens: warned before, compacted to fit on the first request, gauge at once', async () => {
    const w = await world()
    const a = await open(w)
    cleanups.unshift(() => a.close())
    for (let i = 0; i < 5; i++) a.write(`logs/day-${i}.log`, log(`day-${i}`, 44_000))
    const reads: Turn[] = []
    for (let i = 0; i < 48; i++) {
      reads.push({ toolCalls: [{ name: 'read', arguments: { path: `logs/day-${i % 5}.log` } }] })
    }
    w.fake.script(...reads, { text: 'Read every log.' })
    expect(await prompt(a, 'Read the logs again and again.', 'work/big-model')).toEqual({
      reason: 'done',
    })
    const before = await a.fx.call('sessions.status', { sessionId: a.sessionId })
    expect(before.context.windowTokens).toBe(BIG)
    expect(before.context.usedTokens).toBeGreaterThan(580_000)
    expect(before.context.usedTokens).toBeLessThan(650_000)
    // Nothing needed compacting on the big model.
    expect(logged(a, 'compaction')).toHaveLength(0)

    // Before anything is sent: the warning a client shows.
    const fit = await a.fx.call('sessions.contextFit', {
      sessionId: a.sessionId,
      model: 'work/small-model',
    })
    expect(fit).toMatchObject({ fits: false, windowTokens: SMALL })
    expect(fit.warning).toBe(
      `This session uses ${Math.round(fit.usedTokens / 1000)}k tokens; Small Model holds 32k — it will be compacted first.`,
    )
    expect(
      (await a.fx.call('sessions.contextFit', { sessionId: a.sessionId, model: 'work/big-model' }))
        .fits,
    ).toBe(true)

    w.fake.script({ text: 'Here is what the logs say.' })
    expect(await prompt(a, 'Summarise what you found.', 'work/small-model')).toEqual({
      reason: 'done',
    })
    const [c] = logged(a, 'compaction')
    expect(c).toMatchObject({ reason: 'model_switch', model: 'small-model' })
    // The summariser ran on the small model, in chunks that each fit its window.
    expect(c!.requests).toBeGreaterThanOrEqual(2)
    expect(w.summaries.every((s) => s.model === 'small-model')).toBe(true)
    expect(w.fake.requests.filter((r) => r.status === 400)).toHaveLength(0)
    const first = w.fake
      .chatRequests()
      .filter((b) => !isSummariser(b))
      .at(-1)!
    expect(first.model).toBe('small-model')
    expect(JSON.stringify(first.messages)).toContain('[Paddock: context summary]')
    expect(c!.filesRead).toEqual([0, 1, 2, 3, 4].map((i) => `logs/day-${i}.log`))

    // The gauge: the small model's window, and what is in use now fits it.
    const after = await a.fx.call('sessions.status', { sessionId: a.sessionId })
    expect(after.context.windowTokens).toBe(SMALL)
    expect(after.context.usedTokens).toBeLessThan(SMALL)
  })
})

const CLI_SRC = join(REPO_ROOT, 'src', 'main', 'cli', 'main.ts')

/** `paddock compact` in its own process, on the world's data folder. */
function compactProcess(w: World, sessionId: string): ReturnType<typeof spawn> {
  const args = ['--import', 'tsx', CLI_SRC, 'compact', '--session', sessionId]
  const child = spawn(process.execPath, [...args, '--data-dir', join(w.root, 'data'), '--json'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  })
  return child
}

/** A session with two finished turns on the small model, its engine closed (the lease free). */
async function twoTurns(w: World): Promise<string> {
  const a = await open(w)
  w.fake.script({ text: 'First answer.' })
  expect(await prompt(a, 'First question', 'work/small-model')).toEqual({ reason: 'done' })
  w.fake.script({ text: 'Second answer.' })
  expect(await prompt(a, 'Second question', 'work/small-model')).toEqual({ reason: 'done' })
  await a.close()
  return a.sessionId
}

describe('paddock compact killed -9', () => {
  it('while the model summarises: no entry, and the session goes on as before', async () => {
    const w = await world()
    const sessionId = await twoTurns(w)
    w.summary.next = () => ({ text: ['## Goal\nAnswer the'], hang: { after: 2 } })
    const child = compactProcess(w, sessionId)
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    await waitUntil(() => w.summaries.length === 1, 30_000, `the summariser request (${stderr})`)
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited

    const b = await open(w, sessionId)
    cleanups.unshift(() => b.close())
    expect(logged(b, 'compaction')).toHaveLength(0)
    w.fake.script({ text: 'Third answer.' })
    expect(await prompt(b, 'Third question', 'work/small-model')).toEqual({ reason: 'done' })
    const sent = JSON.stringify(w.fake.chatRequests().at(-1)!.messages)
    expect(sent).toContain('First answer.')
    expect(sent).not.toContain('[Paddock: context summary]')
  })

  it('just after it recorded the entry: the entry is whole and the next request uses it', async () => {
    const w = await world()
    const sessionId = await twoTurns(w)
    const child = compactProcess(w, sessionId)
    let stdout = ''
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
    // Killed the moment it printed its result: the entry was committed before.
    await waitUntil(() => stdout.includes('"entryId"'), 30_000, 'the compaction result')
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited

    const b = await open(w, sessionId)
    cleanups.unshift(() => b.close())
    const entries = b.fx.engine.store.branch(sessionId).filter((e) => e.type === 'compaction')
    expect(entries).toHaveLength(1)
    expect(CompactionPayload.safeParse(entries[0]!.payload).success).toBe(true)
    w.fake.script({ text: 'Third answer.' })
    expect(await prompt(b, 'Third question', 'work/small-model')).toEqual({ reason: 'done' })
    const sent = JSON.stringify(w.fake.chatRequests().at(-1)!.messages)
    expect(sent).toContain('[Paddock: context summary]')
    expect(sent).not.toContain('First answer.')
  })
})
