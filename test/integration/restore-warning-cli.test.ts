import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { MethodOutput } from '../../src/shared/contract'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import type { CliResult } from '../support/cli-in-process'
import { runCliIn } from '../support/cli-in-process'

/**
 * `paddock restore` without a terminal (in this process through `runCli`, which gets no `ask`) over
 * files the user changed after the agent's last checkpoint. The terminal's question is in
 * cli-tty.test.ts.
 */
let a: AgentFixture
afterEach(async () => {
  await a?.close()
})

function paddock(...args: string[]): Promise<CliResult> {
  return runCliIn(a.fx.dataDir, args, { cwd: a.workspace })
}

const read = (rel: string): string => readFileSync(join(a.workspace, rel), 'utf8')

/** The agent rewrites f1, then the user edits f1 and f2; returns the first checkpoint's id. */
async function userEditsAfterAgent(): Promise<string> {
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
  // The app lets go of the store, so the CLI can write it.
  await a.fx.engine.drain()
  return first
}

describe('paddock restore over files changed outside Paddock, without a terminal', () => {
  it('refuses with exit 4, naming the files, and restores with --force', async () => {
    const first = await userEditsAfterAgent()

    const refused = await paddock('restore', first)
    expect(refused.status).toBe(4)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toContain('nothing restored')
    expect(refused.stderr).toContain('  f1.txt\n  f2.txt\n')
    expect(refused.stderr).toContain('--force')
    expect(read('f1.txt')).toBe('user one\n')
    expect(read('f2.txt')).toBe('user two\n')

    const both = await paddock('restore', first, '--both')
    expect(both.status).toBe(4)
    expect(read('f1.txt')).toBe('user one\n')

    const forced = await paddock('restore', first, '--force', '--json')
    expect(forced.stderr).toBe('')
    expect(forced.status).toBe(0)
    const result = JSON.parse(forced.stdout) as MethodOutput<'checkpoints.restore'>
    expect(result.changedOutside).toEqual(['f1.txt', 'f2.txt'])
    expect(read('f1.txt')).toBe('one\n')

    // Another process, after that restore: what the restore wrote is no one else's change.
    const list = await paddock('checkpoints', 'list', '--session', a.sessionId, '--json')
    const rows = JSON.parse(list.stdout) as MethodOutput<'checkpoints.list'>
    const agents = rows.find((r) => r.reason === 'turn-end')!.id
    const preview = await paddock('restore', agents, '--files', 'f1.txt')
    expect(preview.stderr).toBe('')
    expect(preview.status).toBe(0)
    expect(read('f1.txt')).toBe('agent\n')

    const undone = await paddock('restore', '--undo', '--session', a.sessionId)
    expect(undone.status).toBe(0)
    expect(read('f1.txt')).toBe('one\n')
  })
})
