import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { ModelCatalog } from '../../src/main/providers/catalog'
import { ToolCallAssembler, isCompleteJson } from '../../src/main/providers/openai-deltas'
import type { ToolCallDelta } from '../../src/main/providers/openai-deltas'
import type { QuirkNote } from '../../src/main/providers/openai-quirks'
import {
  adjustReplay,
  learnReplay,
  replayFor,
  toWireMessages,
} from '../../src/main/providers/openai-wire'
import type { ReasoningReplay } from '../../src/main/providers/openai-wire'
import { ThinkSplitter } from '../../src/main/providers/think-splitter'
import type { ChatMessage } from '../../src/main/providers/types'

function assemble(deltas: ToolCallDelta[]): { calls: unknown[]; notes: string[]; shown: string[] } {
  const notes: QuirkNote[] = []
  const asm = new ToolCallAssembler(notes)
  const shown: string[] = []
  for (const d of deltas) {
    const { index, argumentsDelta } = asm.push(d)
    shown[index] = (shown[index] ?? '') + argumentsDelta
  }
  return { calls: asm.calls(), notes: notes.map((n) => n.kind), shown }
}

const head = (index: number, id: string, name: string): ToolCallDelta => ({
  index,
  id,
  function: { name, arguments: '' },
})
const args = (index: number, text: unknown): ToolCallDelta => ({
  index,
  function: { arguments: text },
})

describe('ToolCallAssembler', () => {
  it('assembles the standard format without notes', () => {
    const r = assemble([head(0, 'a', 'read'), args(0, '{"path":'), args(0, '"x"}')])
    expect(r.calls).toEqual([{ id: 'a', name: 'read', arguments: '{"path":"x"}' }])
    expect(r.notes).toEqual([])
  })

  it('drops arguments re-sent in full once complete (same text or same value)', () => {
    const r = assemble([
      head(0, 'a', 'bash'),
      args(0, '{"command":'),
      args(0, ' "ls"}'),
      args(0, '{"command": "ls"}'),
      args(0, '{ "command" : "ls" }'),
    ])
    expect(r.calls).toEqual([{ id: 'a', name: 'bash', arguments: '{"command": "ls"}' }])
    expect(r.notes).toEqual(['resent_arguments'])
    expect(r.shown).toEqual(['{"command": "ls"}'])
  })

  it('keeps a different complete object after complete arguments (concatenated calls)', () => {
    const r = assemble([head(0, 'a', 'read'), args(0, '{"path":"x"}'), args(0, '{"path":"y"}')])
    expect(r.calls).toEqual([{ id: 'a', name: 'read', arguments: '{"path":"x"}{"path":"y"}' }])
    expect(r.notes).toEqual([])
  })

  it('takes cumulative deltas as the last, and shows only what each added', () => {
    const r = assemble([
      head(0, 'a', 'write'),
      args(0, '{"pa'),
      args(0, '{"path":"o'),
      args(0, '{"path":"o","content":"hi"}'),
      args(0, '{"path":"o","content":"hi"}'),
    ])
    expect(r.calls).toEqual([{ id: 'a', name: 'write', arguments: '{"path":"o","content":"hi"}' }])
    expect(r.notes).toEqual(['cumulative_arguments'])
    expect(r.shown).toEqual(['{"path":"o","content":"hi"}'])
  })

  it('prefers the plain reading when it parses, even if a delta repeats the text so far', () => {
    // `{"a":` then `{"a":1}}` is a nested object, not a cumulative delta.
    const r = assemble([head(0, 'a', 't'), args(0, '{"a":'), args(0, '{"a":1}}')])
    expect(r.calls).toEqual([{ id: 'a', name: 't', arguments: '{"a":{"a":1}}' }])
    expect(r.notes).toEqual([])
  })

  it('starts a new call for a new id on a shared index', () => {
    const r = assemble([
      head(0, 'a', 'read'),
      args(0, '{"path":"x"}'),
      head(0, 'b', 'bash'),
      args(0, '{"command":'),
      args(0, '"ls"}'),
    ])
    expect(r.calls).toEqual([
      { id: 'a', name: 'read', arguments: '{"path":"x"}' },
      { id: 'b', name: 'bash', arguments: '{"command":"ls"}' },
    ])
    expect(r.notes).toEqual(['shared_index'])
  })

  it('without ids, a different name after complete arguments starts a new call', () => {
    const r = assemble([
      { index: 0, function: { name: 'read', arguments: '{"path":"x"}' } },
      { index: 0, function: { name: 'bash', arguments: '{"command":"ls"}' } },
    ])
    expect(r.calls).toEqual([
      { id: '', name: 'read', arguments: '{"path":"x"}' },
      { id: '', name: 'bash', arguments: '{"command":"ls"}' },
    ])
  })

  it('keeps one call when a server repeats the id and name on every delta', () => {
    const r = assemble([
      { index: 0, id: 'a', function: { name: 'read', arguments: '{"path":' } },
      { index: 0, id: 'a', function: { name: 'read', arguments: '"x"}' } },
    ])
    expect(r.calls).toEqual([{ id: 'a', name: 'read', arguments: '{"path":"x"}' }])
  })

  it('accepts arguments sent as a JSON object', () => {
    const r = assemble([
      { index: 0, id: 'a', function: { name: 'write', arguments: { path: 'o', content: 'x' } } },
    ])
    expect(r.calls).toEqual([{ id: 'a', name: 'write', arguments: '{"path":"o","content":"x"}' }])
    expect(r.notes).toEqual(['object_arguments'])
  })

  it('still follows deltas without an index by id', () => {
    const r = assemble([
      { id: 'a', function: { name: 'read', arguments: '' } },
      { function: { arguments: '{"path":"x"}' } },
      { id: 'b', function: { name: 'ls', arguments: '{}' } },
    ])
    expect(r.calls).toEqual([
      { id: 'a', name: 'read', arguments: '{"path":"x"}' },
      { id: 'b', name: 'ls', arguments: '{}' },
    ])
    expect(r.notes).toEqual(['missing_index'])
  })

  it('isCompleteJson', () => {
    expect(isCompleteJson('{"a":1}')).toBe(true)
    expect(isCompleteJson('{"a":1} \n')).toBe(true)
    expect(isCompleteJson('{"a":')).toBe(false)
    expect(isCompleteJson('')).toBe(false)
  })
})

