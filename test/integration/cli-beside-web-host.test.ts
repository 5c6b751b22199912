import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { creditedPaths } from '../../src/renderer/src/features/changes/credited'
import { UnprotectedRunPayload } from '../../src/shared/entries'
import type { WsClient } from '../../src/shared/ws-client'
import { runCli } from '../../src/main/cli/cli'
import type { CliResult } from '../support/cli-in-process'
import { runCliIn } from '../support/cli-in-process'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { connectClient } from '../support/node-client'
import { REPO_ROOT } from '../support/paths'
import { spawnTs, waitForLine } from '../support/spawn'
import { tempDir } from '../support/temp'
import { waitUntil, waitUntilAsync } from '../support/wait'
import type { RunningWebHost } from '../support/web-host'
import { startWebHost } from '../support/web-host'

/**
 * `paddock run` in a workspace whose checkpoint store another process holds for writing, so the
 * CLI cannot take checkpoints itself: a web host (a real process) that takes them for it, or a
 * holder that does not. Either way the CLI says so in one line, and the change it made is never
 * credited to another session.
 */
let tmp: ReturnType<typeof tempDir>
let fake: FakeLlm
let host: RunningWebHost
let client: WsClient
let dataDir: string
let project: string
/** While this file is missing, the host takes no checkpoint for runs elsewhere (a slow holder). */
let gate: string

beforeEach(async () => {
  tmp = tempDir('paddock-cli-beside-')
  dataDir = join(tmp.path, 'data')
  project = join(tmp.path, 'home', 'project')
  mkdirSync(project, { recursive: true })
  writeFileSync(join(project, 'notes.txt'), 'first\n')
  gate = join(tmp.path, 'holder-gate')
  writeFileSync(gate, '')
  fake = await startFakeLlm()
  host = await startWebHost({
    dataDir,
    env: {
      HOME: join(tmp.path, 'home'),
      PADDOCK_BASE_URL: fake.baseUrl,
      PADDOCK_MODEL: 'fake-model',
      PADDOCK_TEST_FOREIGN_CHECKPOINT_GATE: gate,
    },
  })
  client = connectClient(host)
})

afterEach(async () => {
  client.close()
  await host.stop()
  await fake.close()
  tmp.cleanup()
})

/** Run a prompt in a host session and wait for the host to record its end. */
async function hostRun(sessionId: string, text: string): Promise<void> {
  const before = (await client.call('sessions.entries', { sessionId })).length
  await client.call('sessions.prompt', { sessionId, text, mode: 'full-auto' })
  await waitFor(async () => {
    const entries = await client.call('sessions.entries', { sessionId })
    return entries.slice(before).some((e) => e.type === 'turn_end')
  }, 'the host run to end')
}

function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  return waitUntilAsync(check, 30_000, what)
}

/** Paths the session's checkpoints changed, as the host lists them. */
async function checkpointFiles(sessionId: string): Promise<string[]> {
  const list = await client.call('checkpoints.list', { sessionId })
  return [...new Set(list.flatMap((c) => c.files.map((f) => f.path)))].sort()
}

/** `paddock run` in the project against the fake model, in full-auto, in this process. */
function paddockRun(prompt: string): Promise<CliResult> {
  return runCliIn(
    dataDir,
    [
      'run',
      '--workspace',
      project,
      '--base-url',
      fake.baseUrl,
      '--model',
      'fake-model',
      '--mode',
      'full-auto',
      prompt,
    ],
    { cwd: project },
  )
}

const sessionOf = (cli: CliResult): string => /session (\S+)\n$/.exec(cli.stderr)![1]!
const linesLike = (text: string, re: RegExp): string[] => text.split('\n').filter((l) => re.test(l))

