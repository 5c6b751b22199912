import { describe, expect, it } from 'vitest'
import { tokensInUse } from '../../src/main/context/tokens-in-use'
import type { Entry } from '../../src/shared/model'

let seq = 0
function entry(type: Entry['type'], payload: unknown): Entry {
  seq += 1
  return { id: `e${seq}`, parentId: null, sessionId: 's', type, payload, createdAt: seq }
}
const user = (text: string): Entry => entry('user_message', { text, kind: 'prompt' })
const usage = (input: number, output: number, cacheRead = 0, cacheWrite = 0) => ({
  inputTokens: input,
  outputTokens: output,
  cacheReadTokens: cacheRead,
  cacheWriteTokens: cacheWrite,
})
function reply(u: ReturnType<typeof usage>, content = '', extra: object = {}): Entry {
  return entry('assistant_message', {
    content,
    reasoning: '',
    toolCalls: [],
    finishReason: 'stop',
    usage: u,
    model: 'm',
    ...extra,
  })
}
const result = (content: string): Entry =>
  entry('tool_result', {
    toolCallId: 'c',
    toolName: 'bash',
    content,
    isError: false,
    durationMs: 1,
  })
const context = (system: string): Entry => entry('context', { system, tools: [], model: 'm' })

describe('tokensInUse', () => {
  it('is the last response’s reported tokens, cached included, plus chars/4 of what came after', () => {
    const branch = [
      context('x'.repeat(40_000)),
      user('hello'),
      reply(usage(100, 10)),
      user('again'),
      reply(usage(300, 20, 5_000, 700), 'answer text that is long'),
      result('y'.repeat(4_000)),
      user('z'.repeat(6)),
      entry('checkpoint', { anything: true }),
    ]
    expect(tokensInUse(branch)).toEqual({
      reported: 300 + 5_000 + 700 + 20,
      estimated: Math.ceil(4_006 / 4),
      tokens: 6_020 + 1_002,
      fromUsage: true,
    })
  })

  it('estimates the prefix once: the last context entry, which replaced the tools of the first', () => {
    const branch = [
      context('s'.repeat(4_000)),
      user('hello'),
      entry('context', {
        system: 's'.repeat(4_000),
        tools: [],
        model: 'm',
        reason: 'tools_changed',
      }),
      user('again'),
    ]
    expect(tokensInUse(branch).tokens).toBe(
      Math.ceil((4_000 + JSON.stringify([]).length + 'helloagain'.length) / 4),
    )
  })

  it('never uses only the estimate when a response reported usage, however big the text', () => {
    const branch = [context('x'.repeat(400_000)), user('hi'), reply(usage(90_000, 50))]
    const used = tokensInUse(branch)
    expect(used).toMatchObject({ reported: 90_050, estimated: 0, fromUsage: true })
  })

  it('estimates the whole request, prefix included, when no response reported usage', () => {
    const branch = [
      context('s'.repeat(400)),
      user('u'.repeat(40)),
      reply(usage(0, 0), 'a'.repeat(8)),
    ]
    const tools = JSON.stringify([]).length
    expect(tokensInUse(branch)).toEqual({
      reported: 0,
      estimated: Math.ceil((400 + tools + 40 + 8) / 4),
      tokens: Math.ceil((400 + tools + 40 + 8) / 4),
      fromUsage: false,
    })
  })

  it('skips an aborted reply: it is never sent back, and its usage is not the last count', () => {
    const branch = [
      context('s'),
      user('go'),
      reply(usage(1_000, 100)),
      reply(usage(2_000, 5), 'cut off here', { partial: true }),
      user('abcd'),
    ]
    expect(tokensInUse(branch)).toMatchObject({ reported: 1_100, estimated: 1, fromUsage: true })
  })

  it('counts tool calls and reasoning of an unreported reply after the last count', () => {
    const branch = [
      reply(usage(500, 10)),
      reply(usage(0, 0), 'ab', {
        reasoning: 'cd',
        toolCalls: [{ id: 'c', name: 'read', arguments: '{"path":"x"}' }],
      }),
    ]
    expect(tokensInUse(branch)).toMatchObject({
      reported: 510,
      estimated: Math.ceil((2 + 2 + 4 + 12) / 4),
    })
  })

  it('is zero for an empty branch', () => {
    expect(tokensInUse([])).toEqual({ tokens: 0, reported: 0, estimated: 0, fromUsage: false })
  })
})
