import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages'
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions'
import { afterEach, describe, expect, it } from 'vitest'
import { payloadOf } from '../../src/shared/entries'
import { createAnthropicStream } from '../../src/main/providers/anthropic'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import type { ReplyTurn, Turn } from '../support/fake-llm'
import { logged } from '../support/session-log'
import { REPO_ROOT } from '../support/paths'
import { tempDir } from '../support/temp'
import { waitUntil } from '../support/wait'

/**
 * Compaction at the wire: the fake model enforces its window the way a real server does (a
 * request that does not fit is refused with the provider's overflow error), answers the
 * summariser's requests (the ones that offer no tools) itself, and the session runs on.
 */

let a: AgentFixture | undefined
const cleanups: Array<() => void> = []
afterEach(async () => {
  await a?.close()
  a = undefined
  while (cleanups.length) cleanups.pop()!()
})

type Api = 'openai' | 'anthropic'

/** The text of the one user message a summariser request carries. */
function summariserInput(body: ChatCompletionCreateParams | MessageCreateParams): string {
  const last = body.messages.at(-1)!
  return typeof last.content === 'string' ? last.content : JSON.stringify(last.content)
}

/** A request that offers no tools: the summariser's. */
function isSummariser(body: ChatCompletionCreateParams | MessageCreateParams): boolean {
  return !body.tools || body.tools.length === 0
}

interface Setup {
  /** The window models.json gives the model (and the fake enforces, unless `serverWindow`). */
  window: number
  /** The window the fake really enforces, when the model's real one differs from what it was given. */
  serverWindow?: number
  stallMs?: number
  maxOutput?: number
  api?: Api
  /** What the summariser answers (default: a structured summary naming its request number). */
  summary?: (input: string, n: number) => Turn
}

async function session(setup: Setup): Promise<AgentFixture & { summaries: string[] }> {
  const t = tempDir()
  cleanups.push(t.cleanup)
  mkdirSync(join(t.path, 'data'), { recursive: true })
  writeFileSync(
    join(t.path, 'data', 'models.json'),
    JSON.stringify({
      models: [
        { id: 'fake-model', contextWindow: setup.window, maxOutput: setup.maxOutput ?? 2_048 },
      ],
    }),
  )
  const summaries: string[] = []
  const f = await agentFixture({
    reuse: { root: t.path },
    fakeOptions: {
      contextWindow: setup.serverWindow ?? setup.window,
      answer: (body) => {
        if (!isSummariser(body)) return undefined
        const input = summariserInput(body)
        summaries.push(input)
        return (
          setup.summary?.(input, summaries.length) ?? {
            text: `## Goal\nWrite the files.\n\n## Progress\n### Done\nSummary ${summaries.length}.\n\n## Next steps\nGo on.`,
          }
        )
      },
    },
    extra: (fake) => ({
      ...(setup.stallMs !== undefined ? { compactionStallMs: setup.stallMs } : {}),
      ...(setup.api === 'anthropic'
        ? {
            model: {
              model: 'fake-model',
              stream: createAnthropicStream({ baseUrl: fake.anthropicBaseUrl, apiKey: 'k' }),
            },
          }
        : {}),
    }),
  })
  return Object.assign(f, { summaries })
}

/** Requests the fake refused as too long for its window. */
function refused(f: AgentFixture): number {
  return f.fake.requests.filter((r) => r.status === 400).length
}

/** The agent's own requests (tools offered), in either API's shape. */
function agentRequests(f: AgentFixture, api: Api): Array<{ messages: unknown[] }> {
  const all = api === 'openai' ? f.fake.chatRequests() : f.fake.messagesRequests()
  return all.filter((b) => !isSummariser(b))
}

