import Anthropic from '@anthropic-ai/sdk'
import type {
  MessageParam,
  RawMessageStreamEvent,
  Tool,
} from '@anthropic-ai/sdk/resources/messages'
import OpenAI from 'openai'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'

let fake: FakeLlm
let client: Anthropic

beforeEach(async () => {
  fake = await startFakeLlm()
  // logLevel off: the SDK logs unparsable SSE data before throwing; the test asserts the throw.
  client = new Anthropic({
    baseURL: fake.anthropicBaseUrl,
    apiKey: 'test',
    maxRetries: 0,
    logLevel: 'off',
  })
})

afterEach(async () => {
  await fake.close()
})

const MODEL = 'claude-test'
const hello: MessageParam[] = [{ role: 'user', content: 'hello' }]
const base = { model: MODEL, max_tokens: 1024, messages: hello }

const readTool: Tool = {
  name: 'read_file',
  description: 'Read a file',
  input_schema: { type: 'object', properties: { path: { type: 'string' } } },
}

/** An assistant turn with two tool uses. */
const toolTurn: MessageParam = {
  role: 'assistant',
  content: [
    { type: 'text', text: 'Reading both.' },
    { type: 'tool_use', id: 'toolu_x', name: 'read_file', input: { path: 'a' } },
    { type: 'tool_use', id: 'toolu_y', name: 'read_file', input: { path: 'b' } },
  ],
}
const results = (...ids: string[]): MessageParam => ({
  role: 'user',
  content: ids.map((id) => ({ type: 'tool_result', tool_use_id: id, content: 'ok' })),
})

async function collect(
  stream: AsyncIterable<RawMessageStreamEvent>,
): Promise<RawMessageStreamEvent[]> {
  const events: RawMessageStreamEvent[] = []
  for await (const event of stream) events.push(event)
  return events
}

async function collectUntilError(
  stream: AsyncIterable<RawMessageStreamEvent>,
): Promise<{ events: RawMessageStreamEvent[]; error: unknown }> {
  const events: RawMessageStreamEvent[] = []
  try {
    for await (const event of stream) events.push(event)
  } catch (error) {
    return { events, error }
  }
  return { events, error: undefined }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject')
}

/** A raw POST /v1/messages, for what the SDK would not send. */
function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${fake.anthropicBaseUrl}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': 'test',
      'anthropic-version': '2023-06-01',
      ...headers,
    },
    body: JSON.stringify(body),
  })
}

