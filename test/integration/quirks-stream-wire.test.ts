import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import type { AssistantMessage, RepairRecord, ToolResultRecord } from '../../src/shared/entries'
import { ModelCatalog } from '../../src/main/providers/catalog'
import { createOpenAiCompatibleStream } from '../../src/main/providers/openai-compatible'
import { modelSource } from '../../src/main/providers/presets'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import type { StartFakeLlmOptions } from '../support/fake-llm'
import {
  contentChunks,
  cumulativeArgumentChunks,
  objectArgumentChunks,
  resentArgumentChunks,
  sharedIndexChunks,
  toolCallChunks,
} from '../support/fake-llm'
import { callsSent, logged, repairNotes } from '../support/session-log'

/**
 * Stream-level quirks of open models behind gateways (issue 17, items 2, 4, 5 and 6), each sent
 * at the wire exactly as the gateway sends it and run through the real engine and tools. Each
 * test asserts the effect on disk, what the model was sent next, and the repair entry.
 */

let a: AgentFixture | undefined
afterEach(async () => {
  await a?.close()
  a = undefined
})

async function start(
  opts: { fake?: StartFakeLlmOptions; replayReasoning?: boolean } = {},
): Promise<AgentFixture> {
  const { replayReasoning } = opts
  a = await agentFixture({
    fakeOptions: opts.fake,
    ...(replayReasoning === undefined
      ? {}
      : {
          extra: (fake) => ({
            model: {
              model: 'fake-model',
              stream: createOpenAiCompatibleStream({
                baseUrl: fake.baseUrl,
                apiKey: 'sk-test',
                replayReasoning,
              }),
            },
          }),
        }),
  })
  a.write('a.txt', 'alpha\n')
  return a
}

const results = (f: AgentFixture): ToolResultRecord[] => logged(f, 'tool_result')
const assistants = (f: AgentFixture): AssistantMessage[] => logged(f, 'assistant_message')
const streamRepairs = (f: AgentFixture): RepairRecord['notes'] => repairNotes(f, 'stream')
const kinds = (f: AgentFixture): string[] => streamRepairs(f).map((n) => n.kind)
const file = (f: AgentFixture, rel: string): string => readFileSync(join(f.workspace, rel), 'utf8')

/** The assistant messages with tool calls in request `n` (0-based) the fake accepted. */
function toolCallMessages(
  f: AgentFixture,
  n: number,
): Array<ChatCompletionMessageParam & Record<string, unknown>> {
  const messages = f.fake.chatRequests()[n]!.messages as Array<
    ChatCompletionMessageParam & Record<string, unknown>
  >
  return messages.filter((m) => m.role === 'assistant' && Array.isArray(m.tool_calls))
}

const statuses = (f: AgentFixture): Array<number | null> => f.fake.requests.map((r) => r.status)

