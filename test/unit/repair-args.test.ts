import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { builtinTools, eraseTool } from '../../src/main/tools/registry'
import type { RepairContext, RepairedCall, RepairKind } from '../../src/main/tools/repair'
import { prepareToolCall } from '../../src/main/tools/repair'
import type { RepairFs } from '../../src/main/tools/repair-context'
import { nodeRepairFs } from '../../src/main/tools/repair-context'
import { shellQuote } from '../../src/main/tools/repair-keys'
import { stripPrefixes } from '../../src/main/tools/repair-lines'
import type { AnyTool, Tool } from '../../src/main/tools/types'

const tools = builtinTools()

type Ok = Extract<RepairedCall, { ok: true }>

function call(name: string, args: object | string, ctx?: RepairContext, list = tools) {
  return prepareToolCall(name, typeof args === 'string' ? args : JSON.stringify(args), list, ctx)
}

function ok(result: RepairedCall): Ok {
  if (!result.ok) throw new Error(`expected a prepared call, got:\n${result.error}`)
  expect(result.tool.schema.safeParse(result.input)).toMatchObject({ success: true })
  return result
}

function failed(result: RepairedCall): string {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.input)}`)
  return result.error
}

function kinds(result: RepairedCall): RepairKind[] {
  return result.repairs.map((r) => r.kind)
}

function testTool<I>(name: string, schema: z.ZodType<I>): AnyTool {
  const tool: Tool<I> = {
    name,
    description: name,
    schema,
    effect: () => ({ kind: 'read' }),
    execute: () => Promise.resolve({ content: 'ran', isError: false }),
  }
  return eraseTool(tool)
}

describe('a Kimi-style call id sent as the tool name', () => {
  it('resolves functions.read:0 and functions.edit:12 to the tool, recorded', () => {
    const read = ok(call('functions.read:0', { path: 'a' }))
    expect(read.tool.name).toBe('read')
    expect(read.repairs).toEqual([
      { kind: 'tool_name', detail: 'tool name "functions.read:0" → read' },
    ])
    const edit = ok(call('functions.edit:12', { path: 'a', old_string: 'x', new_string: 'y' }))
    expect(edit.tool.name).toBe('edit')
    expect(ok(call('read:3', { path: 'a' })).tool.name).toBe('read')
    expect(ok(call('functions.shell_read:1', {})).tool.name).toBe('shell_read')
  })

  it('keeps the other namespace forms working', () => {
    expect(ok(call('functions.read', { path: 'a' })).tool.name).toBe('read')
    expect(ok(call('default_api:ls', {})).tool.name).toBe('ls')
    expect(failed(call('functions.deploy:0', {}))).toMatch(/^Unknown tool "functions.deploy:0"/)
  })
})

describe('a call with arguments but no tool name', () => {
  it('runs as the one tool whose schema fits, recorded, and tells the model', async () => {
    const result = ok(call('', { path: 'a.txt', content: 'hi' }))
    expect(result.tool.name).toBe('write')
    expect(result.input).toEqual({ path: 'a.txt', content: 'hi' })
    expect(result.repairs).toMatchObject([
      {
        kind: 'tool_inferred',
        detail: 'no tool name; the arguments (path, content) fit only write → write',
      },
    ])
    expect(result.repairs[0]?.tell).toContain('it was run as write')
    expect(ok(call(' ', { command: 'ls' })).tool.name).toBe('bash')
    const edit = ok(call('', { path: 'a', old_string: 'x', new_string: 'y', replace_all: true }))
    expect(edit.tool.name).toBe('edit')
  })

  it('puts the note before what the tool returns', async () => {
    const probe = testTool('probe', z.object({ zzz: z.string() }).strict())
    const result = ok(call('', { zzz: 'x' }, undefined, [...tools, probe]))
    const out = await result.tool.execute(result.input as never, {} as never)
    expect(out.content).toMatch(/^Note: your call had no tool name; it was run as probe.*\n\nran$/)
  })

  it('names the candidates when several tools fit', () => {
    expect(failed(call('', { path: 'src' }))).toBe(
      'The tool call has no tool name, and its arguments (path) fit several tools: read, ls. ' +
        'Call again, naming the tool you mean.',
    )
    expect(failed(call('', { pattern: '*.ts' }))).toContain('fit several tools: grep, glob.')
  })

  it('judges the arguments as sent, before any repair could make a tool fit', () => {
    // write would fit once file_path is renamed: no guess is made from a repaired reading.
    const error = failed(call('', { file_path: 'a.txt', content: 'hi' }))
    expect(error).toContain('its arguments (file_path, content) fit none of the tools')
    expect(error).toContain('Available tools: read, write, edit, bash,')
  })

  it('takes the name from inside the arguments: {"name": …, "arguments": …}', () => {
    const result = ok(call('', { name: 'read', arguments: { path: 'a' } }))
    expect(result.tool.name).toBe('read')
    expect(result.input).toEqual({ path: 'a' })
    expect(kinds(result)).toEqual(['tool_inferred', 'unwrapped'])
  })

  it('refuses arguments that are not an object, or not JSON', () => {
    expect(failed(call('', '[1]'))).toContain('its arguments are not a JSON object')
    expect(failed(call('', '{"path": '))).toContain(
      'The tool call has no tool name, and its arguments are not valid JSON',
    )
  })
})

describe("other agents' vocabulary", () => {
  it('maps file_path, old_str and new_str (Claude Code, str_replace) to edit', () => {
    const result = ok(call('edit', { file_path: 'a', old_str: 'x', new_str: 'y' }))
    expect(result.input).toEqual({ path: 'a', old_string: 'x', new_string: 'y' })
    expect(result.repairs).toEqual([
      {
        kind: 'key_renamed',
        field: 'file_path',
        detail: "file_path → path (another agent's name for it)",
      },
      {
        kind: 'key_renamed',
        field: 'old_str',
        detail: "old_str → old_string (another agent's name for it)",
      },
      {
        kind: 'key_renamed',
        field: 'new_str',
        detail: "new_str → new_string (another agent's name for it)",
      },
    ])
  })

  it('maps camelCase keys to the snake_case arguments', () => {
    const result = ok(
      call('edit', { filePath: 'a', oldString: 'x', newString: 'y', replaceAll: true }),
    )
    expect(result.input).toEqual({ path: 'a', old_string: 'x', new_string: 'y', replace_all: true })
    expect(result.repairs.map((r) => r.detail)).toContain('replaceAll → replace_all')
    expect(ok(call('bash', { command: 'ls', timeoutMs: 5 })).input).toEqual({
      command: 'ls',
      timeout_ms: 5,
    })
  })

  it("maps write's content, bash's cmd and read's start_line", () => {
    expect(ok(call('write', { filename: 'a', file_text: 'x' })).input).toEqual({
      path: 'a',
      content: 'x',
    })
    expect(ok(call('write', { path: 'a', text: 'x' })).input).toEqual({ path: 'a', content: 'x' })
    expect(ok(call('bash', { cmd: 'ls' })).input).toEqual({ command: 'ls' })
    expect(ok(call('read', { absolute_path: 'a', start_line: 3 })).input).toEqual({
      path: 'a',
      offset: 3,
    })
    expect(ok(call('grep', { pattern: 'x', include: '*.ts' })).input).toEqual({
      pattern: 'x',
      glob: '*.ts',
    })
  })

  it('drops a second key with the same value, and refuses two different values, naming both', () => {
    const same = ok(call('read', { path: 'a', file_path: 'a' }))
    expect(same.input).toEqual({ path: 'a' })
    expect(same.repairs).toEqual([
      {
        kind: 'key_renamed',
        field: 'file_path',
        detail: 'file_path: the same value as path → dropped',
      },
    ])
    expect(failed(call('read', { path: 'a.txt', file_path: 'b.txt' }))).toBe(
      'The arguments of read give path twice with different values: path = "a.txt" and ' +
        'file_path = "b.txt". Send only path.',
    )
    expect(
      failed(call('edit', { file_path: 'a', filename: 'b', old_string: 'x', new_string: 'y' })),
    ).toBe(
      'The arguments of edit give path twice with different values: file_path = "a" and ' +
        'filename = "b". Send only path.',
    )
  })

  it('leaves a key the tool itself has, and does not rename into an argument it lacks', () => {
    const own = testTool(
      'own',
      z.object({ file_path: z.string(), path: z.string().optional() }).strict(),
    )
    const result = ok(call('own', { file_path: 'a' }, undefined, [own]))
    expect(result.input).toEqual({ file_path: 'a' })
    expect(result.repairs).toEqual([])
    // ls has no content: `text` is not renamed, it is an unknown key.
    expect(kinds(ok(call('ls', { text: 'x' })))).toEqual(['dropped_unknown_key'])
  })

  it('does not rename a valid call', () => {
    const result = ok(call('edit', { path: 'a', old_string: 'x', new_string: 'y' }))
    expect(result.repairs).toEqual([])
  })
})

describe('command as an argv array', () => {
  it('takes the script of a shell -c argv', () => {
    for (const argv of [
      ['bash', '-lc', 'ls -la'],
      ['bash', '-c', 'ls -la'],
      ['/bin/sh', '-c', 'ls -la'],
      ['zsh', '-l', '-c', 'ls -la'],
    ]) {
      const result = ok(call('bash', { command: argv }))
      expect(result.input).toEqual({ command: 'ls -la' })
      expect(kinds(result)).toEqual(['argv_joined'])
    }
  })

  it('shell-quotes and joins any other argv', () => {
    expect(ok(call('bash', { command: ['ls', '-la'] })).input).toEqual({ command: 'ls -la' })
    const quoted = ok(call('bash', { command: ['echo', 'a b', "it's", '', 'x=1', 'a;b'] }))
    expect(quoted.input).toEqual({ command: `echo 'a b' 'it'\\''s' '' x=1 'a;b'` })
    expect(ok(call('bash', { command: ['sleep', 2] })).input).toEqual({ command: 'sleep 2' })
    // bash -c with positional arguments is not a bare script: it stays an argv, quoted.
    expect(ok(call('bash', { command: ['bash', '-c', 'echo $0', 'x'] })).input).toEqual({
      command: `bash -c 'echo $0' x`,
    })
  })

  it('takes a one-item array as the command line it holds', () => {
    expect(ok(call('bash', { command: ['ls -la | head'] })).input).toEqual({
      command: 'ls -la | head',
    })
  })

  it('works after cmd is renamed, and leaves arrays it cannot read', () => {
    const result = ok(call('bash', { cmd: ['bash', '-lc', 'pwd'] }))
    expect(result.input).toEqual({ command: 'pwd' })
    expect(kinds(result)).toEqual(['key_renamed', 'argv_joined'])
    expect(failed(call('bash', { command: [] }))).toContain(
      '- command: expected a non-empty string',
    )
    expect(failed(call('bash', { command: ['ls', { a: 1 }] }))).toContain('- command:')
  })

  it('quotes a word the way the shell reads it back', () => {
    expect(shellQuote('plain/path.txt')).toBe('plain/path.txt')
    expect(shellQuote('$HOME')).toBe(`'$HOME'`)
  })
})

