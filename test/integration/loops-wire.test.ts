import { appendFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApprovalRequest, ToolResultRecord, UserMessage } from '../../src/shared/entries'
import { ApprovalRequestPayload, ToolResultPayload, payloadOf } from '../../src/shared/entries'
import type { PaddockEvent } from '../../src/shared/events'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { runCliIn } from '../support/cli-in-process'
import type { ReplyTurn } from '../support/fake-llm'

/**
 * Loop detection at the wire: each detector first tells the model what repeats (the next request
 * the fake receives ends with Paddock's `correction`), then, when it repeats again, asks the user
 * through the approval question. Polling a running command and a command whose output changes
 * are never loops.
 */

let a: AgentFixture
afterEach(async () => {
  await a?.close()
})

const isRequest = (e: PaddockEvent): boolean =>
  e.type === 'entry.appended' &&
  e.entry.type === 'approval' &&
  (e.entry.payload as { kind?: string }).kind === 'request'

async function firstQuestion(): Promise<ApprovalRequest> {
  const e = (await a.waitFor(isRequest)) as Extract<PaddockEvent, { type: 'entry.appended' }>
  return ApprovalRequestPayload.parse(e.entry.payload)
}

/** Run a prompt in full-auto: how it ended, or 'asked' as soon as it asks a question instead. */
function runUnasked(text: string): Promise<unknown> {
  return Promise.race([a.run(text), a.waitFor(isRequest).then(() => 'asked')])
}

function corrections(): UserMessage[] {
  return a.fx.engine.store
    .branch(a.sessionId)
    .map((e) => payloadOf(e, 'user_message'))
    .filter((p): p is UserMessage => p?.kind === 'correction')
}

function results(): ToolResultRecord[] {
  return a.fx.engine.store
    .branch(a.sessionId)
    .filter((e) => e.type === 'tool_result')
    .map((e) => ToolResultPayload.parse(e.payload))
}

function approvals(): unknown[] {
  return a.fx.engine.store.branch(a.sessionId).filter((e) => e.type === 'approval')
}

/** The text of the last message of the n-th (0-based) request the fake received. */
function lastMessageOf(n: number): { role: string; content: string } {
  const m = a.fake.chatRequests()[n]!.messages.at(-1)!
  return { role: m.role, content: String(m.content) }
}

const bash = (command: string): ReplyTurn => ({
  toolCalls: [{ name: 'bash', arguments: { command } }],
})
const write = (content: string): ReplyTurn => ({
  toolCalls: [{ name: 'write', arguments: { path: 'notes.txt', content } }],
})

/** 70 characters: long enough to count as a paragraph. */
const PARAGRAPH =
  'I will look at the project layout again to find where the configuration file is kept.'
const say = (text: string, path: string): ReplyTurn => ({
  text,
  toolCalls: [{ name: 'ls', arguments: { path } }],
})