function split(chunks: string[]): { text: string; reasoning: string; retracted: boolean } {
  const s = new ThinkSplitter()
  let text = ''
  let reasoning = ''
  let retracted = false
  for (const part of [...chunks.flatMap((c) => s.push(c)), ...s.flush()]) {
    if (part.kind === 'retract') {
      retracted = true
      expect(text.startsWith(part.text)).toBe(true)
      text = text.slice(part.text.length)
      reasoning += part.text
    } else if (part.kind === 'text') text += part.text
    else reasoning += part.text
  }
  return { text, reasoning, retracted }
}

describe('ThinkSplitter and a lone </think>', () => {
  it('takes text before a lone </think> as reasoning, tags cut across chunks', () => {
    expect(split(['Plan: ', 'read it.</', 'think>', '\n\nAnswer.'])).toEqual({
      text: 'Answer.',
      reasoning: 'Plan: read it.',
      retracted: true,
    })
    expect(split(['</think>Answer.'])).toMatchObject({ text: 'Answer.', reasoning: '' })
  })

  it('leaves an answer that mentions <think> before </think> alone', () => {
    expect(split(['Use <think> and ', '</think> tags.'])).toEqual({
      text: 'Use <think> and </think> tags.',
      reasoning: '',
      retracted: false,
    })
  })

  it('only the first </think> counts', () => {
    expect(split(['a</think>\nb</think>\nc'])).toEqual({
      text: 'b</think>\nc',
      reasoning: 'a',
      retracted: true,
    })
  })

  it('still splits a leading <think> block', () => {
    expect(split(['<think>x</think>y'])).toEqual({ text: 'y', reasoning: 'x', retracted: false })
  })

  it('streams an ordinary answer as it comes (holds back only a possible tag)', () => {
    const s = new ThinkSplitter()
    expect(s.push('Hello wor')).toEqual([{ kind: 'text', text: 'Hello wor' }])
    expect(s.push('ld </thi')).toEqual([{ kind: 'text', text: 'ld ' }])
    expect(s.flush()).toEqual([{ kind: 'text', text: '</thi' }])
  })
})

const history: ChatMessage[] = [
  { role: 'user', content: 'go' },
  {
    role: 'assistant',
    content: '',
    reasoning: 'why',
    reasoningField: 'reasoning',
    toolCalls: [{ id: 'c1', name: 'read', arguments: '{}' }],
  },
  { role: 'tool', toolCallId: 'c1', toolName: 'read', content: 'x', isError: false },
  {
    role: 'assistant',
    content: 'plain',
    reasoning: 'r',
    reasoningField: 'reasoning',
    toolCalls: [],
  },
  { role: 'assistant', content: '', toolCalls: [{ id: 'c2', name: 'ls', arguments: '{}' }] },
  { role: 'tool', toolCallId: 'c2', toolName: 'ls', content: 'y', isError: false },
]

