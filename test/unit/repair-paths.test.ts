import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, posix, win32 } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { builtinTools } from '../../src/main/tools/registry'
import type { RepairContext, RepairedCall } from '../../src/main/tools/repair'
import { prepareToolCall } from '../../src/main/tools/repair'
import type { EntryKind, RepairFs } from '../../src/main/tools/repair-context'
import { nodeRepairFs } from '../../src/main/tools/repair-context'
import { pathSegments } from '../../src/main/tools/repair-paths'

const tools = builtinTools()

function call(name: string, args: object, ctx: RepairContext): RepairedCall {
  return prepareToolCall(name, JSON.stringify(args), tools, ctx)
}

function input(result: RepairedCall): unknown {
  if (!result.ok) throw new Error(`expected a prepared call, got:\n${result.error}`)
  return result.input
}

function failed(result: RepairedCall): string {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.input)}`)
  return result.error
}

describe('the segments of an absolute path, per platform', () => {
  it('splits a Windows path on its own separators, without the drive', () => {
    expect(pathSegments(win32, 'C:\\workspace\\src\\a.py')).toEqual(['workspace', 'src', 'a.py'])
    expect(pathSegments(win32, 'C:\\')).toEqual([])
    expect(pathSegments(win32, '\\\\server\\share\\a\\b')).toEqual(['a', 'b'])
  })

  it('splits a POSIX path on / only', () => {
    expect(pathSegments(posix, '/workspace/a')).toEqual(['workspace', 'a'])
    expect(pathSegments(posix, '/a\\b/c')).toEqual(['a\\b', 'c'])
  })
})

describe('a container path on a Windows workspace (path.win32 semantics)', () => {
  const ws = 'C:\\Users\\me\\proj'
  /** A Windows machine: the workspace's files, nothing at C:\workspace, C:\testbed, … */
  const entries = new Map<string, EntryKind>([
    ['C:\\Users', 'dir'],
    ['C:\\Users\\me', 'dir'],
    [ws, 'dir'],
    [`${ws}\\hello.txt`, 'file'],
    [`${ws}\\src`, 'dir'],
    [`${ws}\\src\\a.py`, 'file'],
  ])
  const winFs: RepairFs = {
    kind: (p) => entries.get(p) ?? null,
    mayExist: (p) => entries.has(p) || p === 'C:\\',
    realpath: (p) => p,
    readText: () => null,
  }
  const ctx: RepairContext = { workspaceRoot: ws, fs: winFs, platform: 'win32' }

  it('maps /workspace/hello.txt and /testbed/src/a.py into the workspace', () => {
    expect(input(call('read', { path: '/workspace/hello.txt' }, ctx))).toEqual({
      path: 'hello.txt',
    })
    expect(input(call('read', { path: '/testbed/src/a.py' }, ctx))).toEqual({ path: 'src/a.py' })
    expect(input(call('read', { path: '/workspace/proj/src/a.py' }, ctx))).toEqual({
      path: 'src/a.py',
    })
    expect(input(call('write', { path: '/workspace/src/b.py', content: 'x' }, ctx))).toEqual({
      path: 'src/b.py',
      content: 'x',
    })
  })

  it('names the workspace path it probably meant, not C:\\workspace\\…', () => {
    expect(failed(call('read', { path: '/workspace/docs/a.md' }, ctx))).toBe(
      'path: /workspace/docs/a.md is outside the workspace and does not exist. Paths are ' +
        'relative to the workspace root: you probably meant docs/a.md, but that does not exist ' +
        'in the workspace either.',
    )
  })

  it('leaves a path inside the workspace (any case) alone', () => {
    const result = call('read', { path: '/users/ME/proj/hello.txt' }, ctx)
    expect(result.repairs).toEqual([])
    expect(input(result)).toEqual({ path: '/users/ME/proj/hello.txt' })
  })
})

describe('a made-up top folder that is not a known container root', () => {
  let root: string
  let ws: string
  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'paddock-remap-top-')))
    ws = join(root, 'proj')
    mkdirSync(join(ws, 'src'), { recursive: true })
    mkdirSync(join(ws, 'output'))
    writeFileSync(join(ws, 'src', 'a.py'), 'print(1)\n')
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  /** This machine's files under the temp folder; elsewhere, nothing but the temp folder's parents. */
  const ctx = (): RepairContext => {
    const mine = (p: string): boolean => p === root || p.startsWith(`${root}/`)
    return {
      workspaceRoot: ws,
      fs: {
        kind: (p) => (mine(p) ? nodeRepairFs.kind(p) : null),
        mayExist: (p) => (mine(p) ? nodeRepairFs.mayExist(p) : dirname(root).startsWith(p)),
        realpath: (p) => p,
        readText: (p, max) => (mine(p) ? nodeRepairFs.readText(p, max) : null),
      },
    }
  }

  it('does not map a new file under it: /output/result.txt is refused, naming the reading', () => {
    const error = failed(call('write', { path: '/output/result.txt', content: 'x' }, ctx()))
    expect(error).toBe(
      'path: /output/result.txt is outside the workspace and does not exist. Paths are ' +
        'relative to the workspace root: you probably meant result.txt, but /output is not a ' +
        'container root Paddock knows and result.txt does not exist in the workspace, so it ' +
        'was not taken there; if you meant to create it there, call again with path result.txt.',
    )
    expect(
      failed(call('edit', { path: '/sandbox/src/new.py', old_string: '', new_string: 'x' }, ctx())),
    ).toContain('you probably meant src/new.py, but /sandbox is not a container root')
  })

  it('maps it when the rest of the path exists in the workspace, for a write too', () => {
    writeFileSync(join(ws, 'result.txt'), 'old\n')
    expect(input(call('write', { path: '/output/result.txt', content: 'x' }, ctx()))).toEqual({
      path: 'result.txt',
      content: 'x',
    })
    expect(input(call('read', { path: '/sandbox/src/a.py' }, ctx()))).toEqual({ path: 'src/a.py' })
    // The whole path read inside the workspace counts only when it exists, too.
    expect(input(call('read', { path: '/src/a.py' }, ctx()))).toEqual({ path: 'src/a.py' })
    expect(failed(call('write', { path: '/src/new.py', content: 'x' }, ctx()))).toContain(
      'you probably meant new.py, but /src is not a container root',
    )
  })

  it('still creates a file under a known container root whose folder exists', () => {
    for (const path of ['/workspace/result.txt', '/testbed/src/new.py', '/mnt/data/x.csv']) {
      const result = call('write', { path, content: 'x' }, ctx())
      expect(result.repairs.map((r) => r.kind)).toEqual(['path_remapped'])
    }
  })
})
