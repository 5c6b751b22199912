import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createToolContext } from '../../src/main/tools/context'
import { createNodeFsOps } from '../../src/main/tools/node-fs-ops'
import { resolveToolPath } from '../../src/main/tools/paths'
import { builtinTools, findTool } from '../../src/main/tools/registry'
import { runTool } from '../support/run-tool'
import type { AnyTool, ToolContext, ToolResult } from '../../src/main/tools/types'
import { tempDir } from '../support/temp'

let ws: { path: string; cleanup: () => void }
let outside: { path: string; cleanup: () => void }
let root: string
let ctx: ToolContext

beforeEach(() => {
  ws = tempDir('paddock-tools-ws-')
  outside = tempDir('paddock-tools-outside-')
  root = realpathSync(ws.path)
  ctx = createToolContext({
    workspaceRoot: root,
    spillDir: join(outside.path, 'spill'),
    ripgrepPath: null,
  })
})
afterEach(() => {
  ws.cleanup()
  outside.cleanup()
})

function tool(name: string): AnyTool {
  const found = findTool(builtinTools(), name)
  if (!found) throw new Error(`no tool ${name}`)
  return found
}

function call(name: string, args: unknown): Promise<ToolResult> {
  return runTool(tool(name), args, ctx)
}

describe('tool paths', () => {
  it('resolves relative paths from the workspace root and absolute ones inside it', async () => {
    const fs = createNodeFsOps()
    const rel = await resolveToolPath({ workspaceRoot: root, fs }, 'src/a.ts')
    const abs = await resolveToolPath({ workspaceRoot: root, fs }, join(root, 'src', 'a.ts'))
    expect(rel).toEqual(abs)
    expect(rel.ok && rel.path).toMatchObject({
      real: join(root, 'src', 'a.ts'),
      display: 'src/a.ts',
      exists: false,
    })
  })

  it('refuses an absolute path outside the workspace', async () => {
    const result = await call('read', { path: '/etc/passwd' })
    expect(result.isError).toBe(true)
    expect(result.content).toBe(
      `Refused: /etc/passwd is outside the workspace ${root}. (Paths outside the workspace are not allowed yet.)`,
    )
  })

  it('refuses a ../ escape, for reads and writes', async () => {
    writeFileSync(join(outside.path, 'secret.txt'), 'top secret')
    const escape = `../${join(outside.path, 'secret.txt').split('/').slice(-2).join('/')}`
    const read = await call('read', { path: escape })
    expect(read.isError).toBe(true)
    expect(read.content).toMatch(/^Refused: .* is outside the workspace/)
    expect(read.content).not.toContain('top secret')

    const write = await call('write', { path: '../escaped.txt', content: 'x' })
    expect(write.isError).toBe(true)
    expect(write.content).toMatch(/outside the workspace/)
    expect(existsSync(join(root, '..', 'escaped.txt'))).toBe(false)
  })

  it('refuses a symlink that escapes the workspace, for files that exist and files that do not', async () => {
    writeFileSync(join(outside.path, 'secret.txt'), 'top secret')
    symlinkSync(outside.path, join(root, 'link'))
    symlinkSync(join(outside.path, 'secret.txt'), join(root, 'secret-link.txt'))

    const viaDir = await call('read', { path: 'link/secret.txt' })
    expect(viaDir.isError).toBe(true)
    expect(viaDir.content).toMatch(
      /resolves through a symbolic link to .*secret\.txt, which is outside/,
    )
    const viaFile = await call('read', { path: 'secret-link.txt' })
    expect(viaFile.isError).toBe(true)
    expect(viaFile.content).not.toContain('top secret')

    // A new file under a symlinked parent folder would land outside: refused, nothing written.
    const write = await call('write', { path: 'link/new/file.txt', content: 'x' })
    expect(write.isError).toBe(true)
    expect(write.content).toMatch(/outside the workspace/)
    expect(existsSync(join(outside.path, 'new'))).toBe(false)
    const edit = await call('edit', {
      path: 'secret-link.txt',
      old_string: 'top',
      new_string: 'no',
    })
    expect(edit.isError).toBe(true)
    expect(readFileSync(join(outside.path, 'secret.txt'), 'utf8')).toBe('top secret')
  })

  it('refuses a dangling symlink, whose target is unknown', async () => {
    symlinkSync(join(outside.path, 'not-there'), join(root, 'dangling'))
    const write = await call('write', { path: 'dangling/x.txt', content: 'x' })
    expect(write.isError).toBe(true)
    expect(write.content).toMatch(/symbolic link .* whose target does not exist/)
    expect(existsSync(join(outside.path, 'not-there'))).toBe(false)
  })

  it('allows a symlinked folder that stays inside the workspace', async () => {
    mkdirSync(join(root, 'real-dir'))
    writeFileSync(join(root, 'real-dir', 'a.txt'), 'inside\n')
    symlinkSync(join(root, 'real-dir'), join(root, 'alias'))
    const read = await call('read', { path: 'alias/a.txt' })
    expect(read.isError).toBe(false)
    expect(read.content).toBe('     1\tinside')
    const write = await call('write', { path: 'alias/b.txt', content: 'new\n' })
    expect(write.isError).toBe(false)
    expect(readFileSync(join(root, 'real-dir', 'b.txt'), 'utf8')).toBe('new\n')
  })

  it('refuses writes inside .git but allows reading there', async () => {
    mkdirSync(join(root, '.git'))
    writeFileSync(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n')
    const write = await call('write', { path: '.git/HEAD', content: 'x' })
    expect(write.isError).toBe(true)
    expect(write.content).toMatch(/inside a \.git folder/)
    const edit = await call('edit', { path: '.git/HEAD', old_string: 'main', new_string: 'x' })
    expect(edit.isError).toBe(true)
    expect(readFileSync(join(root, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n')
    const nested = await call('write', { path: 'sub/.git/config', content: 'x' })
    expect(nested.isError).toBe(true)
    expect((await call('read', { path: '.git/HEAD' })).isError).toBe(false)
  })
})
