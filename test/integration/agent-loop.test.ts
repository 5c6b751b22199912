import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { AssistantMessagePayload, ToolResultPayload } from '../../src/shared/entries'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'

let a: AgentFixture
afterEach(async () => {
  await a?.close()
})

const messagesOf = (i: number): ChatCompletionMessageParam[] =>
  a.fake.chatRequests()[i]!.messages as ChatCompletionMessageParam[]

function entriesOf(type: string): unknown[] {
  return a.fx.engine.store
    .branch(a.sessionId)
    .filter((e) => e.type === type)
    .map((e) => e.payload)
}

describe('the turn loop against the fake LLM', () => {
  it('reads, edits, runs a command and finishes, recording every step', async () => {
    a = await agentFixture()
    a.write('src/app.txt', 'hello world\n')
    a.fake.script(
      {
        text: 'Let me look.',
        toolCalls: [{ name: 'read', arguments: { path: 'src/app.txt' } }],
        usage: { prompt_tokens: 100, completion_tokens: 10 },
      },
      {
        toolCalls: [
          {
            name: 'edit',
            arguments: { path: 'src/app.txt', old_string: 'hello', new_string: 'goodbye' },
          },
        ],
        usage: { prompt_tokens: 150, completion_tokens: 20 },
      },
      {
        toolCalls: [{ name: 'bash', arguments: { command: 'cat src/app.txt' } }],
        usage: { prompt_tokens: 200, completion_tokens: 5 },
      },
      { text: ['All ', 'done.'], usage: { prompt_tokens: 250, completion_tokens: 7 } },
    )
    const end = await a.run('Say goodbye instead of hello')
    expect(end).toEqual({ reason: 'done' })
    expect(readFileSync(join(a.workspace, 'src/app.txt'), 'utf8')).toBe('goodbye world\n')

    const results = entriesOf('tool_result').map((p) => ToolResultPayload.parse(p))
    expect(results.map((r) => [r.toolName, r.isError])).toEqual([
      ['read', false],
      ['edit', false],
      ['bash', false],
    ])
    expect(results[0]!.content).toContain('hello world')
    expect(results[2]!.content).toContain('goodbye world')
    const assistants = entriesOf('assistant_message').map((p) => AssistantMessagePayload.parse(p))
    expect(assistants.at(-1)!.content).toBe('All done.')
    const usage = assistants.reduce((n, m) => n + m.usage.inputTokens + m.usage.outputTokens, 0)
    expect(usage).toBe(100 + 10 + 150 + 20 + 200 + 5 + 250 + 7)

    // The events show each step, streamed text included.
    const deltas = a.events
      .filter((e) => e.type === 'turn.delta' && e.kind === 'text')
      .map((e) => (e as { text: string }).text)
    expect(deltas.join('')).toBe('Let me look.All done.')
    expect(a.events.some((e) => e.type === 'turn.state' && e.state === 'tool')).toBe(true)
    // The last request carries the whole conversation, every call answered.
    const last = messagesOf(3)
    expect(last.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
      'tool',
      'assistant',
      'tool',
    ])
    expect(a.fake.requests.every((r) => r.status === 200)).toBe(true)
  })

  it('keeps the request prefix byte-identical across ten turns', async () => {
    a = await agentFixture()
    a.write('a.txt', 'x')
    const turns = Array.from({ length: 9 }, (_, i) => ({
      toolCalls: [{ name: 'read', arguments: { path: 'a.txt', offset: 1 + (i % 2) } }],
    }))
    a.fake.script(...turns, { text: 'ok' })
    await a.run('Go')
    const bodies = a.fake.chatRequests()
    expect(bodies).toHaveLength(10)
    for (let i = 1; i < bodies.length; i++) {
      const prev = JSON.stringify([bodies[i - 1]!.tools, bodies[i - 1]!.messages])
      const prefix = JSON.stringify([
        bodies[i]!.tools,
        bodies[i]!.messages.slice(0, bodies[i - 1]!.messages.length),
      ])
      expect(prefix).toBe(prev)
    }
  })

  it('reopened after a restart, continues with a byte-identical context', async () => {
    a = await agentFixture()
    a.write('AGENTS.md', 'Always run the tests.\n')
    a.fake.script({ text: 'first' }, { text: 'second' })
    await a.run('One')
    const root = a.fx.root
    const { sessionId, fake } = a
    a.fx.engine.close()
    const b = await agentFixture({ fake, reuse: { root }, sessionId })
    try {
      expect(await b.run('Two')).toEqual({ reason: 'done' })
      const [r1, r2] = fake.chatRequests()
      expect(JSON.stringify(r2!.messages.slice(0, 3))).toBe(
        JSON.stringify([...r1!.messages, { role: 'assistant', content: 'first' }]),
      )
      expect(JSON.stringify(r2!.tools)).toBe(JSON.stringify(r1!.tools))
      expect(String(r1!.messages[0]!.content)).toContain('Always run the tests.')
    } finally {
      await b.close()
      await fake.close()
    }
  })

  it('stops at max turns with an explicit reason', async () => {
    a = await agentFixture()
    a.fake.script(
      { toolCalls: [{ name: 'ls', arguments: {} }] },
      { toolCalls: [{ name: 'ls', arguments: {} }] },
    )
    const end = await a.run('Loop', { maxTurns: 2 })
    expect(end.reason).toBe('max_turns')
    expect(end.message).toContain('2 model calls')
  })

  it('answers unknown tools and malformed arguments with results the model can act on', async () => {
    a = await agentFixture()
    a.fake.script(
      {
        toolCalls: [
          { name: 'teleport', arguments: {} },
          { name: 'read', arguments: '{"path": ' },
          { name: 'read', arguments: { path: { nested: true } } },
        ],
      },
      { text: 'sorry' },
    )
    await a.run('Try')
    const [unknown, badJson, badType] = entriesOf('tool_result').map((p) =>
      ToolResultPayload.parse(p),
    )
    expect(unknown!.content).toMatch(/Unknown tool "teleport"\. Available tools: .*read/)
    expect(badJson!.isError).toBe(true)
    expect(badJson!.content).toMatch(/JSON/)
    expect(badType!.content).toMatch(/Invalid arguments for read:\n- path/)
    expect(messagesOf(1).filter((m) => m.role === 'tool')).toHaveLength(3)
  })

  it('repairs a broken call, records the repair, and completes the session', async () => {
    a = await agentFixture()
    a.write('a.txt', 'one\ntwo\n')
    a.fake.script(
      {
        toolCalls: [
          { name: 'Read', arguments: "```json\n{'input': {'path': 'a.txt', 'offset': '2',}}\n```" },
        ],
      },
      { text: 'It says two.' },
    )
    expect(await a.run('What is on line 2?')).toEqual({ reason: 'done' })
    const [result] = entriesOf('tool_result').map((p) => ToolResultPayload.parse(p))
    expect(result!.isError).toBe(false)
    expect(result!.content).toContain('two')
    expect(result!.content).not.toContain('one')
    const repairs = entriesOf('repair') as Array<{ source: string; notes: Array<{ kind: string }> }>
    expect(repairs).toHaveLength(1)
    expect(repairs[0]!.source).toBe('arguments')
    expect(repairs[0]!.notes.map((n) => n.kind)).toEqual(
      expect.arrayContaining(['tool_name', 'lenient_json', 'unwrapped', 'coerced']),
    )
  })

  it('shows reasoning as reasoning, from reasoning_content and from <think> blocks', async () => {
    a = await agentFixture()
    a.fake.script(
      { reasoning: ['Think', 'ing'], text: 'A' },
      { text: ['<thi', 'nk>plan', ' it</th', 'ink>\n', 'Answer'] },
    )
    await a.run('One')
    await a.run('Two')
    const [one, two] = entriesOf('assistant_message').map((p) => AssistantMessagePayload.parse(p))
    expect([one!.reasoning, one!.content]).toEqual(['Thinking', 'A'])
    expect([two!.reasoning, two!.content]).toEqual(['plan it', 'Answer'])
  })
})

