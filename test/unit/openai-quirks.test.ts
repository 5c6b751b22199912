import { describe, expect, it } from 'vitest'
import type { PartialCall, QuirkNote } from '../../src/main/providers/openai-quirks'
import {
  callIndexFor,
  extractTextToolCalls,
  finishToolCalls,
  mergeName,
  splitJsonObjects,
} from '../../src/main/providers/openai-quirks'
import { ThinkSplitter } from '../../src/main/providers/think-splitter'

describe('OpenAI-compatible stream quirks', () => {
  it('follows tool call deltas without an index by id and name', () => {
    const calls: PartialCall[] = []
    const notes: QuirkNote[] = []
    const feed = (d: { id?: string; name?: string; args?: string }): void => {
      const i = callIndexFor(
        { id: d.id, function: { name: d.name, arguments: d.args } },
        calls,
        notes,
      )
      const c = (calls[i] ??= { id: '', name: '', arguments: '' })
      if (d.id) c.id = d.id
      if (d.name) c.name += d.name
      c.arguments += d.args ?? ''
    }
    feed({ id: 'a', name: 'read', args: '' })
    feed({ args: '{"path":' })
    feed({ args: '"x"}' })
    feed({ id: 'b', name: 'ls', args: '{}' })
    expect(calls).toEqual([
      { id: 'a', name: 'read', arguments: '{"path":"x"}' },
      { id: 'b', name: 'ls', arguments: '{}' },
    ])
    expect(notes.map((n) => n.kind)).toEqual(['missing_index'])
  })

  it('does not repeat a tool name that some servers send on every delta', () => {
    expect(mergeName('', 'read')).toBe('read')
    expect(mergeName('read', 'read')).toBe('read')
    expect(mergeName('read', '_file')).toBe('read_file')
    expect(mergeName('read', undefined)).toBe('read')
  })

  it('gives missing ids one, and renames ids reused from earlier turns', () => {
    const notes: QuirkNote[] = []
    const out = finishToolCalls(
      [
        { id: '', name: 'ls', arguments: '{}' },
        { id: 'call_0', name: 'ls', arguments: '{}' },
      ],
      '',
      new Set(['call_0']),
      notes,
    )
    expect(out.toolCalls.map((c) => c.id)).toEqual(['call_0_2', 'call_0_3'])
    expect(notes.map((n) => n.kind)).toEqual(['missing_id', 'duplicate_id', 'duplicate_id'])
  })

  it('splits several argument objects run together in one call', () => {
    expect(splitJsonObjects('{"a":"}{"}{"b":[1,{"c":2}]}')).toEqual([
      '{"a":"}{"}',
      '{"b":[1,{"c":2}]}',
    ])
    expect(splitJsonObjects('{"a":1}')).toEqual(['{"a":1}'])
    expect(splitJsonObjects('{"a":1} trailing')).toEqual([])
    // A stray string between objects: not objects laid end to end, so not split (no guess).
    expect(splitJsonObjects('{"a":1} "x" {"b":2}')).toEqual([])
    const notes: QuirkNote[] = []
    const out = finishToolCalls(
      [{ id: 'x', name: 'read', arguments: '{"path":"a"}{"path":"b"}' }],
      '',
      new Set(),
      notes,
    )
    expect(out.toolCalls).toEqual([
      { id: 'x', name: 'read', arguments: '{"path":"a"}' },
      { id: 'x_2', name: 'read', arguments: '{"path":"b"}' },
    ])
  })

  it('turns Hermes/Qwen <tool_call> text into calls and strips it from the answer', () => {
    const notes: QuirkNote[] = []
    const r = extractTextToolCalls(
      'Let me check.\n<tool_call>\n{"name": "read", "arguments": {"path": "a.ts"}}\n</tool_call>',
      notes,
      { toolNames: ['read'] },
    )
    expect(r.content).toBe('Let me check.')
    expect(r.calls).toEqual([{ id: '', name: 'read', arguments: '{"path":"a.ts"}' }])
    expect(extractTextToolCalls('<tool_call>not json</tool_call>', []).calls).toEqual([])
  })

  it('splits a leading <think> block from the answer even when tags are cut across chunks', () => {
    const s = new ThinkSplitter()
    const parts = ['  <thi', 'nk>a', 'b</thi', 'nk>\n\nAnswer <think> stays'].flatMap((c) =>
      s.push(c),
    )
    parts.push(...s.flush())
    const text = parts
      .filter((p) => p.kind === 'text')
      .map((p) => p.text)
      .join('')
    const reasoning = parts
      .filter((p) => p.kind === 'reasoning')
      .map((p) => p.text)
      .join('')
    expect(reasoning).toBe('ab')
    expect(text).toBe('Answer <think> stays')
  })
})
