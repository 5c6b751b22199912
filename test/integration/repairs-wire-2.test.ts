import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { RepairRecord, ToolResultRecord } from '../../src/shared/entries'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import type { ScriptedToolCall } from '../support/fake-llm'
import { chunk } from '../support/fake-llm'
import { logged, repairNotes } from '../support/session-log'

/**
 * Argument-level repairs at the wire: the fake model streams a call the way open models write
 * it (a Kimi id as the name, another agent's vocabulary, read's line numbers left in an edit, a
 * container path), and the real engine and tools run it. Each test checks the file on disk, the
 * `repair` entry, and the tool message the model was sent next.
 */

let a: AgentFixture | undefined
afterEach(async () => {
  await a?.close()
  a = undefined
})

async function start(files: Record<string, string> = {}): Promise<AgentFixture> {
  a = await agentFixture()
  for (const [rel, content] of Object.entries(files)) a.write(rel, content)
  return a
}

/** Run one scripted call, then a closing answer; the run must finish. */
async function runCall(f: AgentFixture, call: ScriptedToolCall): Promise<void> {
  f.fake.script({ toolCalls: [call] }, { text: 'done' })
  expect(await f.run('Go')).toEqual({ reason: 'done' })
}

const result = (f: AgentFixture): ToolResultRecord => logged(f, 'tool_result')[0]!
const argumentRepairs = (f: AgentFixture): RepairRecord[] =>
  logged(f, 'repair').filter((r) => r.source === 'arguments')
const repairKinds = (f: AgentFixture): string[] => repairNotes(f, 'arguments').map((n) => n.kind)

/** The tool message the model read next: in the last request the fake accepted. */
function told(f: AgentFixture): string {
  const messages = f.fake.chatRequests().at(-1)!.messages
  const tool = messages.filter((m) => m.role === 'tool').at(-1)
  expect(f.fake.requests.every((r) => r.status === 200)).toBe(true)
  return typeof tool?.content === 'string' ? tool.content : JSON.stringify(tool?.content)
}

const disk = (f: AgentFixture, rel: string): string => readFileSync(join(f.workspace, rel), 'utf8')

describe('tool names', () => {
  it('runs a call named with a Kimi-style id (functions.read:0) as read', async () => {
    const f = await start({ 'hello.txt': 'hello there\n' })
    await runCall(f, { name: 'functions.read:0', arguments: { path: 'hello.txt' } })
    expect(result(f).isError).toBe(false)
    expect(told(f)).toBe('     1\thello there')
    expect(argumentRepairs(f)[0]!.notes).toEqual([
      { kind: 'tool_name', detail: 'tool name "functions.read:0" → read' },
    ])
  })
})

describe('a call with arguments but no name', () => {
  /** A gateway that lost the function name of a call's header: only its arguments arrive. */
  function nameless(args: object): object[] {
    return [
      chunk({ role: 'assistant', content: null }),
      chunk({
        tool_calls: [
          {
            index: 0,
            id: 'call_x',
            type: 'function',
            function: { arguments: JSON.stringify(args) },
          },
        ],
      }),
      chunk({}, 'tool_calls'),
    ]
  }

  it('runs as the one tool whose schema fits, and tells the model', async () => {
    const f = await start()
    f.fake.script({ rawChunks: nameless({ path: 'new.txt', content: 'hi\n' }) }, { text: 'done' })
    expect(await f.run('Go')).toEqual({ reason: 'done' })
    expect(disk(f, 'new.txt')).toBe('hi\n')
    expect(repairKinds(f)).toEqual(['tool_inferred'])
    expect(told(f)).toMatch(
      /^Note: your call had no tool name; it was run as write, .*\n\nCreated new.txt/,
    )
  })

  it('names the candidates when several tools fit', async () => {
    const f = await start({ 'a.txt': 'x\n' })
    f.fake.script({ rawChunks: nameless({ path: 'a.txt' }) }, { text: 'done' })
    expect(await f.run('Go')).toEqual({ reason: 'done' })
    expect(told(f)).toBe(
      'The tool call has no tool name, and its arguments (path) fit several tools: read, ls. ' +
        'Call again, naming the tool you mean.',
    )
  })
})

