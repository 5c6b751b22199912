import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApprovalRequest } from '../../src/shared/entries'
import { ApprovalRequestPayload, RepairPayload, ToolResultPayload } from '../../src/shared/entries'
import type { PaddockEvent } from '../../src/shared/events'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'

let a: AgentFixture
afterEach(async () => {
  await a?.close()
})

const isRequest = (e: PaddockEvent): boolean =>
  e.type === 'entry.appended' &&
  e.entry.type === 'approval' &&
  (e.entry.payload as { kind?: string }).kind === 'request'

/** The n-th (1-based) approval request of the session, once it exists. */
async function request(n: number): Promise<ApprovalRequest> {
  await a.waitFor(() => a.events.filter(isRequest).length >= n)
  const e = a.events.filter(isRequest)[n - 1] as Extract<PaddockEvent, { type: 'entry.appended' }>
  return ApprovalRequestPayload.parse(e.entry.payload)
}

function results(): Array<ReturnType<typeof ToolResultPayload.parse>> {
  return a.fx.engine.store
    .branch(a.sessionId)
    .filter((e) => e.type === 'tool_result')
    .map((e) => ToolResultPayload.parse(e.payload))
}

const answer = (
  approvalId: string,
  ans: string,
  feedback?: string,
): Promise<{ settled: string[] }> =>
  a.fx.call('sessions.answerApproval', {
    sessionId: a.sessionId,
    approvalId,
    answer: ans,
    ...(feedback ? { feedback } : {}),
  })