/** A step that writes `name`, then (every third step) reads an earlier file back. */
function steps(count: number): { turns: ReplyTurn[]; written: string[]; read: string[] } {
  const turns: ReplyTurn[] = []
  const written: string[] = []
  const read: string[] = []
  for (let i = 0; i < count; i++) {
    if (i % 3 === 2) {
      const path = written[written.length - 2]!
      read.push(path)
      turns.push({ toolCalls: [{ name: 'read', arguments: { path } }] })
      continue
    }
    const path = `src/part-${String(i).padStart(3, '0')}.txt`
    written.push(path)
    const content = `${path}\n${'payload '.repeat(120)}\n`
    turns.push({ toolCalls: [{ name: 'write', arguments: { path, content } }] })
  }
  return { turns, written, read }
}

describe('compaction keeps a long session inside a small window (wire)', () => {
  for (const api of ['openai', 'anthropic'] as const) {
    it(`200 steps on a 16k window (${api}): compacts at least five times and lists every file it touched`, async () => {
      const f = await session({ window: 16_384, api })
      a = f
      const plan = steps(200)
      f.fake.script(...plan.turns, { text: 'All parts written.' })
      expect(await f.run('Write the parts, one per step.', { maxTurns: 1000 })).toEqual({
        reason: 'done',
      })

      const compactions = logged(f, 'compaction')
      expect(compactions.length).toBeGreaterThanOrEqual(5)
      // Proactive: the threshold was reached before a request could fail.
      expect(compactions.every((c) => c.reason === 'threshold')).toBe(true)
      expect(refused(f)).toBe(0)
      for (const c of compactions) expect(c.tokensAfter).toBeLessThan(c.tokensBefore)

      // A cut is never between a tool call and its result.
      const branch = f.fx.engine.store.branch(f.sessionId)
      for (const c of compactions) {
        if (c.firstKeptId === null) continue
        const kept = branch.find((e) => e.id === c.firstKeptId)!
        expect(['user_message', 'assistant_message']).toContain(kept.type)
      }

      // The later compactions update the summary they had: the previous one is in their input.
      expect(f.summaries.slice(1).every((s) => s.includes('<previous-summary>'))).toBe(true)

      // Every file the session touched is listed, from what ran, after the last compaction.
      const lastAt = branch.findLastIndex((e) => e.type === 'compaction')
      const last = payloadOf(branch[lastAt]!, 'compaction')!
      const writtenBefore = plan.written.filter((path) =>
        branch.slice(0, lastAt).some((e) => payloadOf(e, 'tool_result')?.content.includes(path)),
      )
      expect(writtenBefore.length).toBeGreaterThan(100)
      expect(last.filesModified).toEqual(expect.arrayContaining(writtenBefore))
      const readOnly = plan.read.filter((p) => !plan.written.includes(p))
      expect(last.filesRead).toEqual(expect.arrayContaining(readOnly))
      // And the model sees those lists in its last request.
      const lastRequest = JSON.stringify(agentRequests(f, api).at(-1)!.messages)
      expect(lastRequest).toContain('[Paddock: context summary]')
      expect(lastRequest).toContain(plan.written[0])
    })
  }
})

/** A file of `chars` characters, named in its first line. */
function bigText(name: string, chars: number): string {
  const line = `${name} ${'0123456789'.repeat(7)}\n`
  return line.repeat(Math.ceil(chars / line.length)).slice(0, chars)
}

