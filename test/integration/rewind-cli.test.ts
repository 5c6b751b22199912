import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MethodOutput } from '../../src/shared/contract'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import type { CliResult } from '../support/cli-in-process'
import { runCliIn } from '../support/cli-in-process'

/**
 * `paddock restore CHECKPOINT --conversation|--both`, `paddock restore --undo` over them, and
 * `paddock sessions fork`, in this process through `runCli`, on a data dir an engine filled with
 * two scripted turns.
 */
let a: AgentFixture
let firstTurn: MethodOutput<'checkpoints.list'>[number]

beforeAll(async () => {
  a = await agentFixture()
  a.write('a.txt', 'zero\n')
  a.fake.script(
    { toolCalls: [{ name: 'write', arguments: { path: 'a.txt', content: 'one\n' } }] },
    { text: 'Wrote one.' },
    { toolCalls: [{ name: 'write', arguments: { path: 'b.txt', content: 'bee\n' } }] },
    { text: 'Wrote bee.' },
  )
  await a.run('FIRST prompt')
  await a.run('SECOND prompt')
  const listed = await a.fx.call('checkpoints.list', { sessionId: a.sessionId })
  firstTurn = listed.find((c) => c.reason === 'turn-end')!
  // The app lets go of the workspace's store, as when it is closed.
  await a.fx.engine.drain()
})
afterAll(async () => {
  await a?.close()
})

function paddock(...args: string[]): Promise<CliResult> {
  return runCliIn(a.fx.dataDir, args, { cwd: a.workspace })
}

const read = (rel: string): string | null => {
  const p = join(a.workspace, rel)
  return existsSync(p) ? readFileSync(p, 'utf8') : null
}
const branchText = (sessionId = a.sessionId): string =>
  JSON.stringify(a.fx.engine.store.branch(sessionId))

describe('paddock restore --conversation|--both and sessions fork', () => {
  it('rewinds the conversation only, then undoes it', async () => {
    const leaf = a.fx.engine.store.getSession(a.sessionId).leafId
    const r = await paddock('restore', firstTurn.id.slice(0, 10), '--conversation')
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Rewound the conversation to checkpoint')
    expect(branchText()).not.toContain('SECOND prompt')
    expect(read('b.txt')).toBe('bee\n')
    const undo = await paddock('restore', '--undo', '--session', a.sessionId)
    expect(undo.status).toBe(0)
    expect(undo.stdout).toContain('back on the branch')
    expect(a.fx.engine.store.getSession(a.sessionId).leafId).toBe(leaf)
  })

  it('restores files and conversation as one step, and one undo puts both back', async () => {
    const r = await paddock('restore', firstTurn.id, '--both', '--json')
    expect(r.status).toBe(0)
    const result = JSON.parse(r.stdout) as MethodOutput<'sessions.restore'>
    expect(result.scope).toBe('both')
    expect(result.files!.deleted).toEqual(['b.txt'])
    expect(read('b.txt')).toBeNull()
    expect(branchText()).not.toContain('SECOND prompt')
    const undo = await paddock('restore', '--undo', '--session', a.sessionId)
    expect(undo.status).toBe(0)
    expect(undo.stdout).toContain('wrote    b.txt')
    expect(read('b.txt')).toBe('bee\n')
    expect(branchText()).toContain('SECOND prompt')
  })

  it('forks a session at a checkpoint', async () => {
    const r = await paddock('sessions', 'fork', firstTurn.id.slice(0, 12), '--title', 'Try again')
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const id = /Forked session (\S+) "Try again"/.exec(r.stdout)![1]!
    expect(branchText(id)).toContain('FIRST prompt')
    expect(branchText(id)).toContain('Wrote one.')
    expect(branchText(id)).not.toContain('SECOND prompt')
    const usage = await paddock('sessions', 'fork')
    expect(usage.status).toBe(2)
    expect(usage.stderr).toContain('sessions fork needs a CHECKPOINT or an ENTRY id')
    const bad = await paddock('restore', firstTurn.id, '--both', '--files', 'a.txt')
    expect(bad.status).toBe(2)
  })
})
