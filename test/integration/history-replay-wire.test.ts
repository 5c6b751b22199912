import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { logged, toolCallsIn } from '../support/session-log'

/**
 * What the history sends back for a tool call whose arguments the model did not write as strict
 * JSON: strict servers (vLLM, llama-server) answer 400 to any later request whose assistant
 * message holds arguments that are not a JSON object in a string. The history carries the call as
 * it was executed (or, for a call that never ran, valid JSON); the raw text stays in the log.
 */

let a: AgentFixture
afterEach(async () => {
  await a?.close()
})

interface SentCall {
  id: string
  name: string
  arguments: string
}

/** The assistant tool calls a request carried in its history, in order. */
function historyCalls(body: ChatCompletionCreateParams): SentCall[] {
  return toolCallsIn(body).map((c) => ({
    id: c.id,
    name: c.function.name,
    arguments: c.function.arguments,
  }))
}

/** What a strict server checks: a string that parses to a JSON object. */
function parsesToObject(text: string): unknown {
  const value: unknown = JSON.parse(text)
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true)
  return value
}

/** The agent against a server that refuses history arguments that are not a JSON object. */
async function strictAgent(): Promise<AgentFixture> {
  return agentFixture({ fakeOptions: { strict: { historyArguments: true } } })
}

describe('the history replays tool calls as executed', () => {
  it('sends repaired arguments back as canonical JSON, on every later request', async () => {
    a = await strictAgent()
    const raw = '{"path": "a.txt", "content": "hi\\n",}'
    a.fake.script(
      { toolCalls: [{ id: 'call_w', name: 'Write', arguments: raw }] },
      { text: 'Written.' },
      { text: 'Still here.' },
    )
    expect(await a.run('Write a.txt')).toEqual({ reason: 'done' })
    expect(readFileSync(join(a.workspace, 'a.txt'), 'utf8')).toBe('hi\n')

    // The next request (and the one of a later prompt) carries what was executed.
    expect(await a.run('Anything else?')).toEqual({ reason: 'done' })
    const sent = a.fake.chatRequests()
    expect(sent).toHaveLength(3)
    for (const body of sent.slice(1)) {
      const [call] = historyCalls(body)
      expect(call).toEqual({
        id: 'call_w',
        name: 'write',
        arguments: JSON.stringify({ path: 'a.txt', content: 'hi\n' }),
      })
      expect(parsesToObject(call!.arguments)).toEqual({ path: 'a.txt', content: 'hi\n' })
      // The result answers the same id.
      expect(body.messages.some((m) => m.role === 'tool' && m.tool_call_id === 'call_w')).toBe(true)
    }

    // The log keeps what the model wrote, the repair, and what the history sends instead.
    const [message] = logged(a, 'assistant_message')
    expect(message!.toolCalls[0]).toMatchObject({ name: 'Write', arguments: raw })
    const repairs = logged(a, 'repair')
    expect(repairs.flatMap((r) => r.notes.map((n) => n.kind))).toEqual(
      expect.arrayContaining(['tool_name', 'lenient_json']),
    )
    const [result] = logged(a, 'tool_result')
    expect(result!.replay).toEqual({
      name: 'write',
      arguments: '{"path":"a.txt","content":"hi\\n"}',
    })
  })

  it('sends unwrapped arguments back without the wrapper', async () => {
    a = await strictAgent()
    a.write('b.txt', 'one\n')
    a.fake.script(
      { toolCalls: [{ id: 'call_r', name: 'read', arguments: '{"input": {"path": "b.txt"}}' }] },
      { text: 'Read.' },
    )
    expect(await a.run('Read b.txt')).toEqual({ reason: 'done' })
    const [call] = historyCalls(a.fake.chatRequests()[1]!)
    expect(parsesToObject(call!.arguments)).toEqual({ path: 'b.txt' })
  })

  it('leaves a call that was valid as sent exactly as the model wrote it', async () => {
    a = await strictAgent()
    a.write('b.txt', 'one\n')
    const raw = '{ "path" : "b.txt" }'
    a.fake.script(
      { toolCalls: [{ id: 'call_r', name: 'read', arguments: raw }] },
      { text: 'Read.' },
    )
    expect(await a.run('Read b.txt')).toEqual({ reason: 'done' })
    expect(historyCalls(a.fake.chatRequests()[1]!)[0]!.arguments).toBe(raw)
    const [result] = logged(a, 'tool_result')
    expect(result!.replay).toBeUndefined()
  })

  it('sends a call whose arguments could not be read back as {} beside the error', async () => {
    a = await strictAgent()
    const raw = '{"path": "c.txt", "content": "never closed'
    a.fake.script(
      { toolCalls: [{ id: 'call_c', name: 'write', arguments: raw }] },
      { text: 'Giving up.' },
    )
    expect(await a.run('Write c.txt')).toEqual({ reason: 'done' })
    expect(existsSync(join(a.workspace, 'c.txt'))).toBe(false)
    const next = a.fake.chatRequests()[1]!
    const [call] = historyCalls(next)
    expect(call).toEqual({ id: 'call_c', name: 'write', arguments: '{}' })
    const told = next.messages.find((m) => m.role === 'tool' && m.tool_call_id === 'call_c')
    expect(String(told?.content)).toMatch(/not valid JSON/)
    const [message] = logged(a, 'assistant_message')
    expect(message!.toolCalls[0]!.arguments).toBe(raw)
  })

  it('sends what could be read of arguments that failed the schema, as valid JSON', async () => {
    a = await strictAgent()
    // Lenient JSON that reads, but the tool refuses (content is missing): never executed.
    a.fake.script(
      { toolCalls: [{ id: 'call_d', name: 'write', arguments: "{'path': 'd.txt',}" }] },
      { text: 'Oops.' },
    )
    expect(await a.run('Write d.txt')).toEqual({ reason: 'done' })
    expect(existsSync(join(a.workspace, 'd.txt'))).toBe(false)
    const [call] = historyCalls(a.fake.chatRequests()[1]!)
    expect(parsesToObject(call!.arguments)).toEqual({ path: 'd.txt' })
  })
})