describe('pruning comes before compaction (wire)', () => {
  it('old tool outputs become a placeholder naming a file that holds them; the model can read it', async () => {
    const f = await session({ window: 32_768, maxOutput: 4_096 })
    a = f
    for (let i = 1; i <= 6; i++) f.write(`big-${i}.txt`, bigText(`big-${i}`, 16_000))
    for (let i = 1; i <= 6; i++) {
      f.fake.script(
        { toolCalls: [{ name: 'read', arguments: { path: `big-${i}.txt` } }] },
        { text: `Read part ${i}.` },
      )
      expect(await f.run(`Read big-${i}.txt`)).toEqual({ reason: 'done' })
    }
    const prunes = logged(f, 'prune')
    expect(prunes).toHaveLength(1)
    // Pruning was enough: nothing was summarised.
    expect(logged(f, 'compaction')).toHaveLength(0)
    expect(f.summaries).toHaveLength(0)
    const [prune] = prunes
    expect(prune!.tokensFreed).toBeGreaterThanOrEqual(3_276)
    const messages = JSON.stringify(f.fake.chatRequests().at(-1)!.messages)
    // The oldest outputs are placeholders; the newest turns are whole.
    expect(messages).toMatch(
      /\[Paddock\] Output of read `big-1\.txt` pruned to save context \(17 kB\); the whole output is in [^ ]+pruned-[^ ]+\.txt/,
    )
    expect(messages).not.toContain('big-1 0123456789')
    expect(messages).toContain('big-6 0123456789')
    expect(messages).toContain('big-5 0123456789')
    // The placeholder's file holds the whole output, and the model may read it back.
    const file = prune!.outputs[0]!.file!
    f.fake.script(
      { toolCalls: [{ name: 'read', arguments: { path: file, limit: 3 } }] },
      { text: 'Seen it again.' },
    )
    expect(await f.run('Look at the first output again', { mode: 'ask' })).toEqual({
      reason: 'done',
    })
    const back = logged(f, 'tool_result').at(-1)!
    expect(back.isError).toBe(false)
    expect(back.content).toContain('big-1 0123456789')
  })
})

describe('an overflow is compacted once and retried once (wire)', () => {
  it('a model whose real window is smaller than it was given: one refusal, one compaction, one retry', async () => {
    // models.json says 64k; the server holds 12k.
    const f = await session({ window: 65_536, serverWindow: 12_000 })
    a = f
    const plan = steps(40)
    f.fake.script(...plan.turns, { text: 'Done.' })
    expect(await f.run('Write the parts.', { maxTurns: 100 })).toEqual({ reason: 'done' })
    const compactions = logged(f, 'compaction')
    expect(compactions.length).toBeGreaterThanOrEqual(1)
    const [first] = compactions
    expect(first!.reason).toBe('overflow')
    // Everything but the prompt was summarised, the current turn's steps included.
    expect(first!.firstKeptId).toBeNull()
    const prompt = f.fx.engine.store
      .branch(f.sessionId)
      .find((e) => payloadOf(e, 'user_message')?.kind === 'prompt')!
    expect(first!.keptPromptId).toBe(prompt.id)
    // Each refusal was followed by exactly one compaction, and the retry went through.
    expect(refused(f)).toBe(compactions.length)
    const retried = JSON.stringify(
      f.fake
        .chatRequests()
        .find(
          (b) =>
            !isSummariser(b) && JSON.stringify(b.messages).includes('[Paddock: context summary]'),
        )!.messages,
    )
    expect(retried).toContain("The user's current request, verbatim:\\nWrite the parts.")
  })

  it('a second overflow on the retry ends the run with what to do, and nothing loops', async () => {
    // The server's window cannot even hold the system prompt and the tools.
    const f = await session({ window: 65_536, serverWindow: 2_000 })
    a = f
    f.write('notes.txt', 'some notes\n')
    f.fake.script({ text: 'never served' })
    const end = await f.run('Read notes.txt')
    expect(end.reason).toBe('context_overflow')
    expect(end.message).toMatch(/even after compacting it/)
    expect(end.message).toMatch(/larger window|--context-window|new session/)
    expect(refused(f)).toBe(2)
    expect(logged(f, 'compaction')).toHaveLength(1)
    expect(f.fake.pending()).toBe(1)
  })
})

