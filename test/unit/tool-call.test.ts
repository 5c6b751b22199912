import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { ToolCallDeps } from '../../src/main/engine/tool-call'
import { runToolCall } from '../../src/main/engine/tool-call'
import { allowAll } from '../support/run-tool'
import { createToolContext } from '../../src/main/tools/context'
import { builtinTools, eraseTool } from '../../src/main/tools/registry'
import { TOOL_RESULT_MAX_BYTES } from '../../src/main/tools/truncate'
import type { AnyTool, Tool } from '../../src/main/tools/types'
import { tempDir } from '../support/temp'

let ws: { path: string; cleanup: () => void }
let root: string

beforeEach(() => {
  ws = tempDir('paddock-tool-call-')
  root = realpathSync(ws.path)
})
afterEach(() => ws.cleanup())

/** A test tool answering `size` bytes, or throwing when asked to. */
const flood: Tool<{ size: number; throw?: boolean }> = {
  name: 'flood',
  description: 'Answers with that many bytes (test tool).',
  schema: z.object({ size: z.number().int(), throw: z.boolean().optional() }).strict(),
  effect: () => ({ kind: 'read' }),
  execute: async (input) => {
    if (input.throw) throw new Error('boom')
    return { content: 'x'.repeat(input.size), isError: false }
  },
}

function deps(extra: Partial<ToolCallDeps> = {}): ToolCallDeps {
  return {
    tools: [...builtinTools(), eraseTool(flood)],
    workspaceRoot: root,
    toolContext: (signal) =>
      createToolContext({ workspaceRoot: root, spillDir: join(root, '.spill'), signal }),
    authorize: allowAll,
    signal: new AbortController().signal,
    now: () => 0,
    ...extra,
  }
}

const call = (
  name: string,
  args: unknown,
  id = 'c1',
): { id: string; name: string; arguments: string } => ({
  id,
  name,
  arguments: typeof args === 'string' ? args : JSON.stringify(args),
})

describe('the one tool call path', () => {
  it('repairs, runs and reports the repairs beside the result', async () => {
    writeFileSync(join(root, 'a.txt'), 'one\ntwo\n')
    const { result, repairs } = await runToolCall(
      call('Read', "{'path': 'a.txt', 'offset': '2'}"),
      deps(),
    )
    expect(result).toMatchObject({ toolCallId: 'c1', toolName: 'Read', isError: false })
    expect(result.content).toContain('two')
    expect(repairs.map((r) => r.kind)).toEqual(['tool_name', 'lenient_json', 'coerced'])
  })

  it('answers an unknown tool or invalid arguments without running anything', async () => {
    const unknown = await runToolCall(call('teleport', {}), deps())
    expect(unknown.result).toMatchObject({ isError: true, durationMs: 0 })
    expect(unknown.result.content).toMatch(/^Unknown tool "teleport"/)
    const invalid = await runToolCall(call('flood', { size: 'lots' }), deps())
    expect(invalid.result.content).toMatch(/^Invalid arguments for flood:\n- size:/)
  })

  it('asks the gate for the resolved tool, and a refusal is the result', async () => {
    const asked: string[] = []
    let stopped = false
    const { result } = await runToolCall(call('BASH', { command: 'touch nope' }), {
      ...deps(),
      authorize: async (_c, tool) => {
        asked.push(tool)
        return { ok: false, content: 'The user denied this call.', synthetic: 'denied', stop: true }
      },
      stop: () => {
        stopped = true
      },
    })
    expect(asked).toEqual(['bash'])
    expect(stopped).toBe(true)
    expect(result).toMatchObject({
      content: 'The user denied this call.',
      isError: true,
      synthetic: 'denied',
    })
  })

  it('writes the user’s edited text instead of the model’s, and says so', async () => {
    writeFileSync(join(root, 'f.txt'), 'old')
    const { result } = await runToolCall(call('write', { path: 'f.txt', content: 'model' }), {
      ...deps(),
      authorize: async () => ({ ok: true, editedContent: 'mine' }),
    })
    expect(readFileSync(join(root, 'f.txt'), 'utf8')).toBe('mine')
    expect(result.content).toMatch(/^The user edited your change/)
    expect(result.details).toMatchObject({ editedByUser: true })
  })

  it('does not start a call once the run is aborted, and a tool that throws is an error result', async () => {
    const controller = new AbortController()
    controller.abort()
    const aborted = await runToolCall(call('flood', { size: 1 }), {
      ...deps(),
      signal: controller.signal,
    })
    expect(aborted.result).toMatchObject({
      content: 'Aborted by the user before it ran.',
      synthetic: 'aborted',
    })
    const thrown = await runToolCall(call('flood', { size: 1, throw: true }), deps())
    expect(thrown.result).toMatchObject({ content: 'The tool failed: boom', isError: true })
  })

  it('cuts a result over the limit of a tool result, and leaves one within it alone', async () => {
    const within = await runToolCall(call('flood', { size: TOOL_RESULT_MAX_BYTES }), deps())
    expect(within.result.content).toBe('x'.repeat(TOOL_RESULT_MAX_BYTES))
    const over = await runToolCall(call('flood', { size: TOOL_RESULT_MAX_BYTES + 10 }), deps())
    const [head, note] = over.result.content.split('\n… ')
    expect(head).toBe('x'.repeat(TOOL_RESULT_MAX_BYTES))
    expect(note).toMatch(/^\[Result cut: 10 more bytes over the 256 KB limit of a tool result/)
  })

  it('runs only tools it is given', async () => {
    const only: AnyTool[] = [eraseTool(flood)]
    const { result } = await runToolCall(call('read', { path: 'a' }), { ...deps(), tools: only })
    expect(result.content).toMatch(/^Unknown tool "read"\. Available tools: flood/)
  })

  it('never runs a call cut off at the output limit, and says how to write smaller steps', async () => {
    const cut = {
      ...call('write', '{"path": "big.txt", "content": "line 1\nline'),
      truncated: true,
    }
    const { result, repairs } = await runToolCall(cut, deps())
    expect(existsSync(join(root, 'big.txt'))).toBe(false)
    expect(repairs).toEqual([])
    expect(result.isError).toBe(true)
    expect(result.content).toMatch(
      /output token limit while you were writing the arguments of write/,
    )
    expect(result.content).toMatch(/write a big file in parts/)
    expect(result.replay).toEqual({ name: 'write', arguments: '{}' })
  })

  it('carries the call as executed on the result when it was repaired', async () => {
    writeFileSync(join(root, 'a.txt'), 'one\n')
    const { result } = await runToolCall(call('READ', '{"path": "a.txt",}'), deps())
    expect(result.isError).toBe(false)
    expect(result.replay).toEqual({ name: 'read', arguments: '{"path":"a.txt"}' })
    const clean = await runToolCall(call('read', { path: 'a.txt' }), deps())
    expect(clean.result.replay).toBeUndefined()
  })
})
