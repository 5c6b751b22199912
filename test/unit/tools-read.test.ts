import { mkdirSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createToolContext } from '../../src/main/tools/context'
import { readTool } from '../../src/main/tools/read'
import { eraseTool } from '../../src/main/tools/registry'
import { callTool, runTool } from '../support/run-tool'
import type { ToolContext, ToolResult } from '../../src/main/tools/types'
import { tempDir } from '../support/temp'

let ws: { path: string; cleanup: () => void }
let data: { path: string; cleanup: () => void }
let root: string
let ctx: ToolContext

beforeEach(() => {
  ws = tempDir('paddock-read-')
  data = tempDir('paddock-read-data-')
  root = realpathSync(ws.path)
  ctx = createToolContext({
    workspaceRoot: root,
    spillDir: join(data.path, 'spill'),
    ripgrepPath: null,
  })
})
afterEach(() => {
  ws.cleanup()
  data.cleanup()
})

function read(args: Record<string, unknown>): Promise<ToolResult> {
  return runTool(eraseTool(readTool), args, ctx)
}

function numbered(from: number, to: number, text: (n: number) => string): string {
  const out: string[] = []
  for (let n = from; n <= to; n++) out.push(`${String(n).padStart(6)}\t${text(n)}`)
  return out.join('\n')
}

describe('read', () => {
  it('numbers lines like cat -n', async () => {
    writeFileSync(join(root, 'a.txt'), 'first\nsecond\n\nfourth')
    const result = await read({ path: 'a.txt' })
    expect(result.isError).toBe(false)
    expect(result.content).toBe('     1\tfirst\n     2\tsecond\n     3\t\n     4\tfourth')
    expect(result.details).toMatchObject({
      totalLines: 4,
      startLine: 1,
      endLine: 4,
      truncated: false,
    })
  })

  it('returns at most 2000 lines and says how to continue', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i + 1}`)
    writeFileSync(join(root, 'big.txt'), lines.join('\n') + '\n')
    const first = await read({ path: 'big.txt' })
    expect(first.content).toBe(
      numbered(1, 2000, (n) => `line ${n}`) +
        '\n\n[Showing lines 1-2000 of 5000. Continue with offset=2001.]',
    )
    const next = await read({ path: 'big.txt', offset: 2001 })
    expect(next.content.startsWith('  2001\tline 2001\n')).toBe(true)
    expect(next.content).toMatch(
      /\[Showing lines 2001-4000 of 5000\. Continue with offset=4001\.\]$/,
    )
    const last = await read({ path: 'big.txt', offset: 4990, limit: 5000 })
    expect(last.content).toBe(numbered(4990, 5000, (n) => `line ${n}`))
    const window = await read({ path: 'big.txt', offset: 10, limit: 3 })
    expect(window.content).toBe(
      numbered(10, 12, (n) => `line ${n}`) +
        '\n\n[Showing lines 10-12 of 5000. Continue with offset=13.]',
    )
  })

  it('keeps the output within 50 KB', async () => {
    const line = 'x'.repeat(200)
    writeFileSync(join(root, 'wide.txt'), Array.from({ length: 1000 }, () => line).join('\n'))
    const result = await read({ path: 'wide.txt' })
    expect(Buffer.byteLength(result.content)).toBeLessThanOrEqual(50 * 1024 + 200)
    const shown = result.content.split('\n').filter((l) => /^\s+\d+\t/.test(l)).length
    expect(shown).toBeGreaterThan(200)
    expect(shown).toBeLessThan(1000)
    expect(result.content).toContain(
      `[Showing lines 1-${shown} of 1000 (50 KB limit). Continue with offset=${shown + 1}.]`,
    )
  })

  it('cuts lines longer than 2000 characters with a marker', async () => {
    writeFileSync(join(root, 'long.txt'), `${'a'.repeat(5000)}\nshort\n`)
    const result = await read({ path: 'long.txt' })
    const [first, second] = result.content.split('\n')
    expect(first).toBe(`     1\t${'a'.repeat(2000)}… [line cut: 5000 characters]`)
    expect(second).toBe('     2\tshort')
  })

  it('refuses binary files', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0x03])
    writeFileSync(join(root, 'img.png'), bytes)
    const result = await read({ path: 'img.png' })
    expect(result.isError).toBe(true)
    expect(result.content).toBe('img.png is a binary file (8 bytes); read refuses binary files.')
    writeFileSync(join(root, 'latin1.bin'), Buffer.alloc(4000, 0xe9))
    expect((await read({ path: 'latin1.bin' })).content).toMatch(/is a binary file \(4000 bytes\)/)
  })

  it('points at ls for a folder', async () => {
    mkdirSync(join(root, 'src'))
    const result = await read({ path: 'src' })
    expect(result.isError).toBe(true)
    expect(result.content).toBe('src is a directory, not a file; use ls to list it.')
  })

  it('says a missing file is not found and suggests close names', async () => {
    mkdirSync(join(root, 'src'))
    writeFileSync(join(root, 'src', 'config.ts'), '')
    writeFileSync(join(root, 'src', 'Config.test.ts'), '')
    writeFileSync(join(root, 'src', 'other.ts'), '')
    const result = await read({ path: 'src/confg.ts' })
    expect(result.isError).toBe(true)
    expect(result.content).toMatch(
      /^src\/confg\.ts not found\. Similar names in that folder: config\.ts/,
    )
    expect(result.content).not.toContain('other.ts')
    const nothing = await read({ path: 'nowhere/x.ts' })
    expect(nothing.content).toBe('nowhere/x.ts not found.')
  })

  it('explains an offset past the end, and an empty file', async () => {
    writeFileSync(join(root, 'three.txt'), 'a\nb\nc\n')
    const past = await read({ path: 'three.txt', offset: 10 })
    expect(past.isError).toBe(true)
    expect(past.content).toBe(
      'offset 10 is past the end of three.txt, which has 3 lines. Use an offset from 1 to 3.',
    )
    writeFileSync(join(root, 'empty.txt'), '')
    const empty = await read({ path: 'empty.txt' })
    expect(empty.isError).toBe(false)
    expect(empty.content).toBe('empty.txt is empty (0 bytes).')
  })

  it('shows CRLF files without carriage returns and drops a BOM', async () => {
    writeFileSync(join(root, 'win.txt'), '\uFEFFone\r\ntwo\r\n')
    expect((await read({ path: 'win.txt' })).content).toBe('     1\tone\n     2\ttwo')
  })

  it('rejects arguments the schema does not know (the call path drops them, saying so)', async () => {
    writeFileSync(join(root, 'a.txt'), 'x')
    expect(readTool.schema.safeParse({ path: 'a.txt', lines: 5 }).success).toBe(false)
    const { result, repairs } = await callTool(
      eraseTool(readTool),
      { path: 'a.txt', lines: 5 },
      ctx,
    )
    expect(result.isError).toBe(false)
    expect(repairs.map((r) => r.detail)).toEqual([
      expect.stringMatching(/^lines: not an accepted argument/),
    ])
    const zero = await read({ path: 'a.txt', offset: 0 })
    expect(zero.isError).toBe(true)
    expect(zero.content).toMatch(/^Invalid arguments for read:\n- offset:/)
  })

  it('can read a spilled output file in the spill folder, outside the workspace', async () => {
    mkdirSync(ctx.spillDir, { recursive: true })
    const spill = join(ctx.spillDir, 'bash-1.log')
    writeFileSync(spill, 'spilled\n')
    const result = await read({ path: spill })
    expect(result.isError).toBe(false)
    expect(result.content).toBe('     1\tspilled')
  })
})