describe('paddock run while a web host holds the workspace checkpoint store', () => {
  it("the host takes the run's checkpoints: the CLI says so, the change is the run's and can be undone", async () => {
    const ws = await client.call('workspaces.open', { path: project })
    const ui = await client.call('sessions.create', { workspaceId: ws.id, title: 'UI session' })
    // A run in the host: from now on the host holds the workspace's store for writing.
    fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'ui.txt', content: 'ui\n' } }] },
      { text: 'Wrote ui.txt.' },
    )
    await hostRun(ui.id, 'Write ui.txt')
    expect(await checkpointFiles(ui.id)).toEqual(['ui.txt'])

    fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'cli.txt', content: 'cli\n' } }] },
      { text: 'Wrote cli.txt.' },
    )
    const cli = await paddockRun('Write cli.txt')
    expect(cli.status).toBe(0)
    const said = linesLike(cli.stderr, /checkpoint/i)
    expect(said).toEqual([
      `paddock: this run's checkpoints are taken by the Paddock web host (pid ${host.child.pid} on ${hostname()}), which holds this workspace's checkpoint store: restore them there`,
    ])
    const cliSession = sessionOf(cli)

    // Taken before the write (so the write can be undone) and after it: the change is the run's.
    const list = await client.call('checkpoints.list', { sessionId: cliSession })
    const before = list.find((c) => c.reason === 'before-tool' && c.toolName === 'write')
    expect(before).toBeDefined()
    await waitFor(
      async () => (await checkpointFiles(cliSession)).includes('cli.txt'),
      'cli.txt credited to the CLI session',
    )
    expect(await checkpointFiles(cliSession)).toEqual(['cli.txt'])
    // "Changed by this session" in Changes counts it as the run's own.
    expect([
      ...creditedPaths(await client.call('checkpoints.list', { sessionId: cliSession })),
    ]).toEqual(['cli.txt'])
    const entries = await client.call('sessions.entries', { sessionId: cliSession })
    expect(entries.filter((e) => e.type === 'unprotected_run')).toEqual([])

    // The host's own session's next run shows only its own change.
    fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'ui2.txt', content: 'ui2\n' } }] },
      { text: 'Wrote ui2.txt.' },
    )
    await hostRun(ui.id, 'Write ui2.txt')
    expect(await checkpointFiles(ui.id)).toEqual(['ui.txt', 'ui2.txt'])

    // Restored (in the host) to before the CLI's write: the file is gone again.
    await client.call('checkpoints.restore', {
      sessionId: cliSession,
      checkpointId: before!.id,
      files: ['cli.txt'],
    })
    expect(existsSync(join(project, 'cli.txt'))).toBe(false)
  })

  it('a host too slow to answer: the steps run unprotected, and it takes no "before" point of a step that ran', async () => {
    const ws = await client.call('workspaces.open', { path: project })
    const ui = await client.call('sessions.create', { workspaceId: ws.id, title: 'UI session' })
    fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'ui.txt', content: 'ui\n' } }] },
      { text: 'Wrote ui.txt.' },
    )
    await hostRun(ui.id, 'Write ui.txt')

    // The host holds the store but takes nothing for the CLI's run until the run is over.
    rmSync(gate)
    fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'cli.txt', content: 'cli\n' } }] },
      { toolCalls: [{ name: 'write', arguments: { path: 'cli2.txt', content: 'cli2\n' } }] },
      { text: 'Wrote both.' },
    )
    const cli = await paddockRun('Write cli.txt and cli2.txt')
    expect(cli.status).toBe(0)
    const cliSession = sessionOf(cli)
    writeFileSync(gate, '')

    // The host catches up: what the run wrote is the run's, in end-of-step points.
    await waitFor(async () => {
      const files = await checkpointFiles(cliSession)
      return files.includes('cli.txt') && files.includes('cli2.txt')
    }, 'the writes credited to the CLI session')
    // …and no "before write" point, which would already hold the write it claims to precede.
    const list = await client.call('checkpoints.list', { sessionId: cliSession })
    expect(list.filter((c) => c.reason === 'before-tool')).toEqual([])
    expect(await checkpointFiles(cliSession)).toEqual(['cli.txt', 'cli2.txt'])
    expect(linesLike(cli.stderr, /checkpoint/i)).toEqual([
      `paddock: No checkpoint before a step of this run: the Paddock web host (pid ${host.child.pid} on ${hostname()}) holds this workspace's checkpoint store and did not take one in time.`,
    ])
    const entries = await client.call('sessions.entries', { sessionId: cliSession })
    expect(entries.filter((e) => e.type === 'unprotected_run')).toHaveLength(1)
    // Both steps waited and were recorded unprotected.
    const missed = entries.filter(
      (e) => e.type === 'checkpoint' && (e.payload as { taken: boolean }).taken === false,
    )
    expect(missed).toHaveLength(2)
  })

  it('Stop while the run waits for the holder: the wait ends, the tool does not run, nothing ran unprotected', async () => {
    const ws = await client.call('workspaces.open', { path: project })
    const ui = await client.call('sessions.create', { workspaceId: ws.id, title: 'UI session' })
    fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'ui.txt', content: 'ui\n' } }] },
      { text: 'Wrote ui.txt.' },
    )
    await hostRun(ui.id, 'Write ui.txt')

    rmSync(gate)
    fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'cli.txt', content: 'cli\n' } }] },
      { text: 'Wrote cli.txt.' },
    )
    let interrupt = (): void => {}
    const cli = runCli(
      [
        'run',
        '--workspace',
        project,
        '--base-url',
        fake.baseUrl,
        '--model',
        'fake-model',
        '--mode',
        'full-auto',
        'Write cli.txt',
        '--data-dir',
        dataDir,
      ],
      {
        out: () => {},
        err: () => {},
        cwd: project,
        env: { PATH: process.env.PATH ?? '' },
        onInterrupt: (fn) => (interrupt = fn),
      },
    )
    let cliSession = ''
    try {
      // The run asked the holder for its checkpoint and waits for it.
      await waitFor(async () => {
        const sessions = await client.call('sessions.list', { workspaceId: ws.id })
        const other = sessions.find((s) => s.id !== ui.id)
        if (!other) return false
        cliSession = other.id
        const entries = await client.call('sessions.entries', { sessionId: other.id })
        return entries.some((e) => e.type === 'checkpoint')
      }, 'the run to wait for the holder')
      interrupt()
      await cli
    } finally {
      interrupt()
      await cli
      writeFileSync(gate, '')
    }
    expect(existsSync(join(project, 'cli.txt'))).toBe(false)
    const entries = await client.call('sessions.entries', { sessionId: cliSession })
    expect(entries.filter((e) => e.type === 'unprotected_run')).toEqual([])
  })

  it('the other way round: a host run while a paddock run holds the store gets its checkpoints from the CLI', async () => {
    const ws = await client.call('workspaces.open', { path: project })
    const ui = await client.call('sessions.create', { workspaceId: ws.id, title: 'UI session' })
    // The CLI writes first (taking the store), then its model call hangs: it holds the store.
    fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'cli.txt', content: 'cli\n' } }] },
      { hang: true },
      { toolCalls: [{ name: 'write', arguments: { path: 'ui.txt', content: 'ui\n' } }] },
      { text: 'Wrote ui.txt.' },
    )
    let interrupt = (): void => {}
    let stderr = ''
    const cli = runCli(
      [
        'run',
        '--workspace',
        project,
        '--base-url',
        fake.baseUrl,
        '--model',
        'fake-model',
        '--mode',
        'full-auto',
        'Write cli.txt',
        '--data-dir',
        dataDir,
      ],
      {
        out: () => {},
        err: (t) => (stderr += t),
        cwd: project,
        env: { PATH: process.env.PATH ?? '' },
        onInterrupt: (fn) => (interrupt = fn),
      },
    )
    try {
      await waitUntil(() => fake.chatRequests().length === 2, 30_000, 'the CLI to hang')
      await hostRun(ui.id, 'Write ui.txt')
    } finally {
      interrupt()
      await cli
    }
    // The host's run was protected by the CLI, and its change is its own.
    const list = await client.call('checkpoints.list', { sessionId: ui.id })
    expect(list.some((c) => c.reason === 'before-tool' && c.toolName === 'write')).toBe(true)
    expect(await checkpointFiles(ui.id)).toEqual(['ui.txt'])
    const entries = await client.call('sessions.entries', { sessionId: ui.id })
    expect(entries.filter((e) => e.type === 'unprotected_run')).toEqual([])
    expect(stderr).toContain('cli.txt')
  })

  it('a holder that takes no checkpoints for others: the CLI says the run is unprotected, and the log records it', async () => {
    const ws = await client.call('workspaces.open', { path: project })
    const holder = spawnTs(join(REPO_ROOT, 'test/support/store-holder.ts'), [
      dataDir,
      ws.id,
      project,
      join(tmp.path, 'home'),
    ])
    try {
      await waitForLine(holder, /^holding$/)
      fake.script(
        { toolCalls: [{ name: 'write', arguments: { path: 'cli.txt', content: 'cli\n' } }] },
        { text: 'Wrote cli.txt.' },
      )
      const cli = await paddockRun('Write cli.txt')
      expect(cli.status).toBe(0)
      expect(linesLike(cli.stderr, /checkpoint/i)).toEqual([
        `paddock: No checkpoint before a step of this run: process ${holder.pid} on ${hostname()} holds this workspace's checkpoint store and did not take one in time.`,
      ])
      const entries = await client.call('sessions.entries', { sessionId: sessionOf(cli) })
      const marks = entries.filter((e) => e.type === 'unprotected_run')
      expect(marks).toHaveLength(1)
      const mark = UnprotectedRunPayload.parse(marks[0]!.payload)
      expect(mark).toMatchObject({
        code: 'store_busy',
        holder: { pid: holder.pid, name: null },
      })
      expect(readFileSync(join(project, 'cli.txt'), 'utf8')).toBe('cli\n')
    } finally {
      holder.kill('SIGTERM')
    }
  })
})