describe('manual compaction (contract)', () => {
  it('sessions.compact summarises all but the newest turn, with the focus sent to the summariser', async () => {
    const f = await session({ window: 131_072 })
    a = f
    f.write('a.txt', 'alpha\n')
    f.fake.script(
      { toolCalls: [{ name: 'read', arguments: { path: 'a.txt' } }] },
      { text: 'a.txt says alpha.' },
    )
    expect(await f.run('Read a.txt')).toEqual({ reason: 'done' })
    f.fake.script({ text: 'Noted.' })
    expect(await f.run('Remember: never touch b.txt')).toEqual({ reason: 'done' })
    const result = await f.fx.call('sessions.compact', {
      sessionId: f.sessionId,
      focus: 'the rule about b.txt',
    })
    expect(result.replacedCount).toBe(4)
    expect(f.summaries).toHaveLength(1)
    expect(f.summaries[0]).toContain('The user asks the summary to focus on: the rule about b.txt')
    expect(f.summaries[0]).toContain('[User]: Read a.txt')
    const [c] = logged(f, 'compaction')
    expect(c).toMatchObject({
      reason: 'manual',
      focus: 'the rule about b.txt',
      filesRead: ['a.txt'],
    })
    // The next request starts from the summary, then the kept turn, verbatim.
    f.fake.script({ text: 'ok' })
    expect(await f.run('Go on')).toEqual({ reason: 'done' })
    const sent = f.fake.chatRequests().at(-1)!.messages
    expect(JSON.stringify(sent[1])).toContain('[Paddock: context summary]')
    expect(JSON.stringify(sent[1])).toContain('Remember: never touch b.txt')
    expect(JSON.stringify(sent)).not.toContain('a.txt says alpha.')
    // The raw history stays in the log.
    expect(logged(f, 'assistant_message').some((m) => m.content === 'a.txt says alpha.')).toBe(true)
    // The timeline names it.
    const tree = await f.fx.call('sessions.tree', { sessionId: f.sessionId })
    expect(tree.entries.find((e) => e.type === 'compaction')!.summary).toMatch(
      /^context compacted: \d+ → \d+ tokens \(manual\)$/,
    )
    // A fork copies it with its cut mapped to the copies: the fork is sent the summary too.
    const fork = await f.fx.call('sessions.fork', { sessionId: f.sessionId, entryId: tree.leafId! })
    const b = await agentFixture({
      fake: f.fake,
      reuse: { root: f.fx.root },
      sessionId: fork.session.id,
    })
    try {
      f.fake.script({ text: 'forked' })
      expect(await b.run('In the fork')).toEqual({ reason: 'done' })
      const forked = f.fake.chatRequests().at(-1)!.messages
      expect(JSON.stringify(forked[1])).toContain('[Paddock: context summary]')
      expect(JSON.stringify(forked[1])).toContain('Remember: never touch b.txt')
      expect(JSON.stringify(forked)).not.toContain('a.txt says alpha.')
    } finally {
      await b.close()
    }
  })

  it('a stalled summariser ends the compaction cleanly: a clear error, nothing recorded, the session usable', async () => {
    const f = await session({ window: 131_072, stallMs: 300, summary: () => ({ hang: true }) })
    a = f
    f.fake.script({ text: 'one' })
    expect(await f.run('First')).toEqual({ reason: 'done' })
    f.fake.script({ text: 'two' })
    expect(await f.run('Second')).toEqual({ reason: 'done' })
    await expect(f.fx.call('sessions.compact', { sessionId: f.sessionId })).rejects.toMatchObject({
      code: 'io_error',
      message: expect.stringMatching(/stopped answering.*nothing was compacted/),
    })
    expect(logged(f, 'compaction')).toHaveLength(0)
    const status = await f.fx.call('sessions.status', { sessionId: f.sessionId })
    expect(status.running).toBe(false)
    f.fake.script({ text: 'three' })
    expect(await f.run('Third')).toEqual({ reason: 'done' })
  })

  it('stopped while the model summarises: code aborted, nothing recorded', async () => {
    const f = await session({
      window: 131_072,
      summary: () => ({ text: ['## Goal'], hang: { after: 1 } }),
    })
    a = f
    await f.fx.call('settings.set', { key: 'context.keepRecentTokens', value: 256 })
    f.fake.script({ text: 'one '.repeat(400) })
    expect(await f.run('First')).toEqual({ reason: 'done' })
    f.fake.script({ text: 'two' })
    expect(await f.run('Second')).toEqual({ reason: 'done' })
    const compacting = f.fx.call('sessions.compact', { sessionId: f.sessionId })
    await waitUntil(() => f.summaries.length === 1, 10_000, 'the summariser request')
    expect(await f.fx.call('sessions.abort', { sessionId: f.sessionId })).toEqual({ aborted: true })
    await expect(compacting).rejects.toMatchObject({
      code: 'aborted',
      message: 'Compaction stopped: nothing was compacted.',
    })
    expect(logged(f, 'compaction')).toHaveLength(0)
  })

  it('a summary no smaller than what it would replace is not recorded', async () => {
    const f = await session({
      window: 131_072,
      summary: () => ({ text: `## Goal\n${'A very long summary. '.repeat(2_000)}` }),
    })
    a = f
    f.fake.script({ text: 'one' })
    expect(await f.run('First')).toEqual({ reason: 'done' })
    f.fake.script({ text: 'two' })
    expect(await f.run('Second')).toEqual({ reason: 'done' })
    await expect(f.fx.call('sessions.compact', { sessionId: f.sessionId })).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringMatching(
        /would not make the conversation smaller .*nothing was compacted/,
      ),
    })
    expect(logged(f, 'compaction')).toHaveLength(0)
  })

  it('nothing to compact is a clear error', async () => {
    const f = await session({ window: 131_072 })
    a = f
    await expect(f.fx.call('sessions.compact', { sessionId: f.sessionId })).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringMatching(/Nothing to compact/),
    })
  })
})

