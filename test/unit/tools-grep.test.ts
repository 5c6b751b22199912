import { execFileSync } from 'node:child_process'
import { mkdirSync, realpathSync, truncateSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createToolContext } from '../../src/main/tools/context'
import { findRipgrep, grepTool } from '../../src/main/tools/grep'
import { GREP_BUILTIN_MAX_FILE_BYTES } from '../../src/main/tools/truncate'
import { eraseTool } from '../../src/main/tools/registry'
import { runTool } from '../support/run-tool'
import type { ToolContext, ToolResult } from '../../src/main/tools/types'
import { tempDir } from '../support/temp'

function rgOnPath(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim() || null
  } catch {
    return null
  }
}
const rg = rgOnPath()

let ws: { path: string; cleanup: () => void }
let root: string

function put(rel: string, content: string | Buffer): void {
  const path = join(root, rel)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content)
}

beforeAll(() => {
  ws = tempDir('paddock-grep-')
  root = realpathSync(ws.path)
  put('.gitignore', 'ignored/\n*.log\n')
  put('src/a.ts', 'export const alpha = 1\nfunction beta() {}\nconst ALPHA_MAX = 3\n')
  put('src/b.tsx', 'alpha in tsx\n')
  put('src/sub/.gitignore', 'secret.ts\n')
  put('src/sub/secret.ts', 'alpha hidden by a nested .gitignore\n')
  put('src/sub/c.ts', 'before\nalpha c\nafter\n')
  put('src/gen.log', 'alpha log\n')
  put('ignored/x.ts', 'alpha ignored\n')
  put('.git/config', 'alpha in git\n')
  put('.hidden.ts', 'alpha dotfile\n')
  put('bin.dat', Buffer.concat([Buffer.from('alpha '), Buffer.from([0, 1, 2])]))
  put('a-c.ts', 'alpha dash\n')
  put('a/b.ts', 'alpha slash\n')
  put('crlf.txt', 'alpha crlf\r\nnext\r\n')
  put('many/m.txt', Array.from({ length: 150 }, (_, i) => `hit ${i + 1}`).join('\n') + '\n')
})
afterAll(() => ws.cleanup())

const impls: Array<{ name: string; rg: string | null; skip: boolean }> = [
  { name: 'built-in', rg: null, skip: false },
  // Skipped only where ripgrep is not installed: the built-in search covers the behaviour then.
  { name: 'ripgrep', rg, skip: rg === null },
]

function context(ripgrepPath: string | null): ToolContext {
  return createToolContext({ workspaceRoot: root, spillDir: join(root, '.spill'), ripgrepPath })
}

function grep(ripgrepPath: string | null, args: Record<string, unknown>): Promise<ToolResult> {
  return runTool(eraseTool(grepTool), args, context(ripgrepPath))
}