function assistantFields(replay: ReasoningReplay): Array<Record<string, unknown>> {
  return toWireMessages('sys', history, replay)
    .filter((m) => m.role === 'assistant')
    .map((m) => {
      const o = m as unknown as Record<string, unknown>
      return { reasoning: o.reasoning, reasoning_content: o.reasoning_content }
    })
}

describe('reasoning on the wire', () => {
  it('goes back on tool-call messages in its field, as reasoning_content, or not at all', () => {
    expect(assistantFields('same_field')).toEqual([
      { reasoning: 'why', reasoning_content: undefined },
      { reasoning: undefined, reasoning_content: undefined },
      { reasoning: undefined, reasoning_content: undefined },
    ])
    expect(assistantFields('reasoning_content')).toEqual([
      { reasoning: undefined, reasoning_content: 'why' },
      { reasoning: undefined, reasoning_content: undefined },
      { reasoning: undefined, reasoning_content: '' },
    ])
    expect(assistantFields('off').every((f) => !f.reasoning && !f.reasoning_content)).toBe(true)
  })

  const err = (message: string, status = 400): InstanceType<typeof OpenAI.APIError> =>
    OpenAI.APIError.generate(status, { error: { message } }, undefined, new Headers())
  const sent = toWireMessages('sys', history, 'same_field')

  it('reads a 400 that asks for reasoning_content, and one that refuses the field', () => {
    const ctx = (model: string): { baseUrl: string; model: string; label: string } => ({
      baseUrl: 'http://h/v1',
      model,
      label: 'h',
    })
    const kimi = err(
      'thinking is enabled but reasoning_content is missing in assistant tool call message at index 2',
    )
    expect(adjustReplay(kimi, ctx('k'), 'same_field', sent)?.replay).toBe('reasoning_content')
    // Learned once the request sent again was accepted (openai-compatible.ts).
    learnReplay(ctx('k'), 'reasoning_content')
    expect(replayFor('http://h/v1', 'k', true)).toBe('reasoning_content')
    // Already sent that way: nothing more to try.
    expect(adjustReplay(kimi, ctx('k'), 'reasoning_content', sent)).toBeNull()
    const v4 = err('The `reasoning_content` in the thinking mode must be passed back to the API.')
    expect(adjustReplay(v4, ctx('d'), 'same_field', sent)?.note.kind).toBe(
      'reasoning_content_required',
    )
    const groq = err(
      "'messages.2' : for 'role:assistant' the following must be satisfied[('messages.2' : property 'reasoning' is unsupported, did you mean 'role'?)]",
    )
    expect(adjustReplay(groq, ctx('g'), 'same_field', sent)?.replay).toBe('off')
    learnReplay(ctx('g'), 'off')
    expect(replayFor('http://h/v1', 'g', true)).toBe('off')
    // A refusal of reasoning_content when it was not sent, or another 400: not ours.
    const other = err("property 'reasoning_content' is unsupported")
    expect(adjustReplay(other, ctx('o'), 'same_field', sent)).toBeNull()
    expect(adjustReplay(err('content is missing'), ctx('o'), 'same_field', sent)).toBeNull()
    expect(
      adjustReplay(err('reasoning_content is missing', 500), ctx('o'), 'same_field', sent),
    ).toBeNull()
    expect(replayFor('http://h/v1', 'o', true)).toBe('same_field')
    expect(replayFor('http://h/v1', 'o', false)).toBe('off')
  })
})

describe('the catalog flag replayReasoning', () => {
  it('defaults to on, off on hosts that refuse it, and follows the user', () => {
    const catalog = new ModelCatalog([
      { id: 'kimi-k2', replayReasoning: { openrouter: false } },
      { id: 'mine', replayReasoning: false },
      { id: 'on-groq', replayReasoning: { groq: true } },
    ])
    expect(catalog.replaysReasoning('kimi-k2', 'moonshot')).toBe(true)
    expect(catalog.replaysReasoning('kimi-k2', 'openrouter')).toBe(false)
    expect(catalog.replaysReasoning('kimi-k2', 'groq')).toBe(false)
    expect(catalog.replaysReasoning('mine', 'vllm')).toBe(false)
    expect(catalog.replaysReasoning('on-groq', 'groq')).toBe(true)
    expect(catalog.replaysReasoning('unknown-model', 'vllm')).toBe(true)
    expect(catalog.replaysReasoning('unknown-model', 'groq')).toBe(false)
  })
})