describe('the context settings', () => {
  it('context.autoCompact false: no compaction before a request, only after an overflow', async () => {
    const f = await session({ window: 16_384 })
    a = f
    await f.fx.call('settings.set', { key: 'context.autoCompact', value: false })
    const plan = steps(60)
    f.fake.script(...plan.turns, { text: 'Done.' })
    expect(await f.run('Write the parts.', { maxTurns: 200 })).toEqual({ reason: 'done' })
    const compactions = logged(f, 'compaction')
    expect(compactions.length).toBeGreaterThanOrEqual(1)
    expect(compactions.every((c) => c.reason === 'overflow')).toBe(true)
    expect(refused(f)).toBe(compactions.length)
  })

  it('context.keepRecentTokens sets how much of the newest conversation stays verbatim', async () => {
    const f = await session({ window: 65_536 })
    a = f
    await f.fx.call('settings.set', { key: 'context.keepRecentTokens', value: 2_000 })
    const plan = steps(30)
    f.fake.script(...plan.turns, { text: 'Done.' })
    expect(await f.run('Write the parts.', { maxTurns: 100 })).toEqual({ reason: 'done' })
    await f.fx.call('sessions.compact', { sessionId: f.sessionId })
    const [c] = logged(f, 'compaction')
    const branch = f.fx.engine.store.branch(f.sessionId)
    const kept = branch.slice(branch.findIndex((e) => e.id === c!.firstKeptId))
    const chars = kept.reduce((n, e) => {
      const r = payloadOf(e, 'tool_result')
      const m = payloadOf(e, 'assistant_message')
      return (
        n +
        (r?.content.length ?? 0) +
        (m?.toolCalls.reduce((k, t) => k + t.arguments.length, 0) ?? 0)
      )
    }, 0)
    expect(chars / 4).toBeLessThanOrEqual(2_000)
    expect(chars / 4).toBeGreaterThan(1_000)
  })

  it('stopping a run while it compacts: the run ends aborted and nothing is recorded', async () => {
    const f = await session({
      window: 16_384,
      summary: () => ({ text: ['## Goal\nPart'], hang: { after: 1 } }),
    })
    a = f
    const plan = steps(60)
    f.fake.script(...plan.turns, { text: 'Done.' })
    const ended = f.nextEnd()
    await f.fx.call('sessions.prompt', {
      sessionId: f.sessionId,
      text: 'Write the parts.',
      mode: 'full-auto',
      maxTurns: 200,
    })
    await f.waitFor((e) => e.type === 'turn.state' && e.state === 'compacting')
    await waitUntil(() => f.summaries.length === 1, 10_000, 'the summariser request')
    await f.fx.call('sessions.abort', { sessionId: f.sessionId })
    expect((await ended).reason).toBe('aborted')
    expect(logged(f, 'compaction')).toHaveLength(0)
  })
})

