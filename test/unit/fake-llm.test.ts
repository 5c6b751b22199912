import OpenAI from 'openai'
import type {
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'

let fake: FakeLlm
let client: OpenAI

beforeEach(async () => {
  fake = await startFakeLlm()
  // logLevel off: the SDK logs unparsable SSE data before throwing; the test asserts the throw.
  client = new OpenAI({ baseURL: fake.baseUrl, apiKey: 'test', maxRetries: 0, logLevel: 'off' })
})

afterEach(async () => {
  await fake.close()
})

const MODEL = 'gpt-test'
const user = (content: string): ChatCompletionMessageParam => ({ role: 'user', content })
const hello: ChatCompletionMessageParam[] = [user('hello')]

const readTool: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'read_file',
    description: 'Read a file',
    parameters: { type: 'object', properties: { path: { type: 'string' } } },
  },
}

/** An assistant turn with two tool calls, and the tool message answering one call by id. */
const toolTurn: ChatCompletionMessageParam = {
  role: 'assistant',
  content: null,
  tool_calls: [
    { id: 'call_x', type: 'function', function: { name: 'read_file', arguments: '{}' } },
    { id: 'call_y', type: 'function', function: { name: 'read_file', arguments: '{}' } },
  ],
}
const result = (id: string): ChatCompletionMessageParam => ({
  role: 'tool',
  tool_call_id: id,
  content: 'ok',
})

/** The SDK's delta type has no `reasoning_content`; providers that reason send it anyway. */
type Delta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string }

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

/** Collects until the stream throws; returns what arrived and the error (undefined if none). */
async function collectUntilError(
  stream: AsyncIterable<ChatCompletionChunk>,
): Promise<{ chunks: ChatCompletionChunk[]; error: unknown }> {
  const chunks: ChatCompletionChunk[] = []
  try {
    for await (const chunk of stream) chunks.push(chunk)
  } catch (error) {
    return { chunks, error }
  }
  return { chunks, error: undefined }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject')
}

function deltas(chunks: ChatCompletionChunk[]): Delta[] {
  return chunks.flatMap((c) => c.choices.map((choice) => choice.delta as Delta))
}