describe('reasoning goes back in the field it came in (item 2)', () => {
  it('reasoning_content: a thinking-mode server accepts the follow-up', async () => {
    const f = await start({ fake: { strict: { reasoningContent: 'kimi' } } })
    f.fake.script(
      {
        reasoning: ['The user wants a.txt. ', 'I will read it.'],
        toolCalls: [{ id: 'call_r', name: 'read', arguments: { path: 'a.txt' } }],
      },
      { reasoning: 'It says alpha.', text: 'It says alpha.' },
    )
    expect(await f.run('What is in a.txt?')).toEqual({ reason: 'done' })
    expect(statuses(f)).toEqual([200, 200])
    const [sent] = toolCallMessages(f, 1)
    expect(sent!.reasoning_content).toBe('The user wants a.txt. I will read it.')
    expect(sent).not.toHaveProperty('reasoning')
    expect(assistants(f).map((m) => m.reasoningField)).toEqual([
      'reasoning_content',
      'reasoning_content',
    ])
    expect(results(f)[0]!.content).toContain('alpha')
  })

  it('reasoning: sent back as `reasoning`, for a model the catalog does not know', async () => {
    const f = await start()
    f.fake.script(
      {
        reasoning: 'Read it first.',
        reasoningField: 'reasoning',
        toolCalls: [{ id: 'call_r', name: 'read', arguments: { path: 'a.txt' } }],
      },
      { text: 'alpha' },
    )
    expect(await f.run('What is in a.txt?')).toEqual({ reason: 'done' })
    const [sent] = toolCallMessages(f, 1)
    expect(sent!.reasoning).toBe('Read it first.')
    expect(sent).not.toHaveProperty('reasoning_content')
    expect(assistants(f)[0]!.reasoningField).toBe('reasoning')
  })

  it('is not sent back when the catalog flag turns it off', async () => {
    const f = await start({ replayReasoning: false })
    f.fake.script(
      {
        reasoning: 'Read it first.',
        toolCalls: [{ id: 'call_r', name: 'read', arguments: { path: 'a.txt' } }],
      },
      { text: 'alpha' },
    )
    expect(await f.run('What is in a.txt?')).toEqual({ reason: 'done' })
    const [sent] = toolCallMessages(f, 1)
    expect(sent).not.toHaveProperty('reasoning_content')
    expect(sent).not.toHaveProperty('reasoning')
  })

  it('the catalog turns it off per host (Groq refuses the field), through modelSource', async () => {
    const catalog = new ModelCatalog()
    a = await agentFixture({
      extra: (fake) => ({
        model: modelSource(
          { provider: 'groq', model: 'gpt-oss-120b', baseUrl: fake.baseUrl, apiKey: 'k' },
          catalog,
        ),
      }),
    })
    a.fake.script(
      {
        reasoning: 'Read it first.',
        reasoningField: 'reasoning',
        toolCalls: [{ id: 'call_g', name: 'read', arguments: { path: 'a.txt' } }],
      },
      { text: 'alpha' },
    )
    a.write('a.txt', 'alpha\n')
    expect(await a.run('What is in a.txt?')).toEqual({ reason: 'done' })
    const [sent] = toolCallMessages(a, 1)
    expect(sent).not.toHaveProperty('reasoning')
    expect(catalog.replaysReasoning('gpt-oss-120b', 'openrouter')).toBe(true)
  })

  it.each([
    ['kimi', 'reasoning_content is missing'],
    ['deepseek', 'Missing `reasoning_content` field'],
  ] as const)(
    'a %s 400 naming reasoning_content: sent again with it, once, then from the start',
    async (wording, said) => {
      const f = await start({ fake: { strict: { reasoningContent: wording } } })
      // The first call came without reasoning (thinking was off, or inline): nothing to send back.
      f.fake.script(
        { toolCalls: [{ id: 'call_1', name: 'read', arguments: { path: 'a.txt' } }] },
        {
          reasoning: 'Now b.',
          toolCalls: [{ id: 'call_2', name: 'write', arguments: { path: 'b.txt', content: 'b' } }],
        },
        { text: 'Done.' },
      )
      expect(await f.run('Read a.txt, then write b.txt')).toEqual({ reason: 'done' })
      expect(file(f, 'b.txt')).toBe('b')
      // One refusal, then never again: the model is remembered.
      expect(statuses(f)).toEqual([200, 400, 200, 200])
      expect(JSON.stringify(f.fake.requests[1]!.body)).not.toContain('reasoning_content')
      const retried = toolCallMessages(f, 1)
      expect(retried.map((m) => m.reasoning_content)).toEqual([''])
      const third = toolCallMessages(f, 2)
      expect(third.map((m) => m.reasoning_content)).toEqual(['', 'Now b.'])
      const notes = streamRepairs(f).filter((n) => n.kind === 'reasoning_content_required')
      expect(notes).toHaveLength(1)
      expect(notes[0]!.detail).toContain(said)
    },
  )

  it('a refusal that does not name reasoning_content is not retried', async () => {
    const f = await start()
    f.fake.script({ error: { status: 400, message: 'messages[1]: content is missing' } })
    const end = await f.run('hi')
    expect(end.reason).toBe('error')
    expect(statuses(f)).toEqual([400])
    expect(kinds(f)).toEqual([])
  })
})