describe('paths under a made-up container root', () => {
  let root: string
  let ws: string
  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'paddock-remap-')))
    ws = join(root, 'myproj')
    mkdirSync(join(ws, 'src'), { recursive: true })
    writeFileSync(join(ws, 'hello.txt'), 'hi\n')
    writeFileSync(join(ws, 'src', 'a.py'), 'print(1)\n')
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  /** This machine's files under the temp folder; elsewhere, only `host` exists. */
  function hostWith(host: readonly string[]): RepairFs {
    const has = (p: string): boolean => host.some((h) => h === p || h.startsWith(`${p}/`))
    const mine = (p: string): boolean => p === root || p.startsWith(`${root}/`)
    return {
      kind: (p) => (mine(p) ? nodeRepairFs.kind(p) : has(p) ? 'file' : null),
      mayExist: (p) => (mine(p) ? nodeRepairFs.mayExist(p) : has(p) || dirname(root).startsWith(p)),
      realpath: (p) => p,
      readText: (p, max) => (mine(p) ? nodeRepairFs.readText(p, max) : null),
    }
  }
  const ctx = (host: readonly string[] = ['/etc/passwd', '/tmp/x', '/home/me']): RepairContext => ({
    workspaceRoot: ws,
    fs: hostWith(host),
  })

  it('maps /workspace/hello.txt and /testbed/src/a.py into the workspace, recorded, with a note', () => {
    const result = ok(call('read', { path: '/workspace/hello.txt' }, ctx()))
    expect(result.input).toEqual({ path: 'hello.txt' })
    expect(result.repairs).toMatchObject([
      {
        kind: 'path_remapped',
        field: 'path',
        detail:
          'path: /workspace/hello.txt is outside the workspace and does not exist; hello.txt does in the workspace → hello.txt',
      },
    ])
    expect(result.repairs[0]?.tell).toContain('it was taken as hello.txt in the workspace')
    for (const path of ['/testbed/src/a.py', '/app/src/a.py', '/repo/src/a.py', '/code/src/a.py']) {
      expect(ok(call('read', { path }, ctx())).input).toEqual({ path: 'src/a.py' })
    }
    expect(ok(call('read', { path: '/home/user/project/src/a.py' }, ctx())).input).toEqual({
      path: 'src/a.py',
    })
    expect(ok(call('read', { path: '/mnt/data/hello.txt' }, ctx())).input).toEqual({
      path: 'hello.txt',
    })
  })

  it("strips the workspace's own folder name after the container root, and maps a folder", () => {
    expect(ok(call('read', { path: `/workspace/${basename(ws)}/src/a.py` }, ctx())).input).toEqual({
      path: 'src/a.py',
    })
    expect(ok(call('ls', { path: '/workspace' }, ctx())).input).toEqual({ path: '.' })
    expect(ok(call('grep', { pattern: 'x', path: '/workspace/src' }, ctx())).input).toEqual({
      pattern: 'x',
      path: 'src',
    })
  })

  it('reads a path with a top folder this machine lacks relative to the workspace: /src/a.py', () => {
    expect(ok(call('read', { path: '/src/a.py' }, ctx())).input).toEqual({ path: 'src/a.py' })
  })

  it('maps a write whose folder exists in the workspace, even for a new file', () => {
    expect(ok(call('write', { path: '/workspace/new.txt', content: 'x' }, ctx())).input).toEqual({
      path: 'new.txt',
      content: 'x',
    })
    expect(ok(call('write', { path: '/testbed/src/b.py', content: 'x' }, ctx())).input).toEqual({
      path: 'src/b.py',
      content: 'x',
    })
    expect(
      ok(call('edit', { path: '/workspace/src/c.py', old_string: '', new_string: 'x' }, ctx()))
        .input,
    ).toMatchObject({ path: 'src/c.py' })
  })

  it('says the path is outside the workspace and which path it probably meant', () => {
    expect(failed(call('read', { path: '/workspace/missing.txt' }, ctx()))).toBe(
      'path: /workspace/missing.txt is outside the workspace and does not exist. Paths are ' +
        'relative to the workspace root: you probably meant missing.txt, but that does not ' +
        'exist in the workspace either.',
    )
    expect(failed(call('write', { path: '/workspace/docs/new.md', content: 'x' }, ctx()))).toBe(
      'path: /workspace/docs/new.md is outside the workspace and does not exist. Paths are ' +
        'relative to the workspace root: you probably meant docs/new.md, but its folder docs ' +
        'does not exist in the workspace yet; if you meant to create it there, call again with ' +
        'path docs/new.md.',
    )
  })

  it('refuses two readings that both exist, naming both', () => {
    mkdirSync(join(ws, 'workspace'))
    writeFileSync(join(ws, 'workspace', 'hello.txt'), 'other\n')
    expect(failed(call('read', { path: '/workspace/hello.txt' }, ctx()))).toBe(
      'path: /workspace/hello.txt is outside the workspace, and it could mean hello.txt and ' +
        'workspace/hello.txt in the workspace, which both exist. Call again with the ' +
        'workspace-relative path you mean.',
    )
  })

  it('leaves real paths outside the workspace to the permission policy', () => {
    // It exists on this machine: a real file, not a made-up one, whatever the workspace holds.
    mkdirSync(join(ws, 'etc'))
    writeFileSync(join(ws, 'etc', 'passwd'), 'x\n')
    writeFileSync(join(ws, 'passwd'), 'x\n')
    for (const path of ['/etc/passwd', '/tmp/x']) {
      const result = ok(call('read', { path }, ctx()))
      expect(result.input).toEqual({ path })
      expect(result.repairs).toEqual([])
    }
    // Nothing there, but under folders this machine has: a real place, left to the policy too.
    expect(ok(call('write', { path: '/home/me/new.txt', content: 'x' }, ctx())).input).toEqual({
      path: '/home/me/new.txt',
      content: 'x',
    })
    // A container root this machine really has is no made-up root.
    expect(ok(call('read', { path: '/app/hello.txt' }, ctx(['/app/other']))).input).toEqual({
      path: '/app/hello.txt',
    })
  })

  it('never maps through a credential folder, nor to a secret file', () => {
    mkdirSync(join(ws, '.ssh'))
    writeFileSync(join(ws, '.ssh', 'id_rsa'), 'x\n')
    writeFileSync(join(ws, '.env'), 'KEY=x\n')
    for (const path of ['/workspace/.ssh/id_rsa', `${homedir()}/.ssh/id_rsa`, '/workspace/.env']) {
      const result = ok(call('read', { path }, ctx()))
      expect(result.input).toEqual({ path })
      expect(result.repairs).toEqual([])
    }
  })

  it('leaves paths inside the workspace, relative paths, and calls without a context', () => {
    expect(ok(call('read', { path: join(ws, 'hello.txt') }, ctx())).repairs).toEqual([])
    expect(ok(call('read', { path: 'hello.txt' }, ctx())).repairs).toEqual([])
    expect(ok(call('read', { path: '/workspace/hello.txt' })).input).toEqual({
      path: '/workspace/hello.txt',
    })
  })
})

