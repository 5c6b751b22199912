import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import type { AssistantMessage, RepairRecord, ToolResultRecord } from '../../src/shared/entries'
import { replayFor } from '../../src/main/providers/openai-wire'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { chunk, contentChunks } from '../support/fake-llm'
import { callsSent, logged, repairNotes } from '../support/session-log'

/**
 * Review findings on issue 17's stream layer, at the wire: a re-send split across deltas, and
 * identical objects in one call (6); an id that changes mid-call (7); a `</think>` an answer
 * mentions (8); a reasoning retry the server refuses again (12). Each asserts the effect on disk,
 * what the model was told next, and the repair entry.
 */

let a: AgentFixture | undefined
afterEach(async () => {
  await a?.close()
  a = undefined
})

async function start(): Promise<AgentFixture> {
  a = await agentFixture()
  a.write('a.txt', 'alpha\n')
  return a
}

const results = (f: AgentFixture): ToolResultRecord[] => logged(f, 'tool_result')
const assistants = (f: AgentFixture): AssistantMessage[] => logged(f, 'assistant_message')
const streamRepairs = (f: AgentFixture): RepairRecord['notes'] => repairNotes(f, 'stream')
const kinds = (f: AgentFixture): string[] => streamRepairs(f).map((n) => n.kind)
const file = (f: AgentFixture, rel: string): string => readFileSync(join(f.workspace, rel), 'utf8')

/** The tool results in request `n`. */
function toolResultsSent(f: AgentFixture, n: number): string[] {
  const messages = f.fake.chatRequests()[n]!.messages as ChatCompletionMessageParam[]
  return messages.flatMap((m) => (m.role === 'tool' ? [String(m.content)] : []))
}

/** A tool-call turn of the given deltas, one chunk each, finished as vLLM does. */
function deltas(list: object[]): { rawChunks: object[] } {
  return {
    rawChunks: [
      chunk({ role: 'assistant', content: null }),
      ...list.map((d) => chunk({ tool_calls: [d] })),
      chunk({}, 'tool_calls'),
    ],
  }
}
const header = (id: string, name: string): object => ({
  index: 0,
  id,
  type: 'function',
  function: { name, arguments: '' },
})
const piece = (text: string, id?: string): object => ({
  index: 0,
  ...(id ? { id } : {}),
  function: { arguments: text },
})

const APPEND = '{"command": "echo ran >> log.txt"}'

describe('a re-send split across deltas (finding 6)', () => {
  it('runs the command once when the repeat comes in pieces', async () => {
    const f = await start()
    f.fake.script(
      deltas([
        header('call_b', 'bash'),
        piece('{"command": '),
        piece('"echo ran >> log.txt"}'),
        piece('{"command": '),
        piece('"echo ran >> log.txt"}'),
      ]),
      { text: 'Ran it.' },
    )
    expect(await f.run('Append to log.txt')).toEqual({ reason: 'done' })
    expect(file(f, 'log.txt')).toBe('ran\n')
    expect(callsSent(f, 1).map((c) => [c.id, JSON.parse(c.function.arguments)])).toEqual([
      ['call_b', { command: 'echo ran >> log.txt' }],
    ])
    expect(kinds(f)).toEqual(['resent_arguments'])
  })

  it('runs nothing for the same object twice in one delta, and names both readings', async () => {
    const f = await start()
    f.fake.script(deltas([header('call_d', 'bash'), piece(APPEND + APPEND)]), {
      text: 'I will send one call.',
    })
    expect(await f.run('Append to log.txt')).toEqual({ reason: 'done' })
    expect(existsSync(join(f.workspace, 'log.txt'))).toBe(false)
    expect(results(f).map((r) => [r.toolCallId, r.isError])).toEqual([['call_d', true]])
    // What the model was told next: one call, answered with the error, valid JSON in its history.
    const [told] = toolResultsSent(f, 1)
    expect(told).toContain('more than one JSON object')
    expect(callsSent(f, 1).map((c) => c.id)).toEqual(['call_d'])
    expect(() => JSON.parse(callsSent(f, 1)[0]!.function.arguments) as unknown).not.toThrow()
    const note = streamRepairs(f).find((n) => n.kind === 'ambiguous_repeat')
    expect(note?.detail).toMatch(/sent the arguments again/)
    expect(note?.detail).toMatch(/identical parallel calls/)
    expect(kinds(f)).not.toContain('concatenated_calls')
  })
})

describe('an id that changes mid-call (finding 7)', () => {
  it('keeps one call when the header has one id and the argument deltas another', async () => {
    const f = await start()
    f.fake.script(
      deltas([
        header('call_head', 'write'),
        piece('{"path": "out.txt", ', 'call_rest'),
        piece('"content": "poolside"}', 'call_rest'),
      ]),
      { text: 'Written.' },
    )
    expect(await f.run('Write out.txt')).toEqual({ reason: 'done' })
    expect(file(f, 'out.txt')).toBe('poolside')
    expect(results(f).map((r) => [r.toolCallId, r.toolName, r.isError])).toEqual([
      ['call_head', 'write', false],
    ])
    expect(callsSent(f, 1).map((c) => [c.id, c.function.name])).toEqual([['call_head', 'write']])
    expect(kinds(f)).toEqual(['unstable_id'])
    expect(streamRepairs(f)[0]!.detail).toContain('call_rest')
  })
})

describe('a </think> an answer mentions (finding 8)', () => {
  it('stays in the answer when it is in backticks', async () => {
    const f = await start()
    const answer = 'Split the content on `</think>` and keep what follows.'
    f.fake.script({ rawChunks: contentChunks([answer.slice(0, 25), answer.slice(25)]) })
    expect(await f.run('How do I strip reasoning?')).toEqual({ reason: 'done' })
    expect(assistants(f).map((m) => [m.content, m.reasoning ?? ''])).toEqual([[answer, '']])
    expect(kinds(f)).toEqual([])
  })
})

describe('a reasoning retry the server refuses again (finding 12)', () => {
  it('reports both answers and learns nothing', async () => {
    const f = await start()
    f.fake.script(
      { toolCalls: [{ id: 'call_1', name: 'read', arguments: { path: 'a.txt' } }] },
      { error: { status: 400, message: 'thinking is enabled but reasoning_content is missing' } },
      { error: { status: 400, message: 'messages[2]: content must not be null' } },
    )
    const end = await f.run('Read a.txt')
    expect(end.reason).toBe('error')
    expect(end.message).toContain('content must not be null')
    expect(end.message).toContain('reasoning_content is missing')
    expect(f.fake.requests.map((r) => r.status)).toEqual([200, 400, 400])
    expect(replayFor(f.fake.baseUrl, 'fake-model', true)).toBe('same_field')
  })
})
