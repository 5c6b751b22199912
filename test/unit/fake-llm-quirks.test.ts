import { afterEach, describe, expect, it } from 'vitest'
import type { FakeLlm, QuirkCall } from '../support/fake-llm'
import {
  chunk,
  contentChunks,
  cumulativeArgumentChunks,
  objectArgumentChunks,
  resentArgumentChunks,
  sharedIndexChunks,
  startFakeLlm,
  toolCallChunks,
  withoutFinishReason,
} from '../support/fake-llm'

/** The fake's strict-server options, its reasoning field, and the quirk chunk builders. */

let fake: FakeLlm | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function post(body: object): Promise<{ status: number; json: unknown; text: string }> {
  const res = await fetch(`${fake!.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', ...body }),
  })
  const text = await res.text()
  let json: unknown = null
  try {
    json = JSON.parse(text)
  } catch {
    // a stream
  }
  return { status: res.status, json, text }
}

const call = (args: string): object => ({
  id: 'c1',
  type: 'function',
  function: { name: 'read', arguments: args },
})
const history = (args: string, extra: object = {}): object[] => [
  { role: 'user', content: 'go' },
  { role: 'assistant', content: null, tool_calls: [call(args)], ...extra },
  { role: 'tool', tool_call_id: 'c1', content: 'ok' },
]

describe('strict.historyArguments', () => {
  it('refuses history arguments that are not a JSON object, as vLLM / llama-server do', async () => {
    fake = await startFakeLlm({ strict: { historyArguments: true } })
    fake.script({ text: 'ok' }, { text: 'ok' })
    for (const bad of ['{"path":"a",}', '{"path":', '["a"]', '']) {
      const r = await post({ messages: history(bad) })
      expect(r.status).toBe(400)
      expect(r.json).toMatchObject({
        error: {
          message: expect.stringMatching(/^Failed to parse tool call arguments as JSON: /),
          type: 'invalid_request_error',
          param: 'messages[1].tool_calls[0].function.arguments',
          code: 'invalid_tool_call_arguments',
        },
      })
    }
    expect(fake.pending()).toBe(2)
    expect((await post({ messages: history('{"path":"a"}') })).status).toBe(200)
    expect(fake.chatRequests()).toHaveLength(1)
    expect(fake.requests.map((r) => r.status)).toEqual([400, 400, 400, 400, 200])
  })
})

describe('strict.reasoningContent', () => {
  it.each([
    [
      true,
      'thinking is enabled but reasoning_content is missing in assistant tool call message at index 1',
    ],
    [
      'kimi',
      'thinking is enabled but reasoning_content is missing in assistant tool call message at index 1',
    ],
    ['deepseek', 'Missing `reasoning_content` field in the assistant message at message index 1.'],
  ] as const)('%s: refuses a tool-call message without reasoning_content', async (mode, said) => {
    fake = await startFakeLlm({ strict: { reasoningContent: mode } })
    fake.script({ text: 'ok' })
    const refused = await post({ messages: history('{}') })
    expect(refused.status).toBe(400)
    expect((refused.json as { error: { message: string } }).error.message).toContain(said)
    expect((await post({ messages: history('{}', { reasoning: 'r' }) })).status).toBe(400)
    expect((await post({ messages: history('{}', { reasoning_content: '' }) })).status).toBe(200)
  })

  it('accepts assistant messages without tool calls, and off by default', async () => {
    fake = await startFakeLlm({ strict: { reasoningContent: true } })
    fake.script({ text: 'ok' })
    const plain = [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
      { role: 'user', content: 'c' },
    ]
    expect((await post({ messages: plain })).status).toBe(200)
    await fake.close()
    fake = await startFakeLlm()
    fake.script({ text: 'ok' })
    expect((await post({ messages: history('{"path":') })).status).toBe(200)
  })
})

describe('ReplyTurn.reasoningField', () => {
  it('streams the reasoning in the chosen field, and puts it there in the message', async () => {
    fake = await startFakeLlm()
    fake.script(
      { reasoning: ['a', 'b'], reasoningField: 'reasoning', text: 'x' },
      { reasoning: 'c', reasoningField: 'reasoning', text: 'y' },
    )
    const streamed = await post({ messages: [{ role: 'user', content: 'q' }], stream: true })
    expect(streamed.text).toContain('"delta":{"reasoning":"a"}')
    expect(streamed.text).not.toContain('reasoning_content')
    const whole = await post({ messages: [{ role: 'user', content: 'q' }] })
    expect(whole.json).toMatchObject({ choices: [{ message: { reasoning: 'c', content: 'y' } }] })
  })
})

/** The deltas of a builder's stream, without identity. */
const deltas = (chunks: object[]): unknown[] =>
  chunks.map((c) => (c as { choices: Array<{ delta: unknown }> }).choices[0]!.delta)
const finishes = (chunks: object[]): unknown[] =>
  chunks.map((c) => (c as { choices: Array<{ finish_reason: unknown }> }).choices[0]!.finish_reason)

describe('quirk chunk builders', () => {
  const bash: QuirkCall = { id: 'b', name: 'bash', arguments: { command: 'ls' } }
  const text = '{"command":"ls"}'

  it('toolCallChunks: role, reasoning, text, header, fragments, finish', () => {
    const c = toolCallChunks([bash], {
      text: 'hi',
      reasoning: 'r',
      reasoningField: 'reasoning',
      pieces: 2,
    })
    expect(deltas(c)).toEqual([
      { role: 'assistant', content: '' },
      { reasoning: 'r' },
      { content: 'hi' },
      {
        tool_calls: [
          { index: 0, id: 'b', type: 'function', function: { name: 'bash', arguments: '' } },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: text.slice(0, 8) } }] },
      { tool_calls: [{ index: 0, function: { arguments: text.slice(8) } }] },
      {},
    ])
    expect(finishes(c).at(-1)).toBe('tool_calls')
    expect(finishes(toolCallChunks([bash], { finish: null })).every((f) => f === null)).toBe(true)
  })

  it('cumulative, re-sent, shared index and object arguments', () => {
    const args = (c: object[]): unknown[] =>
      deltas(c)
        .flatMap(
          (d) =>
            (d as { tool_calls?: Array<{ function: { arguments: unknown } }> }).tool_calls ?? [],
        )
        .map((t) => t.function.arguments)
    expect(args(cumulativeArgumentChunks([bash], { pieces: 2 }))).toEqual([
      '',
      text.slice(0, 8),
      text,
    ])
    expect(args(resentArgumentChunks([bash], { pieces: 2 }))).toEqual([
      '',
      text.slice(0, 8),
      text.slice(8),
      text,
    ])
    expect(args(objectArgumentChunks([bash]))).toEqual([{ command: 'ls' }])
    const shared = sharedIndexChunks([bash, { id: 'r', name: 'read', arguments: '{}' }])
    const headers = deltas(shared).flatMap(
      (d) => (d as { tool_calls?: Array<{ index: number; id?: string }> }).tool_calls ?? [],
    )
    expect(headers.map((h) => [h.index, h.id])).toEqual([
      [0, 'b'],
      [0, undefined],
      [0, undefined],
      [0, undefined],
      [0, 'r'],
      [0, undefined],
      [0, undefined],
    ])
  })

  it('contentChunks and withoutFinishReason; ids are unique when not given', () => {
    const c = contentChunks(['a', '</think>b'])
    expect(deltas(c)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'a' },
      { content: '</think>b' },
      {},
    ])
    expect(finishes(c).at(-1)).toBe('stop')
    const stripped = withoutFinishReason([
      ...c.slice(0, -1),
      chunk({ content: 'z' }, 'stop'),
      chunk({}, 'stop'),
    ])
    expect(deltas(stripped).at(-1)).toEqual({ content: 'z' })
    expect(finishes(stripped).every((f) => f === null)).toBe(true)
    const ids = [
      toolCallChunks([{ name: 'ls', arguments: {} }]),
      toolCallChunks([{ name: 'ls', arguments: {} }]),
    ].map((s) => (deltas(s)[1] as { tool_calls: Array<{ id: string }> }).tool_calls[0]!.id)
    expect(new Set(ids).size).toBe(2)
  })

  it('streams through the fake as given', async () => {
    fake = await startFakeLlm()
    fake.script({ rawChunks: withoutFinishReason(resentArgumentChunks([bash])) })
    const r = await post({ messages: [{ role: 'user', content: 'q' }], stream: true })
    expect(r.text).toContain('"arguments":"{\\"command\\":\\"ls\\"}"')
    expect(r.text).not.toContain('"finish_reason":"tool_calls"')
    expect(r.text.trim().endsWith('data: [DONE]')).toBe(true)
  })
})