describe('streamed replies', () => {
  it('streams reasoning and text chunks, a finish reason and a usage chunk', async () => {
    fake.script({ reasoning: ['Let me ', 'think.'], text: ['Hel', 'lo ', 'there'] })
    const { data: stream, response } = await client.chat.completions
      .create({
        model: MODEL,
        messages: hello,
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse()
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const chunks = await collect(stream)

    const ds = deltas(chunks)
    expect(ds[0]).toMatchObject({ role: 'assistant' })
    expect(ds.flatMap((d) => (d.reasoning_content ? [d.reasoning_content] : []))).toEqual([
      'Let me ',
      'think.',
    ])
    expect(ds.flatMap((d) => (d.content ? [d.content] : []))).toEqual(['Hel', 'lo ', 'there'])
    const withChoice = chunks.filter((c) => c.choices.length > 0)
    expect(withChoice.at(-1)?.choices[0]?.finish_reason).toBe('stop')
    expect(withChoice.slice(0, -1).every((c) => c.choices[0]?.finish_reason === null)).toBe(true)

    const last = chunks.at(-1)
    expect(last?.choices).toEqual([])
    expect(last?.usage?.prompt_tokens).toBeGreaterThan(0)
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0)
    expect(last?.usage?.total_tokens).toBe(
      (last?.usage?.prompt_tokens ?? 0) + (last?.usage?.completion_tokens ?? 0),
    )

    const ids = new Set(chunks.map((c) => c.id))
    expect(ids.size).toBe(1)
    expect([...ids][0]).toMatch(/^chatcmpl-/)
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === MODEL)).toBe(
      true,
    )
    expect(chunks.every((c) => Number.isInteger(c.created))).toBe(true)
  })

  it('sends no usage chunk unless include_usage is asked for, and uses scripted usage', async () => {
    fake.script({ text: 'hi' }, { text: 'hi', usage: { prompt_tokens: 11, completion_tokens: 3 } })
    const plain = await collect(
      await client.chat.completions.create({ model: MODEL, messages: hello, stream: true }),
    )
    expect(plain.every((c) => c.choices.length === 1 && c.usage === undefined)).toBe(true)

    const withUsage = await collect(
      await client.chat.completions.create({
        model: MODEL,
        messages: hello,
        stream: true,
        stream_options: { include_usage: true },
      }),
    )
    expect(withUsage.at(-1)?.usage).toMatchObject({
      prompt_tokens: 11,
      completion_tokens: 3,
      total_tokens: 14,
      prompt_tokens_details: { cached_tokens: 0 },
    })
  })

  it('splits tool call arguments into deltas shaped like the real API', async () => {
    const args = '{"path":"src/main/index.ts","limit":200}'
    fake.script({
      text: 'Reading.',
      toolCalls: [
        { id: 'call_a', name: 'read_file', arguments: args },
        { name: 'read_file', arguments: { path: 'README.md' } },
      ],
      argumentChunkSize: 7,
    })
    const chunks = await collect(
      await client.chat.completions.create({
        model: MODEL,
        messages: hello,
        tools: [readTool],
        stream: true,
      }),
    )
    const calls = deltas(chunks).flatMap((d) => d.tool_calls ?? [])
    const first = calls.filter((c) => c.index === 0)
    expect(first[0]).toEqual({
      index: 0,
      id: 'call_a',
      type: 'function',
      function: { name: 'read_file', arguments: '' },
    })
    expect(first.length).toBe(1 + Math.ceil(args.length / 7))
    for (const later of first.slice(1)) {
      expect(Object.keys(later).sort()).toEqual(['function', 'index'])
      expect(Object.keys(later.function ?? {})).toEqual(['arguments'])
    }
    expect(first.map((c) => c.function?.arguments ?? '').join('')).toBe(args)

    const second = calls.filter((c) => c.index === 1)
    expect(second[0]?.id).toMatch(/^call_/)
    expect(second.map((c) => c.function?.arguments ?? '').join('')).toBe('{"path":"README.md"}')
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls')
  })

  it("reassembles through the SDK's own accumulator (chat.completions.stream)", async () => {
    const args = { command: 'ls -la', cwd: '/tmp', note: 'quotes " and \\ survive' }
    fake.script({
      toolCalls: [
        { id: 'call_1', name: 'bash', arguments: args },
        { id: 'call_2', name: 'read_file', arguments: '{"path":"a.txt"}' },
      ],
    })
    const stream = client.chat.completions.stream({
      model: MODEL,
      messages: hello,
      tools: [readTool],
    })
    const final = await stream.finalChatCompletion()
    const choice = final.choices[0]
    expect(choice?.finish_reason).toBe('tool_calls')
    expect(choice?.message.content).toBeNull()
    expect(choice?.message.tool_calls).toEqual([
      {
        id: 'call_1',
        type: 'function',
        function: { name: 'bash', arguments: JSON.stringify(args) },
      },
      {
        id: 'call_2',
        type: 'function',
        function: { name: 'read_file', arguments: '{"path":"a.txt"}' },
      },
    ])
  })
})

describe('non-streamed replies', () => {
  it('answers with a chat.completion object for the same turn', async () => {
    fake.script({
      reasoning: 'hmm',
      text: ['Done', '.'],
      toolCalls: [{ id: 'call_9', name: 'read_file', arguments: { path: 'x' } }],
      finishReason: 'stop',
    })
    const completion = await client.chat.completions.create({ model: MODEL, messages: hello })
    expect(completion.object).toBe('chat.completion')
    expect(completion.model).toBe(MODEL)
    expect(completion.id).toMatch(/^chatcmpl-/)
    const choice = completion.choices[0]
    expect(choice?.finish_reason).toBe('stop')
    expect(choice?.message.role).toBe('assistant')
    expect(choice?.message.content).toBe('Done.')
    expect((choice?.message as { reasoning_content?: string }).reasoning_content).toBe('hmm')
    expect(choice?.message.tool_calls).toEqual([
      {
        id: 'call_9',
        type: 'function',
        function: { name: 'read_file', arguments: '{"path":"x"}' },
      },
    ])
    expect(completion.usage?.total_tokens).toBeGreaterThan(0)
  })
})