describe('provider failures', () => {
  it('retries rate limits (honouring retry-after), server errors and broken streams', async () => {
    a = await agentFixture()
    a.fake.script(
      { error: { status: 429, retryAfter: 7 } },
      { error: { status: 500 } },
      { text: 'partial', cut: { after: 2 } },
      { text: 'x', malformed: { after: 1 } },
      { text: 'finally' },
    )
    expect(await a.run('Hi')).toEqual({ reason: 'done' })
    expect(a.sleeps).toEqual([7000, 2000, 4000, 8000])
    const retries = a.events.filter((e) => e.type === 'turn.state' && e.state === 'retrying')
    expect(retries).toHaveLength(4)
    const assistants = entriesOf('assistant_message').map((p) => AssistantMessagePayload.parse(p))
    expect(assistants.map((m) => m.content)).toEqual(['finally'])
  })

  it('stops at once on a bad key, an exhausted quota or a context overflow, saying which', async () => {
    a = await agentFixture()
    a.fake.script(
      { error: { status: 401 } },
      {
        error: {
          status: 429,
          body: {
            error: {
              message:
                'You exceeded your current quota, please check your plan and billing details.',
              type: 'insufficient_quota',
              param: null,
              code: 'insufficient_quota',
            },
          },
        },
      },
      // An overflow is compacted (the summary) and retried once; a second one ends the run.
      { error: 'context_overflow' },
      { text: '## Goal\nSay hi.' },
      { error: 'context_overflow' },
    )
    const auth = await a.run('Hi')
    expect(auth.reason).toBe('error')
    expect(auth.message).toMatch(/refused the API key \(401\)/)
    expect(auth.message).toContain(`Check the key for ${new URL(a.fake.baseUrl).host}`)
    const quota = await a.run('Again')
    expect(quota.reason).toBe('error')
    expect(quota.message).toMatch(/over quota/)
    const overflow = await a.run('Once more')
    expect(overflow.reason).toBe('context_overflow')
    expect(overflow.message).toMatch(/maximum context length is 128000 tokens/)
    expect(overflow.message).toMatch(/even after compacting it/)
    expect(a.sleeps).toEqual([])
    expect(a.fake.requests.map((r) => r.status)).toEqual([401, 429, 400, 200, 400])
  })

  it('on a 429 with retry-after: 2, says "retrying in 2 s" and the retry follows it', async () => {
    a = await agentFixture()
    a.fake.script({ error: { status: 429, retryAfter: 2 } }, { text: 'after the wait' })
    expect(await a.run('Hi')).toEqual({ reason: 'done' })
    const retry = a.events.find((e) => e.type === 'turn.state' && e.state === 'retrying')
    expect(retry).toMatchObject({ attempt: 1, retryInMs: 2000 })
    expect(a.sleeps).toEqual([2000])
    expect(a.fake.requests.map((r) => r.status)).toEqual([429, 200])
    // The retry request is the same request: nothing of the failed attempt in it.
    expect(JSON.stringify(a.fake.requests[1]!.body)).toBe(JSON.stringify(a.fake.requests[0]!.body))
  })

  it('prefers retry-after-ms, and a retry replaces what a dead stream had shown', async () => {
    a = await agentFixture()
    a.fake.script(
      { error: { status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '9' } } },
      { text: ['The first attempt says A', 'B'], cut: { after: 3 } },
      { text: 'The retry says C.' },
      { text: 'next' },
    )
    await a.run('Hi')
    expect(a.sleeps).toEqual([1500, 2000])
    const assistants = entriesOf('assistant_message').map((p) => AssistantMessagePayload.parse(p))
    expect(assistants.map((m) => m.content)).toEqual(['The retry says C.'])
    await a.run('And?')
    expect(JSON.stringify(a.fake.chatRequests().at(-1)!.messages)).not.toContain('first attempt')
  })
})

