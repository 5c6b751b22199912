import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ToolResultPayload } from '../../src/shared/entries'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { BIN_PADDOCK, REPO_ROOT, requireBuild } from '../support/paths'
import { runNode } from '../support/spawn'
import { waitUntil } from '../support/wait'

const run = runNode

let a: AgentFixture
afterEach(async () => {
  await a?.close()
})

const CLI_SRC = join(REPO_ROOT, 'src', 'main', 'cli', 'main.ts')

describe('a host killed -9 mid-run', () => {
  it('leaves a log that reopens cleanly, marked interrupted, and "Continue" sends a valid request', async () => {
    a = await agentFixture()
    a.write('notes.md', '# notes\n')
    a.fake.script(
      { text: 'Looking around.', toolCalls: [{ name: 'ls', arguments: {} }] },
      { text: ['I see notes.md and will now wri'], hang: { after: 2 } },
    )
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        CLI_SRC,
        'run',
        '--workspace',
        a.workspace,
        '--session',
        a.sessionId,
        '--base-url',
        a.fake.baseUrl,
        '--model',
        'fake-model',
        '--mode',
        'full-auto',
        '--data-dir',
        a.fx.dataDir,
        'Tidy the notes',
      ],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, OPENAI_API_KEY: 'sk-test' },
      },
    )
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    await waitUntil(
      () => a.fake.requests.length >= 2 && a.fake.requests[1]!.status === 200,
      30_000,
      `the second request (${stderr})`,
    )
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited

    const status = await a.fx.call('sessions.status', { sessionId: a.sessionId })
    expect(status).toMatchObject({ running: false, canContinue: true })

    a.fake.script({ text: 'Resumed.' })
    const ended = a.nextEnd()
    await a.fx.call('sessions.continue', { sessionId: a.sessionId, mode: 'full-auto' })
    // The recovered run is marked first, then the continued one ends.
    expect(await ended).toMatchObject({ reason: 'interrupted' })
    expect(await a.nextEnd()).toEqual({ reason: 'done' })

    const third = a.fake.chatRequests()[2]!.messages
    expect(third.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool'])
    expect(third[1]).toEqual({ role: 'user', content: 'Tidy the notes' })
    expect(String(third[3]!.content)).toContain('notes.md')
    expect(a.fake.requests.at(-1)!.status).toBe(200)
    const results = a.fx.engine.store
      .branch(a.sessionId)
      .filter((e) => e.type === 'tool_result')
      .map((e) => ToolResultPayload.parse(e.payload))
    expect(results.map((r) => r.synthetic ?? 'ran')).toEqual(['ran'])
  })
})

describe('paddock run', () => {
  it('runs the scripted session to completion and exits 0, one JSON event per line', async () => {
    requireBuild()
    a = await agentFixture()
    a.write('src/app.txt', 'hello world\n')
    a.fake.script(
      { toolCalls: [{ name: 'read', arguments: { path: 'src/app.txt' } }] },
      {
        toolCalls: [
          {
            name: 'edit',
            arguments: { path: 'src/app.txt', old_string: 'hello', new_string: 'goodbye' },
          },
        ],
      },
      { toolCalls: [{ name: 'bash', arguments: { command: 'cat src/app.txt' } }] },
      { text: 'Done.' },
    )
    const res = await run(
      [
        BIN_PADDOCK,
        'run',
        '--workspace',
        a.workspace,
        '--base-url',
        a.fake.baseUrl,
        '--model',
        'fake-model',
        '--api-key-env',
        'FAKE_KEY',
        '--mode',
        'full-auto',
        '--json',
        '--data-dir',
        a.fx.dataDir,
        'Say goodbye',
      ],
      { FAKE_KEY: 'sk-fake' },
    )
    expect(res.stderr).toBe('')
    expect(res.status).toBe(0)
    const events = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; entry?: { type: string } })
    expect(events.filter((e) => e.type === 'entry.appended').map((e) => e.entry!.type)).toEqual([
      'context',
      'user_message',
      'assistant_message',
      'tool_result',
      'assistant_message',
      'checkpoint', // before the edit: the workspace's first (baseline) checkpoint
      'tool_result',
      'checkpoint', // after the edit step: src/app.txt changed
      'assistant_message',
      'tool_result',
      'assistant_message',
      'turn_end',
    ])
    expect(a.fake.requests.every((r) => r.headers.authorization === 'Bearer sk-fake')).toBe(true)
  })

  it('without a terminal, denies what the mode would ask, saying why, and the run goes on', async () => {
    requireBuild()
    a = await agentFixture()
    a.fake.script(
      { toolCalls: [{ name: 'bash', arguments: { command: 'touch made' } }] },
      { text: 'I could not.' },
    )
    const res = await run([
      BIN_PADDOCK,
      'run',
      '--workspace',
      a.workspace,
      '--base-url',
      a.fake.baseUrl,
      '--model',
      'm',
      '--mode',
      'ask',
      '--data-dir',
      a.fx.dataDir,
      'Make a file',
    ])
    expect(res.status).toBe(0)
    expect(res.stderr).toMatch(/denied touch made — .*no terminal to ask on/)
    expect(res.stdout).toContain('I could not.')
    const tool = a.fake.chatRequests()[1]!.messages.find((m) => m.role === 'tool')!
    expect(String(tool.content)).toMatch(/no terminal to ask for approval on/)
  })

  it('exits non-zero with the reason on failure, and 2 on bad usage', async () => {
    requireBuild()
    a = await agentFixture()
    a.fake.script({ error: { status: 401 } })
    const failed = await run([
      BIN_PADDOCK,
      'run',
      '--workspace',
      a.workspace,
      '--base-url',
      a.fake.baseUrl,
      '--model',
      'm',
      '--data-dir',
      a.fx.dataDir,
      'Hi',
    ])
    expect(failed.status).toBe(1)
    expect(failed.stderr).toMatch(/the run stopped \(error\): .*401/)
    const usage = await run(
      [BIN_PADDOCK, 'run', '--workspace', a.workspace, '--data-dir', a.fx.dataDir, 'Hi'],
      { PADDOCK_BASE_URL: '', OPENAI_BASE_URL: '', PADDOCK_MODEL: '' },
    )
    expect(usage.status).toBe(2)
    expect(usage.stderr).toMatch(/needs --base-url|needs --model/)
  })
})
