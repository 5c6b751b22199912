import OpenAI from 'openai'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ToolCallAssembler } from '../../src/main/providers/openai-deltas'
import type { ToolCallDelta } from '../../src/main/providers/openai-deltas'
import type { QuirkNote } from '../../src/main/providers/openai-quirks'
import { splitConcatenatedCalls } from '../../src/main/providers/openai-quirks'
import {
  adjustReplay,
  learnReplay,
  replayFor,
  toWireMessages,
} from '../../src/main/providers/openai-wire'
import { ThinkSplitter } from '../../src/main/providers/think-splitter'
import type { ChatMessage } from '../../src/main/providers/types'

/**
 * Review findings on issue 17's stream layer: linear argument assembly (1), a re-send split
 * across deltas (6), an id that changes mid-call (7), a `</think>` inside an answer (8), and the
 * reasoning retry that learned before it worked (12).
 */

function assemble(deltas: ToolCallDelta[]): {
  calls: Array<{ id: string; name: string; arguments: string }>
  notes: QuirkNote[]
  shown: string[]
} {
  const notes: QuirkNote[] = []
  const asm = new ToolCallAssembler(notes)
  const shown: string[] = []
  for (const d of deltas) {
    const { index, argumentsDelta } = asm.push(d)
    shown[index] = (shown[index] ?? '') + argumentsDelta
  }
  return { calls: asm.calls(), notes, shown }
}
const head = (id: string, name: string, index = 0): ToolCallDelta => ({
  index,
  id,
  function: { name, arguments: '' },
})
const args = (text: string, extra: Partial<ToolCallDelta> = {}): ToolCallDelta => ({
  index: 0,
  ...extra,
  function: { arguments: text },
})

