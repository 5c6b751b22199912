import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createToolContext } from '../../src/main/tools/context'
import { globTool } from '../../src/main/tools/glob'
import { grepTool } from '../../src/main/tools/grep'
import { lsTool } from '../../src/main/tools/ls'
import { readTool } from '../../src/main/tools/read'
import {
  BASH_MAX_BYTES,
  GREP_MAX_BYTES,
  READ_MAX_BYTES,
  TOOL_NOTE_RESERVE_BYTES,
  TOOL_OUTPUT_MIN_BYTES,
  TOOL_RESULT_MAX_BYTES,
  capToolResult,
  headLines,
  toolBudget,
  toolOutputBudget,
  utf8Length,
} from '../../src/main/tools/truncate'
import type { AnyTool, ToolContext } from '../../src/main/tools/types'
import { tempDir } from '../support/temp'

const dirs: Array<() => void> = []
afterEach(() => {
  while (dirs.length) dirs.pop()!()
})

function setup(outputBudget: number): { ctx: ToolContext; root: string; spill: string } {
  const t = tempDir()
  dirs.push(t.cleanup)
  const root = join(t.path, 'ws')
  mkdirSync(root)
  const spill = join(t.path, 'spill')
  return {
    ctx: createToolContext({
      workspaceRoot: root,
      spillDir: spill,
      ripgrepPath: null,
      outputBudget,
    }),
    root,
    spill,
  }
}

const run = (tool: AnyTool, input: unknown, ctx: ToolContext) =>
  (
    tool as unknown as { execute: (i: unknown, c: ToolContext) => ReturnType<AnyTool['execute']> }
  ).execute(input, ctx)

/** The spill file a note names. */
const spilledTo = (content: string): string => /is in (\S+): read it/.exec(content)![1]!

describe('toolOutputBudget: a fifth of the window at 4 bytes a token, 4 KB to 256 KB', () => {
  it.each([
    [8_192, 6_553],
    [16_384, 13_107],
    [32_768, 26_214],
    [128_000, 102_400],
    [1_000_000, TOOL_RESULT_MAX_BYTES],
  ])('window %i tokens → %i bytes', (window, bytes) => {
    expect(toolOutputBudget(window)).toBe(bytes)
    expect(toolOutputBudget(window)).toBeLessThanOrEqual((window * 4) / 5 + 1)
  })

  it('never goes under the floor, even for a tiny window', () => {
    expect(toolOutputBudget(1_000)).toBe(TOOL_OUTPUT_MIN_BYTES)
    expect(toolOutputBudget(0)).toBe(TOOL_OUTPUT_MIN_BYTES)
  })

  it('grows with the window and never passes the fixed backstop', () => {
    let last = 0
    for (const w of [
      4_096, 8_192, 16_384, 32_768, 65_536, 131_072, 262_144, 1_048_576, 2_000_000,
    ]) {
      const b = toolOutputBudget(w)
      expect(b).toBeGreaterThanOrEqual(last)
      expect(b).toBeLessThanOrEqual(TOOL_RESULT_MAX_BYTES)
      last = b
    }
  })

  it('per tool: the smaller of its own cap and the budget less room for notes', () => {
    expect(toolBudget(toolOutputBudget(8_192), READ_MAX_BYTES)).toBe(
      6_553 - TOOL_NOTE_RESERVE_BYTES,
    )
    expect(toolBudget(toolOutputBudget(32_768), BASH_MAX_BYTES)).toBe(
      26_214 - TOOL_NOTE_RESERVE_BYTES,
    )
    // From a 128k window up the fixed caps apply as before.
    expect(toolBudget(toolOutputBudget(128_000), READ_MAX_BYTES)).toBe(READ_MAX_BYTES)
    expect(toolBudget(toolOutputBudget(1_000_000), READ_MAX_BYTES)).toBe(READ_MAX_BYTES)
    expect(toolBudget(toolOutputBudget(1_000_000), BASH_MAX_BYTES)).toBe(BASH_MAX_BYTES)
    expect(toolBudget(toolOutputBudget(1_000_000), GREP_MAX_BYTES)).toBe(GREP_MAX_BYTES)
    // No budget given (a context built without a window): the fixed caps.
    expect(toolBudget(undefined, READ_MAX_BYTES)).toBe(READ_MAX_BYTES)
  })
})

describe('capToolResult and headLines', () => {
  it('names the spill file when the whole result was saved', () => {
    const out = capToolResult('x'.repeat(5000), 4096, '/s/read-1.log')
    expect(out.startsWith('x'.repeat(4096))).toBe(true)
    expect(out).toMatch(
      /\[Result cut: 904 more bytes over the 4 KB limit of a tool result\. The whole result is in \/s\/read-1\.log: read it with offset and limit\.\]$/,
    )
  })

  it('keeps the first lines within the bytes, at least a cut first line', () => {
    expect(headLines(['aa', 'bb', 'cc'], 6)).toEqual({ shown: ['aa', 'bb'], cut: true })
    expect(headLines(['aa', 'bb'], 6)).toEqual({ shown: ['aa', 'bb'], cut: false })
    expect(headLines(['abcdefgh'], 4)).toEqual({ shown: ['abcd'], cut: true })
  })
})

