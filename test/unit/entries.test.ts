import { describe, expect, it } from 'vitest'
import type { AppendEntry } from '../../src/shared/entries'
import { ENTRY_TYPES, parseEntry, payloadOf } from '../../src/shared/entries'
import type { Entry } from '../../src/shared/model'
import type { Store } from '../../src/main/sessions/store'

function entry(type: string, payload: unknown): Entry {
  return {
    id: `e-${type}`,
    parentId: null,
    sessionId: 's1',
    type: type as Entry['type'],
    payload,
    createdAt: 1,
  }
}

describe('parseEntry', () => {
  it('types a good entry by its type', () => {
    const result = parseEntry(entry('turn_end', { reason: 'max_turns', message: 'stopped' }))
    expect(result.ok).toBe(true)
    if (!result.ok || result.entry.type !== 'turn_end') throw new Error('expected a turn_end')
    // Narrowed by `type`: the payload is a TurnEnd.
    expect(result.entry.payload.reason).toBe('max_turns')
    expect(result.entry).toMatchObject({ id: 'e-turn_end', sessionId: 's1', createdAt: 1 })
  })

  it('reads an approval payload of each kind', () => {
    const answer = parseEntry(
      entry('approval', { kind: 'answer', approvalId: 'a1', answer: 'deny' }),
    )
    expect(answer.ok && answer.entry.type === 'approval' && answer.entry.payload.kind).toBe(
      'answer',
    )
    expect(payloadOf(entry('approval', { kind: 'spend', dayLimitUsd: 5 }), 'approval')).toEqual({
      kind: 'spend',
      dayLimitUsd: 5,
    })
  })

  it('reports a payload that does not match its type, naming the field, without throwing', () => {
    const bad = entry('assistant_message', { content: 42 })
    const result = parseEntry(bad)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error).toMatch(/^content: /)
    expect(result.entry).toBe(bad)
    expect(payloadOf(bad, 'assistant_message')).toBeNull()
    expect(parseEntry(entry('note', null)).ok).toBe(false)
  })

  it('reports a type this version does not know', () => {
    for (const type of ['tool_call', 'summary', 'toString', 'hologram']) {
      const result = parseEntry(entry(type, {}))
      expect(result).toMatchObject({ ok: false, error: `unknown entry type "${type}"` })
    }
    expect(ENTRY_TYPES).not.toContain('tool_call')
    expect(ENTRY_TYPES).not.toContain('summary')
  })

  it('answers payloadOf only for the type asked', () => {
    const end = entry('turn_end', { reason: 'done' })
    expect(payloadOf(end, 'turn_end')).toEqual({ reason: 'done' })
    expect(payloadOf(end, 'user_message')).toBeNull()
  })

  it('parses an entry once however often it is read', () => {
    const e = entry('user_message', { text: 'hi', kind: 'prompt' })
    expect(parseEntry(e)).toBe(parseEntry(e))
  })
})

// Type-level checks, run by `tsc -p tsconfig.node.json` (it includes test/): an append takes only
// the payload of its entry type. Never called.
export function appendTypeChecks(store: Store, append: AppendEntry): void {
  store.appendEntry('s', { type: 'turn_end', payload: { reason: 'done' } })
  // @ts-expect-error a turn_end holds a reason, not a text
  store.appendEntry('s', { type: 'turn_end', payload: { text: 'hi' } })
  // @ts-expect-error a user message says how it arrived
  store.appendEntry('s', { type: 'user_message', payload: { text: 'hi' } })
  // @ts-expect-error no entry type tool_call
  store.appendEntry('s', { type: 'tool_call', payload: {} })
  append('s', 'model_switch', { ref: 'openai/gpt', from: null })
  // @ts-expect-error a model switch names the model before it
  append('s', 'model_switch', { ref: 'openai/gpt' })
}
