import { describe, expect, it } from 'vitest'
import type { Entry, EntryType } from '../../src/shared/model'
import { buildRows } from '../../src/renderer/src/features/transcript/rows'
import type { Row } from '../../src/renderer/src/features/transcript/rows'

/** A branch built like the engine writes one: each entry's parent is the one before. */
function branch(...specs: Array<[EntryType, unknown]>): Entry[] {
  const entries: Entry[] = []
  specs.forEach(([type, payload], i) => {
    entries.push({
      id: `e${i + 1}`,
      parentId: i === 0 ? null : `e${i}`,
      sessionId: 's1',
      type,
      payload,
      createdAt: 1_000 + i,
    })
  })
  return entries
}

const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 }
const assistant = (
  content: string,
  toolCalls: Array<{ id: string; name: string; arguments: string }> = [],
  extra: object = {},
): unknown => ({
  content,
  reasoning: '',
  toolCalls,
  finishReason: toolCalls.length ? 'tool_calls' : 'stop',
  usage,
  model: 'gpt-4.1',
  ...extra,
})
const result = (
  toolCallId: string,
  toolName: string,
  content: string,
  extra: object = {},
): unknown => ({
  toolCallId,
  toolName,
  content,
  isError: false,
  durationMs: 12,
  ...extra,
})

const kinds = (rows: Row[]): string[] => rows.map((r) => r.kind)

