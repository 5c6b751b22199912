import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ToolResultPayload, payloadOf } from '../../src/shared/entries'
import type { AgentFixture } from '../support/agent'
import { agentFixture, runWords } from '../support/agent'
import { engineFixture } from '../support/engine'
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
    const child = spawn(process.execPath, runArgs(a, 'Tidy the notes'), {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OPENAI_API_KEY: 'sk-test' },
    })
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

describe('a session a dead process left mid-tool-call', () => {
  it('is marked interrupted when another process takes its lease: the call ended, the run over', async () => {
    a = await agentFixture()
    a.fake.script({ toolCalls: [{ name: 'bash', arguments: { command: 'sleep 30' } }] })
    const child = spawn(process.execPath, runArgs(a, 'Sleep a while'), {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OPENAI_API_KEY: 'sk-test' },
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const store = a.fx.engine.store
    await waitUntil(
      () => store.branch(a.sessionId).some((e) => e.type === 'assistant_message'),
      30_000,
      `the tool call (${stderr})`,
    )
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited
    expect(store.branch(a.sessionId).at(-1)!.type).toBe('assistant_message')

    // A window that had the session open takes it back (as a page does on reconnecting).
    await a.fx.call('sessions.lease', { sessionId: a.sessionId })
    const tail = store.branch(a.sessionId).slice(-2)
    expect(payloadOf(tail[0]!, 'tool_result')).toMatchObject({
      toolName: 'bash',
      synthetic: 'interrupted',
    })
    expect(payloadOf(tail[1]!, 'turn_end')).toMatchObject({ reason: 'interrupted' })
    const [activity] = await a.fx.call('sessions.activity', {})
    expect(activity).toMatchObject({ running: false, lastStop: 'interrupted' })

    // Taking it again marks nothing more.
    const entries = store.branch(a.sessionId).length
    await a.fx.call('sessions.lease', { sessionId: a.sessionId })
    expect(store.branch(a.sessionId)).toHaveLength(entries)
  })

  it('is left as it is when a rewind, not a dead process, ended the branch inside a run', async () => {
    a = await agentFixture()
    a.fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'a.txt', content: 'one\n' } }] },
      { text: 'Wrote it.' },
    )
    expect(await a.run('Write a.txt')).toEqual({ reason: 'done' })
    const store = a.fx.engine.store
    const asked = store.branch(a.sessionId).find((e) => e.type === 'assistant_message')!
    await a.fx.call('sessions.rewind', { sessionId: a.sessionId, entryId: asked.id })
    const entries = store.branch(a.sessionId).length
    await a.fx.call('sessions.release', { sessionId: a.sessionId })
    // Another process (here: another engine on the same data folder) takes the session.
    const other = engineFixture('web', {}, { root: a.fx.root })
    try {
      await other.call('sessions.lease', { sessionId: a.sessionId })
    } finally {
      other.cleanup()
    }
    expect(store.branch(a.sessionId)).toHaveLength(entries)
    expect(store.branch(a.sessionId).at(-1)!.type).toBe('branch_point')
  })
})

/** `paddock run` from source in the fixture's session, against the fake LLM. */
function runArgs(a: AgentFixture, prompt: string, ...extra: string[]): string[] {
  return [
    '--import',
    'tsx',
    CLI_SRC,
    ...runWords(a, prompt, { session: true, model: 'fake-model', mode: 'full-auto', extra }),
  ]
}

/** Start `paddock run` in the fixture's session, wait until the model is answering, kill it -9. */
async function crashMidRun(a: AgentFixture, prompt: string): Promise<void> {
  a.fake.script({ text: ['Thinking about the fir'], hang: { after: 1 } })
  const child = spawn(process.execPath, runArgs(a, prompt), {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OPENAI_API_KEY: 'sk-test' },
  })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  await waitUntil(() => a.fake.requests[0]?.status === 200, 30_000, `the request (${stderr})`)
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGKILL')
  await exited
}

describe('paddock run --session after a crash', () => {
  it('marks the dead run interrupted, then runs the new prompt on the first try', async () => {
    a = await agentFixture()
    await crashMidRun(a, 'First prompt')

    a.fake.script({ text: 'Next done.' })
    const res = await run(runArgs(a, 'Next prompt', '--json'), { OPENAI_API_KEY: 'sk-test' })
    expect(res.stderr).toBe('')
    expect(res.status).toBe(0)
    // The model was called for the new prompt, after the dead run's prompt.
    const sent = a.fake.chatRequests()
    expect(sent).toHaveLength(2)
    const users = sent[1]!.messages.filter((m) => m.role === 'user').map((m) => m.content)
    expect(users).toEqual(['First prompt', 'Next prompt'])

    // The printed events are this run's: one turn_end, `done`, the last line.
    const events = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; entry?: { type: string; payload: unknown } })
    const printedEnds = events.filter((e) => e.entry?.type === 'turn_end')
    expect(printedEnds.map((e) => e.entry!.payload)).toEqual([{ reason: 'done' }])
    expect(events.at(-1)!.entry?.type).toBe('turn_end')

    // The log: the dead run's interrupted end before the new prompt, then the new run's end.
    const log = a.fx.engine.store.branch(a.sessionId)
    const marks = log.flatMap((e) => {
      const end = payloadOf(e, 'turn_end')
      const user = payloadOf(e, 'user_message')
      return end ? [`end ${end.reason}`] : user ? [`prompt ${user.text}`] : []
    })
    expect(marks).toEqual([
      'prompt First prompt',
      'end interrupted',
      'prompt Next prompt',
      'end done',
    ])
  })

  it('says so on stderr in text mode, and prints only the new answer', async () => {
    a = await agentFixture()
    await crashMidRun(a, 'First prompt')

    a.fake.script({ text: 'Next done.' })
    const res = await run(runArgs(a, 'Next prompt'), { OPENAI_API_KEY: 'sk-test' })
    expect(res.status).toBe(0)
    expect(res.stdout.trim()).toBe('Next done.')
    expect(res.stderr).toMatch(/previous run was left unfinished \(interrupted/)
    expect(res.stderr).not.toMatch(/the run stopped/)
    expect(a.fake.chatRequests()).toHaveLength(2)
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
    const res = await run([BIN_PADDOCK, ...runWords(a, 'Make a file')])
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
