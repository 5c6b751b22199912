import { afterEach, describe, expect, it } from 'vitest'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { runCliIn } from '../support/cli-in-process'
import { chunk } from '../support/fake-llm'

/**
 * `paddock models quirks`: the repairs each model needed, counted from the session logs. The
 * quirks are sent at the wire by the fake and repaired by the real engine; the report reads what
 * the runs recorded.
 */

let a: AgentFixture | undefined
afterEach(async () => {
  await a?.close()
  a = undefined
})

function cli(f: AgentFixture, ...args: string[]): ReturnType<typeof runCliIn> {
  return runCliIn(f.fx.dataDir, args, { cwd: f.workspace })
}

/** A run whose answers needed a stream repair and three argument repairs over two calls. */
async function quirkyRun(f: AgentFixture): Promise<void> {
  f.write('a.txt', 'alpha\n')
  f.fake.script(
    {
      // Deltas without an index (a stream repair), a name in capitals and a trailing comma.
      rawChunks: [
        chunk({
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'READ', arguments: '' } },
          ],
        }),
        chunk({ tool_calls: [{ function: { arguments: '{"path": "a.txt",}' } }] }),
        chunk({}, 'tool_calls'),
      ],
    },
    // Arguments wrapped in {"input": …}.
    { toolCalls: [{ name: 'write', arguments: '{"input": {"path": "b.txt", "content": "b"}}' }] },
    { text: 'Done.' },
  )
  expect(await f.run('Read a.txt, write b.txt')).toEqual({ reason: 'done' })
}

describe('paddock models quirks', () => {
  it('counts each model’s repairs by kind, with the calls and answers they were among', async () => {
    a = await agentFixture()
    await quirkyRun(a)

    const json = await cli(a, 'models', 'quirks', '--json')
    expect(json.stderr).toBe('')
    expect(json.status).toBe(0)
    const report = JSON.parse(json.stdout) as { models: Array<Record<string, unknown>> }
    expect(report.models).toHaveLength(1)
    const [m] = report.models
    expect(m).toMatchObject({
      model: 'fake-model',
      answers: 3,
      toolCalls: 2,
      repairs: 4,
      repairedCalls: 2,
    })
    const kinds = (m!.kinds as Array<Record<string, unknown>>).map((k) => [
      k.source,
      k.kind,
      k.count,
    ])
    expect(kinds).toEqual([
      ['arguments', 'lenient_json', 1],
      ['arguments', 'tool_name', 1],
      ['arguments', 'unwrapped', 1],
      ['stream', 'missing_index', 1],
    ])
    const lenient = (m!.kinds as Array<Record<string, unknown>>)[0]!
    expect(lenient.example).toMatch(/trailing commas/)
    expect(typeof lenient.lastAt).toBe('number')

    // The same report through the contract, for clients.
    expect(await a.fx.call('models.quirks', {})).toEqual(report)

    const text = await cli(a, 'models', 'quirks')
    expect(text.status).toBe(0)
    expect(text.stdout).toBe(
      'fake-model: 4 repairs (2 tool calls in 3 answers, 2 calls repaired)\n' +
        `  1  arguments  lenient_json   e.g. ${String(lenient.example)}\n` +
        `  1  arguments  tool_name      e.g. tool name "READ" → read\n` +
        `  1  arguments  unwrapped      e.g. ${String((m!.kinds as Array<Record<string, unknown>>)[2]!.example)}\n` +
        '  1  stream     missing_index  e.g. tool call deltas came without an index\n',
    )
  })

  it('filters by model, and says when nothing is recorded', async () => {
    a = await agentFixture()
    const empty = await cli(a, 'models', 'quirks')
    expect(empty).toMatchObject({
      status: 0,
      stdout: 'No model answers are recorded in this data folder yet.\n',
    })
    expect(JSON.parse((await cli(a, 'models', 'quirks', '--json')).stdout)).toEqual({ models: [] })

    await quirkyRun(a)
    const other = await cli(a, 'models', 'quirks', '--model', 'kimi-k2')
    expect(other.stdout).toBe('No answers from kimi-k2 are recorded in this data folder.\n')
    const only = JSON.parse(
      (await cli(a, 'models', 'quirks', '--model', 'fake-model', '--json')).stdout,
    ) as { models: Array<{ model: string; repairs: number }> }
    expect(only.models.map((m) => [m.model, m.repairs])).toEqual([['fake-model', 4]])
  })

  it('lists a model whose answers needed no repair', async () => {
    a = await agentFixture()
    a.fake.script({ text: 'Hello.' })
    expect(await a.run('Hi')).toEqual({ reason: 'done' })
    const text = await cli(a, 'models', 'quirks')
    expect(text.stdout).toBe('fake-model: no repairs (0 tool calls in 1 answer)\n')
  })
})
