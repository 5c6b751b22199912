import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAnthropicStream } from '../../src/main/providers/anthropic'
import type {
  ChatMessage,
  ProviderRequest,
  StreamEvent,
  StreamFn,
  ToolSpec,
} from '../../src/main/providers/types'
import { ProviderError } from '../../src/main/providers/types'
import type { ErrorSpec, FakeLlm, Turn } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'

let fake: FakeLlm
let stream: StreamFn

beforeEach(async () => {
  fake = await startFakeLlm()
  stream = createAnthropicStream({ baseUrl: fake.anthropicBaseUrl, apiKey: 'sk-ant-test' })
})

afterEach(async () => {
  await fake.close()
})

const MODEL = 'claude-test'
const tools: ToolSpec[] = [
  {
    name: 'read_file',
    description: 'Read a file',
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
  {
    name: 'grep',
    description: 'Search files',
    parameters: { type: 'object', properties: { pattern: { type: 'string' } } },
  },
]

function request(over: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    model: MODEL,
    system: 'You are terse.',
    messages: [{ role: 'user', content: 'hello' }],
    tools,
    signal: new AbortController().signal,
    ...over,
  }
}

/** Runs one call; returns the events that arrived and the error it ended with, if any. */
async function run(
  req: ProviderRequest = request(),
): Promise<{ events: StreamEvent[]; error: unknown }> {
  const events: StreamEvent[] = []
  try {
    for await (const event of stream(req)) events.push(event)
  } catch (error) {
    return { events, error }
  }
  return { events, error: undefined }
}

async function failure(turn: Turn, req?: ProviderRequest): Promise<ProviderError> {
  fake.script(turn)
  const { error } = await run(req)
  expect(error).toBeInstanceOf(ProviderError)
  return error as ProviderError
}

function done(events: StreamEvent[]): Extract<StreamEvent, { type: 'done' }>['turn'] {
  const last = events.at(-1)
  if (last?.type !== 'done') throw new Error(`expected done last, got ${last?.type}`)
  return last.turn
}

describe('streaming a turn', () => {
  it('streams thinking, text and two tool calls, then the assembled turn', async () => {
    fake.script({
      reasoning: ['Plan', 'ning.'],
      text: ['I will ', 'look.'],
      toolCalls: [
        { id: 'toolu_a', name: 'read_file', arguments: { path: 'src/a.ts' } },
        { id: 'toolu_b', name: 'grep', arguments: { pattern: 'TODO' } },
      ],
      argumentChunkSize: 6,
      usage: {
        prompt_tokens: 100,
        completion_tokens: 20,
        prompt_tokens_details: { cached_tokens: 50 },
        cacheWrite: 30,
      },
    })
    const { events, error } = await run()
    expect(error).toBeUndefined()
    const of = <T extends StreamEvent['type']>(t: T): Extract<StreamEvent, { type: T }>[] =>
      events.filter((e): e is Extract<StreamEvent, { type: T }> => e.type === t)
    expect(of('reasoning_delta').map((e) => e.text)).toEqual(['Plan', 'ning.'])
    expect(of('text_delta').map((e) => e.text)).toEqual(['I will ', 'look.'])

    const calls = of('tool_call_delta')
    expect(calls[0]).toEqual({
      type: 'tool_call_delta',
      index: 0,
      id: 'toolu_a',
      name: 'read_file',
      argumentsDelta: '',
    })
    const second = calls.filter((c) => c.index === 1)
    expect(second[0]).toMatchObject({ id: 'toolu_b', name: 'grep' })
    for (const later of calls.filter((c) => c.argumentsDelta !== '')) {
      expect(later.id).toBeUndefined()
      expect(later.argumentsDelta.length).toBeLessThanOrEqual(6)
    }
    expect(second.map((c) => c.argumentsDelta).join('')).toBe('{"pattern":"TODO"}')

    expect(done(events)).toEqual({
      content: 'I will look.',
      reasoning: 'Planning.',
      toolCalls: [
        { id: 'toolu_a', name: 'read_file', arguments: '{"path":"src/a.ts"}' },
        { id: 'toolu_b', name: 'grep', arguments: '{"pattern":"TODO"}' },
      ],
      finishReason: 'tool_calls',
      usage: { inputTokens: 20, outputTokens: 20, cacheReadTokens: 50, cacheWriteTokens: 30 },
    })
  })

  it('keeps malformed arguments as written, {} for none, and maps stop reasons', async () => {
    fake.script(
      {
        toolCalls: [
          { id: 'toolu_m', name: 'read_file', arguments: '{"path": "a' },
          { id: 'toolu_e', name: 'grep', arguments: '' },
        ],
      },
      { text: 'Done.' },
      { text: 'Trunc', finishReason: 'length' },
    )
    const first = done((await run()).events)
    expect(first.toolCalls).toEqual([
      { id: 'toolu_m', name: 'read_file', arguments: '{"path": "a' },
      { id: 'toolu_e', name: 'grep', arguments: '{}' },
    ])
    expect(done((await run()).events)).toMatchObject({ content: 'Done.', finishReason: 'stop' })
    expect(done((await run()).events).finishReason).toBe('length')
  })
})