describe.each(impls)('grep ($name)', ({ rg: rgPath, skip }) => {
  it.skipIf(skip)(
    'prints path:line: text sorted by path, honouring .gitignore, .git and binaries',
    async () => {
      const result = await grep(rgPath, { pattern: 'alpha' })
      expect(result.isError).toBe(false)
      expect(result.content).toBe(
        [
          '.hidden.ts:1: alpha dotfile',
          'a/b.ts:1: alpha slash',
          'a-c.ts:1: alpha dash',
          'crlf.txt:1: alpha crlf',
          'src/a.ts:1: export const alpha = 1',
          'src/b.tsx:1: alpha in tsx',
          'src/sub/c.ts:2: alpha c',
        ].join('\n'),
      )
      expect(result.details).toMatchObject({ engine: rgPath ? 'rg' : 'builtin', matches: 7 })
    },
  )

  it.skipIf(skip)('stops at 100 matches and says more exist', async () => {
    const result = await grep(rgPath, { pattern: '^hit \\d+$' })
    const lines = result.content.split('\n')
    expect(lines.slice(0, 100)).toEqual(
      Array.from({ length: 100 }, (_, i) => `many/m.txt:${i + 1}: hit ${i + 1}`),
    )
    expect(lines.slice(100)).toEqual([
      '',
      '[100 matches shown; more exist. Narrow the pattern or path.]',
    ])
  })

  it.skipIf(skip)('filters files with a glob, without re-including ignored files', async () => {
    expect((await grep(rgPath, { pattern: 'alpha', glob: '*.tsx' })).content).toBe(
      'src/b.tsx:1: alpha in tsx',
    )
    expect((await grep(rgPath, { pattern: 'alpha', glob: 'src/**/*.ts' })).content).toBe(
      'src/a.ts:1: export const alpha = 1\nsrc/sub/c.ts:2: alpha c',
    )
    const logs = await grep(rgPath, { pattern: 'alpha', glob: '*.log' })
    expect(logs.content).toBe('No matches for /alpha/ in the workspace (files matching *.log).')
    const secret = await grep(rgPath, { pattern: 'hidden', glob: 'secret.ts' })
    expect(secret.content).toMatch(/^No matches/)
  })

  it.skipIf(skip)(
    'searches a sub-folder, a single file, and a folder named explicitly though ignored',
    async () => {
      expect((await grep(rgPath, { pattern: 'alpha', path: 'src/sub' })).content).toBe(
        'src/sub/c.ts:2: alpha c',
      )
      expect((await grep(rgPath, { pattern: 'beta', path: 'src/a.ts' })).content).toBe(
        'src/a.ts:2: function beta() {}',
      )
      expect((await grep(rgPath, { pattern: 'alpha', path: 'ignored' })).content).toBe(
        'ignored/x.ts:1: alpha ignored',
      )
    },
  )

  it.skipIf(skip)('ignores case on request and shows context lines', async () => {
    expect(
      (await grep(rgPath, { pattern: 'ALPHA', path: 'src/a.ts', ignore_case: true })).content,
    ).toBe('src/a.ts:1: export const alpha = 1\nsrc/a.ts:3: const ALPHA_MAX = 3')
    const ctx = await grep(rgPath, { pattern: 'alpha c|alpha in', path: 'src', context: 1 })
    expect(ctx.content).toBe(
      [
        'src/b.tsx:1: alpha in tsx',
        '--',
        'src/sub/c.ts-1- before',
        'src/sub/c.ts:2: alpha c',
        'src/sub/c.ts-3- after',
      ].join('\n'),
    )
  })

  it.skipIf(skip)(
    'reports an invalid regular expression, a missing path and no matches',
    async () => {
      const invalid = await grep(rgPath, { pattern: 'foo(' })
      expect(invalid.isError).toBe(true)
      expect(invalid.content).toMatch(
        /^Invalid regular expression "foo\(": .*escape special characters/,
      )
      const missing = await grep(rgPath, { pattern: 'x', path: 'nope' })
      expect(missing.isError).toBe(true)
      expect(missing.content).toBe('nope not found.')
      const none = await grep(rgPath, { pattern: 'zzz_nothing' })
      expect(none).toMatchObject({
        isError: false,
        content: 'No matches for /zzz_nothing/ in the workspace.',
      })
    },
  )

  it.skipIf(skip)('accepts JavaScript-only syntax such as look-ahead', async () => {
    const result = await grep(rgPath, { pattern: 'alpha(?= in)' })
    expect(result.content.split('\n')[0]).toBe('src/b.tsx:1: alpha in tsx')
  })
})

describe('grep: both implementations agree', () => {
  it.skipIf(rg === null)('gives identical output for the same calls', async () => {
    const calls: Array<Record<string, unknown>> = [
      { pattern: 'alpha' },
      { pattern: 'a', context: 2 },
      { pattern: 'hit 1\\d', path: 'many', context: 1 },
      { pattern: 'ALPHA', ignore_case: true, glob: '*.ts' },
      { pattern: 'alpha', path: 'ignored' },
      { pattern: '^hit' },
    ]
    for (const args of calls) {
      const builtin = await grep(null, args)
      const ripgrep = await grep(rg, args)
      expect(ripgrep.content, JSON.stringify(args)).toBe(builtin.content)
    }
  })
})