describe('abort, steering and follow-ups', () => {
  const waitScript = (file: string): string =>
    `while [ ! -f ${file} ]; do sleep 0.02; done; echo released`

  it('abort during a running tool leaves a transcript the provider accepts', async () => {
    a = await agentFixture()
    a.fake.script({
      text: 'Working on it.',
      toolCalls: [
        { name: 'bash', arguments: { command: waitScript('never') } },
        { name: 'ls', arguments: {} },
      ],
    })
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Do it', mode: 'full-auto' })
    await a.waitFor((e) => e.type === 'turn.state' && e.state === 'tool')
    expect(await a.fx.call('sessions.abort', { sessionId: a.sessionId })).toEqual({ aborted: true })
    expect((await ended).reason).toBe('aborted')

    a.fake.script({ text: 'ok' })
    expect(await a.run('Next')).toEqual({ reason: 'done' })
    const msgs = messagesOf(1)
    expect(msgs.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'user'])
    expect(String((msgs[3] as { content: string }).content)).toMatch(/abort/i)
    expect(a.fake.requests.at(-1)!.status).toBe(200)
  })

  it('abort mid-stream never sends the half-written answer back', async () => {
    a = await agentFixture()
    a.fake.script({ text: ['Half an ans', 'wer that never ends'], hang: { after: 3 } })
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Talk', mode: 'full-auto' })
    await a.waitFor((e) => e.type === 'turn.delta' && e.kind === 'text')
    await a.fx.call('sessions.abort', { sessionId: a.sessionId })
    expect((await ended).reason).toBe('aborted')
    const partial = entriesOf('assistant_message').map((p) => AssistantMessagePayload.parse(p))
    expect(partial).toHaveLength(1)
    expect(partial[0]!.partial).toBe(true)

    a.fake.script({ text: 'fine' })
    await a.run('Again')
    const msgs = messagesOf(1)
    expect(msgs.map((m) => m.role)).toEqual(['system', 'user', 'user'])
    expect(JSON.stringify(msgs)).not.toContain('Half an ans')
  })

  it('a steer skips the calls still queued and precedes the next turn', async () => {
    a = await agentFixture()
    a.fake.script(
      {
        toolCalls: [
          { name: 'bash', arguments: { command: waitScript('go') } },
          { name: 'bash', arguments: { command: 'touch two' } },
          { name: 'bash', arguments: { command: 'touch three' } },
        ],
      },
      { text: 'switching' },
    )
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', {
      sessionId: a.sessionId,
      text: 'Build it',
      mode: 'full-auto',
    })
    await a.waitFor((e) => e.type === 'turn.state' && e.state === 'tool')
    await a.fx.call('sessions.steer', { sessionId: a.sessionId, text: 'Use yarn instead' })
    writeFileSync(join(a.workspace, 'go'), '')
    expect((await ended).reason).toBe('done')

    const results = entriesOf('tool_result').map((p) => ToolResultPayload.parse(p))
    expect(results.map((r) => r.synthetic ?? 'ran')).toEqual(['ran', 'skipped', 'skipped'])
    expect(existsSync(join(a.workspace, 'two'))).toBe(false)
    const msgs = messagesOf(1)
    expect(msgs.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'tool',
      'tool',
      'user',
    ])
    expect(msgs.at(-1)).toEqual({ role: 'user', content: 'Use yarn instead' })
  })

  it('a follow-up arrives only after the final answer', async () => {
    a = await agentFixture()
    a.fake.script(
      { toolCalls: [{ name: 'bash', arguments: { command: waitScript('go') } }] },
      { text: 'Final answer.' },
      { text: 'Follow-up answer.' },
    )
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Start', mode: 'full-auto' })
    await a.waitFor((e) => e.type === 'turn.state' && e.state === 'tool')
    await a.fx.call('sessions.followUp', { sessionId: a.sessionId, text: 'And add a test' })
    writeFileSync(join(a.workspace, 'go'), '')
    expect((await ended).reason).toBe('done')
    expect(JSON.stringify(messagesOf(1))).not.toContain('And add a test')
    const third = messagesOf(2)
    expect(third.slice(-2)).toEqual([
      { role: 'assistant', content: 'Final answer.' },
      { role: 'user', content: 'And add a test' },
    ])
  })
})