describe('streamed replies', () => {
  it('speaks named SSE events: message_start, ping, blocks, message_delta, message_stop', async () => {
    fake.script({ reasoning: ['Let me ', 'think.'], text: ['Hel', 'lo'] })
    const res = await post({ ...base, stream: true })
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(res.headers.get('request-id')).toBe('req_fake_1')
    const frames = (await res.text()).split('\n\n').filter(Boolean)
    const parsed = frames.map((f) => {
      const [eventLine, dataLine] = f.split('\n')
      const data = JSON.parse(dataLine?.replace(/^data: /, '') ?? '') as { type: string }
      return { event: eventLine?.replace(/^event: /, ''), data }
    })
    expect(parsed.every((p) => p.event === p.data.type)).toBe(true)
    // Thinking: start, two thinking_delta, a signature_delta, stop. Text: start, two, stop.
    const block = (deltas: number): string =>
      `content_block_start ${'content_block_delta '.repeat(deltas)}content_block_stop`
    const expected = `message_start ping ${block(3)} ${block(2)} message_delta message_stop`
    expect(parsed.map((p) => p.event).join(' ')).toBe(expected)
    expect(parsed[0]?.data).toMatchObject({
      message: {
        id: expect.stringMatching(/^msg_/) as unknown,
        type: 'message',
        role: 'assistant',
        model: MODEL,
        content: [],
        stop_reason: null,
        usage: {
          input_tokens: expect.any(Number) as unknown,
          output_tokens: 1,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      },
    })
  })

  it('streams thinking (with a signature) and text through raw create({ stream: true })', async () => {
    fake.script({ reasoning: ['Let me ', 'think.'], text: ['Hel', 'lo ', 'there'] })
    const events = await collect(await client.messages.create({ ...base, stream: true }))
    const deltas = events.flatMap((e) => (e.type === 'content_block_delta' ? [e.delta] : []))
    expect(deltas).toEqual([
      { type: 'thinking_delta', thinking: 'Let me ' },
      { type: 'thinking_delta', thinking: 'think.' },
      { type: 'signature_delta', signature: expect.any(String) as unknown },
      { type: 'text_delta', text: 'Hel' },
      { type: 'text_delta', text: 'lo ' },
      { type: 'text_delta', text: 'there' },
    ])
    const starts = events.flatMap((e) => (e.type === 'content_block_start' ? [e] : []))
    expect(starts.map((s) => [s.index, s.content_block.type])).toEqual([
      [0, 'thinking'],
      [1, 'text'],
    ])
    const delta = events.find((e) => e.type === 'message_delta')
    expect(delta).toMatchObject({
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: expect.any(Number) as unknown },
    })
    expect(events.at(-1)?.type).toBe('message_stop')
  })

  it('assembles tool_use input from partial JSON in messages.stream().finalMessage()', async () => {
    const args = { command: 'ls -la', cwd: '/tmp', note: 'quotes " and \\ survive' }
    fake.script({
      text: 'Running.',
      toolCalls: [
        { id: 'toolu_a', name: 'bash', arguments: args },
        { name: 'read_file', arguments: '{"path":"a.txt"}' },
      ],
      argumentChunkSize: 5,
      usage: {
        prompt_tokens: 100,
        completion_tokens: 7,
        prompt_tokens_details: { cached_tokens: 60 },
        cacheWrite: 30,
      },
    })
    const stream = client.messages.stream({ ...base, tools: [readTool] })
    const fragments: string[] = []
    stream.on('inputJson', (partial) => fragments.push(partial))
    const final = await stream.finalMessage()
    expect(final.stop_reason).toBe('tool_use')
    expect(final.content).toEqual([
      { type: 'text', text: 'Running.', citations: null },
      { type: 'tool_use', id: 'toolu_a', name: 'bash', input: args },
      { type: 'tool_use', id: 'toolu_1_1', name: 'read_file', input: { path: 'a.txt' } },
    ])
    expect(fragments.length).toBe(
      Math.ceil(JSON.stringify(args).length / 5) + Math.ceil('{"path":"a.txt"}'.length / 5),
    )
    expect(final.usage).toMatchObject({
      input_tokens: 10,
      output_tokens: 7,
      cache_read_input_tokens: 60,
      cache_creation_input_tokens: 30,
    })
  })

  it('maps finishReason length to max_tokens', async () => {
    fake.script({ text: 'cut sh', finishReason: 'length' })
    const final = await client.messages.stream(base).finalMessage()
    expect(final.stop_reason).toBe('max_tokens')
  })
})

describe('non-streamed replies', () => {
  it('answers with the whole message for the same turn', async () => {
    fake.script({
      reasoning: 'hmm',
      text: ['Done', '.'],
      toolCalls: [{ id: 'toolu_9', name: 'read_file', arguments: { path: 'x' } }],
    })
    const message = await client.messages.create({ ...base, tools: [readTool] })
    expect(message).toMatchObject({
      id: expect.stringMatching(/^msg_/) as unknown,
      type: 'message',
      role: 'assistant',
      model: MODEL,
      stop_reason: 'tool_use',
      stop_sequence: null,
      content: [
        { type: 'thinking', thinking: 'hmm', signature: expect.any(String) as unknown },
        { type: 'text', text: 'Done.' },
        { type: 'tool_use', id: 'toolu_9', name: 'read_file', input: { path: 'x' } },
      ],
    })
  })
})