describe('scripted errors', () => {
  it('429 is a RateLimitError with a readable retry-after header', async () => {
    fake.script({ error: { status: 429, retryAfter: 7 } })
    const err = await rejection(client.chat.completions.create({ model: MODEL, messages: hello }))
    expect(err).toBeInstanceOf(OpenAI.RateLimitError)
    const rate = err as InstanceType<typeof OpenAI.RateLimitError>
    expect(rate.status).toBe(429)
    expect(rate.headers.get('retry-after')).toBe('7')
    expect(rate.code).toBe('rate_limit_exceeded')
    expect(rate.error).toMatchObject({ type: 'requests', param: null, code: 'rate_limit_exceeded' })
  })

  it('401 is an AuthenticationError with code invalid_api_key', async () => {
    fake.script({ error: { status: 401 } })
    const err = await rejection(
      client.chat.completions.create({ model: MODEL, messages: hello, stream: true }),
    )
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError)
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('invalid_api_key')
  })

  it('500 is an InternalServerError', async () => {
    fake.script({ error: { status: 500 } })
    const err = await rejection(client.chat.completions.create({ model: MODEL, messages: hello }))
    expect(err).toBeInstanceOf(OpenAI.InternalServerError)
    expect((err as InstanceType<typeof OpenAI.APIError>).type).toBe('server_error')
  })

  it('context overflow is a BadRequestError with code context_length_exceeded', async () => {
    fake.script({ error: 'context_overflow' }, { error: { contextOverflow: { limit: 1000 } } })
    const err = await rejection(client.chat.completions.create({ model: MODEL, messages: hello }))
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    const bad = err as InstanceType<typeof OpenAI.BadRequestError>
    expect(bad.code).toBe('context_length_exceeded')
    expect(bad.param).toBe('messages')
    expect(bad.message).toContain("This model's maximum context length is 128000 tokens")
    const second = await rejection(
      client.chat.completions.create({ model: MODEL, messages: hello }),
    )
    expect((second as Error).message).toContain('maximum context length is 1000 tokens')
  })

  it('a generic status carries the scripted body', async () => {
    fake.script({
      error: { status: 403, body: { error: { message: 'region blocked', code: 'unsupported' } } },
    })
    const err = await rejection(client.chat.completions.create({ model: MODEL, messages: hello }))
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError)
    expect((err as Error).message).toContain('region blocked')
  })
})