describe('the request it sends', () => {
  it('separates the system prompt, marks cache breakpoints and pairs tool results', async () => {
    fake.script({ text: 'ok' })
    const history: ChatMessage[] = [
      { role: 'user', content: 'Find the bug.' },
      {
        role: 'assistant',
        content: 'Looking.',
        reasoning: 'The bug is probably in a.ts.',
        toolCalls: [
          { id: 'toolu_1', name: 'read_file', arguments: '{"path":"a.ts"}' },
          { id: 'toolu_2', name: 'grep', arguments: 'not json' },
        ],
      },
      { role: 'tool', toolCallId: 'toolu_1', toolName: 'read_file', content: 'x', isError: false },
      { role: 'tool', toolCallId: 'toolu_2', toolName: 'grep', content: 'bad', isError: true },
      { role: 'user', content: 'Also check b.ts.' },
    ]
    const { error } = await run(request({ messages: history }))
    expect(error).toBeUndefined()

    const [sent] = fake.messagesRequests()
    const ephemeral = { type: 'ephemeral' }
    expect(sent).toEqual({
      model: MODEL,
      max_tokens: 8192,
      stream: true,
      system: [{ type: 'text', text: 'You are terse.', cache_control: ephemeral }],
      tools: [
        {
          name: 'read_file',
          description: 'Read a file',
          input_schema: tools[0]?.parameters,
        },
        {
          name: 'grep',
          description: 'Search files',
          input_schema: tools[1]?.parameters,
          cache_control: ephemeral,
        },
      ],
      messages: [
        // Where the previous request ended: it reads the prefix that request wrote.
        {
          role: 'user',
          content: [{ type: 'text', text: 'Find the bug.', cache_control: ephemeral }],
        },
        {
          // No thinking block: the canonical turn keeps no signature to send it back with.
          role: 'assistant',
          content: [
            { type: 'text', text: 'Looking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } },
            { type: 'tool_use', id: 'toolu_2', name: 'grep', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'x', is_error: false },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'bad', is_error: true },
            { type: 'text', text: 'Also check b.ts.', cache_control: ephemeral },
          ],
        },
      ],
    })
    const [recorded] = fake.requests
    expect(recorded?.headers.authorization).toBe('Bearer sk-ant-test')
    expect(recorded?.headers['anthropic-version']).toEqual(expect.any(String))
  })

  it('takes max_tokens from the request, then the config', async () => {
    fake.script({ text: 'a' }, { text: 'b' })
    const small = createAnthropicStream({
      baseUrl: fake.anthropicBaseUrl,
      apiKey: 'k',
      maxOutputTokens: 512,
    })
    for await (const _ of small(request({ tools: [], system: '' }))) void _
    await run(request({ maxOutputTokens: 100 }))
    const [first, second] = fake.messagesRequests()
    expect(first?.max_tokens).toBe(512)
    // No system prompt, no tools: neither key is sent (empty text blocks are rejected).
    expect(first).not.toHaveProperty('system')
    expect(first).not.toHaveProperty('tools')
    expect(second?.max_tokens).toBe(100)
  })
})