describe('arguments re-sent in full, and cumulative deltas (item 4)', () => {
  it('runs a command once when the gateway sends its arguments again in full', async () => {
    const f = await start()
    f.fake.script(
      {
        rawChunks: resentArgumentChunks([
          { id: 'call_b', name: 'bash', arguments: { command: 'echo ran >> log.txt' } },
        ]),
      },
      { text: 'Ran it.' },
    )
    expect(await f.run('Append to log.txt')).toEqual({ reason: 'done' })
    expect(file(f, 'log.txt')).toBe('ran\n')
    expect(callsSent(f, 1).map((c) => [c.id, JSON.parse(c.function.arguments)])).toEqual([
      ['call_b', { command: 'echo ran >> log.txt' }],
    ])
    expect(kinds(f)).toEqual(['resent_arguments'])
  })

  it('takes cumulative deltas (each the whole text so far) as one set of arguments', async () => {
    const f = await start()
    f.fake.script(
      {
        rawChunks: cumulativeArgumentChunks(
          [{ id: 'call_w', name: 'write', arguments: { path: 'out.txt', content: 'hello\n' } }],
          { pieces: 5 },
        ),
      },
      { text: 'Written.' },
    )
    expect(await f.run('Write out.txt')).toEqual({ reason: 'done' })
    expect(file(f, 'out.txt')).toBe('hello\n')
    expect(results(f).map((r) => r.isError)).toEqual([false])
    expect(JSON.parse(callsSent(f, 1)[0]!.function.arguments)).toEqual({
      path: 'out.txt',
      content: 'hello\n',
    })
    expect(kinds(f)).toEqual(['cumulative_arguments'])
  })
})

describe('parallel calls sharing index 0 (item 5)', () => {
  it('a new id starts a new call', async () => {
    const f = await start()
    f.fake.script(
      {
        rawChunks: sharedIndexChunks([
          { id: 'call_x', name: 'read', arguments: { path: 'a.txt' } },
          { id: 'call_y', name: 'write', arguments: { path: 'b.txt', content: 'beta' } },
        ]),
      },
      { text: 'Both done.' },
    )
    expect(await f.run('Read a.txt and write b.txt')).toEqual({ reason: 'done' })
    expect(file(f, 'b.txt')).toBe('beta')
    expect(results(f).map((r) => [r.toolCallId, r.toolName, r.isError])).toEqual([
      ['call_x', 'read', false],
      ['call_y', 'write', false],
    ])
    expect(callsSent(f, 1).map((c) => [c.id, c.function.name])).toEqual([
      ['call_x', 'read'],
      ['call_y', 'write'],
    ])
    expect(kinds(f)).toEqual(['shared_index'])
  })
})