describe('approvals', () => {
  it('plan mode refuses an edit and the model receives the refusal as the tool result', async () => {
    a = await agentFixture()
    a.write('f.txt', 'one')
    a.fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'f.txt', content: 'two' } }] },
      { text: 'ok' },
    )
    expect(await a.run('Change it', { mode: 'plan' })).toEqual({ reason: 'done' })
    expect(readFileSync(join(a.workspace, 'f.txt'), 'utf8')).toBe('one')
    const tool = a.fake.chatRequests()[1]!.messages.find((m) => m.role === 'tool')!
    expect(String(tool.content)).toMatch(/^Refused: .*plan mode/)
  })

  it('asks with everything a client needs; "allow for session" on npm test settles the other waiting npm test and the next is not asked', async () => {
    a = await agentFixture()
    a.write(
      'package.json',
      JSON.stringify({ name: 'p', version: '1.0.0', scripts: { test: 'echo tested' } }),
    )
    a.fake.script(
      {
        toolCalls: [
          { name: 'bash', arguments: { command: 'npm test' } },
          { name: 'bash', arguments: { command: 'npm test 2>&1 | tail -5' } },
        ],
      },
      { toolCalls: [{ name: 'bash', arguments: { command: 'npm test -- --silent' } }] },
      { text: 'done' },
    )
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Test it', mode: 'ask' })
    const first = await request(1)
    const second = await request(2)
    expect(first).toMatchObject({ tool: 'bash', arguments: { command: 'npm test' }, mode: 'ask' })
    expect(first.subcommands!.map((s) => [s.argv.join(' '), s.action])).toEqual([
      ['npm test', 'ask'],
    ])
    expect(second.subcommands!.map((s) => [s.argv[0], s.action])).toEqual([
      ['npm', 'ask'],
      ['tail', 'allow'],
    ])
    expect(first.rule).toMatchObject({ source: 'builtin', action: 'ask' })
    const { settled } = await answer(first.approvalId, 'allow_session')
    expect(settled).toEqual([first.approvalId, second.approvalId])
    expect(await ended).toEqual({ reason: 'done' })
    // The third npm test was not asked: the session rule covers it.
    expect(a.events.filter(isRequest)).toHaveLength(2)
    const out = results()
    expect(out.map((r) => r.isError)).toEqual([false, false, false])
    expect(out[0]!.content).toContain('tested')
  })

  it('deny with feedback reaches the model as the result and the turn continues; deny and stop ends the run', async () => {
    a = await agentFixture()
    a.fake.script(
      { toolCalls: [{ name: 'bash', arguments: { command: 'rm -rf build' } }] },
      { toolCalls: [{ name: 'bash', arguments: { command: 'rm -rf dist' } }] },
    )
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Clean', mode: 'ask' })
    await answer((await request(1)).approvalId, 'deny', 'Use npm run clean instead')
    await answer((await request(2)).approvalId, 'deny_stop')
    expect((await ended).reason).toBe('aborted')
    const tool = a.fake.chatRequests()[1]!.messages.find((m) => m.role === 'tool')!
    expect(String(tool.content)).toBe(
      'The user denied this call and said: Use npm run clean instead',
    )
    expect(results().map((r) => r.synthetic)).toEqual(['denied', 'denied'])
  })

  it('asks when the agent repeats the same call three times in a row', async () => {
    a = await agentFixture()
    const ls = { toolCalls: [{ name: 'ls', arguments: { path: '.' } }] }
    a.fake.script(ls, ls, ls, { text: 'ok' })
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Look', mode: 'full-auto' })
    const q = await request(1)
    expect(q.reason).toMatch(/seems to repeat itself/)
    await answer(q.approvalId, 'allow_once')
    expect(await ended).toEqual({ reason: 'done' })
  })

  it('does not take polling a running command (shell_read) for repeating itself', async () => {
    a = await agentFixture()
    const poll = { toolCalls: [{ name: 'shell_read', arguments: {} }] }
    a.fake.script(poll, poll, poll, poll, { text: 'ok' })
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Poll', mode: 'full-auto' })
    expect(await ended).toEqual({ reason: 'done' })
    expect(a.fx.engine.store.branch(a.sessionId).filter((e) => e.type === 'approval')).toEqual([])
    expect(results().map((r) => r.toolName)).toEqual([
      'shell_read',
      'shell_read',
      'shell_read',
      'shell_read',
    ])
  })

  it('applies the user’s own rules from settings, and previews which rule decides', async () => {
    a = await agentFixture()
    a.fx.engine.db
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('permissions.rules', ?, 0)")
      .run(JSON.stringify([{ tool: 'bash', pattern: 'npm test', action: 'allow' }]))
    const preview = await a.fx.call('policy.preview', {
      workspaceId: a.workspaceId,
      mode: 'ask',
      tool: 'bash',
      arguments: { command: 'npm test -- --watch' },
    })
    expect(preview).toMatchObject({
      action: 'allow',
      rule: { source: 'user', pattern: 'npm test' },
    })
    const other = await a.fx.call('policy.preview', {
      workspaceId: a.workspaceId,
      mode: 'ask',
      tool: 'bash',
      arguments: { command: 'npm test && rm -rf x' },
    })
    expect(other.action).toBe('ask')
    expect(other.subcommands!.map((s) => s.action)).toEqual(['allow', 'ask'])
  })

  it('applies the workspace permission file only once the workspace is trusted', async () => {
    a = await agentFixture()
    mkdirSync(join(a.workspace, '.paddock'))
    writeFileSync(
      join(a.workspace, '.paddock', 'permissions.json'),
      JSON.stringify({ rules: [{ tool: 'bash', pattern: 'touch', action: 'allow' }] }),
    )
    const preview = (): Promise<{ action: string }> =>
      a.fx.call('policy.preview', {
        workspaceId: a.workspaceId,
        mode: 'ask',
        tool: 'bash',
        arguments: { command: 'touch x' },
      })
    expect((await preview()).action).toBe('ask')
    const ws = await a.fx.call('workspaces.trust', { workspaceId: a.workspaceId, trusted: true })
    expect(ws.trusted).toBe(true)
    expect(await preview()).toMatchObject({
      action: 'allow',
      rule: { source: 'workspace', pattern: 'touch' },
    })
    a.fake.script(
      { toolCalls: [{ name: 'bash', arguments: { command: 'touch x' } }] },
      { text: 'ok' },
    )
    expect(await a.run('Touch', { mode: 'ask' })).toEqual({ reason: 'done' })
    expect(a.events.filter(isRequest)).toHaveLength(0)
    expect(existsSync(join(a.workspace, 'x'))).toBe(true)
  })
})

describe('a pending approval across a host restart', () => {
  it('stays open, and answering it after the restart runs the call and continues the run', async () => {
    a = await agentFixture()
    a.fake.script({ toolCalls: [{ name: 'bash', arguments: { command: 'touch after-restart' } }] })
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Make it', mode: 'ask' })
    const q = await request(1)
    const { root } = a.fx
    const { fake, sessionId } = a
    // A clean shutdown: the run ends interrupted, the question is not withdrawn.
    await a.fx.engine.drain()
    a.fx.engine.close()

    const b = await agentFixture({ fake, reuse: { root }, sessionId })
    try {
      const status = await b.fx.call('sessions.status', { sessionId })
      expect(status.lastStop).toMatchObject({ reason: 'interrupted' })
      fake.script({ text: 'Made it.' })
      const ended = b.nextEnd()
      const { settled } = await b.fx.call('sessions.answerApproval', {
        sessionId,
        approvalId: q.approvalId,
        answer: 'allow_once',
      })
      expect(settled).toEqual([q.approvalId])
      expect(await ended).toEqual({ reason: 'done' })
      expect(existsSync(join(b.workspace, 'after-restart'))).toBe(true)
      // The model sees the real result, not the interruption.
      const tool = fake
        .chatRequests()
        .at(-1)!
        .messages.find((m) => m.role === 'tool')!
      expect(String(tool.content)).not.toMatch(/Interrupted/)
      expect(fake.requests.at(-1)!.status).toBe(200)
    } finally {
      await b.close()
      await fake.close()
    }
  })
})

