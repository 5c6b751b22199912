import { afterEach, describe, expect, it } from 'vitest'
import type {
  ChatCompletionMessageParam,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions'
import type { AssistantMessage, RepairRecord, ToolResultRecord } from '../../src/shared/entries'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import type { FakeLlm } from '../support/fake-llm'
import { chunk, startFakeLlm } from '../support/fake-llm'
import { logged, repairNotes } from '../support/session-log'

/**
 * The OpenAI-compatible adapter against servers that bend the streaming tool-call format, each
 * quirk sent at the wire by the fake and run through the real engine and tools.
 */

let a: AgentFixture | undefined
let fake: FakeLlm | undefined
afterEach(async () => {
  await a?.close()
  await fake?.close()
  a = undefined
  fake = undefined
})

async function start(): Promise<AgentFixture> {
  a = await agentFixture()
  a.write('a.txt', 'alpha\n')
  a.write('b.txt', 'beta\n')
  return a
}

const results = (f: AgentFixture): ToolResultRecord[] => logged(f, 'tool_result')
const assistants = (f: AgentFixture): AssistantMessage[] => logged(f, 'assistant_message')
const streamRepairs = (f: AgentFixture): RepairRecord[] =>
  logged(f, 'repair').filter((r) => r.source === 'stream')
const repairKinds = (f: AgentFixture): string[] => repairNotes(f, 'stream').map((n) => n.kind)

/**
 * Every request was accepted, and the last one answers each assistant tool call with a tool
 * message right after it, in order, with ids unique over the whole conversation. Returns the
 * last request's assistant tool calls, turn by turn.
 */
function expectAcceptedAndPaired(f: AgentFixture): ChatCompletionMessageFunctionToolCall[][] {
  expect(f.fake.requests.map((r) => r.status)).toEqual(f.fake.requests.map(() => 200))
  expect(f.fake.chatRequests()).toHaveLength(f.fake.requests.length)
  const messages = f.fake.chatRequests().at(-1)!.messages as ChatCompletionMessageParam[]
  const turns: ChatCompletionMessageFunctionToolCall[][] = []
  messages.forEach((m, i) => {
    if (m.role !== 'assistant' || !m.tool_calls) return
    const calls = m.tool_calls as ChatCompletionMessageFunctionToolCall[]
    const answers = messages.slice(i + 1, i + 1 + calls.length)
    expect(answers.map((t) => (t.role === 'tool' ? t.tool_call_id : t.role))).toEqual(
      calls.map((c) => c.id),
    )
    turns.push(calls)
  })
  const ids = turns.flat().map((c) => c.id)
  expect(ids.every((id) => id !== '')).toBe(true)
  expect(new Set(ids).size).toBe(ids.length)
  return turns
}

/** The calls' names and parsed arguments, for comparing without caring about JSON spacing. */
const callsOf = (turn: ChatCompletionMessageFunctionToolCall[]): Array<[string, unknown]> =>
  turn.map((c) => [c.function.name, JSON.parse(c.function.arguments) as unknown])

/** Tool results that ran for real: not errors, not synthetic, with the files' content. */
function expectReadResults(f: AgentFixture, contents: string[]): ToolResultRecord[] {
  const rs = results(f)
  expect(rs.map((r) => [r.toolName, r.isError, r.synthetic])).toEqual(
    contents.map(() => ['read', false, undefined]),
  )
  rs.forEach((r, i) => expect(r.content).toContain(contents[i]))
  return rs
}

describe('the fake server sends rawChunks as given', () => {
  it('fills in the identity, appends the usage chunk and [DONE]', async () => {
    fake = await startFakeLlm()
    fake.script(
      {
        rawChunks: [
          chunk({ role: 'assistant', content: 'Hi' }),
          { id: 'mine', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], extra: 1 },
        ],
        usage: { prompt_tokens: 5, completion_tokens: 2 },
      },
      { rawChunks: [chunk({ content: 'x' })] },
      { rawChunks: [chunk({ content: 'x' })] },
    )
    const post = (stream: boolean, usage: boolean): Promise<Response> =>
      fetch(`${fake!.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'm',
          messages: [{ role: 'user', content: 'hi' }],
          stream,
          ...(usage ? { stream_options: { include_usage: true } } : {}),
        }),
      })
    const events = (text: string): string[] =>
      text
        .split('\n\n')
        .filter(Boolean)
        .map((e) => e.replace(/^data: /, ''))

    const first = events(await (await post(true, true)).text())
    expect(first.at(-1)).toBe('[DONE]')
    const [hi, stop, usage] = first
      .slice(0, -1)
      .map((e) => JSON.parse(e) as Record<string, unknown>)
    expect(first).toHaveLength(4)
    expect(hi).toEqual({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion.chunk',
      created: expect.any(Number),
      model: 'm',
      choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }],
    })
    expect(stop).toEqual({
      id: 'mine',
      object: 'chat.completion.chunk',
      created: hi!.created,
      model: 'm',
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
      extra: 1,
    })
    expect(usage).toMatchObject({ id: hi!.id, choices: [], usage: { total_tokens: 7 } })

    const plain = events(await (await post(true, false)).text())
    expect(plain).toEqual([expect.stringContaining('"content":"x"'), '[DONE]'])

    const whole = await post(false, false)
    expect(whole.status).toBe(500)
    expect(await whole.text()).toContain('rawChunks')
    expect(fake.requests.at(-1)!.status).toBe(500)
  })
})

describe('OpenAI-compatible stream quirks, through the engine', () => {
  it('follows tool call deltas that come without an index by their id', async () => {
    const f = await start()
    f.fake.script(
      {
        rawChunks: [
          chunk({
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_a', type: 'function', function: { name: 'read', arguments: '' } },
            ],
          }),
          chunk({ tool_calls: [{ function: { arguments: '{"path":' } }] }),
          chunk({ tool_calls: [{ function: { arguments: ' "a.txt"}' } }] }),
          chunk({
            tool_calls: [
              { id: 'call_b', type: 'function', function: { name: 'read', arguments: '' } },
            ],
          }),
          chunk({ tool_calls: [{ function: { arguments: '{"path": ' } }] }),
          chunk({ tool_calls: [{ function: { arguments: '"b.txt"}' } }] }),
          chunk({}, 'tool_calls'),
        ],
      },
      { text: 'Read both.' },
    )
    expect(await f.run('Read a.txt and b.txt')).toEqual({ reason: 'done' })
    const rs = expectReadResults(f, ['alpha', 'beta'])
    expect(rs.map((r) => r.toolCallId)).toEqual(['call_a', 'call_b'])
    const [turn] = expectAcceptedAndPaired(f)
    expect(turn!.map((c) => c.id)).toEqual(['call_a', 'call_b'])
    expect(callsOf(turn!)).toEqual([
      ['read', { path: 'a.txt' }],
      ['read', { path: 'b.txt' }],
    ])
    expect(repairKinds(f)).toContain('missing_index')
  })

  it('gives ids to tool calls streamed without one', async () => {
    const f = await start()
    f.fake.script(
      {
        rawChunks: [
          chunk({
            role: 'assistant',
            content: null,
            tool_calls: [{ index: 0, type: 'function', function: { name: 'read', arguments: '' } }],
          }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '{"path":"a.txt"}' } }] }),
          chunk({
            tool_calls: [
              { index: 1, type: 'function', function: { name: 'read', arguments: '{"path":' } },
            ],
          }),
          chunk({ tool_calls: [{ index: 1, function: { arguments: '"b.txt"}' } }] }),
          chunk({}, 'tool_calls'),
        ],
      },
      { text: 'Read both.' },
    )
    expect(await f.run('Read a.txt and b.txt')).toEqual({ reason: 'done' })
    const rs = expectReadResults(f, ['alpha', 'beta'])
    const [turn] = expectAcceptedAndPaired(f)
    expect(callsOf(turn!)).toEqual([
      ['read', { path: 'a.txt' }],
      ['read', { path: 'b.txt' }],
    ])
    expect(rs.map((r) => r.toolCallId)).toEqual(turn!.map((c) => c.id))
    expect(repairKinds(f)).toContain('missing_id')
  })

  it('renames a tool call id the server reuses in a later turn', async () => {
    const f = await start()
    f.fake.script(
      { toolCalls: [{ id: 'call_0', name: 'read', arguments: { path: 'a.txt' } }] },
      { toolCalls: [{ id: 'call_0', name: 'read', arguments: { path: 'b.txt' } }] },
      { text: 'Read both.' },
    )
    expect(await f.run('Read a.txt, then b.txt')).toEqual({ reason: 'done' })
    const rs = expectReadResults(f, ['alpha', 'beta'])
    const turns = expectAcceptedAndPaired(f)
    expect(turns.map((t) => t.map((c) => c.id))).toEqual([['call_0'], [expect.any(String)]])
    expect(turns[1]![0]!.id).not.toBe('call_0')
    expect(turns.map(callsOf)).toEqual([
      [['read', { path: 'a.txt' }]],
      [['read', { path: 'b.txt' }]],
    ])
    expect(rs.map((r) => r.toolCallId)).toEqual(turns.flat().map((c) => c.id))
    expect(repairKinds(f)).toContain('duplicate_id')
  })

  it('runs tool calls streamed with finish_reason "stop"', async () => {
    const f = await start()
    f.fake.script(
      {
        toolCalls: [{ id: 'call_s', name: 'read', arguments: { path: 'a.txt' } }],
        finishReason: 'stop',
      },
      { text: 'It says alpha.' },
    )
    expect(await f.run('Read a.txt')).toEqual({ reason: 'done' })
    expectReadResults(f, ['alpha'])
    const [turn] = expectAcceptedAndPaired(f)
    expect(turn!.map((c) => c.id)).toEqual(['call_s'])
    expect(assistants(f).map((m) => m.finishReason)).toEqual(['tool_calls', 'stop'])
    expect(streamRepairs(f)).toEqual([])
  })

  it('splits several calls whose arguments were concatenated into one call', async () => {
    const f = await start()
    f.fake.script(
      {
        toolCalls: [{ id: 'call_c', name: 'read', arguments: '{"path":"a.txt"}{"path":"b.txt"}' }],
      },
      { text: 'Read both.' },
    )
    expect(await f.run('Read a.txt and b.txt')).toEqual({ reason: 'done' })
    const rs = expectReadResults(f, ['alpha', 'beta'])
    const [turn] = expectAcceptedAndPaired(f)
    expect(callsOf(turn!)).toEqual([
      ['read', { path: 'a.txt' }],
      ['read', { path: 'b.txt' }],
    ])
    expect(turn![0]!.id).toBe('call_c')
    expect(rs.map((r) => r.toolCallId)).toEqual(turn!.map((c) => c.id))
    expect(repairKinds(f)).toContain('concatenated_calls')
  })

  it('runs tool calls the model wrote as <tool_call> text, and keeps that text out', async () => {
    const f = await start()
    f.fake.script(
      {
        text: ['<tool_call>\n{"name": "read", ', '"arguments": {"path": "a.txt"}}\n</tool_call>'],
        finishReason: 'stop',
      },
      { text: 'It says alpha.' },
    )
    expect(await f.run('Read a.txt')).toEqual({ reason: 'done' })
    const rs = expectReadResults(f, ['alpha'])
    const [turn] = expectAcceptedAndPaired(f)
    expect(callsOf(turn!)).toEqual([['read', { path: 'a.txt' }]])
    expect(rs.map((r) => r.toolCallId)).toEqual(turn!.map((c) => c.id))
    const [first, last] = assistants(f)
    expect(first!.content).not.toContain('<tool_call>')
    expect(first!.toolCalls.map((c) => c.name)).toEqual(['read'])
    expect(last!.content).toBe('It says alpha.')
    const sent = f.fake.chatRequests().at(-1)!.messages as ChatCompletionMessageParam[]
    expect(JSON.stringify(sent)).not.toContain('<tool_call>')
    expect(repairKinds(f)).toContain('text_tool_calls')
  })
})

describe('a server that repeats the tool name on every delta', () => {
  it('runs the call under its name', async () => {
    const { agentFixture: fixture } = await import('../support/agent')
    const f = await fixture()
    try {
      f.write('a.txt', 'alpha\n')
      const delta = (fn: object): object => ({
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, id: 'c1', type: 'function', function: fn }] },
            finish_reason: null,
          },
        ],
      })
      f.fake.script(
        {
          rawChunks: [
            {
              choices: [
                { index: 0, delta: { role: 'assistant', content: null }, finish_reason: null },
              ],
            },
            delta({ name: 'read', arguments: '{"path":' }),
            delta({ name: 'read', arguments: '"a.txt"}' }),
            { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
          ],
        },
        { text: 'ok' },
      )
      expect(await f.run('Read it')).toEqual({ reason: 'done' })
      const result = f.fx.engine.store.branch(f.sessionId).find((e) => e.type === 'tool_result')
      expect(JSON.stringify(result!.payload)).toContain('alpha')
    } finally {
      await f.close()
    }
  })
})
