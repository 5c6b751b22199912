import { readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createToolContext } from '../../src/main/tools/context'
import { editTool } from '../../src/main/tools/edit'
import { findEdit } from '../../src/main/tools/edit-match'
import { createNodeFsOps } from '../../src/main/tools/node-fs-ops'
import { eraseTool } from '../../src/main/tools/registry'
import { runTool } from '../support/run-tool'
import type { ToolContext, ToolResult } from '../../src/main/tools/types'
import { tempDir } from '../support/temp'

let ws: { path: string; cleanup: () => void }
let root: string
let ctx: ToolContext

beforeEach(() => {
  ws = tempDir('paddock-edit-')
  root = realpathSync(ws.path)
  ctx = createToolContext({
    workspaceRoot: root,
    spillDir: join(root, '.spill'),
    ripgrepPath: null,
  })
})
afterEach(() => ws.cleanup())

function file(name: string, content: string | Buffer): string {
  const path = join(root, name)
  writeFileSync(path, content)
  return path
}

function edit(args: Record<string, unknown>, context = ctx): Promise<ToolResult> {
  return runTool(eraseTool(editTool), args, context)
}

const text = (path: string): string => readFileSync(path, 'utf8')

describe('edit: exact matches', () => {
  it('replaces a unique occurrence and says where', async () => {
    const f = file('a.ts', 'const a = 1\nconst b = 2\nconst c = 3\n')
    const result = await edit({
      path: 'a.ts',
      old_string: 'const b = 2',
      new_string: 'let b = 20\nlet bb = 21',
    })
    expect(result.isError).toBe(false)
    expect(result.content).toBe('Edited a.ts: 1 replacement, now at lines 2-3.')
    expect(text(f)).toBe('const a = 1\nlet b = 20\nlet bb = 21\nconst c = 3\n')
    expect(result.details).toMatchObject({
      path: f,
      before: 'const a = 1\nconst b = 2\nconst c = 3\n',
      after: 'const a = 1\nlet b = 20\nlet bb = 21\nconst c = 3\n',
    })
  })

  it('replaces every occurrence with replace_all', async () => {
    const f = file('a.ts', 'foo()\nbar()\nfoo()\nfoo()\n')
    const result = await edit({
      path: 'a.ts',
      old_string: 'foo()',
      new_string: 'baz()',
      replace_all: true,
    })
    expect(result.content).toBe('Edited a.ts: 3 replacements, now at lines 1, 3, 4.')
    expect(text(f)).toBe('baz()\nbar()\nbaz()\nbaz()\n')
  })

  it('refuses an ambiguous match, saying how many and where, and leaves the file alone', async () => {
    const before = 'x = 1\ny = 2\nx = 1\n'
    const f = file('a.py', before)
    const result = await edit({ path: 'a.py', old_string: 'x = 1', new_string: 'x = 9' })
    expect(result.isError).toBe(true)
    expect(result.content).toMatch(
      /^old_string occurs 2 times in a\.py \(at lines 1, 3\)\. The file was not changed\./,
    )
    expect(result.content).toContain('replace_all')
    expect(text(f)).toBe(before)
  })

  it('shows the closest region when old_string is not found, and leaves the file alone', async () => {
    const before = [
      'import x from "x"',
      '',
      'function total(items) {',
      '  let sum = 0',
      '  for (const item of items) sum += item.price',
      '  return sum',
      '}',
      '',
    ].join('\n')
    const f = file('t.js', before)
    const result = await edit({
      path: 't.js',
      old_string: '  let sum = 0\n  for (const item of items) sum += item.cost\n  return sum',
      new_string: 'return 0',
    })
    expect(result.isError).toBe(true)
    expect(result.content).toMatch(
      /^old_string was not found in t\.js, neither exactly nor after ignoring/,
    )
    expect(result.content).toContain('The most similar region is lines 4-6')
    expect(result.content).toContain('     5\t  for (const item of items) sum += item.price')
    expect(text(f)).toBe(before)

    const nothing = await edit({ path: 't.js', old_string: 'zzzz qqqq', new_string: 'y' })
    expect(nothing.content).toContain('No similar region was found')
  })

  it('refuses old_string equal to new_string', async () => {
    file('a.txt', 'same\n')
    const result = await edit({ path: 'a.txt', old_string: 'same', new_string: 'same' })
    expect(result.isError).toBe(true)
    expect(result.content).toBe(
      'old_string and new_string are identical; there is nothing to change.',
    )
  })

  it('creates a missing file when old_string is empty, and refuses that on a non-empty file', async () => {
    const created = await edit({ path: 'new/file.txt', old_string: '', new_string: 'hello\n' })
    expect(created.isError).toBe(false)
    expect(text(join(root, 'new/file.txt'))).toBe('hello\n')
    const refused = await edit({ path: 'new/file.txt', old_string: '', new_string: 'again' })
    expect(refused.isError).toBe(true)
    expect(text(join(root, 'new/file.txt'))).toBe('hello\n')
    const missing = await edit({ path: 'nope.txt', old_string: 'a', new_string: 'b' })
    expect(missing.content).toMatch(/^nope\.txt not found\./)
  })

  it('leaves the file intact when the write fails', async () => {
    const f = file('a.txt', 'keep me\n')
    const fs = {
      ...createNodeFsOps(),
      writeFileAtomic: async (): Promise<void> => {
        throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' })
      },
    }
    const result = await edit(
      { path: 'a.txt', old_string: 'keep', new_string: 'lose' },
      { ...ctx, fs },
    )
    expect(result.isError).toBe(true)
    expect(result.content).toBe(
      'Could not write a.txt: ENOSPC (no space left on device). The file was not changed.',
    )
    expect(text(f)).toBe('keep me\n')
  })
})