/** `text` in pieces of `n` characters. */
function pieces(text: string, n: number): string[] {
  const out: string[] = []
  for (let i = 0; i < text.length; i += n) out.push(text.slice(i, i + n))
  return out
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('ToolCallAssembler: large arguments (finding 1)', () => {
  // Code-like content: many deltas end in `}`, which made every such delta re-parse the buffer.
  const code = (bytes: number): string =>
    'function f(a) { return { a } }\n'.repeat(Math.ceil(bytes / 31)).slice(0, bytes)

  it('parses a call once, not once per delta, however many deltas end in a brace', () => {
    const json = JSON.stringify({ path: 'big.ts', content: code(64 * 1024) })
    const parse = vi.spyOn(JSON, 'parse')
    const r = assemble([head('w', 'write'), ...pieces(json, 4).map((p) => args(p))])
    const parses = parse.mock.calls.length
    vi.restoreAllMocks()
    expect(r.calls).toEqual([{ id: 'w', name: 'write', arguments: json }])
    expect(r.notes).toEqual([])
    expect(parses).toBeLessThanOrEqual(2)
  })

  it('assembles a 2 MB write streamed in 4-character deltas', () => {
    const content = code(2 * 1024 * 1024)
    const json = JSON.stringify({ path: 'big.ts', content })
    const r = assemble([head('w', 'write'), ...pieces(json, 4).map((p) => args(p))])
    expect(r.calls).toHaveLength(1)
    expect(r.calls[0]!.arguments.length).toBe(json.length)
    expect((JSON.parse(r.calls[0]!.arguments) as { content: string }).content).toBe(content)
    expect(r.shown[0]!.length).toBe(json.length)
  })
})

describe('ToolCallAssembler: a re-send split across deltas (finding 6)', () => {
  it('drops arguments re-sent in pieces after they were complete', () => {
    const r = assemble([
      head('a', 'bash'),
      args('{"command":'),
      args('"ls"}'),
      args('{"command":'),
      args('"ls"}'),
    ])
    expect(r.calls).toEqual([{ id: 'a', name: 'bash', arguments: '{"command":"ls"}' }])
    expect(r.notes.map((n) => n.kind)).toEqual(['resent_arguments'])
    expect(r.shown).toEqual(['{"command":"ls"}'])
  })

  it('drops two re-sends, in any spacing', () => {
    const r = assemble([
      head('a', 'bash'),
      args('{"command":'),
      args(' "ls"}'),
      args('{"command": "ls"}'),
      args('{ "command" : '),
      args('"ls" }'),
    ])
    expect(r.calls).toEqual([{ id: 'a', name: 'bash', arguments: '{"command": "ls"}' }])
    expect(r.notes.map((n) => n.kind)).toEqual(['resent_arguments'])
  })

  it('keeps different objects after complete arguments for the splitter', () => {
    const r = assemble([head('a', 'read'), args('{"path":"x"}'), args('{"path":'), args('"y"}')])
    expect(r.calls).toEqual([{ id: 'a', name: 'read', arguments: '{"path":"x"}{"path":"y"}' }])
    expect(r.notes).toEqual([])
  })

  it('a second object glued to the first in one delta is not a re-send', () => {
    const r = assemble([head('a', 'bash'), args('{"command":"ls"}{"command":"ls"}')])
    expect(r.calls[0]!.arguments).toBe('{"command":"ls"}{"command":"ls"}')
    expect(r.notes).toEqual([])
  })
})

describe('splitConcatenatedCalls: identical objects in a row (finding 6)', () => {
  it('refuses to split them, naming both readings, and leaves the call unreadable', () => {
    const notes: QuirkNote[] = []
    const call = { id: 'c', name: 'bash', arguments: '{"command":"ls"}{ "command" : "ls" }' }
    const out = splitConcatenatedCalls([{ ...call }], notes)
    expect(out).toEqual([call])
    expect(notes.map((n) => n.kind)).toEqual(['ambiguous_repeat'])
    expect(notes[0]!.detail).toMatch(/sent the arguments again/)
    expect(notes[0]!.detail).toMatch(/identical parallel calls/)
    expect(notes[0]!.detail).toMatch(/not run/i)
  })

  it('still splits different objects', () => {
    const notes: QuirkNote[] = []
    const out = splitConcatenatedCalls(
      [{ id: 'c', name: 'read', arguments: '{"path":"x"}{"path":"y"}{"path":"x"}' }],
      notes,
    )
    expect(out.map((c) => c.arguments)).toEqual(['{"path":"x"}', '{"path":"y"}', '{"path":"x"}'])
    expect(notes.map((n) => n.kind)).toEqual(['concatenated_calls'])
  })
})

describe('ToolCallAssembler: an id that changes mid-call (finding 7)', () => {
  it('continues the call when the new id brings no name and the arguments are incomplete', () => {
    const r = assemble([
      head('call_head', 'write'),
      args('{"path":"o",', { id: 'call_rest' }),
      args('"content":"x"}', { id: 'call_rest' }),
    ])
    expect(r.calls).toEqual([
      { id: 'call_head', name: 'write', arguments: '{"path":"o","content":"x"}' },
    ])
    expect(r.notes.map((n) => n.kind)).toEqual(['unstable_id'])
    expect(r.notes[0]!.detail).toContain('call_rest')
  })

  it('the same without an index', () => {
    const r = assemble([
      { id: 'h', function: { name: 'write', arguments: '' } },
      { id: 'r', function: { arguments: '{"path":"o",' } },
      { id: 'r', function: { arguments: '"content":"x"}' } },
    ])
    expect(r.calls).toEqual([{ id: 'h', name: 'write', arguments: '{"path":"o","content":"x"}' }])
    expect(r.notes.map((n) => n.kind)).toEqual(['missing_index', 'unstable_id'])
  })

  it('a new id with a name, or after complete arguments, still starts a new call', () => {
    const named = assemble([head('a', 'read'), args('{"pa'), head('b', 'bash')])
    expect(named.calls.map((c) => c.id)).toEqual(['a', 'b'])
    const complete = assemble([
      head('a', 'read'),
      args('{"path":"x"}'),
      args('{"path":"y"}', { id: 'b' }),
    ])
    expect(complete.calls).toEqual([
      { id: 'a', name: 'read', arguments: '{"path":"x"}' },
      { id: 'b', name: '', arguments: '{"path":"y"}' },
    ])
  })
})

function split(
  chunks: string[],
  before?: (s: ThinkSplitter) => void,
): { text: string; reasoning: string } {
  const s = new ThinkSplitter()
  before?.(s)
  let text = ''
  let reasoning = ''
  for (const part of [...chunks.flatMap((c) => s.push(c)), ...s.flush()]) {
    if (part.kind === 'retract') {
      expect(text.startsWith(part.text)).toBe(true)
      text = text.slice(part.text.length)
      reasoning += part.text
    } else if (part.kind === 'text') text += part.text
    else reasoning += part.text
  }
  return { text, reasoning }
}

describe('ThinkSplitter: a </think> inside an answer (finding 8)', () => {
  it('leaves a </think> in backticks alone', () => {
    const answer = 'I will split the content on `</think>` and keep the rest.\nDone.'
    expect(split([answer.slice(0, 30), answer.slice(30)])).toEqual({
      text: answer,
      reasoning: '',
    })
  })

  it('leaves a </think> in a code fence alone', () => {
    const answer = 'Like this:\n```\nreasoning</think>\nanswer\n```\nThat is all.'
    expect(split([answer])).toEqual({ text: answer, reasoning: '' })
  })

  it('leaves a </think> in the middle of a sentence alone', () => {
    const answer = 'The template closes reasoning with </think> before the answer.'
    expect(split([answer])).toEqual({ text: answer, reasoning: '' })
  })

  it('still takes a lone </think> that ends a line or starts one', () => {
    expect(split(['Plan it.\n</think>\n\nHello!'])).toEqual({
      text: 'Hello!',
      reasoning: 'Plan it.\n',
    })
    expect(split(['Plan it.</think>', '\n\nHello!'])).toEqual({
      text: 'Hello!',
      reasoning: 'Plan it.',
    })
    expect(split(['Plan it.</think>'])).toEqual({ text: '', reasoning: 'Plan it.' })
  })

  it('takes nothing as reasoning once reasoning came in a field', () => {
    const answer = 'Plan it.\n</think>\n\nHello!'
    expect(split([answer], (s) => s.reasoningInField())).toEqual({ text: answer, reasoning: '' })
  })
})

const history: ChatMessage[] = [
  { role: 'user', content: 'go' },
  { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'read', arguments: '{}' }] },
  { role: 'tool', toolCallId: 'c1', toolName: 'read', content: 'x', isError: false },
]