describe('sessions.contextFit', () => {
  it('follows context.reserveTokens: a larger reserve lowers the threshold', async () => {
    const f = await session({ window: 32_768 })
    a = f
    const { model } = await f.fx.call('sessions.status', { sessionId: f.sessionId })
    const fit = (): Promise<{ thresholdTokens: number; fits: boolean; warning: string | null }> =>
      f.fx.call('sessions.contextFit', { sessionId: f.sessionId, model })
    const before = await fit()
    expect(before).toMatchObject({
      thresholdTokens: 32_768 - 2_048 - 1_638,
      fits: true,
      warning: null,
    })
    await f.fx.call('settings.set', { key: 'context.reserveTokens', value: 10_000 })
    expect((await fit()).thresholdTokens).toBe(32_768 - 10_000 - 1_638)
  })
})

/** The overflow answers of each provider family (test/fixtures/context-overflow.json). */
const OVERFLOWS = (
  JSON.parse(
    readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'context-overflow.json'), 'utf8'),
  ) as { fixtures: Array<{ family: string; wire: Api; status: number; body: object }> }
).fixtures

describe('every provider family’s overflow answer is compacted and retried once (wire)', () => {
  for (const o of OVERFLOWS) {
    it(o.family, async () => {
      const f = await session({ window: 131_072, api: o.wire })
      a = f
      f.fake.script({ text: 'First.' })
      expect(await f.run('First question')).toEqual({ reason: 'done' })
      f.fake.script({ error: { status: o.status, body: o.body } }, { text: 'Second.' })
      expect(await f.run('Second question')).toEqual({ reason: 'done' })
      expect(logged(f, 'compaction').map((c) => c.reason)).toEqual(['overflow'])
      expect(f.summaries).toHaveLength(1)
    })
  }
})

describe('every window size: the session runs on, each request within the window (wire)', () => {
  // 16k runs 200 steps above; 1M holds 600k tokens before the switch in compaction-switch.test.ts.
  const sizes = [
    { window: 8_192, steps: 40, chars: 600 },
    { window: 32_768, steps: 40, chars: 4_000 },
    { window: 131_072, steps: 30, chars: 24_000 },
  ]
  for (const { window, steps: count, chars } of sizes) {
    it(`${window.toLocaleString('en-US')} tokens`, async () => {
      const f = await session({ window, maxOutput: 4_096 })
      a = f
      const turns: ReplyTurn[] = []
      for (let i = 0; i < count; i++) {
        const path = `notes/n-${i}.txt`
        f.write(path, bigText(path, chars))
        turns.push({ toolCalls: [{ name: 'read', arguments: { path } }] })
      }
      f.fake.script(...turns, { text: 'Read them all.' })
      expect(await f.run('Read every note.', { maxTurns: 200 })).toEqual({ reason: 'done' })
      const compactions = logged(f, 'compaction')
      expect(compactions.length).toBeGreaterThanOrEqual(1)
      expect(compactions.every((c) => c.reason === 'threshold')).toBe(true)
      expect(refused(f)).toBe(0)
      // Every file read is listed after the last compaction, whatever was summarised.
      const last = compactions.at(-1)!
      expect(last.filesRead.length).toBeGreaterThan(count / 2)
    })
  }

  it('a compaction that would free less than 5 % is dropped and not tried again in the run', async () => {
    // A 3,500-token window: the system prompt and tools alone pass its threshold.
    const f = await session({ window: 3_500, serverWindow: 9_000, maxOutput: 1_024 })
    a = f
    const turns: ReplyTurn[] = []
    for (let i = 0; i < 6; i++) {
      f.write(`n${i}.txt`, `note ${i}\n`)
      turns.push({ toolCalls: [{ name: 'read', arguments: { path: `n${i}.txt` } }] })
    }
    f.fake.script(...turns, { text: 'Read.' })
    expect(await f.run('Read the notes.', { maxTurns: 20 })).toEqual({
      reason: 'done',
    })
    expect(f.summaries).toHaveLength(1)
    expect(logged(f, 'compaction')).toHaveLength(0)
  })
})