describe('edit: tolerated differences', () => {
  it('CRLF file, LF old_string', async () => {
    const f = file('win.txt', 'one\r\ntwo\r\nthree\r\n')
    const result = await edit({ path: 'win.txt', old_string: 'one\ntwo', new_string: 'uno\ndos' })
    expect(result.isError).toBe(false)
    expect(result.content).toMatch(/matched after ignoring differences in line endings/)
    expect(text(f)).toBe('uno\r\ndos\r\nthree\r\n')
  })

  it('a BOM in the file or copied into old_string', async () => {
    const f = file('bom.txt', '\uFEFFalpha\nbeta\n')
    expect(
      (await edit({ path: 'bom.txt', old_string: 'alpha\nbeta', new_string: 'A\nB' })).isError,
    ).toBe(false)
    expect(readFileSync(f).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    expect(text(f)).toBe('\uFEFFA\nB\n')
    expect(
      (await edit({ path: 'bom.txt', old_string: '\uFEFFA\n', new_string: 'Z\n' })).isError,
    ).toBe(false)
    expect(text(f)).toBe('\uFEFFZ\nB\n')
  })

  it('trailing whitespace on lines', async () => {
    const f = file('ws.js', 'foo();   \nbar();\t\nbaz();\n')
    const result = await edit({ path: 'ws.js', old_string: 'foo();\nbar();', new_string: 'qux();' })
    expect(result.isError).toBe(false)
    expect(text(f)).toBe('qux();\nbaz();\n')
    const g = file('ws2.js', 'one\ntwo\n')
    expect(
      (await edit({ path: 'ws2.js', old_string: 'one  \ntwo ', new_string: '1\n2' })).isError,
    ).toBe(false)
    expect(text(g)).toBe('1\n2\n')
  })

  it('smart quotes vs straight quotes', async () => {
    const f = file('q.md', 'He said “hello” and ‘bye’.\n')
    const result = await edit({
      path: 'q.md',
      old_string: `said "hello" and 'bye'`,
      new_string: 'said nothing',
    })
    expect(result.isError).toBe(false)
    expect(text(f)).toBe('He said nothing.\n')
  })

  it('Unicode dashes vs hyphen-minus', async () => {
    const f = file('d.txt', 'range 1–5 — or −3 ‒ 4\n')
    const result = await edit({
      path: 'd.txt',
      old_string: 'range 1-5 - or -3 - 4',
      new_string: 'range',
    })
    expect(result.isError).toBe(false)
    expect(text(f)).toBe('range\n')
  })

  it('odd spaces (NBSP, thin, em, ideographic) vs spaces', async () => {
    const f = file('s.txt', 'a\u00A0=\u2009b\u2003+\u202Fc\u3000d\n')
    const result = await edit({ path: 's.txt', old_string: 'a = b + c d', new_string: 'x' })
    expect(result.isError).toBe(false)
    expect(text(f)).toBe('x\n')
  })

  it('a block indented less than in the file: matched, and new_string re-indented', async () => {
    const f = file('c.ts', 'class A {\n  method() {\n    return 1\n  }\n\n  other() {}\n}\n')
    const result = await edit({
      path: 'c.ts',
      old_string: 'method() {\n  return 1\n}',
      new_string: 'method() {\n  const v = 2\n  return v\n}',
    })
    expect(result.isError).toBe(false)
    expect(result.content).toContain('re-indented')
    expect(text(f)).toBe(
      'class A {\n  method() {\n    const v = 2\n    return v\n  }\n\n  other() {}\n}\n',
    )
  })

  it('a block indented more than in the file', async () => {
    const f = file('p.py', 'def f():\n    if x:\n        y()\n')
    const result = await edit({
      path: 'p.py',
      old_string: '        if x:\n            y()',
      new_string: '        if x:\n            z()\n        w()',
    })
    expect(result.isError).toBe(false)
    expect(text(f)).toBe('def f():\n    if x:\n        z()\n    w()\n')
  })

  it('a first line copied without its indentation', async () => {
    const f = file('b.ts', 'function f() {\n    if (a) {\n      b()\n    }\n}\n')
    const result = await edit({
      path: 'b.ts',
      old_string: 'if (a) {\n      b()\n    }',
      new_string: 'if (a) {\n      c()\n    }',
    })
    expect(result.isError).toBe(false)
    expect(text(f)).toBe('function f() {\n    if (a) {\n      c()\n    }\n}\n')
  })

  it('tabs in the file, spaces in old_string: new_string comes out with tabs', async () => {
    const f = file('t.go', 'func f() {\n\tif x {\n\t\treturn 1\n\t}\n}\n')
    const result = await edit({
      path: 't.go',
      old_string: '    if x {\n        return 1\n    }',
      new_string: '    if x {\n        return 2\n    }',
    })
    expect(result.isError).toBe(false)
    expect(text(f)).toBe('func f() {\n\tif x {\n\t\treturn 2\n\t}\n}\n')
  })

  it('keeps CRLF line endings and the BOM after an edit', async () => {
    const f = file('both.txt', '\uFEFFline one\r\nline two\r\nline three\r\n')
    const result = await edit({
      path: 'both.txt',
      old_string: 'line two\nline three\n',
      new_string: 'second\nthird\nfourth\n',
    })
    expect(result.isError).toBe(false)
    const bytes = readFileSync(f)
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    const body = bytes.subarray(3).toString('utf8')
    expect(body).toBe('line one\r\nsecond\r\nthird\r\nfourth\r\n')
    expect(body.replace(/\r\n/g, '')).not.toContain('\n')
    expect(readdirSync(root)).toEqual(['both.txt'])
  })
})

describe('edit: folded matches map back to exact original ranges', () => {
  it('holds for generated files mixing CRLF, trailing whitespace and Unicode variants', () => {
    // A small seeded generator (mulberry32): the same cases on every run.
    let seed = 12345
    const rnd = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)
    }
    const variants: Record<string, string[]> = {
      "'": ['\u2018', '\u2019'],
      '"': ['\u201C', '\u201D'],
      '-': ['\u2013', '\u2014', '\u2212'],
      ' ': ['\u00A0', '\u2009'],
    }
    for (let round = 0; round < 500; round++) {
      const n = 2 + rnd(8)
      const canon: string[] = []
      const actual: string[] = []
      for (let i = 0; i < n; i++) {
        let c = `L${i}`
        let a = `L${i}`
        for (let k = rnd(12); k > 0; k--) {
          const ch = `ab'"- x`[rnd(7)] as string
          const alts = variants[ch]
          c += ch
          a += alts && rnd(2) ? (alts[rnd(alts.length)] as string) : ch
        }
        canon.push(c.replace(/ +$/, ''))
        actual.push(a.replace(/[ \u00A0\u2009]+$/, '') + ['', ' ', '\t ', '  '][rnd(4)])
      }
      const eol = rnd(2) ? '\r\n' : '\n'
      const source = actual.join(eol) + (rnd(2) ? eol : '')
      const i = rnd(n)
      const j = i + rnd(n - i)
      const old = canon.slice(i, j + 1).join('\n')
      const outcome = findEdit(source, old, 'NEW', false)
      const label = JSON.stringify({ source, old })
      expect(outcome.kind, label).toBe('found')
      if (outcome.kind !== 'found') continue
      const [r] = outcome.replacements
      if (outcome.how === 'exact') {
        expect(r?.start, label).toBe(source.indexOf(old))
        continue
      }
      // From the start of line i to the end of line j's text, its trailing whitespace included.
      const start = actual.slice(0, i).reduce((s, l) => s + l.length + eol.length, 0)
      const end = start + actual.slice(i, j + 1).join(eol).length
      expect([r?.start, r?.end], label).toEqual([start, end])
    }
  })
})
