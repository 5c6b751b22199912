import { describe, expect, it } from 'vitest'
import type { ToolResultRecord } from '../../src/shared/entries'
import type { ToolCall } from '../../src/main/providers/types'
import {
  FAILING_WINDOW_CALLS,
  LoopDetector,
  normaliseOutput,
  paragraphsOf,
} from '../../src/main/engine/loop-detect'

let ids = 0

/** Authorize and record one call: what the gate was told, as the loop does it. */
function call(
  d: LoopDetector,
  tool: string,
  input: unknown,
  result: { content: string; isError: boolean; synthetic?: ToolResultRecord['synthetic'] },
): string | null {
  const id = `c${++ids}`
  const asked = d.beforeCall(id, tool, input)
  d.onResult({ toolCallId: id, toolName: tool, durationMs: 1, ...result })
  return asked
}

const fail = { content: 'boom\n\nExit code: 1', isError: true }
const fine = { content: 'ok\n\nExit code: 0', isError: false }
const P = 'This paragraph is long enough to count, as it has more than sixty characters in it.'
const answer = (content: string): { content: string; toolCalls: ToolCall[] } => ({
  content,
  toolCalls: [{ id: 'x', name: 'ls', arguments: '{}' }],
})

describe('LoopDetector', () => {
  it('counts the same failure within the window only', () => {
    const d = new LoopDetector()
    call(d, 'bash', { command: 'make' }, fail)
    // Push the first failure out of the window of the last calls.
    for (let i = 0; i < FAILING_WINDOW_CALLS - 2; i++) call(d, 'ls', { path: String(i) }, fine)
    call(d, 'bash', { command: 'make' }, fail)
    call(d, 'bash', { command: 'make' }, fail)
    expect(d.takeNudge()).toBeNull()
    call(d, 'bash', { command: 'make' }, fail)
    expect(d.takeNudge()).toMatch(/`make` has failed 3 times among your last 10 tool calls/)
    expect(d.takeNudge()).toBeNull()
  })

  it('asks on the next call once a repeat it told about is found again', () => {
    const d = new LoopDetector({ identicalCalls: false })
    for (let i = 0; i < 3; i++) call(d, 'bash', { command: 'make' }, fail)
    expect(d.takeNudge()).not.toBeNull()
    expect(call(d, 'bash', { command: 'make' }, fail)).toBeNull()
    const asked = d.beforeCall('next', 'ls', { path: '.' })
    expect(asked).toMatch(/^The agent seems to repeat itself: `make` failed with the same output 4/)
    // Asked once per repeat found.
    expect(d.beforeCall('after', 'ls', { path: 'x' })).toBeNull()
    expect(d.takeNudge()).toBeNull()
  })

  it('does not count refusals, polls, other tools or other commands', () => {
    const d = new LoopDetector({}, (t) => t === 'poll')
    for (let i = 0; i < 3; i++) call(d, 'read', { path: 'gone.txt', offset: i }, fail)
    for (let i = 0; i < 3; i++)
      call(d, 'bash', { command: 'rm x' }, { ...fail, synthetic: 'refused' })
    for (let i = 0; i < 5; i++) call(d, 'poll', {}, fail)
    call(d, 'bash', { command: 'make a' }, fail)
    call(d, 'bash', { command: 'make b' }, fail)
    call(d, 'bash', { command: 'make a' }, fail)
    expect(d.takeNudge()).toBeNull()
  })

  it('compares outputs without their spill-file notes, and commands without their timeouts', () => {
    const d = new LoopDetector({ identicalCalls: false })
    for (let i = 0; i < 3; i++) {
      const note = `[Output truncated: showing the last 200 lines. Full output: /tmp/spill/bash-${i}.txt. Use read with offset to see more.]`
      const input = { command: i % 2 ? 'make' : ' make ', timeout_ms: 1000 + i }
      call(d, 'bash', input, { content: `${note}\nerror\n\nExit code: 2`, isError: true })
    }
    expect(d.takeNudge()).toMatch(/`make` has failed 3 times/)
    expect(normaliseOutput('a\n\n  b')).toBe('a b')
  })

  it('asks at the third identical call in a row, polls aside', () => {
    const d = new LoopDetector({}, (t) => t === 'poll')
    expect(call(d, 'ls', { path: '.' }, fine)).toBeNull()
    call(d, 'poll', {}, fine)
    expect(call(d, 'ls', { path: '.' }, fine)).toBeNull()
    expect(call(d, 'ls', { path: '.' }, fine)).toBe(
      'The agent seems to repeat itself: the same ls call 3 times in a row.',
    )
    for (let i = 0; i < 10; i++) expect(d.beforeCall(`p${i}`, 'poll', {})).toBeNull()
  })

  it('finds a paragraph in consecutive answers; a different one breaks the chain', () => {
    const d = new LoopDetector()
    d.onAnswer(answer(P))
    d.onAnswer(answer(P))
    d.onAnswer(answer('Something else entirely, and also long enough to be a paragraph here.'))
    d.onAnswer(answer(P))
    expect(d.takeNudge()).toBeNull()
    // A final answer (no calls) and an answer of calls alone do not count.
    d.onAnswer({ content: P, toolCalls: [] })
    d.onAnswer(answer(''))
    d.onAnswer(answer(`Intro.\n\n${P.toLowerCase()}`))
    expect(d.takeNudge()).toBeNull()
    d.onAnswer(answer(P))
    expect(d.takeNudge()).toMatch(/^\[Paddock\] Your last 3 answers each say the same thing/)
    // Found again after the chain broke: the user is asked.
    d.onAnswer(answer('A new thought, written out at length so that it counts as a paragraph.'))
    for (let i = 0; i < 3; i++) d.onAnswer(answer(P))
    expect(d.beforeCall('q', 'ls', {})).toMatch(/the same paragraph in 3 answers in a row/)
  })

  it('ignores short paragraphs and each detector can be turned off', () => {
    expect(paragraphsOf('Let me check.\n\nLet me check.').size).toBe(0)
    const d = new LoopDetector({
      repeatedText: false,
      failingCommand: false,
      identicalCalls: false,
    })
    for (let i = 0; i < 5; i++) {
      d.onAnswer(answer(P))
      expect(call(d, 'bash', { command: 'make' }, fail)).toBeNull()
    }
    expect(d.takeNudge()).toBeNull()
  })
})