describe('stream parts (item 6)', () => {
  it('a complete call in a stream without finish_reason is a complete turn', async () => {
    const f = await start()
    f.fake.script(
      {
        rawChunks: toolCallChunks(
          [{ id: 'call_n', name: 'write', arguments: { path: 'out.txt', content: 'x' } }],
          { finish: null },
        ),
      },
      { text: 'Written.' },
    )
    expect(await f.run('Write out.txt')).toEqual({ reason: 'done' })
    expect(file(f, 'out.txt')).toBe('x')
    expect(f.sleeps).toEqual([])
    expect(statuses(f)).toEqual([200, 200])
    expect(callsSent(f, 1).map((c) => c.id)).toEqual(['call_n'])
    expect(kinds(f)).toEqual(['missing_finish_reason'])
  })

  it('a text answer without finish_reason counts when the server reported usage', async () => {
    const f = await start()
    f.fake.script({ rawChunks: contentChunks(['All ', 'done.'], { finish: null }) })
    expect(await f.run('hi')).toEqual({ reason: 'done' })
    expect(assistants(f).map((m) => m.content)).toEqual(['All done.'])
    expect(f.sleeps).toEqual([])
    expect(kinds(f)).toEqual(['missing_finish_reason'])
  })

  it('a text stream cut off cleanly (no finish, no usage) is still retried', async () => {
    const f = await start()
    f.fake.script(
      {
        rawChunks: contentChunks(['All ', 'do'], { finish: null }),
        cut: { after: 3, clean: true },
      },
      { text: 'All done.' },
    )
    expect(await f.run('hi')).toEqual({ reason: 'done' })
    expect(f.sleeps).toHaveLength(1)
    expect(assistants(f).map((m) => m.content)).toEqual(['All done.'])
    expect(kinds(f)).toEqual([])
  })

  it('an incomplete call without finish_reason is still an error that is retried', async () => {
    const f = await start()
    f.fake.script(
      {
        rawChunks: toolCallChunks(
          [{ id: 'call_i', name: 'write', arguments: '{"path":"out.txt","con' }],
          { finish: null },
        ),
      },
      {
        toolCalls: [{ id: 'call_j', name: 'write', arguments: { path: 'out.txt', content: 'y' } }],
      },
      { text: 'Written.' },
    )
    expect(await f.run('Write out.txt')).toEqual({ reason: 'done' })
    expect(f.sleeps).toHaveLength(1)
    expect(file(f, 'out.txt')).toBe('y')
    expect(results(f).map((r) => r.toolCallId)).toEqual(['call_j'])
  })

  it('accepts arguments sent as a JSON object instead of a string', async () => {
    const f = await start()
    f.fake.script(
      {
        rawChunks: objectArgumentChunks([
          { id: 'call_o', name: 'write', arguments: { path: 'out.txt', content: 'obj' } },
        ]),
      },
      { text: 'Written.' },
    )
    expect(await f.run('Write out.txt')).toEqual({ reason: 'done' })
    expect(file(f, 'out.txt')).toBe('obj')
    const [sent] = callsSent(f, 1)
    expect(typeof sent!.function.arguments).toBe('string')
    expect(JSON.parse(sent!.function.arguments)).toEqual({
      path: 'out.txt',
      content: 'obj',
    })
    expect(kinds(f)).toEqual(['object_arguments'])
  })

  it('marks a call cut off at the output limit (finish_reason "length") as truncated', async () => {
    const f = await start()
    f.fake.script(
      {
        rawChunks: toolCallChunks(
          [
            { id: 'call_ok', name: 'read', arguments: { path: 'a.txt' } },
            { id: 'call_cut', name: 'write', arguments: '{"path":"out.txt","content":"hel' },
          ],
          { finish: 'length' },
        ),
      },
      { text: 'Stopping.' },
    )
    expect(await f.run('Read a.txt and write out.txt')).toEqual({ reason: 'done' })
    const [first] = assistants(f)
    expect(first!.finishReason).toBe('length')
    expect(first!.toolCalls.map((c) => [c.id, c.truncated])).toEqual([
      ['call_ok', undefined],
      ['call_cut', true],
    ])
    expect(kinds(f)).toEqual(['truncated_call'])
    expect(streamRepairs(f)[0]!.detail).toContain('output limit')
  })

  it('splits reasoning before a lone </think> (a template pre-filled <think>) out', async () => {
    const f = await start()
    f.fake.script(
      {
        rawChunks: contentChunks(['The user wants ', 'a greeting.\n</th', 'ink>\n\nHello!']),
      },
      { text: 'Hello again.' },
    )
    expect(await f.run('Say hello')).toEqual({ reason: 'done' })
    const [first] = assistants(f)
    expect(first!.content).toBe('Hello!')
    expect(first!.reasoning).toBe('The user wants a greeting.\n')
    expect(kinds(f)).toEqual(['think_prefill'])
    // What the model is told next: the answer only.
    expect(await f.run('Again')).toEqual({ reason: 'done' })
    const messages = f.fake.chatRequests()[1]!.messages as ChatCompletionMessageParam[]
    expect(messages.find((m) => m.role === 'assistant')).toMatchObject({ content: 'Hello!' })
    expect(JSON.stringify(messages)).not.toContain('think>')
  })

  it('splits a pre-filled reasoning out of a turn that calls a tool', async () => {
    const f = await start()
    f.fake.script(
      {
        rawChunks: toolCallChunks([{ id: 'call_t', name: 'read', arguments: { path: 'a.txt' } }], {
          text: ['I should read a.txt.', '</think>'],
        }),
      },
      { text: 'alpha' },
    )
    expect(await f.run('What is in a.txt?')).toEqual({ reason: 'done' })
    const [first] = assistants(f)
    expect([first!.content, first!.reasoning]).toEqual(['', 'I should read a.txt.'])
    expect(results(f)[0]!.content).toContain('alpha')
    const [sent] = toolCallMessages(f, 1)
    expect(sent!.content).toBeNull()
  })
})