describe('loop detection at the wire', () => {
  it('a command failing with the same output: a nudge after the third, a question after the fourth', async () => {
    a = await agentFixture()
    // Edits in between: not three identical calls in a row, the circle the old rule missed.
    a.fake.script(
      bash('cat missing.txt'),
      write('1'),
      bash('cat missing.txt'),
      write('2'),
      bash('cat missing.txt'),
      write('3'),
      bash('cat missing.txt'),
      write('4'),
      { text: 'I give up.' },
    )
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Go', mode: 'full-auto' })
    const q = await firstQuestion()
    // Asked on the call after the fourth failure, before it runs.
    expect(q.tool).toBe('write')
    expect(q.arguments).toEqual({ path: 'notes.txt', content: '4' })
    expect(q.reason).toMatch(/^The agent seems to repeat itself: `cat missing.txt` failed/)
    expect(q.reason).toContain('4 times')
    expect(q.reason).toContain('even after Paddock told it so')
    await a.fx.call('sessions.answerApproval', {
      sessionId: a.sessionId,
      approvalId: q.approvalId,
      answer: 'allow_once',
    })
    expect(await ended).toEqual({ reason: 'done' })

    // The nudge went out once, in the request after the third failure, as its last message.
    const told = corrections()
    expect(told).toHaveLength(1)
    expect(told[0]!.text).toMatch(/^\[Paddock\] `cat missing.txt` has failed 3 times/)
    expect(told[0]!.text).toContain('same output')
    const after3 = lastMessageOf(5)
    expect(after3).toEqual({ role: 'user', content: told[0]!.text })
    // Not before it.
    for (const n of [0, 1, 2, 3, 4]) expect(lastMessageOf(n).content).not.toContain('[Paddock]')
    expect(a.events.filter(isRequest)).toHaveLength(1)
  })

  it('the same paragraph in consecutive answers: a nudge after the third, a question on the fourth', async () => {
    a = await agentFixture()
    a.write('sub/x.txt', 'x')
    a.fake.script(
      say(PARAGRAPH, '.'),
      say(`Nothing there.\n\n${PARAGRAPH}`, 'sub'),
      // An answer of calls alone neither counts nor breaks the chain.
      { toolCalls: [{ name: 'read', arguments: { path: 'sub/x.txt' } }] },
      say(PARAGRAPH.toUpperCase(), '.'),
      say(`${PARAGRAPH}\n\nStill looking.`, 'sub'),
      { text: 'Found it.' },
    )
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Look', mode: 'full-auto' })
    const q = await firstQuestion()
    // Asked on the fourth answer's own call.
    expect(q).toMatchObject({ tool: 'ls', arguments: { path: 'sub' } })
    expect(q.reason).toMatch(
      /^The agent seems to repeat itself: the same paragraph in 4 answers in a row \("I will look at the project layout/,
    )
    await a.fx.call('sessions.answerApproval', {
      sessionId: a.sessionId,
      approvalId: q.approvalId,
      answer: 'deny',
      feedback: 'The config is in sub/x.txt',
    })
    expect(await ended).toEqual({ reason: 'done' })
    const told = corrections()
    expect(told).toHaveLength(1)
    expect(told[0]!.text).toMatch(/^\[Paddock\] Your last 3 answers each say the same thing: "/)
    expect(lastMessageOf(4)).toEqual({ role: 'user', content: told[0]!.text })
    // The user's answer reached the model as the denied call's result.
    const tool = a.fake.chatRequests()[5]!.messages.at(-1)!
    expect(tool.role).toBe('tool')
    expect(String(tool.content)).toBe(
      'The user denied this call and said: The config is in sub/x.txt',
    )
  })

  it('ten shell_read polls of a running command are not a loop', async () => {
    // The command runs until the test releases it (a marker file), after the tenth poll: no
    // real wait decides what the polls see.
    let marker = ''
    a = await agentFixture({
      fakeOptions: {
        answer: (body) => {
          const results = body.messages.filter((m) => m.role === 'tool').length
          if (results === 11) writeFileSync(marker, '')
          return undefined
        },
      },
    })
    marker = join(a.workspace, 'released')
    const poll: ReplyTurn = { toolCalls: [{ name: 'shell_read', arguments: { wait_ms: 0 } }] }
    const command = 'while [ ! -f released ]; do sleep 0.02; done; echo released'
    a.fake.script(
      { toolCalls: [{ name: 'bash', arguments: { command, timeout_ms: 1 } }] },
      ...Array.from({ length: 10 }, () => poll),
      {
        toolCalls: [{ name: 'shell_read', arguments: { wait_ms: 30_000, until_exit: true } }],
      },
      { text: 'it finished' },
    )
    expect(await runUnasked('Wait for it')).toEqual({ reason: 'done' })
    const polls = results().filter((r) => r.toolName === 'shell_read')
    expect(polls).toHaveLength(11)
    // Every poll saw the command still running: the same output ten times.
    for (const r of polls.slice(0, 10)) expect(r.details?.running).toBe(true)
    expect(polls[10]!.content).toContain('released')
    expect(polls[10]!.details?.running).toBe(false)
    expect(approvals()).toEqual([])
    expect(corrections()).toEqual([])
  })

  it('polling a log that grows is not a loop; once it stands still, the same poll is asked (#6 #7)', async () => {
    // A server starting: its log gains a line before each of the first four model calls.
    let log = ''
    let lines = 0
    a = await agentFixture({
      fakeOptions: {
        answer: () => {
          if (lines < 4) appendFileSync(log, `starting: step ${++lines}\n`)
          return undefined
        },
      },
    })
    log = join(a.workspace, 'server.log')
    const tail = bash('tail -n 5 server.log')
    a.fake.script(tail, tail, tail, tail, tail, tail, { text: 'It is up.' })
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Go', mode: 'full-auto' })
    const q = await firstQuestion()
    // Four polls saw a new line each; the fifth the same as the fourth: the sixth is asked.
    const seen = results().map((r) => r.content)
    expect(seen).toHaveLength(5)
    expect(new Set(seen.slice(0, 4)).size).toBe(4)
    expect(seen[4]).toBe(seen[3])
    expect(q).toMatchObject({ tool: 'bash', arguments: { command: 'tail -n 5 server.log' } })
    expect(q.reason).toBe('The agent seems to repeat itself: the same bash call 3 times in a row.')
    await a.fx.call('sessions.answerApproval', {
      sessionId: a.sessionId,
      approvalId: q.approvalId,
      answer: 'allow_once',
    })
    expect(await ended).toEqual({ reason: 'done' })
    expect(corrections()).toEqual([])
  })

  it('a test run failing the same way, its timings aside: a nudge after the third (#5)', async () => {
    a = await agentFixture()
    // Each run prints its own start time and durations, as vitest does; the failure is the same.
    a.write(
      'test.sh',
      [
        'n=$(cat runs 2>/dev/null || echo 0); n=$((n + 1)); echo $n > runs',
        'echo " FAIL  test/sum.test.ts > adds"',
        'echo "AssertionError: expected 3 to be 4"',
        'echo " Start at  10:00:0$n"',
        'echo " Duration  1.${n}2s (transform ${n}5ms, tests 0.${n}s)"',
        'exit 1',
      ].join('\n'),
    )
    a.fake.script(
      bash('sh test.sh'),
      write('1'),
      bash('sh test.sh'),
      write('2'),
      bash('sh test.sh'),
      { text: 'I am stuck.' },
    )
    expect(await runUnasked('Fix the test')).toEqual({ reason: 'done' })
    const runs = results().filter((r) => r.toolName === 'bash')
    expect(runs.map((r) => r.isError)).toEqual([true, true, true])
    expect(new Set(runs.map((r) => r.content)).size).toBe(3)
    const told = corrections()
    expect(told).toHaveLength(1)
    expect(told[0]!.text).toMatch(/^\[Paddock\] `sh test.sh` has failed 3 times/)
    expect(lastMessageOf(5)).toEqual({ role: 'user', content: told[0]!.text })
  })

  it('grep -q answering no (exit code 1, no output) four times is not a failing command (#6)', async () => {
    a = await agentFixture()
    a.write('notes.txt', 'draft')
    a.fake.script(
      ...[1, 2, 3, 4].flatMap((n) => [bash('grep -q TODO notes.txt'), write(`draft ${n}`)]),
      { text: 'No TODO left.' },
    )
    expect(await runUnasked('Check')).toEqual({ reason: 'done' })
    const greps = results().filter((r) => r.toolName === 'bash')
    expect(greps).toHaveLength(4)
    for (const r of greps) expect(r).toMatchObject({ isError: true, details: { exitCode: 1 } })
    expect(approvals()).toEqual([])
    expect(corrections()).toEqual([])
  })

  it('a question due is kept when the call it lands on is refused in plan mode (#8)', async () => {
    a = await agentFixture()
    a.write('sub/x.txt', 'x')
    const ls = (path: string): ReplyTurn => ({ toolCalls: [{ name: 'ls', arguments: { path } }] })
    a.fake.script(
      ...['.', 'sub', '.'].flatMap((path) => [bash('cat missing.txt'), ls(path)]),
      bash('cat missing.txt'),
      // Due here, but plan mode refuses the write without asking anyone.
      write('plan'),
      ls('sub'),
      { text: 'I give up.' },
    )
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Go', mode: 'plan' })
    const q = await Promise.race([firstQuestion(), ended.then(() => null)])
    expect(q).toMatchObject({ tool: 'ls', arguments: { path: 'sub' } })
    expect(q!.reason).toMatch(/^The agent seems to repeat itself: `cat missing.txt` failed/)
    await a.fx.call('sessions.answerApproval', {
      sessionId: a.sessionId,
      approvalId: q!.approvalId,
      answer: 'allow_once',
    })
    expect(await ended).toEqual({ reason: 'done' })
    const refused = results().find((r) => r.toolName === 'write')
    expect(refused).toMatchObject({ synthetic: 'refused' })
    expect(corrections()).toHaveLength(1)
  })

  it('the same command failing with new output each time, then passing, is not a loop', async () => {
    a = await agentFixture()
    const check = (n: number): string => `echo "failing: test ${n}"; exit 1`
    a.write('check.sh', check(1))
    a.fake.script(
      bash('sh check.sh'),
      { toolCalls: [{ name: 'write', arguments: { path: 'check.sh', content: check(2) } }] },
      bash('sh check.sh'),
      { toolCalls: [{ name: 'write', arguments: { path: 'check.sh', content: check(3) } }] },
      bash('sh check.sh'),
      { toolCalls: [{ name: 'write', arguments: { path: 'check.sh', content: 'echo ok' } }] },
      bash('sh check.sh'),
      write('a'),
      bash('sh check.sh'),
      write('b'),
      bash('sh check.sh'),
      { text: 'All green.' },
    )
    expect(await runUnasked('Fix the tests')).toEqual({ reason: 'done' })
    const runs = results().filter((r) => r.toolName === 'bash')
    expect(runs.map((r) => r.isError)).toEqual([true, true, true, false, false, false])
    expect(approvals()).toEqual([])
    expect(corrections()).toEqual([])
  })

  it('loops.repeatedText off: the same paragraph is neither told nor asked about', async () => {
    a = await agentFixture()
    await a.fx.call('settings.set', { key: 'loops.repeatedText', value: false })
    a.fake.script(
      say(PARAGRAPH, '.'),
      say(PARAGRAPH, 'sub'),
      say(PARAGRAPH, '.'),
      say(PARAGRAPH, 'sub'),
      { text: 'done' },
    )
    a.write('sub/x.txt', 'x')
    expect(await runUnasked('Look')).toEqual({ reason: 'done' })
    expect(approvals()).toEqual([])
    expect(corrections()).toEqual([])
    for (const req of a.fake.chatRequests()) {
      expect(JSON.stringify(req.messages)).not.toContain('[Paddock]')
    }
  })

  it('loops.failingCommand off with the CLI: the same failure four times is neither told nor asked', async () => {
    a = await agentFixture()
    const cli = await runCliIn(a.fx.dataDir, ['settings', 'set', 'loops.failingCommand', 'false'], {
      cwd: a.workspace,
    })
    expect(cli).toMatchObject({ status: 0, stdout: 'loops.failingCommand = false\n' })
    a.fake.script(...[1, 2, 3, 4].flatMap((n) => [bash('cat missing.txt'), write(String(n))]), {
      text: 'I give up.',
    })
    expect(await runUnasked('Go')).toEqual({ reason: 'done' })
    expect(approvals()).toEqual([])
    expect(corrections()).toEqual([])
  })

  it('loops.identicalCalls off: three identical calls in a row run without a question', async () => {
    a = await agentFixture()
    await a.fx.call('settings.set', { key: 'loops.identicalCalls', value: false })
    const ls: ReplyTurn = { toolCalls: [{ name: 'ls', arguments: { path: '.' } }] }
    a.fake.script(ls, ls, ls, { text: 'ok' })
    expect(await runUnasked('Look')).toEqual({ reason: 'done' })
    expect(approvals()).toEqual([])
  })
})