describe('scripted errors', () => {
  it('429 is a RateLimitError with a readable retry-after header', async () => {
    fake.script({ error: { status: 429, retryAfter: 7 } })
    const err = await rejection(client.messages.create(base))
    expect(err).toBeInstanceOf(Anthropic.RateLimitError)
    const e = err as InstanceType<typeof Anthropic.RateLimitError>
    expect(e.headers.get('retry-after')).toBe('7')
    expect(e.type).toBe('rate_limit_error')
    expect(e.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } })
  })

  it('401 is an AuthenticationError', async () => {
    fake.script({ error: { status: 401 } })
    const err = await rejection(client.messages.create(base))
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError)
    expect((err as InstanceType<typeof Anthropic.APIError>).type).toBe('authentication_error')
  })

  it('529 is an overloaded InternalServerError, 500 an api_error', async () => {
    fake.script({ error: { status: 529 } }, { error: { status: 500 } })
    const overloaded = await rejection(client.messages.create(base))
    expect(overloaded).toBeInstanceOf(Anthropic.InternalServerError)
    expect(overloaded).toBeInstanceOf(Anthropic.OverloadedError)
    expect((overloaded as InstanceType<typeof Anthropic.APIError>).type).toBe('overloaded_error')
    const server = await rejection(client.messages.create(base))
    expect(server).toBeInstanceOf(Anthropic.InternalServerError)
    expect((server as InstanceType<typeof Anthropic.APIError>).type).toBe('api_error')
  })

  it('context overflow is a BadRequestError saying the prompt is too long', async () => {
    fake.script({ error: 'context_overflow' }, { error: { contextOverflow: { limit: 1000 } } })
    const err = await rejection(client.messages.create(base))
    expect(err).toBeInstanceOf(Anthropic.BadRequestError)
    const e = err as InstanceType<typeof Anthropic.APIError>
    expect(e.type).toBe('invalid_request_error')
    expect(e.apiMessage).toBe('prompt is too long: 210000 tokens > 200000 maximum')
    const small = await rejection(client.messages.create(base))
    expect((small as InstanceType<typeof Anthropic.APIError>).apiMessage).toBe(
      'prompt is too long: 11000 tokens > 1000 maximum',
    )
  })

  it('an error mid-stream arrives as event: error, an APIError without a status', async () => {
    fake.script({ text: ['a', 'b', 'c'], streamError: { after: 4 } })
    const stream = await client.messages.create({ ...base, stream: true })
    const { events, error } = await collectUntilError(stream)
    expect(events.map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
    ])
    expect(error).toBeInstanceOf(Anthropic.APIError)
    const e = error as InstanceType<typeof Anthropic.APIError>
    expect(e.status).toBeUndefined()
    expect(e.type).toBe('overloaded_error')
  })
})