describe('validation like the real API', () => {
  async function badRequest(
    messages: ChatCompletionMessageParam[],
  ): Promise<InstanceType<typeof OpenAI.BadRequestError>> {
    const err = await rejection(client.chat.completions.create({ model: MODEL, messages }))
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    return err as InstanceType<typeof OpenAI.BadRequestError>
  }

  beforeEach(() => {
    fake.script({ text: 'the scripted turn' })
  })

  afterEach(() => {
    // A rejected request must not have eaten the turn.
    expect(fake.pending()).toBe(1)
  })

  it('rejects a tool message whose call is not in the history', async () => {
    const err = await badRequest([user('hi'), result('call_nowhere')])
    expect(err.message).toContain(
      "messages with role 'tool' must be a response to a preceeding message with 'tool_calls'",
    )
    expect(err.param).toBe('messages.[1].role')
    expect(err.error).toMatchObject({ type: 'invalid_request_error' })
  })

  it('rejects a tool result that comes after the next user message', async () => {
    const err = await badRequest([
      user('hi'),
      toolTurn,
      result('call_x'),
      user('?'),
      result('call_y'),
    ])
    expect(err.message).toContain('did not have response messages: call_y')
  })

  it('rejects an assistant tool call without a following tool result', async () => {
    const err = await badRequest([user('hi'), toolTurn, result('call_y')])
    expect(err.message).toContain(
      "An assistant message with 'tool_calls' must be followed by tool messages responding to " +
        "each 'tool_call_id'. The following tool_call_ids did not have response messages: call_x",
    )
    expect(err.param).toBe('messages.[1].role')
  })

  it('takes image parts in user messages only', async () => {
    const image = { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,AAAA' } }
    const inTool = {
      role: 'tool',
      tool_call_id: 'call_x',
      content: [image],
    } as unknown as ChatCompletionMessageParam
    const err = await badRequest([user('hi'), toolTurn, inTool, result('call_y')])
    expect(err.message).toContain(
      "Image URLs are only allowed for messages with role 'user', but this message with role 'tool' contains an image URL.",
    )
    expect(err.param).toBe('messages[2].content[0]')
    const noUrl = { role: 'user', content: [{ type: 'image_url', image_url: {} }] }
    expect((await badRequest([noUrl as ChatCompletionMessageParam])).param).toBe(
      'messages[0].content[0].image_url.url',
    )
    // In a user message, it is taken.
    await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'see' }, image] }],
    })
    fake.script({ text: 'the scripted turn' })
  })

  it('rejects malformed messages and tools', async () => {
    const noRole = { content: 'hi' } as unknown as ChatCompletionMessageParam
    const err = await badRequest([noRole])
    expect(err.param).toBe('messages[0].role')
    expect(err.code).toBe('missing_required_parameter')

    const badRole = { role: 'robot', content: 'hi' } as unknown as ChatCompletionMessageParam
    expect((await badRequest([badRole])).code).toBe('invalid_value')

    const objectArgs = {
      role: 'assistant',
      tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: { a: 1 } } }],
    } as unknown as ChatCompletionMessageParam
    const typed = await badRequest([user('hi'), objectArgs, result('c')])
    expect(typed.param).toBe('messages[1].tool_calls[0].function.arguments')
    expect(typed.code).toBe('invalid_type')

    expect((await badRequest([])).code).toBe('empty_array')

    const badTools = [{ type: 'function', function: { description: 'x' } }]
    const toolErr = await rejection(
      client.chat.completions.create({
        model: MODEL,
        messages: hello,
        tools: badTools as unknown as ChatCompletionTool[],
      }),
    )
    expect(toolErr).toBeInstanceOf(OpenAI.BadRequestError)
    expect((toolErr as InstanceType<typeof OpenAI.APIError>).param).toBe('tools[0].function.name')
  })

  it('answers 404 for other paths and 400 for a body that is not JSON', async () => {
    const notFound = await fetch(`${fake.baseUrl}/models`)
    expect(notFound.status).toBe(404)
    expect(await notFound.json()).toEqual({
      error: {
        message: 'Invalid URL (GET /v1/models)',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    })
    const notJson = await fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":',
    })
    expect(notJson.status).toBe(400)
    expect(fake.requests.map((r) => r.status)).toEqual([404, 400])
  })
})