describe('errors, classified', () => {
  const cases: Array<[string, ProviderError['kind'], ErrorSpec, number | undefined]> = [
    ['401', 'auth', { status: 401 }, 401],
    ['403', 'auth', { status: 403 }, 403],
    ['429', 'rate_limit', { status: 429 }, 429],
    ['529', 'overloaded', { status: 529 }, 529],
    ['503', 'overloaded', { status: 503 }, 503],
    ['500', 'server', { status: 500 }, 500],
    ['prompt is too long', 'context_overflow', 'context_overflow', 400],
    ['another 400', 'bad_request', { status: 400, message: 'temperature: out of range' }, 400],
    ['404', 'bad_request', { status: 404 }, 404],
  ]
  it.each(cases)('%s is %s', async (_name, kind, spec, status) => {
    const err = await failure({ error: spec })
    expect(err.kind).toBe(kind)
    expect(err.status).toBe(status)
  })

  it('says what the API said', async () => {
    const err = await failure({ error: 'context_overflow' })
    expect(err.message).toBe(
      'The conversation is too long for the model: ' +
        'prompt is too long: 210000 tokens > 200000 maximum',
    )
  })

  it('a 429 carries retry-after, in ms, and is retryable', async () => {
    const err = await failure({ error: { status: 429, retryAfter: 3 } })
    expect(err).toMatchObject({ kind: 'rate_limit', retryAfterMs: 3000, retryable: true })
  })

  it('an overloaded error mid-stream is overloaded, after the text before it', async () => {
    fake.script({ text: ['par', 'tial'], streamError: { after: 4 } })
    const { events, error } = await run()
    expect(events).toEqual([{ type: 'text_delta', text: 'par' }])
    expect(error).toBeInstanceOf(ProviderError)
    expect((error as ProviderError).kind).toBe('overloaded')
  })

  it('a request the API rejects is bad_request', async () => {
    const err = await failure(
      { text: 'unused' },
      request({ messages: [{ role: 'assistant', content: 'hi', toolCalls: [] }] }),
    )
    expect(err.kind).toBe('bad_request')
    expect(err.message).toContain('first message must use the "user" role')
  })

  it('a refused connection on this machine is unreachable: nothing listens, no retry helps', async () => {
    const closed = await startFakeLlm()
    await closed.close()
    stream = createAnthropicStream({ baseUrl: closed.anthropicBaseUrl, apiKey: 'k' })
    const { error } = await run()
    const port = new URL(closed.anthropicBaseUrl).port
    expect(error).toMatchObject({
      kind: 'unreachable',
      retryable: false,
      message: `Nothing is listening at 127.0.0.1:${port} — is the server running?`,
    })
  })
})

describe('broken streams', () => {
  it('a cut stream is malformed_stream', async () => {
    const err = await failure({ text: ['a', 'b'], cut: { after: 4 } })
    expect(err).toMatchObject({ kind: 'malformed_stream', retryable: true })
  })

  it('a stream that ends cleanly before message_stop is malformed_stream', async () => {
    fake.script({ text: ['a', 'b'], cut: { after: 7, clean: true } })
    const { events, error } = await run()
    expect(events.map((e) => e.type)).toEqual(['text_delta', 'text_delta'])
    expect(error).toMatchObject({ kind: 'malformed_stream' })
  })

  it('a malformed event is malformed_stream', async () => {
    const err = await failure({ text: ['a', 'b'], malformed: { after: 3 } })
    expect(err.kind).toBe('malformed_stream')
  })
})

describe('abort', () => {
  it('aborting mid-stream ends the call with aborted', async () => {
    fake.script({ text: ['first', 'never'], hang: { after: 4 } })
    const abort = new AbortController()
    const events: StreamEvent[] = []
    let error: unknown
    try {
      for await (const event of stream(request({ signal: abort.signal }))) {
        events.push(event)
        abort.abort()
      }
    } catch (err) {
      error = err
    }
    expect(events).toEqual([{ type: 'text_delta', text: 'first' }])
    expect(error).toMatchObject({ kind: 'aborted', retryable: false })
  })

  it('a signal aborted before the call is aborted, and nothing is sent', async () => {
    const abort = new AbortController()
    abort.abort()
    const { error } = await run(request({ signal: abort.signal }))
    expect(error).toMatchObject({ kind: 'aborted' })
    expect(fake.requests).toEqual([])
  })
})