describe("read's line numbers left in an edit", () => {
  let root: string
  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'paddock-lines-')))
    writeFileSync(join(root, 'a.ts'), 'import x\n\nconst a = 1\nconst b = 2\nexport { a }\n')
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))
  const ctx = (): RepairContext => ({ workspaceRoot: root })
  const edit = (old_string: string, new_string: string, path = 'a.ts') =>
    call('edit', { path, old_string, new_string }, ctx())

  it("strips read's prefixes from old_string and new_string when that makes a unique match", () => {
    const result = ok(
      edit(
        '     3\tconst a = 1\n     4\tconst b = 2',
        '     3\tconst a = 10\n     4\tconst b = 20',
      ),
    )
    expect(result.input).toEqual({
      path: 'a.ts',
      old_string: 'const a = 1\nconst b = 2',
      new_string: 'const a = 10\nconst b = 20',
    })
    expect(result.repairs).toMatchObject([
      {
        kind: 'line_numbers_stripped',
        field: 'old_string',
        detail:
          'old_string and new_string: line-number prefixes ("     3\\t") → stripped; without ' +
          'them old_string matches a.ts at line 3, as sent it does not',
      },
    ])
    expect(result.repairs[0]?.tell).toContain('they were removed before the edit')
  })

  it('strips only old_string when new_string has no prefixes', () => {
    const result = ok(edit('3\tconst a = 1', 'const a = 10'))
    expect(result.input).toMatchObject({ old_string: 'const a = 1', new_string: 'const a = 10' })
    expect(result.repairs[0]?.detail).toMatch(/^old_string: line-number prefixes \("3\\t"\)/)
  })

  it('takes an empty line whose tab was trimmed, and the 12→ and 12| forms', () => {
    expect(
      ok(edit('     1\timport x\n     2\n     3\tconst a = 1', 'import y')).input,
    ).toMatchObject({ old_string: 'import x\n\nconst a = 1' })
    expect(ok(edit('     3→const a = 1', 'const a = 3')).input).toMatchObject({
      old_string: 'const a = 1',
    })
    expect(ok(edit('3| const a = 1\n4| const b = 2', 'x')).input).toMatchObject({
      old_string: 'const a = 1\nconst b = 2',
    })
  })

  it('needs numbers that run on, a match, and a text that does not match as sent', () => {
    // Not consecutive: not read output.
    expect(ok(edit('3\tconst a = 1\n9\tconst b = 2', 'x')).repairs).toEqual([])
    // Stripped, it still does not match: left for edit to report with the closest region.
    expect(ok(edit('3\tconst z = 1', 'x')).repairs).toEqual([])
    // A file that does not exist: nothing to judge against.
    expect(ok(edit('3\tconst a = 1', 'x', 'nope.ts')).repairs).toEqual([])
  })

  it('refuses when new_string has the prefixes on some lines only', () => {
    expect(failed(edit('3\tconst a = 1', '3\tconst a = 1\nconst c = 3'))).toBe(
      'old_string carries line-number prefixes ("3\\t") and matches a.ts without them, but only ' +
        'some lines of new_string carry them, so whether the others are meant as text cannot be ' +
        'told. Send old_string and new_string without line numbers.',
    )
  })

  it('refuses when the text matches both with and without the numbers, to different effect', () => {
    writeFileSync(join(root, 'listing.txt'), 'header\n     7\tdone\n')
    const error = failed(edit('     7\tdone', 'finished', 'listing.txt'))
    expect(error).toBe(
      'old_string matches listing.txt both as sent and without its line-number prefixes ' +
        '("     7\\t", at line 2), so which text you mean cannot be told. Send old_string ' +
        'exactly as it is in the file, with enough surrounding lines to be unique.',
    )
    // Both readings make the same file: there is nothing to tell apart, the call runs as sent.
    const same = ok(edit('     7\tdone', '     7\tfinished', 'listing.txt'))
    expect(same.input).toMatchObject({ old_string: '     7\tdone' })
    expect(same.repairs).toEqual([])
  })

  it('reads nothing through a symlink out of the workspace', () => {
    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'paddock-outside-')))
    try {
      writeFileSync(join(outside, 'b.ts'), 'const a = 1\n')
      symlinkSync(join(outside, 'b.ts'), join(root, 'link.ts'))
      expect(ok(edit('1\tconst a = 1', 'x', 'link.ts')).repairs).toEqual([])
    } finally {
      rmSync(outside, { recursive: true, force: true })
    }
  })

  it('runs on the path a container path was mapped to', () => {
    const result = ok(
      call(
        'edit',
        { path: '/nonexistent-top/a.ts', old_string: '3\tconst a = 1', new_string: 'x' },
        ctx(),
      ),
    )
    expect(result.input).toMatchObject({ path: 'a.ts', old_string: 'const a = 1' })
    expect(kinds(result)).toEqual(['path_remapped', 'line_numbers_stripped'])
  })

  it('strips a style only when every line has it', () => {
    const tab = { prefix: /^ *(\d+)\t/ }
    expect(stripPrefixes('  1\ta\n  2\tb\n', tab, true)).toBe('a\nb\n')
    expect(stripPrefixes('  1\ta\nb', tab, true)).toBeUndefined()
    // Bare numbers alone are a list of numbers, not numbered empty lines.
    expect(stripPrefixes('1\n2', tab, true)).toBeUndefined()
  })
})
