import { mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createToolContext } from '../../src/main/tools/context'
import { globTool } from '../../src/main/tools/glob'
import { lsTool } from '../../src/main/tools/ls'
import { eraseTool } from '../../src/main/tools/registry'
import { runTool } from '../support/run-tool'
import type { ToolContext, ToolResult } from '../../src/main/tools/types'
import { tempDir } from '../support/temp'

let ws: { path: string; cleanup: () => void }
let root: string
let ctx: ToolContext

function put(rel: string, content = ''): void {
  const path = join(root, rel)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content)
}

beforeEach(() => {
  ws = tempDir('paddock-glob-')
  root = realpathSync(ws.path)
  ctx = createToolContext({
    workspaceRoot: root,
    spillDir: join(root, '.spill'),
    ripgrepPath: null,
  })
  put('.gitignore', 'dist/\n*.tmp\n')
  put('README.md')
  put('src/index.ts')
  put('src/app.tsx')
  put('src/lib/util.ts')
  put('src/lib/util.test.ts')
  put('src/lib/cache.tmp')
  put('dist/index.js')
  put('.git/HEAD')
  put('.github/workflows/ci.yml')
  put('a-b.ts')
  put('a/z.ts')
})
afterEach(() => ws.cleanup())

function glob(args: Record<string, unknown>): Promise<ToolResult> {
  return runTool(eraseTool(globTool), args, ctx)
}

function ls(args: Record<string, unknown>): Promise<ToolResult> {
  return runTool(eraseTool(lsTool), args, ctx)
}

describe('glob', () => {
  it('matches at any depth with **, sorted by path, skipping ignored files and .git', async () => {
    const result = await glob({ pattern: '**/*.ts' })
    expect(result.isError).toBe(false)
    expect(result.content).toBe(
      ['a/z.ts', 'a-b.ts', 'src/index.ts', 'src/lib/util.test.ts', 'src/lib/util.ts'].join('\n'),
    )
    expect((await glob({ pattern: '**/*' })).content).not.toMatch(/dist\/|\.git\/|cache\.tmp/)
    expect((await glob({ pattern: '**/*.yml' })).content).toBe('.github/workflows/ci.yml')
  })

  it('matches one folder with *, relative to path, and takes braces', async () => {
    expect((await glob({ pattern: '*.ts' })).content).toBe('a-b.ts')
    expect((await glob({ pattern: 'src/*.{ts,tsx}' })).content).toBe('src/app.tsx\nsrc/index.ts')
    expect((await glob({ pattern: '*.ts', path: 'src/lib' })).content).toBe(
      'src/lib/util.test.ts\nsrc/lib/util.ts',
    )
    expect((await glob({ pattern: 'README.md' })).content).toBe('README.md')
  })

  it('says when nothing matches, and refuses a path outside or a file', async () => {
    expect((await glob({ pattern: '**/*.rs' })).content).toBe(
      'No files match **/*.rs in the workspace.',
    )
    expect((await glob({ pattern: 'nope/**/*.ts' })).content).toMatch(/^No files match/)
    expect((await glob({ pattern: '*', path: '../' })).isError).toBe(true)
    expect((await glob({ pattern: '*', path: 'README.md' })).content).toBe(
      'README.md is a file, not a folder; glob searches folders.',
    )
    expect((await glob({ pattern: '.git/*' })).content).toMatch(/the \.git folder is not searched/)
  })

  it('refuses a pattern that climbs out of the workspace, and never names what is there', async () => {
    const sibling = join(dirname(root), `${basename(root)}-sibling`)
    mkdirSync(join(sibling, 'keys'), { recursive: true })
    writeFileSync(join(sibling, 'keys', 'secret-name.pem'), 'x')
    try {
      for (const pattern of [
        `../${basename(sibling)}/keys/*`,
        `../${basename(sibling)}/**`,
        `src/../../${basename(sibling)}/**/*.pem`,
        `${dirname(root)}/../${basename(dirname(root))}/${basename(sibling)}/**`,
      ]) {
        const result = await glob({ pattern })
        expect(result.isError, pattern).toBe(true)
        expect(result.content, pattern).toMatch(/outside the workspace/)
        expect(result.content).not.toContain('secret-name')
      }
      // A pattern that goes up and comes back in stays allowed.
      expect((await glob({ pattern: `src/../README.md` })).content).toBe('README.md')
      expect((await glob({ pattern: `${root}/src/../README.md` })).content).toBe('README.md')
    } finally {
      rmSync(sibling, { recursive: true, force: true })
    }
  })

  it('returns at most 1000 paths and says more match', async () => {
    for (let i = 0; i < 1005; i++) put(`bulk/f${String(i).padStart(4, '0')}.txt`)
    const result = await glob({ pattern: 'bulk/*.txt' })
    const lines = result.content.split('\n')
    expect(lines[0]).toBe('bulk/f0000.txt')
    expect(lines[999]).toBe('bulk/f0999.txt')
    expect(lines.slice(1000)).toEqual([
      '',
      '[Showing the first 1000 files; more match. Narrow the pattern or path.]',
    ])
  })
})

describe('ls', () => {
  it('lists folders first with a slash, then files, including ignored ones and .git', async () => {
    symlinkSync(join(root, 'src'), join(root, 'src-link'))
    const result = await ls({})
    expect(result.isError).toBe(false)
    expect(result.content).toBe(
      [
        '.git/',
        '.github/',
        'a/',
        'dist/',
        'src/',
        '.gitignore',
        'README.md',
        'a-b.ts',
        'src-link@',
      ].join('\n'),
    )
    expect((await ls({ path: 'src/lib' })).content).toBe('cache.tmp\nutil.test.ts\nutil.ts')
  })

  it('explains files, missing folders and empty ones', async () => {
    expect((await ls({ path: 'README.md' })).content).toBe(
      'README.md is a file, not a folder; use read to see its content.',
    )
    expect((await ls({ path: 'srcc' })).content).toBe(
      'srcc not found. Similar names in that folder: src.',
    )
    mkdirSync(join(root, 'empty'))
    expect((await ls({ path: 'empty' })).content).toBe('empty is empty.')
    expect((await ls({ path: '/etc' })).isError).toBe(true)
  })

  it('shows at most 1000 entries', async () => {
    for (let i = 0; i < 1002; i++) put(`big/${String(i).padStart(4, '0')}`)
    const result = await ls({ path: 'big' })
    expect(result.content.split('\n').slice(-1)[0]).toBe(
      '[Showing 1000 of 1002 entries. Use glob with a pattern to narrow.]',
    )
  })
})