describe('the reasoning retry (finding 12)', () => {
  const err = (message: string): InstanceType<typeof OpenAI.APIError> =>
    OpenAI.APIError.generate(400, { error: { message } }, undefined, new Headers())
  const ctx = (model: string): { baseUrl: string; model: string; label: string } => ({
    baseUrl: 'http://fix12/v1',
    model,
    label: 'fix12',
  })
  const sent = toWireMessages('sys', history, 'same_field')

  it('learns the mode only when told the retry worked', () => {
    const kimi = err('thinking is enabled but reasoning_content is missing')
    const next = adjustReplay(kimi, ctx('m1'), 'same_field', sent)
    expect(next?.replay).toBe('reasoning_content')
    expect(replayFor('http://fix12/v1', 'm1', true)).toBe('same_field')
    learnReplay(ctx('m1'), next!.replay)
    expect(replayFor('http://fix12/v1', 'm1', true)).toBe('reasoning_content')
  })

  it('"Unexpected: reasoning_content is missing" asks for the field, it does not refuse it', () => {
    const sentWith = toWireMessages('sys', history, 'reasoning_content')
    const unexpected = err('Unexpected: reasoning_content is missing in message 1')
    expect(adjustReplay(unexpected, ctx('m2'), 'same_field', sent)?.replay).toBe(
      'reasoning_content',
    )
    // Sent with it already and still "missing": not a refusal of the field either.
    expect(adjustReplay(unexpected, ctx('m2'), 'same_field', sentWith)?.replay).not.toBe('off')
    // A plain refusal of an unknown field still turns it off.
    const unknown = err("Unknown field 'reasoning_content' in messages[1]")
    expect(adjustReplay(unknown, ctx('m3'), 'same_field', sentWith)?.replay).toBe('off')
  })
})
