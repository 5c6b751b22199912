import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { READ_MAX_BYTES, toolOutputBudget, utf8Length } from '../../src/main/tools/truncate'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { logged } from '../support/session-log'
import { tempDir } from '../support/temp'

/**
 * The tool output budget at the wire: the fake model's window is set the way a user sets it, in
 * `<dataDir>/models.json`, and what the model is told next (the tool message of the following
 * request) is checked against `toolOutputBudget` of that window.
 */

let a: AgentFixture | undefined
const cleanups: Array<() => void> = []
afterEach(async () => {
  await a?.close()
  a = undefined
  while (cleanups.length) cleanups.pop()!()
})

async function withWindow(contextWindow: number): Promise<AgentFixture> {
  const t = tempDir()
  cleanups.push(t.cleanup)
  mkdirSync(join(t.path, 'data'), { recursive: true })
  writeFileSync(
    join(t.path, 'data', 'models.json'),
    JSON.stringify({ models: [{ id: 'fake-model', contextWindow, maxOutput: 1024 }] }),
  )
  return agentFixture({ reuse: { root: t.path } })
}

/** The tool messages of chat request `n` the fake received, in order. */
function toolMessages(f: AgentFixture, n: number): string[] {
  return (f.fake.chatRequests()[n]!.messages as ChatCompletionMessageParam[])
    .filter((m) => m.role === 'tool')
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
}

/** A 40 kB file of 800 numbered lines. */
function bigFile(f: AgentFixture): void {
  const lines = Array.from({ length: 800 }, (_, i) => `line ${i + 1} ${'x'.repeat(40)}`)
  f.write('big.txt', `${lines.join('\n')}\n`)
}

describe('tool output budgets scale with the model window (wire)', () => {
  it('8k window: read returns at most the budget, says where the rest is, and the model reads on', async () => {
    a = await withWindow(8_192)
    const budget = toolOutputBudget(8_192)
    bigFile(a)
    a.fake.script(
      { toolCalls: [{ name: 'read', arguments: { path: 'big.txt' } }] },
      { text: 'Read the first part.' },
    )
    expect(await a.run('Read big.txt')).toEqual({ reason: 'done' })
    const [first] = toolMessages(a, 1)
    expect(utf8Length(first!)).toBeLessThanOrEqual(budget)
    expect(first).toMatch(/^ {5}1\tline 1 x/)
    const next = Number(
      /\[Showing lines 1-(\d+) of 800 \(5\.4 KB limit\)\. Continue with offset=(\d+)\.\]$/.exec(
        first!,
      )![2],
    )
    expect(next).toBeGreaterThan(50)
    expect(next).toBeLessThan(800)

    // The model follows the note: the next part starts where the first one ended.
    a.fake.script(
      { toolCalls: [{ name: 'read', arguments: { path: 'big.txt', offset: next } }] },
      { text: 'Read the next part.' },
    )
    expect(await a.run('Go on')).toEqual({ reason: 'done' })
    const second = toolMessages(a, 3).at(-1)!
    expect(utf8Length(second)).toBeLessThanOrEqual(budget)
    expect(second.split('\n')[0]).toBe(
      `${String(next).padStart(6)}\tline ${next} ${'x'.repeat(40)}`,
    )
    expect(logged(a, 'tool_result').map((r) => r.isError)).toEqual([false, false])
  })

  it('8k window: bash output over the budget spills to a file the model pages through with read', async () => {
    a = await withWindow(8_192)
    const budget = toolOutputBudget(8_192)
    a.fake.script(
      { toolCalls: [{ name: 'bash', arguments: { command: 'seq 1 5000' } }] },
      { text: 'Ran it.' },
    )
    expect(await a.run('Count')).toEqual({ reason: 'done' })
    const [out] = toolMessages(a, 1)
    expect(utf8Length(out!)).toBeLessThanOrEqual(budget)
    expect(out).toMatch(/\n5000\n\nExit code: 0$/)
    const spill = /Full output: (\S+)\. Use read with offset to see more\./.exec(out!)![1]!

    a.fake.script(
      { toolCalls: [{ name: 'read', arguments: { path: spill, offset: 1, limit: 3 } }] },
      { text: 'Saw the start.' },
    )
    expect(await a.run('Show the start')).toEqual({ reason: 'done' })
    const paged = toolMessages(a, 3).at(-1)!
    expect(paged.split('\n').slice(0, 3)).toEqual(['     1\t1', '     2\t2', '     3\t3'])
  })

  it('1M window: the fixed caps apply as before (read shows 50 KB)', async () => {
    a = await withWindow(1_000_000)
    const lines = Array.from({ length: 1600 }, (_, i) => `line ${i + 1} ${'x'.repeat(40)}`)
    a.write('huge.txt', `${lines.join('\n')}\n`)
    a.fake.script(
      { toolCalls: [{ name: 'read', arguments: { path: 'huge.txt' } }] },
      { text: 'Read it.' },
    )
    expect(await a.run('Read huge.txt')).toEqual({ reason: 'done' })
    const [out] = toolMessages(a, 1)
    expect(out).toMatch(/\(50 KB limit\)\. Continue with offset=\d+\.\]$/)
    expect(utf8Length(out!)).toBeGreaterThan(READ_MAX_BYTES - 200)
    expect(utf8Length(out!)).toBeLessThanOrEqual(READ_MAX_BYTES + 200)
  })
})