describe('transcript rows', () => {
  it('pairs each tool call with its result, approval question and answer, and argument repairs', () => {
    const rows = buildRows(
      branch(
        ['context', { system: 'x', tools: [], model: 'gpt-4.1' }],
        ['user_message', { text: 'Fix the sum', kind: 'prompt' }],
        [
          'assistant_message',
          assistant('Let me look.', [
            { id: 'c1', name: 'read', arguments: '{"path":"README.md"}' },
            { id: 'c2', name: 'bash', arguments: '{"command":"rm -rf build"}' },
          ]),
        ],
        [
          'repair',
          {
            source: 'arguments',
            toolCallId: 'c1',
            toolName: 'read',
            notes: [{ kind: 'trailing_comma', detail: 'removed a trailing comma' }],
          },
        ],
        ['tool_result', result('c1', 'read', '# Demo')],
        [
          'approval',
          {
            kind: 'request',
            approvalId: 'a1',
            toolCallId: 'c2',
            tool: 'bash',
            arguments: { command: 'rm -rf build' },
            reason: 'rm is risky',
            rule: null,
          },
        ],
        ['approval', { kind: 'answer', approvalId: 'a1', answer: 'deny' }],
        [
          'tool_result',
          result('c2', 'bash', 'The user denied this call.', {
            isError: true,
            synthetic: 'denied',
          }),
        ],
        ['turn_end', { reason: 'done' }],
      ),
    )
    // context, the answer and the quiet "done" are not rows; the repair and the question live in
    // their call's card.
    expect(kinds(rows)).toEqual(['user', 'assistant', 'tool', 'tool'])
    const [, , read, bash] = rows
    expect(read).toMatchObject({
      kind: 'tool',
      call: { id: 'c1', name: 'read' },
      result: { content: '# Demo' },
      approval: null,
    })
    expect(read!.kind === 'tool' && read!.repairs[0]!.notes[0]!.detail).toBe(
      'removed a trailing comma',
    )
    expect(bash).toMatchObject({
      kind: 'tool',
      result: { synthetic: 'denied' },
      approval: { request: { approvalId: 'a1' }, answer: { answer: 'deny' } },
    })
  })

  it('puts a stream repair that names a call on that call’s card, and one that does not on its own line', () => {
    const rows = buildRows(
      branch(
        ['user_message', { text: 'go', kind: 'prompt' }],
        [
          'assistant_message',
          assistant('', [
            { id: 'c1', name: 'bash', arguments: '{"command":"ls"}' },
            { id: 'c2', name: 'read', arguments: '{"path":"a"}' },
          ]),
        ],
        [
          'repair',
          {
            source: 'stream',
            toolCallId: 'c1',
            toolName: 'bash',
            notes: [{ kind: 'repeated_arguments', detail: 'arguments sent twice → kept once' }],
          },
        ],
        [
          'repair',
          {
            source: 'stream',
            notes: [{ kind: 'missing_finish', detail: 'the stream ended without finish_reason' }],
          },
        ],
        ['tool_result', result('c1', 'bash', 'a.txt')],
        ['tool_result', result('c2', 'read', 'alpha')],
      ),
    )
    expect(kinds(rows)).toEqual(['user', 'tool', 'tool', 'repair'])
    const [, bash, read, line] = rows
    expect(bash!.kind === 'tool' && bash!.repairs.map((r) => [r.source, r.notes[0]!.kind])).toEqual(
      [['stream', 'repeated_arguments']],
    )
    expect(read!.kind === 'tool' && read!.repairs).toEqual([])
    expect(line!.kind === 'repair' && line!.repair.notes[0]!.kind).toBe('missing_finish')
  })

  it('puts the note of calls read from the model’s text on each of their cards, the turn’s other stream notes on a line', () => {
    const textNote = {
      kind: 'text_tool_calls',
      detail: '2 tool call(s) written as Qwen3-Coder XML in the message text',
    }
    const rows = buildRows(
      branch(
        ['user_message', { text: 'go', kind: 'prompt' }],
        [
          'assistant_message',
          assistant('Editing.', [
            { id: 'call_text_0', name: 'edit', arguments: '{"path":"a"}' },
            { id: 'call_text_1', name: 'edit', arguments: '{"path":"b"}' },
          ]),
        ],
        [
          'repair',
          {
            source: 'stream',
            notes: [
              textNote,
              { kind: 'missing_finish', detail: 'the stream ended without finish_reason' },
            ],
          },
        ],
        ['tool_result', result('call_text_0', 'edit', 'ok')],
        ['tool_result', result('call_text_1', 'edit', 'ok')],
        ['assistant_message', assistant('Now this. <tool_call>{"name": "edit", </tool_call>')],
        [
          'repair',
          {
            source: 'stream',
            notes: [{ kind: 'unread_text_tool_call', detail: 'JSON in <tool_call> tags…' }],
          },
        ],
        ['user_message', { text: '[Paddock] Your last message…', kind: 'correction' }],
      ),
    )
    expect(kinds(rows)).toEqual([
      'user',
      'assistant',
      'tool',
      'tool',
      'repair',
      'assistant',
      'repair',
      'user',
    ])
    const [, , a, b, line, , unread, correction] = rows
    for (const card of [a, b]) {
      expect(card!.kind === 'tool' && card!.repairs).toEqual([
        { source: 'stream', notes: [textNote] },
      ])
    }
    expect(line!.kind === 'repair' && line!.repair.notes.map((n) => n.kind)).toEqual([
      'missing_finish',
    ])
    // A turn without calls keeps its note on a line; the correction is Paddock's, not a prompt.
    expect(unread!.kind === 'repair' && unread!.repair.notes[0]!.kind).toBe('unread_text_tool_call')
    expect(correction).toMatchObject({ kind: 'user', via: 'correction' })
  })

  it('shows no line for a stream repair whose only notes went on its calls’ cards', () => {
    const rows = buildRows(
      branch(
        ['user_message', { text: 'go', kind: 'prompt' }],
        ['assistant_message', assistant('', [{ id: 'c1', name: 'edit', arguments: '{}' }])],
        [
          'repair',
          {
            source: 'stream',
            notes: [{ kind: 'text_tool_calls', detail: '1 tool call(s) written as GLM markup' }],
          },
        ],
        ['tool_result', result('c1', 'edit', 'ok')],
      ),
    )
    expect(kinds(rows)).toEqual(['user', 'tool'])
  })

  it('leaves a call without result open and its question unanswered while it waits', () => {
    const rows = buildRows(
      branch(
        ['user_message', { text: 'go', kind: 'prompt' }],
        [
          'assistant_message',
          assistant('', [{ id: 'c1', name: 'edit', arguments: '{"path":"a.ts"}' }]),
        ],
        [
          'approval',
          {
            kind: 'request',
            approvalId: 'a1',
            toolCallId: 'c1',
            tool: 'edit',
            arguments: {},
            reason: 'ask mode',
            rule: null,
          },
        ],
      ),
    )
    // A message that is only tool calls has no text row.
    expect(kinds(rows)).toEqual(['user', 'tool'])
    expect(rows[1]).toMatchObject({ result: null, approval: { answer: null } })
  })

  it('shows steers, follow-ups, stops, model switches, stream repairs and spend approvals where they landed', () => {
    const rows = buildRows(
      branch(
        ['user_message', { text: 'start', kind: 'prompt' }],
        ['user_message', { text: 'use tabs', kind: 'steer' }],
        ['assistant_message', assistant('ok')],
        [
          'repair',
          {
            source: 'stream',
            notes: [{ kind: 'think_block', detail: 'moved <think> to reasoning' }],
          },
        ],
        ['user_message', { text: 'and tests', kind: 'follow_up' }],
        ['model_switch', { ref: 'openai/gpt-5', from: 'openai/gpt-4.1' }],
        ['approval', { kind: 'spend', sessionLimitUsd: 4 }],
        ['turn_end', { reason: 'context_overflow', message: 'maximum context length is 8192' }],
      ),
    )
    expect(kinds(rows)).toEqual([
      'user',
      'user',
      'assistant',
      'repair',
      'user',
      'model',
      'spend',
      'turn_end',
    ])
    expect(rows.filter((r) => r.kind === 'user').map((r) => r.kind === 'user' && r.via)).toEqual([
      'prompt',
      'steer',
      'follow_up',
    ])
    expect(rows[7]).toMatchObject({
      reason: 'context_overflow',
      message: 'maximum context length is 8192',
    })
  })

  it('takes the last result of a call (an answer after a restart replaces "interrupted")', () => {
    const rows = buildRows(
      branch(
        [
          'assistant_message',
          assistant('', [{ id: 'c1', name: 'bash', arguments: '{"command":"ls"}' }]),
        ],
        [
          'tool_result',
          result('c1', 'bash', 'Interrupted', { isError: true, synthetic: 'interrupted' }),
        ],
        ['turn_end', { reason: 'interrupted' }],
        ['tool_result', result('c1', 'bash', 'a.ts\nb.ts')],
      ),
    )
    expect(kinds(rows)).toEqual(['tool', 'turn_end'])
    expect(rows[0]).toMatchObject({ result: { content: 'a.ts\nb.ts' } })
  })

  it('still shows a result whose call is not in the branch, and says when a payload is unreadable', () => {
    const rows = buildRows(
      branch(
        ['tool_result', result('lost', 'grep', 'no matches')],
        ['assistant_message', { content: 42 }],
        ['note', { text: 'checkpoint taken' }],
      ),
    )
    expect(kinds(rows)).toEqual(['tool', 'invalid', 'other'])
    expect(rows[0]).toMatchObject({ call: { id: 'lost', name: 'grep', arguments: '' } })
    expect(rows[1]).toMatchObject({ kind: 'invalid' })
    expect(rows[1]!.kind === 'invalid' && rows[1]!.error).toMatch(/content/)
    expect(rows[2]).toMatchObject({ text: 'checkpoint taken' })
  })

  it("shows a restore once: a finished restore's intent note is hidden, one cut short is not", () => {
    const note = (text: string, extra: object): unknown => ({
      kind: 'restore',
      text,
      checkpointId: 'c'.repeat(40),
      undoId: 'u'.repeat(40),
      files: null,
      written: [],
      deleted: [],
      writtenTotal: 0,
      deletedTotal: 0,
      skipped: [],
      ...extra,
    })
    const rows = buildRows(
      branch(
        ['note', note('Restoring files to checkpoint cccc…', { intent: true })],
        ['note', note('Restored files to checkpoint cccc (1 file).', { completes: 'e1' })],
        ['note', note('Restoring files to checkpoint cccc…', { intent: true })],
      ),
    )
    expect(rows.map((r) => (r.kind === 'other' ? r.text : r.kind))).toEqual([
      'Restored files to checkpoint cccc (1 file).',
      'Restoring files to checkpoint cccc…',
    ])
  })

  it('gives every row a distinct key', () => {
    const rows = buildRows(
      branch(
        [
          'assistant_message',
          assistant('x', [
            { id: 'c1', name: 'ls', arguments: '{}' },
            { id: 'c2', name: 'ls', arguments: '{}' },
          ]),
        ],
        ['tool_result', result('c1', 'ls', '')],
        ['tool_result', result('c2', 'ls', '')],
      ),
    )
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length)
  })
})