describe('grep (built-in): files over its size limit', () => {
  it('names the files it skipped, and why, in a bounded list', async () => {
    const big = tempDir('paddock-grep-big-')
    try {
      const bigRoot = realpathSync(big.path)
      writeFileSync(join(bigRoot, 'small.txt'), 'alpha\n')
      mkdirSync(join(bigRoot, 'big'))
      // Sparse files: over the limit by size, without writing the bytes.
      for (let i = 1; i <= 25; i++) {
        const file = join(bigRoot, 'big', `f${String(i).padStart(2, '0')}.txt`)
        writeFileSync(file, '')
        truncateSync(file, GREP_BUILTIN_MAX_FILE_BYTES + 1)
      }
      const ctx = createToolContext({
        workspaceRoot: bigRoot,
        spillDir: join(bigRoot, '.spill'),
        ripgrepPath: null,
      })
      const names = Array.from(
        { length: 20 },
        (_, i) => `big/f${String(i + 1).padStart(2, '0')}.txt`,
      )
      const why =
        `Skipped 25 files over the built-in search's 32 MB size limit (install ripgrep, rg, ` +
        `to search them): ${names.join(', ')} and 5 more.`

      const found = await runTool(eraseTool(grepTool), { pattern: 'alpha' }, ctx)
      expect(found.content).toBe(`small.txt:1: alpha\n\n[${why}]`)
      expect(found.details).toMatchObject({ matches: 1, skipped: 25 })

      const none = await runTool(eraseTool(grepTool), { pattern: 'zzz' }, ctx)
      expect(none.content).toBe(`No matches for /zzz/ in the workspace. ${why}`)

      const one = await runTool(eraseTool(grepTool), { pattern: 'zzz', path: 'big/f03.txt' }, ctx)
      expect(one.content).toBe(
        `No matches for /zzz/ in big/f03.txt. Skipped 1 file over the built-in search's 32 MB ` +
          `size limit (install ripgrep, rg, to search them): big/f03.txt.`,
      )
    } finally {
      big.cleanup()
    }
  })
})

describe.each(impls)('grep ($name): files that hold secrets', ({ rg: rgPath, skip }) => {
  it.skipIf(skip)(
    'never searches them, even without a .gitignore, and names them in one line',
    async () => {
      const dir = tempDir('paddock-grep-secrets-')
      try {
        const secretRoot = realpathSync(dir.path)
        const write = (rel: string, content: string): void => {
          mkdirSync(dirname(join(secretRoot, rel)), { recursive: true })
          writeFileSync(join(secretRoot, rel), content)
        }
        write('.env', 'KEY=planted-secret\n')
        write('config/.env.local', 'OTHER=no match here\n')
        write('deploy/id_rsa', 'KEY planted-private-key\n')
        write('src/a.ts', 'KEY=1\n')
        const ctx = createToolContext({
          workspaceRoot: secretRoot,
          spillDir: join(secretRoot, '.spill'),
          ripgrepPath: rgPath,
        })
        const run = (args: Record<string, unknown>): Promise<ToolResult> =>
          runTool(eraseTool(grepTool), args, ctx)
        // Named whether or not they would match: a search reveals nothing of their content.
        const note =
          '3 files that hold secrets were not searched: .env, config/.env.local, deploy/id_rsa.'

        const found = await run({ pattern: 'KEY' })
        expect(found.content).toBe(`src/a.ts:1: KEY=1\n\n[${note}]`)
        expect(found.content).not.toContain('planted')

        const none = await run({ pattern: 'planted' })
        expect(none.content).toBe(`No matches for /planted/ in the workspace. ${note}`)

        const one = await run({ pattern: 'KEY', path: '.env' })
        expect(one.content).toBe(
          'No matches for /KEY/ in .env. 1 file that holds secrets was not searched: .env.',
        )
        const globbed = await run({ pattern: 'KEY', glob: '.env*' })
        expect(globbed.content).toBe(
          'No matches for /KEY/ in the workspace (files matching .env*). 2 files that hold ' +
            'secrets were not searched: .env, config/.env.local.',
        )
      } finally {
        dir.cleanup()
      }
    },
  )
})

describe('findRipgrep', () => {
  it('finds rg on PATH and returns null without one', () => {
    expect(findRipgrep({ PATH: '' })).toBeNull()
    expect(findRipgrep({ PATH: '/nonexistent-dir' })).toBeNull()
    if (rg) expect(realpathSync(findRipgrep({ PATH: dirname(rg) }) ?? '')).toBe(realpathSync(rg))
  })
})
