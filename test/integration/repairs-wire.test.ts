import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { RepairPayload, ToolResultPayload } from '../../src/shared/entries'
import { builtinTools, eraseTool } from '../../src/main/tools/registry'
import type { Tool } from '../../src/main/tools/types'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'

let a: AgentFixture
afterEach(async () => {
  await a?.close()
})

/** A tool with array, object, number and boolean fields, so every repair has something to fix. */
const collectSchema = z
  .object({
    paths: z.array(z.string()),
    n: z.number().optional(),
    flag: z.boolean().optional(),
    opts: z.object({ a: z.string() }).strict().optional(),
  })
  .strict()
const collect: Tool<z.infer<typeof collectSchema>> = {
  name: 'collect',
  description: 'Collect paths (test tool).',
  schema: collectSchema,
  effect: () => ({ kind: 'read' }),
  execute: async (input) => ({ content: `collected ${JSON.stringify(input)}`, isError: false }),
}

interface Case {
  what: string
  name: string
  /** Exactly what the model sent, as the arguments string on the wire. */
  args: string
  kind: string
  /** The input the tool must have received. */
  received: unknown
}

const CASES: Case[] = [
  {
    what: 'a tool name in another case',
    name: 'COLLECT',
    args: '{"paths":["a"]}',
    kind: 'tool_name',
    received: { paths: ['a'] },
  },
  {
    what: 'a tool name with separators',
    name: 'col-lect',
    args: '{"paths":["a"]}',
    kind: 'tool_name',
    received: { paths: ['a'] },
  },
  {
    what: 'trailing commas',
    name: 'collect',
    args: '{"paths":["a",],}',
    kind: 'lenient_json',
    received: { paths: ['a'] },
  },
  {
    what: 'single quotes',
    name: 'collect',
    args: "{'paths': ['a']}",
    kind: 'lenient_json',
    received: { paths: ['a'] },
  },
  {
    what: 'a fenced json block',
    name: 'collect',
    args: '```json\n{"paths": ["a"]}\n```',
    kind: 'lenient_json',
    received: { paths: ['a'] },
  },
  {
    what: 'an {"input": …} wrapper',
    name: 'collect',
    args: '{"input":{"paths":["a"]}}',
    kind: 'unwrapped',
    received: { paths: ['a'] },
  },
  {
    what: 'an {"arguments": "<json>"} wrapper',
    name: 'collect',
    args: '{"arguments":"{\\"paths\\":[\\"a\\"]}"}',
    kind: 'unwrapped',
    received: { paths: ['a'] },
  },
  {
    what: 'a {"parameters": …} wrapper',
    name: 'collect',
    args: '{"parameters":{"paths":["a"]}}',
    kind: 'unwrapped',
    received: { paths: ['a'] },
  },
  {
    what: 'null for an optional field',
    name: 'collect',
    args: '{"paths":["a"],"n":null}',
    kind: 'null_omitted',
    received: { paths: ['a'] },
  },
  {
    what: 'an array sent as a JSON string',
    name: 'collect',
    args: '{"paths":"[\\"a\\",\\"b\\"]"}',
    kind: 'json_string_parsed',
    received: { paths: ['a', 'b'] },
  },
  {
    what: 'an object sent as a JSON string',
    name: 'collect',
    args: '{"paths":["a"],"opts":"{\\"a\\":\\"x\\"}"}',
    kind: 'json_string_parsed',
    received: { paths: ['a'], opts: { a: 'x' } },
  },
  {
    what: 'a number sent as a string',
    name: 'collect',
    args: '{"paths":["a"],"n":"3"}',
    kind: 'coerced',
    received: { paths: ['a'], n: 3 },
  },
  {
    what: 'a boolean sent as a string',
    name: 'collect',
    args: '{"paths":["a"],"flag":"true"}',
    kind: 'coerced',
    received: { paths: ['a'], flag: true },
  },
  {
    what: 'a single value for an array',
    name: 'collect',
    args: '{"paths":"a"}',
    kind: 'wrapped_in_array',
    received: { paths: ['a'] },
  },
  {
    what: 'an unknown extra key',
    name: 'collect',
    args: '{"paths":["a"],"verbose":true}',
    kind: 'dropped_unknown_key',
    received: { paths: ['a'] },
  },
]

describe('tool calls repaired at the wire', () => {
  for (const c of CASES) {
    it(`repairs ${c.what}, records it, and the session completes`, async () => {
      a = await agentFixture({ extra: { tools: [...builtinTools(), eraseTool(collect)] } })
      a.fake.script({ toolCalls: [{ name: c.name, arguments: c.args }] }, { text: 'ok' })
      expect(await a.run('Collect')).toEqual({ reason: 'done' })
      const branch = a.fx.engine.store.branch(a.sessionId)
      const [result] = branch
        .filter((e) => e.type === 'tool_result')
        .map((e) => ToolResultPayload.parse(e.payload))
      expect(result!.isError).toBe(false)
      expect(result!.content).toBe(`collected ${JSON.stringify(c.received)}`)
      const repairs = branch
        .filter((e) => e.type === 'repair')
        .map((e) => RepairPayload.parse(e.payload))
      expect(repairs).toHaveLength(1)
      expect(repairs[0]!.source).toBe('arguments')
      expect(repairs[0]!.notes.map((n) => n.kind)).toContain(c.kind)
      // The provider accepted the follow-up request that carries the result.
      expect(a.fake.requests.at(-1)!.status).toBe(200)
    })
  }

  it('lists each invalid field when a call cannot be repaired, and the session still completes', async () => {
    a = await agentFixture({ extra: { tools: [...builtinTools(), eraseTool(collect)] } })
    a.fake.script(
      { toolCalls: [{ name: 'collect', arguments: '{"paths":{"x":1},"n":"many"}' }] },
      { text: 'sorry' },
    )
    expect(await a.run('Collect')).toEqual({ reason: 'done' })
    const [result] = a.fx.engine.store
      .branch(a.sessionId)
      .filter((e) => e.type === 'tool_result')
      .map((e) => ToolResultPayload.parse(e.payload))
    expect(result!.isError).toBe(true)
    expect(result!.content).toMatch(
      /Invalid arguments for collect:\n- paths\[0\]: expected a string, got an object.*\n- n: expected a number, got a string/,
    )
  })
})
