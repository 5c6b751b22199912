import { spawn } from 'node:child_process'
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { REPO_ROOT } from '../support/paths'
import { FIXTURE_SERVER } from '../support/mcp'
import { tempDir } from '../support/temp'
import { initRepo } from '../support/git-repo'
import { runCliIn } from '../support/cli-in-process'
import { spawnTs, waitForLine } from '../support/spawn'
import { createMemoryLogger } from '../../src/main/core/logger'
import { createEngine } from '../../src/main/host/engine'

/**
 * The `--json` outputs of the CLI are a public interface (docs/cli-json.md): scripts parse them.
 * These snapshots pin their shapes. `paddock run --json` runs as its own process (stdout must be
 * JSON lines only); the listings run through `runCli`, the same entry point, in this process.
 * Volatile values (ids, times, paths, durations, sizes of the catalog) become placeholders.
 */
const CLI_MAIN = join(REPO_ROOT, 'src', 'main', 'cli', 'main.ts')
const KEY = 'sk-cli-json-test-key-0042'

let fake: FakeLlm
let tmp: ReturnType<typeof tempDir>
let dataDir: string
let workspace: string
let fakeUrl: string

beforeAll(async () => {
  fake = await startFakeLlm({ models: ['m1', 'm2'] })
  fakeUrl = fake.baseUrl
  tmp = tempDir()
  dataDir = join(tmp.path, 'data')
  workspace = join(tmp.path, 'project')
  mkdirSync(workspace)
  workspace = realpathSync(workspace)
  writeFileSync(join(workspace, 'a.txt'), 'one\n')
})
afterAll(async () => {
  await fake.close()
  tmp.cleanup()
})

interface Result {
  status: number | null
  stdout: string
  stderr: string
}

function paddock(...args: string[]): Promise<Result> {
  return runCliIn(dataDir, args, { cwd: tmp.path, env: { CLI_JSON_KEY: KEY }, stdin: KEY })
}

/** `paddock run` as its own process: what a script sees on stdout. */
function paddockProcess(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI_MAIN, ...args, '--data-dir', dataDir],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: tmp.path },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

async function json(...args: string[]): Promise<unknown> {
  const res = await paddock(...args, '--json')
  expect(res.stderr).toBe('')
  expect(res.status).toBe(0)
  return JSON.parse(res.stdout) as unknown
}

const ID_KEYS = /^(id|.*Id|.*Ids)$/
const TIME_KEYS = /^(at|.*At|createdAt|asOf)$/
const DURATION_KEYS = /^(durationMs|ms|elapsedMs|retryInMs)$/
const VOLATILE_KEYS: Record<string, string> = {
  pid: '<pid>',
  host: '<host>',
  hostname: '<host>',
  seq: '<seq>',
  bytes: '<bytes>',
  size: '<bytes>',
}

/** Values that change from run to run become placeholders; the structure stays. */
function normalise(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, key))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value).sort())
      out[k] = normalise((value as Record<string, unknown>)[k], k)
    return out
  }
  if (key in VOLATILE_KEYS && value !== null) return VOLATILE_KEYS[key]
  if (typeof value === 'number' && TIME_KEYS.test(key)) return '<time>'
  if (typeof value === 'number' && DURATION_KEYS.test(key)) return '<ms>'
  if (typeof value === 'string') {
    if (ID_KEYS.test(key)) return '<id>'
    return value
      .split(fakeUrl)
      .join('<fake-llm>')
      .split(workspace)
      .join('<workspace>')
      .split(dataDir)
      .join('<data-dir>')
      .split(tmp.path)
      .join('<tmp>')
      .replace(/\b0[0-9a-z]{20}\b/g, '<id>')
      .replace(/\b[0-9a-f]{40}\b/g, '<sha>')
      .replace(/\b[0-9a-f]{12}\b/g, '<short-sha>')
  }
  return value
}

/** Values that say what something is (a kind, a state, a reason) are kept in a shape. */
const KEPT = new Set(['type', 'kind', 'state', 'reason', 'ephemeral', 'role', 'scope', 'action'])

