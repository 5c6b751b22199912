import { realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createToolContext } from '../../src/main/tools/context'
import { builtinTools, findTool, toolSpecs } from '../../src/main/tools/registry'
import type { AnyTool, ToolContext } from '../../src/main/tools/types'
import { callTool, runTool } from '../support/run-tool'
import { tempDir } from '../support/temp'

let ws: { path: string; cleanup: () => void }
let root: string
let ctx: ToolContext

beforeEach(() => {
  ws = tempDir('paddock-registry-')
  root = realpathSync(ws.path)
  ctx = createToolContext({
    workspaceRoot: root,
    spillDir: join(root, '.spill'),
    ripgrepPath: null,
  })
})
afterEach(() => ws.cleanup())

function tool(name: string): AnyTool {
  const found = findTool(builtinTools(), name)
  if (!found) throw new Error(`no tool ${name}`)
  return found
}

describe('tool registry', () => {
  it('offers the built-in tools under unique names', () => {
    const names = builtinTools().map((t) => t.name)
    expect(names).toEqual([
      'read',
      'write',
      'edit',
      'bash',
      'shell_read',
      'shell_write',
      'shell_interrupt',
      'grep',
      'glob',
      'ls',
    ])
    expect(new Set(names).size).toBe(names.length)
  })

  it('describes every tool with a strict object JSON Schema and real descriptions', () => {
    for (const spec of toolSpecs(builtinTools())) {
      expect(spec.description.length, spec.name).toBeGreaterThan(120)
      expect(spec.parameters.type, spec.name).toBe('object')
      expect(spec.parameters.additionalProperties, spec.name).toBe(false)
      expect(spec.parameters, spec.name).not.toHaveProperty('$schema')
      const properties = spec.parameters.properties as Record<string, { description?: string }>
      expect(Object.keys(properties).length, spec.name).toBeGreaterThan(0)
      for (const [key, prop] of Object.entries(properties)) {
        expect(prop.description?.length ?? 0, `${spec.name}.${key}`).toBeGreaterThan(15)
      }
    }
  })

  it('marks required and optional arguments as a model sees them', () => {
    const [edit] = toolSpecs([tool('edit')])
    expect(edit?.parameters.required).toEqual(['path', 'old_string', 'new_string'])
    const [bash] = toolSpecs([tool('bash')])
    expect(bash?.parameters.properties).toMatchObject({
      timeout_ms: { type: 'integer', minimum: 1, maximum: 600000 },
    })
  })

  it('declares effects for scheduling: reads, writes on a path, bash alone', () => {
    const effect = (name: string, input: unknown): unknown =>
      tool(name).effect(input as never, { workspaceRoot: root })
    expect(effect('read', { path: 'a' })).toEqual({ kind: 'read' })
    expect(effect('grep', { pattern: 'a' })).toEqual({ kind: 'read' })
    expect(effect('glob', { pattern: '*' })).toEqual({ kind: 'read' })
    expect(effect('ls', {})).toEqual({ kind: 'read' })
    expect(effect('write', { path: 'a/b', content: '' })).toEqual({
      kind: 'write',
      paths: [join(root, 'a/b')],
    })
    expect(effect('edit', { path: join(root, 'c'), old_string: 'x', new_string: 'y' })).toEqual({
      kind: 'write',
      paths: [join(root, 'c')],
    })
    expect(effect('bash', { command: 'ls' })).toEqual({ kind: 'exclusive' })
  })

  it('turns invalid arguments into an error result naming the problem', async () => {
    writeFileSync(join(root, 'a.txt'), 'x\n')
    // A key the strict schema does not know: the call path drops it and reports the repair.
    expect(tool('read').schema.safeParse({ path: 'a.txt', encoding: 'utf8' }).success).toBe(false)
    const unknown = await callTool(tool('read'), { path: 'a.txt', encoding: 'utf8' }, ctx)
    expect(unknown.result.isError).toBe(false)
    expect(unknown.repairs).toEqual([
      expect.objectContaining({ kind: 'dropped_unknown_key', field: 'encoding' }),
    ])
    const missing = await runTool(tool('write'), { path: 'a.txt' }, ctx)
    expect(missing.isError).toBe(true)
    expect(missing.content).toMatch(/^Invalid arguments for write:\n- content:/)
    const tooLong = await runTool(tool('bash'), { command: 'true', timeout_ms: 700000 }, ctx)
    expect(tooLong.content).toMatch(/^Invalid arguments for bash:\n- timeout_ms:/)
  })

  it('returns Aborted when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    for (const t of builtinTools()) {
      const args: Record<string, unknown> = {
        read: { path: 'a' },
        write: { path: 'a', content: 'x' },
        edit: { path: 'a', old_string: 'x', new_string: 'y' },
        bash: { command: 'touch should-not-exist' },
        shell_read: {},
        shell_write: { text: 'y' },
        shell_interrupt: {},
        grep: { pattern: 'x' },
        glob: { pattern: '*' },
        ls: {},
      }
      const result = await runTool(t, args[t.name], { ...ctx, signal: controller.signal })
      expect(result, t.name).toEqual({ content: 'Aborted', isError: true })
    }
  })
})