describe('broken streams, as the SDK sees them', () => {
  it('a cut stream makes iteration throw after the chunks sent before the cut', async () => {
    fake.script({ text: ['a', 'b', 'c'], cut: { after: 2 } })
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: hello,
      stream: true,
    })
    const { chunks, error } = await collectUntilError(stream)
    expect(deltas(chunks).map((d) => d.content)).toEqual(['', 'a'])
    expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false)
    // Not an OpenAI.APIConnectionError: undici's own "terminated" TypeError comes through.
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toBe('terminated')
    expect((error as Error).cause).toMatchObject({ code: 'UND_ERR_SOCKET' })
  })

  it('the SDK stream helper rejects on a cut too', async () => {
    fake.script({
      toolCalls: [{ name: 'read_file', arguments: '{"path":"x"}' }],
      cut: { after: 2 },
    })
    const stream = client.chat.completions.stream({ model: MODEL, messages: hello })
    const err = await rejection(stream.finalChatCompletion())
    expect(err).toBeInstanceOf(OpenAI.OpenAIError)
    expect((err as Error).message).toBe('terminated')
  })

  it('a cleanly ended stream without [DONE] ends iteration quietly, with no finish_reason', async () => {
    fake.script({ text: ['a', 'b', 'c'], cut: { after: 3, clean: true } })
    fake.script({ text: ['a', 'b', 'c'], cut: { after: 3, clean: true } })
    const chunks = await collect(
      await client.chat.completions.create({ model: MODEL, messages: hello, stream: true }),
    )
    expect(deltas(chunks).map((d) => d.content)).toEqual(['', 'a', 'b'])
    expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false)
    // Only the accumulator notices.
    const helper = client.chat.completions.stream({ model: MODEL, messages: hello })
    const err = await rejection(helper.finalChatCompletion())
    expect((err as Error).message).toBe('missing finish_reason for choice 0')
  })

  it('a malformed chunk makes iteration throw a SyntaxError', async () => {
    fake.script({ text: ['a', 'b'], malformed: { after: 2 } })
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: hello,
      stream: true,
    })
    const { chunks, error } = await collectUntilError(stream)
    expect(chunks).toHaveLength(2)
    expect(error).toBeInstanceOf(SyntaxError)
  })

  it('a hanging stream waits until the client aborts; close() ends open sockets', async () => {
    fake.script({ text: ['first', 'never'], hang: true }, { text: ['first', 'never'], hang: true })
    const abort = new AbortController()
    const stream = await client.chat.completions.create(
      { model: MODEL, messages: hello, stream: true },
      { signal: abort.signal },
    )
    const seen: ChatCompletionChunk[] = []
    for await (const chunk of stream) {
      seen.push(chunk)
      abort.abort()
    }
    // The SDK treats its own abort as the end of the stream, not as an error.
    expect(seen).toHaveLength(1)

    const hanging = await client.chat.completions.create({
      model: MODEL,
      messages: hello,
      stream: true,
    })
    const iterator = hanging[Symbol.asyncIterator]()
    expect((await iterator.next()).done).toBe(false)
    const rest = iterator.next()
    await fake.close() // closing twice (again in afterEach) is harmless
    expect(await rejection(rest)).toBeInstanceOf(TypeError)
  })
})

describe('bookkeeping', () => {
  it('accepts a complete tool round trip, which then consumes the turn', async () => {
    fake.script({ text: 'answered' })
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [user('hi'), toolTurn, result('call_y'), result('call_x'), user('thanks')],
      tools: [readTool],
    })
    expect(completion.choices[0]?.message.content).toBe('answered')
    expect(fake.pending()).toBe(0)
  })

  it('records every request with its body, rejected ones included', async () => {
    fake.script({ text: 'ok' })
    await rejection(client.chat.completions.create({ model: MODEL, messages: [] }))
    await client.chat.completions.create({ model: MODEL, messages: hello, temperature: 0.2 })

    expect(fake.requests).toHaveLength(2)
    const [rejected, ok] = fake.requests
    expect(rejected).toMatchObject({ method: 'POST', path: '/v1/chat/completions', status: 400 })
    expect(ok).toMatchObject({
      path: '/v1/chat/completions',
      status: 200,
      body: { model: MODEL, messages: hello, temperature: 0.2 },
    })
    expect(ok?.headers.authorization).toBe('Bearer test')
    expect(ok?.at).toBeGreaterThanOrEqual(rejected?.at ?? Infinity)
    expect(fake.chatRequests()).toEqual([{ model: MODEL, messages: hello, temperature: 0.2 }])
  })

  it('answers 500 with a clear message when no scripted turn is left', async () => {
    fake.script({ text: 'only one' })
    await client.chat.completions.create({ model: MODEL, messages: hello })
    const err = await rejection(client.chat.completions.create({ model: MODEL, messages: hello }))
    expect(err).toBeInstanceOf(OpenAI.InternalServerError)
    expect((err as Error).message).toContain('fake LLM: no scripted turn left for request #2')
  })
})
