import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decide } from '../../src/main/policy/decide'
import { builtinTools } from '../../src/main/tools/registry'
import type { RepairContext, RepairedCall } from '../../src/main/tools/repair'
import { prepareToolCall } from '../../src/main/tools/repair'
import type { RepairFs } from '../../src/main/tools/repair-context'
import { nodeRepairFs } from '../../src/main/tools/repair-context'

/**
 * Stripping read's line numbers from an edit reads the file before the permission check: it must
 * never read a file the policy protects, nor one outside the workspace, so that the repair cannot
 * serve as an oracle on a secret's contents.
 */

const tools = builtinTools()
const FAKE_KEY = 'OPENAI_API_KEY=sk-fake-0123456789abcdef'

let base: string
let ws: string
let home: string
let reads: string[]

/** This machine's file system, recording every file read. */
const spyFs: RepairFs = {
  kind: (p) => nodeRepairFs.kind(p),
  mayExist: (p) => nodeRepairFs.mayExist(p),
  realpath: (p) => nodeRepairFs.realpath(p),
  readText: (p, max) => {
    reads.push(p)
    return nodeRepairFs.readText(p, max)
  },
}

beforeEach(() => {
  reads = []
  base = realpathSync(mkdtempSync(join(tmpdir(), 'paddock-lines-policy-')))
  home = join(base, 'home')
  ws = join(home, 'proj')
  mkdirSync(join(ws, '.docker'), { recursive: true })
  mkdirSync(join(ws, '.git'))
  writeFileSync(join(ws, '.env'), `${FAKE_KEY}\nDEBUG=1\n`)
  writeFileSync(join(ws, '.docker', 'config.json'), '{"auths": {"x": "secret"}}\n')
  writeFileSync(join(ws, '.git', 'config'), '[remote "origin"]\n\turl = https://tok@x/y\n')
  writeFileSync(join(ws, 'a.ts'), 'const a = 1\nconst b = 2\n')
})
afterEach(() => rmSync(base, { recursive: true, force: true }))

const ctx = (extra: Partial<RepairContext> = {}): RepairContext => ({
  workspaceRoot: ws,
  fs: spyFs,
  ...extra,
})

function edit(path: string, oldString: string, newString: string, c = ctx()): RepairedCall {
  const args = { path, old_string: oldString, new_string: newString }
  return prepareToolCall('edit', JSON.stringify(args), tools, c)
}

/** The call goes on as sent, unrepaired, to the permission check. */
function asSent(result: RepairedCall, input: object): void {
  if (!result.ok) throw new Error(`expected the call to go on, got:\n${result.error}`)
  expect(result.input).toEqual(input)
  expect(result.repairs).toEqual([])
}

describe("read's line numbers on an edit of a protected file", () => {
  it('.env with a fake key: no repair, no read, and the permission path decides', () => {
    const input = { path: '.env', old_string: `1\t${FAKE_KEY}`, new_string: 'OPENAI_API_KEY=' }
    const result = edit(input.path, input.old_string, input.new_string)
    asSent(result, input)
    expect(reads).toEqual([])
    // The normal path: the policy asks for a secret file, whatever the mode allows for edits.
    const decision = decide('edit', input, {
      workspaceRoot: ws,
      home,
      dataDir: join(base, 'data'),
      mode: 'auto-edit',
      rules: [],
    })
    expect(decision.action).toBe('ask')
    expect(decision.reason).toContain('holds secrets')
  })

  it('is no oracle: a right and a wrong guess at the secret get the same answer', () => {
    const right = edit('.env', `     1\t${FAKE_KEY}`, 'x')
    const wrong = edit('.env', '     1\tOPENAI_API_KEY=sk-guess', 'x')
    const rightAll = edit('.env', `     1\t${FAKE_KEY}\n     2\tDEBUG=1`, '     1\tx\n     2\ty')
    for (const r of [right, wrong, rightAll]) {
      expect(r.ok).toBe(true)
      expect(r.repairs).toEqual([])
    }
    expect(reads).toEqual([])
  })

  it("uses the policy's own classification: .docker/config.json, a link to .env, .git/", () => {
    symlinkSync(join(ws, '.env'), join(ws, 'notes.txt'))
    for (const path of ['.docker/config.json', 'notes.txt', '.git/config', 'sub/../.env']) {
      const result = edit(path, '1\tsomething', 'x')
      asSent(result, { path, old_string: '1\tsomething', new_string: 'x' })
    }
    expect(reads).toEqual([])
  })

  it('reads nothing in a credential folder the workspace holds (the workspace is the home)', () => {
    mkdirSync(join(home, '.ssh'))
    writeFileSync(join(home, '.ssh', 'config'), 'Host x\n  User me\n')
    const c = ctx({ workspaceRoot: home, protect: { home, dataDir: join(base, 'data') } })
    asSent(edit('.ssh/config', '1\tHost x', 'Host y', c), {
      path: '.ssh/config',
      old_string: '1\tHost x',
      new_string: 'Host y',
    })
    // Paddock's data folder inside the workspace is protected the same way.
    const data = join(ws, 'paddock-data')
    mkdirSync(data)
    writeFileSync(join(data, 'log.txt'), 'line\n')
    const inData = ctx({ protect: { home, dataDir: data } })
    expect(edit('paddock-data/log.txt', '1\tline', 'x', inData).repairs).toEqual([])
    expect(reads).toEqual([])
  })

  it('reads nothing outside the workspace, by path or through a symlink', () => {
    const outside = join(base, 'outside')
    mkdirSync(outside)
    writeFileSync(join(outside, 'b.ts'), 'const a = 1\n')
    symlinkSync(join(outside, 'b.ts'), join(ws, 'link.ts'))
    symlinkSync(outside, join(ws, 'linkdir'))
    for (const path of ['../outside/b.ts', join(outside, 'b.ts'), 'link.ts', 'linkdir/b.ts']) {
      expect(edit(path, '1\tconst a = 1', 'x').repairs).toEqual([])
    }
    expect(reads).toEqual([])
  })

  it('still strips the numbers on an ordinary workspace file, reading it once', () => {
    const result = edit('a.ts', '     2\tconst b = 2', 'const b = 3')
    if (!result.ok) throw new Error(result.error)
    expect(result.input).toMatchObject({ old_string: 'const b = 2' })
    expect(result.repairs.map((r) => r.kind)).toEqual(['line_numbers_stripped'])
    expect(reads).toEqual([join(ws, 'a.ts')])
  })
})
