import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AgentFixture } from '../support/agent'
import { agentFixture, runWords } from '../support/agent'
import { BIN_PADDOCK, requireBuild } from '../support/paths'

// util-linux `script` gives the CLI a real terminal (a pty), as a person running it would have.
const SCRIPT = '/usr/bin/script'
const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

let a: AgentFixture
afterEach(async () => {
  await a?.close()
})

/** Run `paddock` in a pty, answering each prompt that appears with the next answer. */
function inTerminal(
  args: string[],
  answers: string[],
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const command = [process.execPath, BIN_PADDOCK, ...args].map(shellQuote).join(' ')
    const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    let answered = 0
    const onData = (d: Buffer): void => {
      output += d.toString()
      const prompts =
        output.split('or type what to do instead: ').length -
        1 +
        (output.split('Trust them? [y/N] ').length - 1) +
        (output.split('Restore anyway? (undo brings them back) [y/N] ').length - 1)
      while (answered < prompts && answered < answers.length) {
        child.stdin.write(`${answers[answered]}\n`)
        answered += 1
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('close', (status) => resolve({ status, output }))
  })
}

describe.skipIf(!existsSync(SCRIPT))('paddock run on a terminal', () => {
  it('asks before a command, runs it on "y", and passes typed feedback to the model on a deny', async () => {
    requireBuild()
    a = await agentFixture()
    a.fake.script(
      { toolCalls: [{ name: 'bash', arguments: { command: 'touch one' } }] },
      { toolCalls: [{ name: 'bash', arguments: { command: 'touch two' } }] },
      { text: 'Done as you said.' },
    )
    const res = await inTerminal([...runWords(a, 'Make files')], ['y', 'use mkdir instead'])
    expect(res.output).toContain('Approve touch one?')
    expect(res.status).toBe(0)
    expect(existsSync(join(a.workspace, 'one'))).toBe(true)
    expect(existsSync(join(a.workspace, 'two'))).toBe(false)
    const tool = a.fake
      .chatRequests()[2]!
      .messages.filter((m) => m.role === 'tool')
      .at(-1)!
    expect(String(tool.content)).toBe('The user denied this call and said: use mkdir instead')
  })

  it('asks once to trust a workspace that ships its own permission rules', async () => {
    requireBuild()
    a = await agentFixture()
    mkdirSync(join(a.workspace, '.paddock'))
    writeFileSync(
      join(a.workspace, '.paddock', 'permissions.json'),
      JSON.stringify({ rules: [{ tool: 'bash', pattern: 'touch', action: 'allow' }] }),
    )
    a.fake.script(
      { toolCalls: [{ name: 'bash', arguments: { command: 'touch trusted' } }] },
      { text: 'ok' },
    )
    const res = await inTerminal([...runWords(a, 'Touch')], ['y'])
    expect(res.output).toContain('Trust them? [y/N]')
    expect(res.output).not.toContain('Approve')
    expect(res.status).toBe(0)
    expect(existsSync(join(a.workspace, 'trusted'))).toBe(true)
  })

  it('asks before a restore overwrites files changed outside Paddock, and restores only on "y"', async () => {
    requireBuild()
    a = await agentFixture()
    a.write('f1.txt', 'one\n')
    a.write('f2.txt', 'two\n')
    a.fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'f1.txt', content: 'agent\n' } }] },
      { text: 'Rewrote f1.' },
    )
    expect(await a.run('Rewrite f1')).toEqual({ reason: 'done' })
    const first = (await a.fx.call('checkpoints.list', { sessionId: a.sessionId }))[0]!.id
    a.write('f1.txt', 'user one\n')
    a.write('f2.txt', 'user two\n')
    await a.fx.engine.drain()
    const read = (rel: string): string => readFileSync(join(a.workspace, rel), 'utf8')

    const declined = await inTerminal(['restore', first, '--data-dir', a.fx.dataDir], ['n'])
    expect(declined.output).toContain('f1.txt')
    expect(declined.output).toContain('f2.txt')
    expect(declined.output).toContain('nothing restored')
    expect(declined.status).toBe(4)
    expect(read('f1.txt')).toBe('user one\n')

    const accepted = await inTerminal(['restore', first, '--data-dir', a.fx.dataDir], ['y'])
    expect(accepted.output).toContain('Restore anyway?')
    expect(accepted.status).toBe(0)
    expect(read('f1.txt')).toBe('one\n')
    expect(read('f2.txt')).toBe('two\n')
  })
})