describe('validation like the real API', () => {
  async function rejected(messages: MessageParam[], extra: object = {}): Promise<string> {
    const err = await rejection(client.messages.create({ ...base, messages, ...extra }))
    expect(err).toBeInstanceOf(Anthropic.BadRequestError)
    return (err as InstanceType<typeof Anthropic.APIError>).apiMessage ?? ''
  }

  it('rejects a tool_result that answers no tool_use of the previous message', async () => {
    const extra = await rejected([...hello, toolTurn, results('toolu_x', 'toolu_y', 'toolu_z')])
    expect(extra).toMatch(/^messages\.2\.content\.2: unexpected `tool_use_id`.*toolu_z/)
    const orphan = await rejected([results('toolu_x')])
    expect(orphan).toMatch(/^messages\.0\.content\.0: unexpected `tool_use_id`/)
  })

  it('rejects a tool_use that the next message does not answer', async () => {
    const message = await rejected([...hello, toolTurn, results('toolu_y')])
    expect(message).toMatch(
      /^messages\.1: `tool_use` ids were found without `tool_result`.*toolu_x/,
    )
    const late = await rejected([
      ...hello,
      toolTurn,
      { role: 'user', content: 'wait' },
      { role: 'assistant', content: 'ok' },
      results('toolu_x', 'toolu_y'),
    ])
    expect(late).toMatch(/^messages\.1: `tool_use` ids/)
  })

  it('checks the images in a tool_result: a type the API takes, base64 data', async () => {
    const withContent = (content: unknown): MessageParam =>
      ({
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_x', content },
          { type: 'tool_result', tool_use_id: 'toolu_y', content: 'ok' },
        ],
      }) as MessageParam
    const image = (mediaType: string, data: unknown = 'AAAA'): unknown => ({
      type: 'image',
      source: { type: 'base64', media_type: mediaType, data },
    })
    expect(await rejected([...hello, toolTurn, withContent([image('image/tiff')])])).toMatch(
      /^messages\.2\.content\.0\.content\.0\.source\.media_type: Input should be 'image\/jpeg'/,
    )
    expect(await rejected([...hello, toolTurn, withContent([image('image/png', 5)])])).toBe(
      'messages.2.content.0.content.0.source.data: Field required',
    )
    expect(
      await rejected([...hello, toolTurn, withContent([{ type: 'tool_use', id: 'x' }])]),
    ).toMatch(/^messages\.2\.content\.0\.content\.0: Input tag 'tool_use'/)
    // Text then an image of a type it takes: accepted.
    fake.script({ text: 'seen' })
    const ok = await client.messages.create({
      ...base,
      messages: [
        ...hello,
        toolTurn,
        withContent([{ type: 'text', text: 'a pixel' }, image('image/png')]),
      ],
    })
    expect(ok.content).toEqual([expect.objectContaining({ type: 'text', text: 'seen' })])
  })

  it('rejects roles that do not alternate, starting with user', async () => {
    expect(await rejected([...hello, ...hello])).toMatch(/roles must alternate/)
    expect(await rejected([{ role: 'assistant', content: 'hi' }, ...hello])).toBe(
      'messages: first message must use the "user" role',
    )
  })

  it('rejects bad system, tools, empty text and too many cache breakpoints', async () => {
    expect(await rejected([{ role: 'user', content: '' }])).toMatch(/non-empty content/)
    expect(await rejected(hello, { system: [{ type: 'text', text: '' }] })).toMatch(
      /text content blocks must be non-empty/,
    )
    const noSchema = { name: 'read_file', description: 'x' } as unknown as Tool
    expect(await rejected(hello, { tools: [noSchema] })).toBe(
      'tools.0.input_schema: Field required',
    )
    expect(await rejected(hello, { tools: [readTool, readTool] })).toMatch(/must be unique/)
    const cached = {
      type: 'text' as const,
      text: 'x',
      cache_control: { type: 'ephemeral' as const },
    }
    expect(await rejected(hello, { system: [cached, cached, cached, cached, cached] })).toBe(
      'A maximum of 4 blocks with cache_control may be provided. Found 5.',
    )
  })

  it('requires model, a positive max_tokens, messages and the anthropic-version header', async () => {
    const messageOf = async (res: Response): Promise<string> => {
      const body = (await res.json()) as { type: string; error: { type: string; message: string } }
      expect(body.type).toBe('error')
      expect(body.error.type).toBe('invalid_request_error')
      return body.error.message
    }
    expect(await messageOf(await post({ messages: hello, max_tokens: 5 }))).toBe(
      'model: Field required',
    )
    expect(await messageOf(await post({ model: MODEL, messages: hello }))).toBe(
      'max_tokens: Field required',
    )
    expect(await messageOf(await post({ ...base, max_tokens: 0 }))).toMatch(/^max_tokens:/)
    expect(await messageOf(await post({ ...base, messages: [] }))).toMatch(/^messages:/)
    expect(await messageOf(await post(base, { 'anthropic-version': '' }))).toBe(
      'anthropic-version: header is required',
    )
    const noKey = await post(base, { 'x-api-key': '' })
    expect(noKey.status).toBe(401)
    expect(fake.requests.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 401])
    expect(fake.messagesRequests()).toEqual([])
  })

  it('accepts a complete tool round trip with a trailing user message, consuming the turn', async () => {
    fake.script({ text: 'answered' })
    const answered: MessageParam = {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_y', content: 'ok' },
        { type: 'tool_result', tool_use_id: 'toolu_x', content: 'no', is_error: true },
        { type: 'text', text: 'thanks' },
      ],
    }
    const message = await client.messages.create({
      ...base,
      system: 'Be brief.',
      messages: [...hello, toolTurn, answered],
      tools: [readTool],
    })
    expect(message.content).toEqual([{ type: 'text', text: 'answered', citations: null }])
    expect(fake.pending()).toBe(0)
  })
})

