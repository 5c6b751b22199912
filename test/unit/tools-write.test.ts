import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createToolContext } from '../../src/main/tools/context'
import { createNodeFsOps } from '../../src/main/tools/node-fs-ops'
import { eraseTool } from '../../src/main/tools/registry'
import { runTool } from '../support/run-tool'
import type { FsOps, ToolContext, ToolResult } from '../../src/main/tools/types'
import { writeTool } from '../../src/main/tools/write'
import { tempDir } from '../support/temp'

let ws: { path: string; cleanup: () => void }
let root: string
let ctx: ToolContext

beforeEach(() => {
  ws = tempDir('paddock-write-')
  root = realpathSync(ws.path)
  ctx = createToolContext({
    workspaceRoot: root,
    spillDir: join(root, '.spill'),
    ripgrepPath: null,
  })
})
afterEach(() => ws.cleanup())

function write(args: Record<string, unknown>, context = ctx): Promise<ToolResult> {
  return runTool(eraseTool(writeTool), args, context)
}

/** The real filesystem, except that every write fails as if the disk were full. */
function diskFullFs(): FsOps {
  return {
    ...createNodeFsOps(),
    writeFileAtomic: async () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    },
  }
}

describe('write', () => {
  it('creates a file and its parent folders', async () => {
    const result = await write({ path: 'src/deep/new.ts', content: 'export const a = 1\n' })
    expect(result.isError).toBe(false)
    expect(result.content).toBe('Created src/deep/new.ts: 19 bytes, 1 line.')
    expect(readFileSync(join(root, 'src/deep/new.ts'), 'utf8')).toBe('export const a = 1\n')
    expect(result.details).toEqual({
      path: join(root, 'src/deep/new.ts'),
      created: true,
      before: null,
      after: 'export const a = 1\n',
    })
  })

  it('overwrites a file, keeps its mode and leaves no temp file behind', async () => {
    const file = join(root, 'run.sh')
    writeFileSync(file, 'echo old\n')
    chmodSync(file, 0o754)
    const result = await write({ path: 'run.sh', content: 'echo new\necho again\n' })
    expect(result.isError).toBe(false)
    expect(result.content).toBe('Overwrote run.sh: 20 bytes, 2 lines (was 9 bytes).')
    expect(readFileSync(file, 'utf8')).toBe('echo new\necho again\n')
    expect(statSync(file).mode & 0o777).toBe(0o754)
    expect(readdirSync(root)).toEqual(['run.sh'])
    expect(result.details).toMatchObject({ created: false, before: 'echo old\n' })
  })

  it('leaves the original file intact when the disk is full', async () => {
    const file = join(root, 'keep.txt')
    writeFileSync(file, 'precious\n')
    const full = { ...ctx, fs: diskFullFs() }
    const result = await write({ path: 'keep.txt', content: 'replacement' }, full)
    expect(result.isError).toBe(true)
    expect(result.content).toBe(
      'Could not write keep.txt: ENOSPC (no space left on device). The file was not changed.',
    )
    expect(readFileSync(file, 'utf8')).toBe('precious\n')
  })

  it('refuses to replace a folder', async () => {
    mkdirSync(join(root, 'dir'))
    const result = await write({ path: 'dir', content: 'x' })
    expect(result.isError).toBe(true)
    expect(result.content).toBe('dir is a directory; give a file path.')
  })

  it('declares a write effect on the absolute path', () => {
    expect(writeTool.effect({ path: 'a/b.txt', content: '' }, { workspaceRoot: root })).toEqual({
      kind: 'write',
      paths: [join(root, 'a/b.txt')],
    })
  })
})

describe('createNodeFsOps().writeFileAtomic', () => {
  it('replaces content in one step and creates new files with default permissions', async () => {
    const fs = createNodeFsOps()
    const file = join(root, 'x.txt')
    await fs.writeFileAtomic(file, 'one')
    expect(readFileSync(file, 'utf8')).toBe('one')
    await fs.writeFileAtomic(file, Buffer.from('two'))
    expect(readFileSync(file, 'utf8')).toBe('two')
    expect(readdirSync(root)).toEqual(['x.txt'])
  })

  it('fails without leaving a temp file when the folder is missing', async () => {
    const fs = createNodeFsOps()
    await expect(fs.writeFileAtomic(join(root, 'missing', 'x.txt'), 'x')).rejects.toMatchObject({
      code: 'ENOENT',
    })
    expect(readdirSync(root)).toEqual([])
  })
})
