import { describe, expect, it } from 'vitest'
import { InputQueue, splitInput } from '../../src/renderer/src/features/terminal/input'
import {
  emptySessionTerminals,
  upsertInfo,
  useTerminalStore,
} from '../../src/renderer/src/features/terminal/terminal-store'
import type { TerminalInfo } from '../../src/shared/terminals'
import { TERMINAL_INPUT_MAX_CHARS } from '../../src/shared/terminals'

describe('splitting input for terminals.input', () => {
  it('keeps small input whole', () => {
    expect(splitInput('ls\r')).toEqual(['ls\r'])
    expect(splitInput('')).toEqual([])
  })

  it('cuts a big paste at the contract limit, losing nothing', () => {
    const big = 'x'.repeat(TERMINAL_INPUT_MAX_CHARS * 2 + 5)
    const parts = splitInput(big)
    expect(parts.map((p) => p.length)).toEqual([
      TERMINAL_INPUT_MAX_CHARS,
      TERMINAL_INPUT_MAX_CHARS,
      5,
    ])
    expect(parts.join('')).toBe(big)
  })

  it('never cuts between the halves of a surrogate pair', () => {
    const parts = splitInput('ab😀cd', 3)
    expect(parts).toEqual(['ab', '😀c', 'd'])
    for (const p of parts) expect(p).toBe(Array.from(p).join(''))
    expect(() => splitInput('x', 1)).toThrow(/surrogate/)
  })
})

describe('InputQueue', () => {
  it('sends in order, one call at a time, even when calls finish out of order', async () => {
    const sent: string[] = []
    let inFlight = 0
    let most = 0
    const queue = new InputQueue(
      async (data) => {
        inFlight++
        most = Math.max(most, inFlight)
        await new Promise((r) => setTimeout(r, data === 'a' ? 20 : 1))
        sent.push(data)
        inFlight--
      },
      () => {},
    )
    void queue.push('a')
    void queue.push('b')
    await queue.push('c')
    expect(sent).toEqual(['a', 'b', 'c'])
    expect(most).toBe(1)
  })

  it('reports a failed part, drops the rest of that input, and goes on with the next', async () => {
    const sent: string[] = []
    const errors: string[] = []
    const queue = new InputQueue(
      async (data) => {
        if (data.startsWith('y')) throw new Error('The shell exited.')
        sent.push(data)
      },
      (err) => errors.push((err as Error).message),
    )
    const big = 'y'.repeat(TERMINAL_INPUT_MAX_CHARS + 1)
    await queue.push(big)
    await queue.push('ok')
    expect(errors).toEqual(['The shell exited.'])
    expect(sent).toEqual(['ok'])
    queue.close()
    await queue.push('late')
    expect(sent).toEqual(['ok'])
  })
})

const info = (terminalId: string, over: Partial<TerminalInfo> = {}): TerminalInfo => ({
  terminalId,
  sessionId: 's1',
  kind: 'user',
  title: terminalId,
  status: 'running',
  exit: null,
  cwd: null,
  shell: '/bin/sh',
  cols: 80,
  rows: 24,
  restoredScrollback: false,
  restoredAt: null,
  busy: 'idle',
  agentWaiting: false,
  ...over,
})

describe('terminal store', () => {
  it('replaces a known terminal in place and appends a new one after the agent', () => {
    const list = [info('a', { kind: 'agent' }), info('u2')]
    expect(upsertInfo(list, info('u2', { status: 'exited' }))[1]!.status).toBe('exited')
    expect(upsertInfo([info('u2')], info('a', { kind: 'agent' })).map((t) => t.terminalId)).toEqual(
      ['a', 'u2'],
    )
  })

  it('folds the list, states, problems and closes of a session', () => {
    const s = useTerminalStore.getState
    s().setList('s1', [info('u2'), info('a', { kind: 'agent' })])
    expect(s().sessions.s1!.list!.map((t) => t.terminalId)).toEqual(['a', 'u2'])
    s().upsert(info('u3'))
    s().setActive('s1', 'u3')
    s().setProblem('s1', 'u3', 'Could not paste')
    expect(s().sessions.s1!.problems).toEqual({ u3: 'Could not paste' })
    s().remove('s1', 'u3')
    expect(s().sessions.s1!.active).toBeNull()
    expect(s().sessions.s1!.problems).toEqual({})
    expect(s().sessions.s1!.list!.map((t) => t.terminalId)).toEqual(['a', 'u2'])
    // A state for a session whose list has not arrived waits for the list.
    s().upsert(info('x', { sessionId: 's9' }))
    expect(s().sessions.s9 ?? emptySessionTerminals()).toEqual(emptySessionTerminals())
    s().requestReveal('s1', 'call-1')
    const nonce = s().reveals.s1!.nonce
    s().clearReveal('s1', nonce + 1)
    expect(s().reveals.s1?.toolCallId).toBe('call-1')
    s().clearReveal('s1', nonce)
    expect(s().reveals.s1).toBeUndefined()
    s().forget('s1')
    expect(s().sessions.s1).toBeUndefined()
  })
})