describe('the tools keep within a small window’s budget and spill the rest', () => {
  const budget = toolOutputBudget(8_192)

  it('read: a 40 kB file is shown in parts within the budget, each saying where to go on', async () => {
    const { ctx, root } = setup(budget)
    const lines = Array.from({ length: 800 }, (_, i) => `line ${i + 1} ${'x'.repeat(40)}`)
    writeFileSync(join(root, 'big.txt'), `${lines.join('\n')}\n`)
    const first = await run(readTool as AnyTool, { path: 'big.txt' }, ctx)
    expect(utf8Length(first.content)).toBeLessThanOrEqual(budget)
    const next = Number(/Continue with offset=(\d+)\./.exec(first.content)![1])
    expect(first.content).toContain(`(5.4 KB limit). Continue with offset=${next}.`)
    const second = await run(readTool as AnyTool, { path: 'big.txt', offset: next }, ctx)
    expect(second.content.split('\n')[0]).toBe(
      `${String(next).padStart(6)}\tline ${next} ${'x'.repeat(40)}`,
    )
    expect(utf8Length(second.content)).toBeLessThanOrEqual(budget)
  })

  it('read: one line over the whole budget is cut, never sent whole', async () => {
    const { ctx, root } = setup(toolOutputBudget(1_000))
    writeFileSync(join(root, 'wide.txt'), `${'é'.repeat(1999)}\nnext\n`)
    const r = await run(readTool as AnyTool, { path: 'wide.txt' }, ctx)
    expect(utf8Length(r.content)).toBeLessThanOrEqual(TOOL_OUTPUT_MIN_BYTES)
    expect(r.content).toMatch(/… \[line cut at 2\.9 KB\]\n {5}2\tnext$/)
  })

  it('grep: matches over the budget go to a spill file the model can read', async () => {
    const { ctx, root, spill } = setup(budget)
    writeFileSync(
      join(root, 'a.txt'),
      Array.from({ length: 100 }, (_, i) => `hit ${i} ${'y'.repeat(100)}`).join('\n'),
    )
    const r = await run(grepTool as AnyTool, { pattern: 'hit' }, ctx)
    expect(utf8Length(r.content)).toBeLessThanOrEqual(budget)
    expect(r.content).toMatch(
      /\[Output cut at 5\.4 KB\. The whole output is in \S+: read it with offset and limit/,
    )
    const file = spilledTo(r.content)
    expect(file.startsWith(spill)).toBe(true)
    expect(r.details?.spillPath).toBe(file)
    const whole = readFileSync(file, 'utf8').split('\n')
    expect(whole).toHaveLength(100)
    expect(whole[99]).toMatch(/^a\.txt:100: hit 99 /)
    const paged = await run(readTool as AnyTool, { path: file, offset: 100 }, ctx)
    expect(paged.content).toMatch(/^ {3}100\ta\.txt:100: hit 99 /)
  })

  it('glob and ls: long lists over the budget are cut and saved whole', async () => {
    const { ctx, root } = setup(toolOutputBudget(1_000))
    for (let i = 0; i < 300; i++)
      writeFileSync(join(root, `file-with-a-long-name-${String(i).padStart(3, '0')}.txt`), '')
    const g = await run(globTool as AnyTool, { pattern: '*.txt' }, ctx)
    expect(utf8Length(g.content)).toBeLessThanOrEqual(TOOL_OUTPUT_MIN_BYTES)
    expect(g.content).toMatch(/\[Showing \d+ of 300 files \(3 KB limit\)\. The whole output is in /)
    expect(readFileSync(spilledTo(g.content), 'utf8').split('\n')).toHaveLength(300)
    const l = await run(lsTool as AnyTool, { path: '.' }, ctx)
    expect(utf8Length(l.content)).toBeLessThanOrEqual(TOOL_OUTPUT_MIN_BYTES)
    expect(l.content).toMatch(
      /\[Showing \d+ of 300 entries \(3 KB limit\)\. The whole output is in /,
    )
    expect(readFileSync(spilledTo(l.content), 'utf8').split('\n').at(-1)).toBe(
      'file-with-a-long-name-299.txt',
    )
  })

  it('without a budget the fixed caps apply, as before', async () => {
    const { root } = setup(budget)
    const ctx = createToolContext({
      workspaceRoot: root,
      spillDir: join(root, '..', 's'),
      ripgrepPath: null,
    })
    const lines = Array.from({ length: 800 }, (_, i) => `line ${i + 1} ${'x'.repeat(40)}`)
    writeFileSync(join(root, 'big.txt'), `${lines.join('\n')}\n`)
    const r = await run(readTool as AnyTool, { path: 'big.txt' }, ctx)
    expect(r.content).not.toContain('Continue with')
  })
})