describe('an approval answered after a restart runs on the one tool call path', () => {
  const repairsOf = (
    f: AgentFixture,
    toolCallId: string,
  ): Array<ReturnType<typeof RepairPayload.parse>> =>
    f.fx.engine.store
      .branch(f.sessionId)
      .filter((e) => e.type === 'repair')
      .map((e) => RepairPayload.parse(e.payload))
      .filter((r) => r.toolCallId === toolCallId)

  it('repairs arguments that need it, recording the repair, before running the call', async () => {
    a = await agentFixture()
    // A process that died while asking, about arguments the tool's strict schema refuses as
    // they stand (wrapped, a number as text).
    const { store } = a.fx.engine
    store.appendEntry(a.sessionId, {
      type: 'user_message',
      payload: { text: 'Make it', kind: 'prompt' },
    })
    const args = { input: { command: 'touch repaired', timeout_ms: '5000' } }
    store.appendEntry(a.sessionId, {
      type: 'assistant_message',
      payload: {
        content: '',
        reasoning: '',
        toolCalls: [{ id: 'call_r', name: 'bash', arguments: JSON.stringify(args) }],
        finishReason: 'tool_calls',
        usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
        model: 'fake-model',
      },
    })
    store.appendEntry(a.sessionId, {
      type: 'approval',
      payload: {
        kind: 'request',
        approvalId: 'ap-r',
        toolCallId: 'call_r',
        tool: 'bash',
        arguments: args,
        mode: 'ask',
        reason: 'Runs a command.',
        rule: null,
      } satisfies ApprovalRequest,
    })
    const { root } = a.fx
    const { fake, sessionId } = a
    await a.fx.engine.drain()
    a.fx.engine.close()

    const b = await agentFixture({ fake, reuse: { root }, sessionId })
    try {
      fake.script({ text: 'Made it.' })
      // Taking the session over marks the dead process's run interrupted, then resumes it.
      const interrupted = b.nextEnd()
      const ended = b.nextEnd()
      await b.fx.call('sessions.answerApproval', {
        sessionId,
        approvalId: 'ap-r',
        answer: 'allow_once',
      })
      expect((await interrupted).reason).toBe('interrupted')
      expect(await ended).toEqual({ reason: 'done' })
      expect(existsSync(join(b.workspace, 'repaired'))).toBe(true)
      const [repair] = repairsOf(b, 'call_r')
      expect(repair).toMatchObject({ source: 'arguments', toolName: 'bash' })
      expect(repair!.notes.map((n) => n.kind)).toEqual(['unwrapped', 'coerced'])
      const branch = b.fx.engine.store.branch(sessionId)
      const last = branch.findLast((e) => e.type === 'tool_result')!
      expect(ToolResultPayload.parse(last.payload)).toMatchObject({
        toolCallId: 'call_r',
        isError: false,
      })
      // The repair is recorded before the result it led to, as on the live path.
      expect(branch.findIndex((e) => e.type === 'repair')).toBeLessThan(branch.indexOf(last))
    } finally {
      await b.close()
      await fake.close()
    }
  })

  it('records a call repaired while asking once: the resumed run does not repair it again', async () => {
    a = await agentFixture()
    a.fake.script({
      toolCalls: [
        {
          id: 'call_l',
          name: 'Bash',
          arguments: '{"command": "touch live", "timeout_ms": "5000"}',
        },
      ],
    })
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Make it', mode: 'ask' })
    const q = await request(1)
    // Asked about the repaired call: the tool's own name, the arguments its schema accepts.
    expect(q).toMatchObject({
      tool: 'bash',
      arguments: { command: 'touch live', timeout_ms: 5000 },
    })
    expect(repairsOf(a, 'call_l').map((r) => r.notes.map((n) => n.kind))).toEqual([
      ['tool_name', 'coerced'],
    ])
    const { root } = a.fx
    const { fake, sessionId } = a
    await a.fx.engine.drain()
    a.fx.engine.close()

    const b = await agentFixture({ fake, reuse: { root }, sessionId })
    try {
      fake.script({ text: 'Made it.' })
      const ended = b.nextEnd()
      await b.fx.call('sessions.answerApproval', {
        sessionId,
        approvalId: q.approvalId,
        answer: 'allow_once',
      })
      expect(await ended).toEqual({ reason: 'done' })
      expect(existsSync(join(b.workspace, 'live'))).toBe(true)
      expect(repairsOf(b, 'call_l')).toHaveLength(1)
    } finally {
      await b.close()
      await fake.close()
    }
  })
})