describe('LoopDetector: what is the same, and what is progress', () => {
  it('compares test-runner outputs without their durations and clock times (#5)', () => {
    const run = (n: number): string =>
      [
        ' FAIL  test/a.test.ts > adds',
        `Start at  10:0${n}:1${n}`,
        `Duration  1.${n}4s (transform 1${n}ms, setup 0ms)`,
        `1 failed, 2 passed in 0.${n}2s`,
        `Time:        ${n}.5 s`,
        `FAIL\texample.com/pkg\t0.00${n}s`,
        `[2024-05-01T10:00:0${n}.12${n}Z] done in ${n} seconds`,
        '',
        'Exit code: 1',
      ].join('\n')
    expect(normaliseOutput(run(1))).toBe(normaliseOutput(run(7)))
    // What is not a timing stays: a different failure is a different output.
    expect(normaliseOutput('expected 3 to be 4')).not.toBe(normaliseOutput('expected 3 to be 5'))
    expect(normaliseOutput('3 sources, 12 messages')).toBe('3 sources, 12 messages')
    const d = new LoopDetector({ identicalCalls: false })
    for (const n of [1, 2, 3])
      call(d, 'bash', { command: 'npx vitest run' }, { content: run(n), isError: true })
    expect(d.takeNudge()).toMatch(/`npx vitest run` has failed 3 times/)
  })

  it('an exit code 1 without output is an answer, not a failure (#6)', () => {
    const d = new LoopDetector({ identicalCalls: false })
    const silent = { content: '(no output)\n\nExit code: 1', isError: true }
    for (let i = 0; i < 5; i++) {
      call(d, 'bash', { command: 'grep -q TODO notes.txt' }, silent)
      call(d, 'bash', { command: 'test -f dist/index.js' }, silent)
    }
    expect(d.takeNudge()).toBeNull()
    // With output, or silent with another code, it is a failure.
    const e = new LoopDetector({ identicalCalls: false })
    const silent2 = { content: '(no output)\n\nExit code: 2', isError: true }
    for (let i = 0; i < 3; i++) call(e, 'bash', { command: 'make' }, silent2)
    expect(e.takeNudge()).toMatch(/`make` has failed 3 times/)
  })

  it('identical calls whose result changed are progress; asked once two results are the same (#7)', () => {
    const d = new LoopDetector()
    const tail = { command: 'tail -n 5 server.log' }
    const log = (n: number): { content: string; isError: boolean } => ({
      content: `starting… ${n}\n\nExit code: 0`,
      isError: false,
    })
    expect(call(d, 'bash', tail, log(1))).toBeNull()
    expect(call(d, 'bash', tail, log(2))).toBeNull()
    expect(call(d, 'bash', tail, log(3))).toBeNull()
    expect(call(d, 'bash', tail, log(4))).toBeNull()
    // The log stopped changing: two equal results, and the same call again is asked.
    expect(call(d, 'bash', tail, log(4))).toBeNull()
    expect(call(d, 'bash', tail, log(4))).toBe(
      'The agent seems to repeat itself: the same bash call 3 times in a row.',
    )
    // Timings aside, the same: a failing command polled with the same output is a loop.
    const e = new LoopDetector()
    const curl = { command: 'curl -s localhost:3000/health' }
    const refused = (ms: number): { content: string; isError: boolean } => ({
      content: `curl: (7) Failed to connect after ${ms} ms\n\nExit code: 7`,
      isError: true,
    })
    expect(call(e, 'bash', curl, refused(1))).toBeNull()
    expect(call(e, 'bash', curl, refused(2))).toBeNull()
    expect(call(e, 'bash', curl, refused(3))).toMatch(/the same bash call 3 times in a row/)
  })

  it('identical calls in one answer, before any result: asked at the third', () => {
    const d = new LoopDetector()
    expect(d.beforeCall('b1', 'ls', { path: '.' })).toBeNull()
    expect(d.beforeCall('b2', 'ls', { path: '.' })).toBeNull()
    expect(d.beforeCall('b3', 'ls', { path: '.' })).toMatch(/the same ls call 3 times/)
  })

  it('a question due is kept when the call it lands on is refused by policy (#8)', () => {
    const d = new LoopDetector({ identicalCalls: false })
    for (let i = 0; i < 4; i++) call(d, 'bash', { command: 'make' }, fail)
    expect(d.takeNudge()).not.toBeNull()
    expect(d.beforeCall('w', 'write', { path: 'a' }, { refused: true })).toBeNull()
    d.onResult({
      toolCallId: 'w',
      toolName: 'write',
      content: 'Refused: plan mode',
      isError: true,
      durationMs: 0,
      synthetic: 'refused',
    })
    expect(d.beforeCall('next', 'ls', { path: '.' })).toMatch(
      /`make` failed with the same output 4/,
    )
  })
})