describe('broken streams, as the SDK sees them', () => {
  it('a cut stream makes iteration throw after the events sent before the cut', async () => {
    fake.script({ text: ['a', 'b', 'c'], cut: { after: 4 } })
    const stream = await client.messages.create({ ...base, stream: true })
    const { events, error } = await collectUntilError(stream)
    // The ping is sent but the SDK skips it.
    expect(events.map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
    ])
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toBe('terminated')
  })

  it('a cleanly ended stream without message_stop ends iteration quietly', async () => {
    fake.script({ text: ['a', 'b'], cut: { after: 6, clean: true } })
    fake.script({ text: ['a', 'b'], cut: { after: 6, clean: true } })
    const events = await collect(await client.messages.create({ ...base, stream: true }))
    expect(events.at(-1)?.type).toBe('content_block_stop')
    // Only the accumulator notices.
    const err = await rejection(client.messages.stream(base).finalMessage())
    expect((err as Error).message).toBe(
      'stream ended without producing a Message with role=assistant',
    )
  })

  it('a malformed event makes iteration throw a SyntaxError', async () => {
    fake.script({ text: ['a', 'b'], malformed: { after: 3 } })
    const stream = await client.messages.create({ ...base, stream: true })
    const { events, error } = await collectUntilError(stream)
    expect(events.map((e) => e.type)).toEqual(['message_start', 'content_block_start'])
    expect(error).toBeInstanceOf(SyntaxError)
  })

  it('a hanging stream waits until the client aborts', async () => {
    fake.script({ text: ['first', 'never'], hang: true })
    const abort = new AbortController()
    const stream = await client.messages.create({ ...base, stream: true }, { signal: abort.signal })
    const seen: RawMessageStreamEvent[] = []
    for await (const event of stream) {
      seen.push(event)
      abort.abort()
    }
    // The SDK treats its own abort as the end of the stream, not as an error.
    expect(seen.map((e) => e.type)).toEqual(['message_start'])
  })
})

describe('bookkeeping', () => {
  it('records requests with their headers; the key arrives as a bearer token', async () => {
    fake.script({ text: 'ok' })
    await rejection(client.messages.create({ ...base, messages: [] }))
    await client.messages.create({ ...base, stop_sequences: ['END'] })
    const [rejectedRequest, ok] = fake.requests
    expect(rejectedRequest).toMatchObject({ method: 'POST', path: '/v1/messages', status: 400 })
    expect(ok).toMatchObject({ path: '/v1/messages', status: 200 })
    expect(ok?.headers['anthropic-version']).toEqual(expect.any(String))
    // SDK v1 sends apiKey as `Authorization: Bearer`, not `x-api-key`.
    expect(ok?.headers.authorization).toBe('Bearer test')
    expect(ok?.headers['x-api-key']).toBeUndefined()
    expect(fake.messagesRequests()).toEqual([{ ...base, stop_sequences: ['END'] }])
    expect(fake.chatRequests()).toEqual([])
  })

  it('shares one script with the OpenAI endpoint, in arrival order', async () => {
    fake.script({ text: 'from anthropic' }, { text: 'from openai' })
    const openai = new OpenAI({ baseURL: fake.baseUrl, apiKey: 'test', maxRetries: 0 })
    const first = await client.messages.create(base)
    const second = await openai.chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'hi' }],
    })
    expect(first.content).toEqual([{ type: 'text', text: 'from anthropic', citations: null }])
    expect(second.choices[0]?.message.content).toBe('from openai')
    expect(fake.pending()).toBe(0)
  })

  it('answers 500 api_error with a clear message when no scripted turn is left', async () => {
    const err = await rejection(client.messages.create(base))
    expect(err).toBeInstanceOf(Anthropic.InternalServerError)
    expect((err as Error).message).toContain('fake LLM: no scripted turn left for request #1')
  })
})