/** The type skeleton of a value: field names and types, with discriminators kept. */
function shape(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const distinct = new Map<string, unknown>()
    for (const v of value) {
      const s = shape(v)
      distinct.set(JSON.stringify(s), s)
    }
    return [...distinct.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, s]) => s)
  }
  if (value === null) return 'null'
  // A tool's JSON Schema (in the `context` entry) follows the tools, not this interface.
  if (key === 'parameters' && typeof value === 'object') return 'JSON Schema'
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value).sort())
      out[k] = shape((value as Record<string, unknown>)[k], k)
    return out
  }
  if (KEPT.has(key) && (typeof value === 'string' || typeof value === 'boolean')) return value
  return typeof value
}

/** Distinct shapes of a stream of JSON values, each once, in a stable order. */
function distinctShapes(values: unknown[]): unknown[] {
  return shape(values) as unknown[]
}

describe('paddock --json outputs', () => {
  let sessionId = ''
  let checkpointIds: string[] = []

  it('paddock run --json: one event per line, and the entries it prints', async () => {
    fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'a.txt', content: 'two\n' } }] },
      { text: 'Wrote **a.txt**.', reasoning: 'The user wants a change.' },
    )
    const res = await paddockProcess(
      'run',
      '--workspace',
      workspace,
      '--base-url',
      fakeUrl,
      '--model',
      'fake-model',
      '--mode',
      'full-auto',
      '--json',
      'Change a.txt',
    )
    expect(res.stderr).toBe('')
    expect(res.status).toBe(0)
    const lines = res.stdout.trimEnd().split('\n')
    const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    sessionId = String(events[0]!.sessionId)

    // Every line is one event; durable events carry the stream's seq in order.
    const durable = events.filter((e) => e.ephemeral !== true)
    const seqs = durable.map((e) => e.seq as number)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))

    // The event types in the order they first appear, and each event type's shape.
    const firstSeen = [...new Set(events.map((e) => e.type as string))]
    expect(firstSeen).toMatchSnapshot('event types in order of first appearance')
    const byType = new Map<string, unknown[]>()
    for (const e of events) {
      const t = e.type as string
      if (t === 'entry.appended') continue
      byType.set(t, [...(byType.get(t) ?? []), e])
    }
    const eventShapes = Object.fromEntries(
      [...byType.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([t, es]) => [t, distinctShapes(es)]),
    )
    expect(eventShapes).toMatchSnapshot('event shapes (entry.appended apart)')

    // entry.appended: the entry types in log order, and each entry type's shape (payload included).
    const entries = events
      .filter((e) => e.type === 'entry.appended')
      .map((e) => e.entry as Record<string, unknown>)
    expect(entries.map((e) => e.type)).toMatchSnapshot('entry types in log order')
    const entryShapes: Record<string, unknown> = {}
    for (const type of [...new Set(entries.map((e) => e.type as string))].sort()) {
      entryShapes[type] = distinctShapes(entries.filter((e) => e.type === type))
    }
    expect(entryShapes).toMatchSnapshot('entry shapes by type')
    const anEvent = events.find((e) => e.type === 'entry.appended')!
    expect(shape(anEvent)).toMatchSnapshot('entry.appended envelope')

    // Entries whose payloads carry no run-dependent values, with values.
    const stable = entries.filter((e) =>
      ['user_message', 'tool_call', 'tool_result', 'turn_end'].includes(e.type as string),
    )
    expect(
      stable.map((e) => ({ type: e.type, payload: normalise(e.payload, 'payload') })),
    ).toMatchSnapshot('user_message, tool_call, tool_result and turn_end payloads')
  })

  it('sessions create / list --json', async () => {
    const created = await json('sessions', 'create', '--workspace', workspace, '--title', 'Second')
    expect(normalise(created)).toMatchSnapshot('sessions create --json')
    const listed = await json('sessions', 'list')
    // What the table shows of each: how its last run went, and its model (added fields).
    expect(
      (listed as Array<{ status: string; model: string | null }>).map((r) => [r.status, r.model]),
    ).toEqual([
      ['done', 'fake-model'],
      ['new', null],
    ])
    expect(normalise(listed)).toMatchSnapshot('sessions list --json')
    const filtered = await json('sessions', 'list', '--workspace', workspace)
    expect(normalise(filtered)).toEqual(normalise(listed))
  })

  it('checkpoints list / diff --json', async () => {
    const listed = (await json('checkpoints', 'list', '--session', sessionId)) as Array<{
      id: string
    }>
    checkpointIds = listed.map((c) => c.id)
    expect(normalise(listed)).toMatchSnapshot('checkpoints list --json')
    const toWorktree = await json('checkpoints', 'diff', checkpointIds[0]!)
    expect(normalise(toWorktree)).toMatchSnapshot('checkpoints diff A --json')
    const between = await json('checkpoints', 'diff', checkpointIds[0]!, checkpointIds.at(-1)!)
    expect(normalise(between)).toMatchSnapshot('checkpoints diff A B --json')
  })

  it('restore --json: files, undo, conversation, both', async () => {
    const first = checkpointIds[0]!
    const files = await json('restore', first)
    expect(normalise(files)).toMatchSnapshot('restore CHECKPOINT --json')
    const undoFiles = await json('restore', '--undo', '--session', sessionId)
    expect(normalise(undoFiles)).toMatchSnapshot('restore --undo --json (files)')
    const conversation = await json('restore', first, '--conversation')
    expect(normalise(conversation)).toMatchSnapshot('restore CHECKPOINT --conversation --json')
    const undoConversation = await json('restore', '--undo', '--session', sessionId)
    expect(normalise(undoConversation)).toMatchSnapshot('restore --undo --json (conversation)')
    const both = await json('restore', first, '--both')
    expect(normalise(both)).toMatchSnapshot('restore CHECKPOINT --both --json')
    const undoBoth = await json('restore', '--undo', '--session', sessionId)
    expect(normalise(undoBoth)).toMatchSnapshot('restore --undo --json (both)')
  })

  it('sessions fork --json', async () => {
    const forked = await json('sessions', 'fork', checkpointIds[0]!, '--title', 'Forked')
    expect(normalise(forked)).toMatchSnapshot('sessions fork --json')
  })

  it('providers add / list / test --json', async () => {
    const added = await json(
      'providers',
      'add',
      '--name',
      'local',
      '--base-url',
      fakeUrl,
      '--api-key-stdin',
      '--default-model',
      'm1',
    )
    expect(normalise(added)).toMatchSnapshot('providers add --json')
    const listed = await json('providers', 'list')
    expect(normalise(listed)).toMatchSnapshot('providers list --json')
    const tested = await json('providers', 'test', 'local')
    expect(normalise(tested)).toMatchSnapshot('providers test --json')
  })

  it('mcp list --json', async () => {
    const added = await paddock('mcp', 'add', 'fx', '--env', 'A=1', '--', 'node', FIXTURE_SERVER)
    expect(added.status).toBe(0)
    const listed = (await json('mcp', 'list')) as { servers: Array<{ state: string }> }
    expect(listed.servers[0]?.state).toBe('ready')
    expect(shape(listed)).toMatchSnapshot('mcp list --json')
    await paddock('mcp', 'remove', 'fx')
  })

  it('models list / detect / fetch --json', async () => {
    const catalog = (await json('models', 'list')) as unknown[]
    expect(catalog.length).toBeGreaterThan(10)
    expect(distinctShapes(catalog).length).toBeGreaterThan(0)
    expect(shapeKeys(catalog)).toMatchSnapshot('models list --json: the fields of an entry')
    const detected = await json('models', 'detect', '--ollama', fake.anthropicBaseUrl)
    expect(normalise(detected)).toMatchSnapshot('models detect --json')
    const fetched = await json('models', 'fetch', '--base-url', fakeUrl)
    expect(normalise(fetched)).toMatchSnapshot('models fetch --json')
  })

  it('models quirks --json', async () => {
    // Its own data folder: the counts are those of this one run, whatever ran before.
    const quirkData = join(tmp.path, 'quirks-data')
    const quirky = join(tmp.path, 'quirky')
    mkdirSync(quirky)
    fake.script(
      // A name in capitals and a trailing comma: two repairs of one call.
      { toolCalls: [{ name: 'WRITE', arguments: '{"path": "q.txt", "content": "q",}' }] },
      { text: 'Done.' },
    )
    const run = await runCliIn(
      quirkData,
      [
        'run',
        '--workspace',
        quirky,
        '--base-url',
        fakeUrl,
        '--model',
        'fake-model',
        '--mode',
        'full-auto',
        'Write q.txt',
      ],
      { cwd: tmp.path },
    )
    expect(run.status).toBe(0)
    const res = await runCliIn(quirkData, ['models', 'quirks', '--json'], { cwd: tmp.path })
    expect(res.stderr).toBe('')
    expect(res.status).toBe(0)
    // A repair's detail is worded for people and may be reworded: its place is pinned, not its text.
    const report = JSON.parse(res.stdout) as {
      models: Array<{ kinds: Array<{ example: string }> }>
    }
    for (const m of report.models) for (const k of m.kinds) k.example = '<detail>'
    expect(normalise(report)).toMatchSnapshot('models quirks --json')
  })

  it('worktree sessions --json: create --worktree, git, commit, merge, delete, deleted, restore-deleted, worktrees list|prune', async () => {
    const repo = join(tmp.path, 'repo')
    mkdirSync(repo)
    initRepo(repo, { 'a.txt': 'one\n' })
    const created = (await json(
      'sessions',
      'create',
      '--workspace',
      repo,
      '--worktree',
      '--title',
      'In a worktree',
    )) as { id: string; worktree: { path: string } }
    expect(normalise(created)).toMatchSnapshot('sessions create --worktree --json')
    const id = created.id
    writeFileSync(join(created.worktree.path, 'b.txt'), 'bee\n')
    expect(normalise(await json('sessions', 'git', id))).toMatchSnapshot('sessions git --json')
    expect(normalise(await json('sessions', 'commit', id, '-m', 'Add b'))).toMatchSnapshot(
      'sessions commit --json',
    )
    expect(normalise(await json('sessions', 'merge', id))).toMatchSnapshot('sessions merge --json')
    // Sizes and activity times vary with the file system: the listing's shape is pinned.
    expect(shape(await json('worktrees', 'list', '--workspace', repo))).toMatchSnapshot(
      'worktrees list --json',
    )
    expect(normalise(await json('worktrees', 'prune'))).toMatchSnapshot('worktrees prune --json')
    writeFileSync(join(created.worktree.path, 'c.txt'), 'sea\n')
    expect(normalise(await json('sessions', 'delete', id, '--force'))).toMatchSnapshot(
      'sessions delete --force --json',
    )
    expect(normalise(await json('sessions', 'deleted'))).toMatchSnapshot('sessions deleted --json')
    expect(normalise(await json('sessions', 'restore-deleted', id))).toMatchSnapshot(
      'sessions restore-deleted --json',
    )
  })

  it('settings list --json', async () => {
    const rows = await json('settings', 'list')
    expect(normalise(rows)).toMatchSnapshot('settings list --json')
  })

  it('doctor --json', async () => {
    const res = await runCliIn(dataDir, ['doctor', '--json'], { cwd: tmp.path })
    const report = JSON.parse(res.stdout) as {
      ranAt: string
      checks: Array<{ id: string; title: string; status: string; fix: unknown }>
    }
    // Versions, free space and which tools this machine has vary; the shape does not.
    const shape = {
      ranAt: typeof report.ranAt,
      checks: report.checks.map((c) => ({
        id: c.id,
        title: c.title,
        keys: Object.keys(c),
        knownStatus: ['ok', 'info', 'warn', 'fail'].includes(c.status),
        fixIsTextOrNull: c.fix === null || typeof c.fix === 'string',
      })),
    }
    expect(shape).toMatchSnapshot('doctor --json')
  })

  it('skills list --json', async () => {
    const home = join(tmp.path, 'skills-home')
    const project = join(tmp.path, 'skills-project')
    const write = (root: string, name: string, text: string): void => {
      mkdirSync(join(root, name), { recursive: true })
      writeFileSync(join(root, name, 'SKILL.md'), text)
    }
    write(
      join(project, '.agents/skills'),
      'review',
      '---\nname: review\ndescription: Review a change.\n---\nSteps.\n',
    )
    write(
      join(home, '.paddock/skills'),
      'quiet',
      '---\nname: quiet\ndescription: Only on request.\ndisable-model-invocation: true\n---\nSteps.\n',
    )
    write(join(home, '.agents/skills'), 'broken', '---\nname: broken\n---\nNo description.\n')
    const res = await runCliIn(dataDir, ['skills', 'list', '--workspace', project, '--json'], {
      cwd: tmp.path,
      env: { HOME: home },
    })
    expect(res.stderr).toBe('')
    expect(res.status).toBe(0)
    expect(normalise(JSON.parse(res.stdout))).toMatchSnapshot('skills list --json')
  })

  it('paddock run --json while another process holds the checkpoint store', async () => {
    const busy = join(tmp.path, 'busy')
    mkdirSync(busy)
    writeFileSync(join(busy, 'b.txt'), 'one\n')
    const runIn = (dir: string, file: string): Promise<Result> => {
      fake.script(
        { toolCalls: [{ name: 'write', arguments: { path: file, content: 'two\n' } }] },
        { text: 'Done.' },
      )
      return paddockProcess(
        'run',
        '--workspace',
        dir,
        '--base-url',
        fakeUrl,
        '--model',
        'fake-model',
        '--mode',
        'full-auto',
        '--json',
        'Change it',
      )
    }
    const checkpointShapes = (res: Result): unknown => {
      expect(res.stderr).toBe('')
      expect(res.status).toBe(0)
      const entries = res.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((e) => e.type === 'entry.appended')
        .map((e) => e.entry as Record<string, unknown>)
        // The holder's checkpoints after a step may reach the output or not (the run may end
        // first); the one before the tool always does, the run waits for it.
        .filter(
          (e) =>
            e.type === 'unprotected_run' ||
            (e.type === 'checkpoint' &&
              (e.payload as { reason?: unknown } | null)?.reason === 'before-tool'),
        )
      return distinctShapes(entries)
    }

    // A Paddock engine in this process holds the store: it takes the run's checkpoints.
    const holder = createEngine({
      dataDir,
      kind: 'web',
      logger: createMemoryLogger(),
      home: tmp.path,
      watch: true,
    })
    try {
      const call = async (method: string, params: unknown): Promise<Record<string, unknown>> => {
        const outcome = await holder.call(method, params, { transport: 'test' })
        if (!outcome.ok) throw new Error(outcome.error.message)
        return outcome.result as Record<string, unknown>
      }
      const ws = await call('workspaces.open', { path: busy })
      const own = await call('sessions.create', { workspaceId: ws.id })
      await call('checkpoints.create', { sessionId: own.id })
      expect(checkpointShapes(await runIn(busy, 'b.txt'))).toMatchSnapshot(
        'checkpoint entries when the holder takes them',
      )
    } finally {
      await holder.drain()
      holder.close()
    }

    // A holder that takes none: the run records that it is unprotected.
    const quiet = join(tmp.path, 'quiet')
    mkdirSync(quiet)
    writeFileSync(join(quiet, 'c.txt'), 'one\n')
    const created = (await json('sessions', 'create', '--workspace', quiet)) as {
      workspaceId: string
    }
    const other = spawnTs(join(REPO_ROOT, 'test/support/store-holder.ts'), [
      dataDir,
      created.workspaceId,
      quiet,
      tmp.path,
    ])
    try {
      await waitForLine(other, /^holding$/)
      expect(checkpointShapes(await runIn(quiet, 'c.txt'))).toMatchSnapshot(
        'checkpoint and unprotected_run entries when the holder takes none',
      )
    } finally {
      other.kill('SIGTERM')
    }
  })
})

/**
 * The catalog's entries differ in which optional fields they have; pin the union of field names
 * and their types at every level rather than the (growing) list itself.
 */
function shapeKeys(values: unknown[]): Record<string, string[]> {
  const fields = new Map<string, Set<string>>()
  const walk = (v: unknown, path: string): void => {
    const t = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v
    if (!fields.has(path)) fields.set(path, new Set())
    fields.get(path)!.add(t)
    if (Array.isArray(v)) for (const item of v) walk(item, `${path}[]`)
    else if (v !== null && typeof v === 'object') {
      // Maps keyed by provider id: one key stands for all.
      const mapLike = path.endsWith('.providers') || path.endsWith('.providerPricing')
      for (const [k, child] of Object.entries(v))
        walk(child, `${path}.${mapLike ? '<provider>' : k}`)
    }
  }
  for (const v of values) walk(v, '[]')
  return Object.fromEntries(
    [...fields.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, s]) => [k, [...s].sort()]),
  )
}