describe("other agents' vocabulary", () => {
  it('edits with file_path, old_str and new_str', async () => {
    const f = await start({ 'a.txt': 'one\ntwo\n' })
    await runCall(f, {
      name: 'edit',
      arguments: { file_path: 'a.txt', old_str: 'two', new_str: 'deux' },
    })
    expect(disk(f, 'a.txt')).toBe('one\ndeux\n')
    expect(told(f)).toMatch(/^Edited a.txt: 1 replacement/)
    expect(repairKinds(f)).toEqual(['key_renamed', 'key_renamed', 'key_renamed'])
  })

  it('edits with camelCase keys (filePath, oldString, newString, replaceAll)', async () => {
    const f = await start({ 'a.txt': 'x x x\n' })
    await runCall(f, {
      name: 'edit',
      arguments: { filePath: 'a.txt', oldString: 'x', newString: 'y', replaceAll: true },
    })
    expect(disk(f, 'a.txt')).toBe('y y y\n')
    expect(told(f)).toMatch(/^Edited a.txt: 3 replacements/)
    expect(argumentRepairs(f)[0]!.notes.map((n) => n.detail)).toEqual([
      "filePath → path (another agent's name for it)",
      'oldString → old_string',
      'newString → new_string',
      'replaceAll → replace_all',
    ])
  })

  it('writes with filename and file_text', async () => {
    const f = await start()
    await runCall(f, { name: 'write', arguments: { filename: 'new.txt', file_text: 'made\n' } })
    expect(disk(f, 'new.txt')).toBe('made\n')
    expect(told(f)).toMatch(/^Created new.txt/)
    expect(repairKinds(f)).toEqual(['key_renamed', 'key_renamed'])
  })

  it('runs a command sent as an argv array', async () => {
    const f = await start()
    await runCall(f, { name: 'bash', arguments: { command: ['bash', '-lc', 'echo hi > out.txt'] } })
    expect(disk(f, 'out.txt')).toBe('hi\n')
    expect(argumentRepairs(f)[0]!.notes).toEqual([
      {
        kind: 'argv_joined',
        detail: 'command: a bash -c argv → its script: "echo hi > out.txt"',
      },
    ])
  })

  it('refuses two keys giving one argument different values, naming both', async () => {
    const f = await start({ 'a.txt': 'one\n' })
    await runCall(f, {
      name: 'write',
      arguments: { path: 'a.txt', file_path: 'b.txt', content: 'x' },
    })
    expect(disk(f, 'a.txt')).toBe('one\n')
    expect(existsSync(join(f.workspace, 'b.txt'))).toBe(false)
    expect(told(f)).toBe(
      'The arguments of write give path twice with different values: path = "a.txt" and ' +
        'file_path = "b.txt". Send only path.',
    )
    expect(result(f).isError).toBe(true)
  })
})

describe("read's line numbers left in an edit", () => {
  it('strips them when that makes a unique match, and tells the model', async () => {
    const f = await start({ 'app.py': 'import os\n\ndef main():\n    return 1\n' })
    await runCall(f, {
      name: 'edit',
      arguments: {
        path: 'app.py',
        old_string: '     3\tdef main():\n     4\t    return 1',
        new_string: '     3\tdef main():\n     4\t    return 2',
      },
    })
    expect(disk(f, 'app.py')).toBe('import os\n\ndef main():\n    return 2\n')
    expect(repairKinds(f)).toEqual(['line_numbers_stripped'])
    const next = told(f)
    expect(
      next.startsWith(
        'Note: old_string and new_string carried line-number prefixes ("     3\\t", as read shows ' +
          'lines); they were removed before the edit.',
      ),
    ).toBe(true)
    expect(next).toContain('\n\nEdited app.py: 1 replacement')
  })

  it('refuses when the text matches both with and without the numbers', async () => {
    const listing = 'header\n     7\tdone\n'
    const f = await start({ 'listing.txt': listing })
    await runCall(f, {
      name: 'edit',
      arguments: { path: 'listing.txt', old_string: '     7\tdone', new_string: 'finished' },
    })
    expect(disk(f, 'listing.txt')).toBe(listing)
    expect(told(f)).toContain(
      'old_string matches listing.txt both as sent and without its line-number prefixes',
    )
  })
})

describe('paths under a made-up container root', () => {
  it('reads /workspace/hello.txt from the workspace instead of being denied', async () => {
    const f = await start({ 'hello.txt': 'hello there\n' })
    await runCall(f, { name: 'read', arguments: { path: '/workspace/hello.txt' } })
    expect(result(f).isError).toBe(false)
    expect(told(f)).toBe(
      'Note: /workspace/hello.txt is outside the workspace; it was taken as hello.txt in the ' +
        'workspace. Paths are relative to the workspace root.\n\n     1\thello there',
    )
    expect(argumentRepairs(f)[0]!.notes).toEqual([
      {
        kind: 'path_remapped',
        detail:
          'path: /workspace/hello.txt is outside the workspace and does not exist; hello.txt ' +
          'does in the workspace → hello.txt',
      },
    ])
  })

  it('writes /testbed/src/new.py into the workspace folder that exists', async () => {
    const f = await start({ 'src/a.py': 'x = 1\n' })
    await runCall(f, { name: 'write', arguments: { path: '/testbed/src/new.py', content: 'y\n' } })
    expect(disk(f, 'src/new.py')).toBe('y\n')
    expect(existsSync('/testbed/src/new.py')).toBe(false)
    expect(told(f)).toContain('\n\nCreated src/new.py')
    expect(repairKinds(f)).toEqual(['path_remapped'])
  })

  it('says which workspace path was probably meant when the rest does not exist', async () => {
    const f = await start()
    await runCall(f, { name: 'read', arguments: { path: '/workspace/missing.txt' } })
    expect(told(f)).toBe(
      'path: /workspace/missing.txt is outside the workspace and does not exist. Paths are ' +
        'relative to the workspace root: you probably meant missing.txt, but that does not ' +
        'exist in the workspace either.',
    )
    expect(result(f).synthetic).toBeUndefined()
  })
})
