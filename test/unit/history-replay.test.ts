import { describe, expect, it } from 'vitest'
import type { Entry } from '../../src/shared/model'
import type { AssistantMessage, ToolResultRecord } from '../../src/shared/entries'
import { deriveMessages } from '../../src/main/context/history'

const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }
let n = 0
function entry(type: Entry['type'], payload: unknown): Entry {
  n += 1
  return { id: `e${n}`, parentId: null, sessionId: 's', type, payload, createdAt: n }
}

function assistant(calls: Array<{ id: string; name: string; arguments: string }>): Entry {
  const payload: AssistantMessage = {
    content: '',
    reasoning: '',
    toolCalls: calls,
    finishReason: 'tool_calls',
    usage,
    model: 'm',
  }
  return entry('assistant_message', payload)
}

function result(id: string, extra: Partial<ToolResultRecord> = {}): Entry {
  const payload: ToolResultRecord = {
    toolCallId: id,
    toolName: 'write',
    content: 'ok',
    isError: false,
    durationMs: 1,
    ...extra,
  }
  return entry('tool_result', payload)
}

/** The tool calls of the derived conversation's assistant messages, in order. */
function sentCalls(branch: Entry[]): Array<{ id: string; name: string; arguments: string }> {
  return deriveMessages(branch).flatMap((m) =>
    m.role === 'assistant' ? m.toolCalls.map((c) => ({ ...c })) : [],
  )
}

describe('deriveMessages: tool calls go back as executed', () => {
  it('replaces a call by its result’s replay, and keeps the log entry as written', () => {
    const raw = { id: 'c1', name: 'Write', arguments: '{"path":"a","content":"x",}' }
    const message = assistant([raw])
    const branch = [
      entry('user_message', { text: 'go', kind: 'prompt' }),
      message,
      result('c1', { replay: { name: 'write', arguments: '{"path":"a","content":"x"}' } }),
    ]
    expect(sentCalls(branch)).toEqual([
      { id: 'c1', name: 'write', arguments: '{"path":"a","content":"x"}' },
    ])
    const tool = deriveMessages(branch).find((m) => m.role === 'tool')
    expect(tool).toMatchObject({ toolCallId: 'c1', toolName: 'write' })
    // The entry itself is not touched: the raw text stays for the record.
    expect((message.payload as AssistantMessage).toolCalls[0]).toEqual(raw)
  })

  it('sends interrupted calls (no result) back with valid JSON arguments', () => {
    const branch = [
      entry('user_message', { text: 'go', kind: 'prompt' }),
      assistant([
        { id: 'c1', name: 'write', arguments: "{'path': 'a',}" },
        { id: 'c2', name: 'write', arguments: '{"path": "b", "content": "cut' },
        { id: 'c3', name: 'read', arguments: '"{\\"path\\":\\"c\\"}"' },
        { id: 'c4', name: 'read', arguments: '{"path": "d"}' },
      ]),
    ]
    expect(sentCalls(branch).map((c) => c.arguments)).toEqual([
      '{"path":"a"}',
      '{}',
      '{}',
      '{"path": "d"}',
    ])
    const tools = deriveMessages(branch).filter((m) => m.role === 'tool')
    expect(tools.map((t) => t.role === 'tool' && t.content)).toEqual(
      Array(4).fill('Interrupted: this tool call never completed.'),
    )
  })

  it('names a call after its latest result (an approval answered after a restart)', () => {
    const branch = [
      entry('user_message', { text: 'go', kind: 'prompt' }),
      assistant([{ id: 'c1', name: 'functions.bash:0', arguments: '{"command":"ls",}' }]),
      result('c1', {
        toolName: 'functions.bash:0',
        content: 'Interrupted',
        isError: true,
        synthetic: 'interrupted',
      }),
      result('c1', { toolName: 'bash', content: 'a.txt' }),
    ]
    expect(sentCalls(branch)).toEqual([{ id: 'c1', name: 'bash', arguments: '{"command":"ls"}' }])
  })

  it('keeps a replay when a later result for the same call has none', () => {
    const branch = [
      entry('user_message', { text: 'go', kind: 'prompt' }),
      assistant([{ id: 'c1', name: 'BASH', arguments: '{"command":"ls",}' }]),
      result('c1', {
        toolName: 'BASH',
        content: 'Interrupted',
        isError: true,
        synthetic: 'interrupted',
        replay: { name: 'bash', arguments: '{"command":"ls"}' },
      }),
      result('c1', { toolName: 'bash', content: 'a.txt' }),
    ]
    expect(sentCalls(branch)).toEqual([{ id: 'c1', name: 'bash', arguments: '{"command":"ls"}' }])
    const tools = deriveMessages(branch).filter((m) => m.role === 'tool')
    expect(tools).toEqual([
      { role: 'tool', toolCallId: 'c1', toolName: 'bash', content: 'a.txt', isError: false },
    ])
  })
})
