import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { payloadOf } from '../../src/shared/entries'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { REPO_ROOT } from '../support/paths'
import { spawnTs } from '../support/spawn'
import { tempDir } from '../support/temp'

const KILLER = join(REPO_ROOT, 'test', 'support', 'restore-killer.ts')

const fixtures: AgentFixture[] = []
const temps: Array<ReturnType<typeof tempDir>> = []
afterEach(async () => {
  for (const f of fixtures.splice(0).reverse()) await f.close()
  for (const t of temps.splice(0)) t.cleanup()
})

const read = (a: AgentFixture, rel: string): string => readFileSync(join(a.workspace, rel), 'utf8')

/** f1, f2 and f3 on disk; the agent rewrites f1 with its write tool. Returns the first checkpoint. */
async function agentEditsF1(a: AgentFixture): Promise<string> {
  a.write('f1.txt', 'one\n')
  a.write('f2.txt', 'two\n')
  a.write('f3.txt', 'three\n')
  a.fake.script(
    { toolCalls: [{ name: 'write', arguments: { path: 'f1.txt', content: 'agent\n' } }] },
    { text: 'Rewrote f1.' },
  )
  expect(await a.run('Rewrite f1')).toEqual({ reason: 'done' })
  expect(read(a, 'f1.txt')).toBe('agent\n')
  const list = await a.fx.call('checkpoints.list', { sessionId: a.sessionId })
  return list[0]!.id
}

describe('a restore over changes made outside the agent', () => {
  it('names the files the user changed since the latest checkpoint, before and after writing', async () => {
    const a = await agentFixture()
    fixtures.push(a)
    const first = await agentEditsF1(a)
    // The user edits f1 and f2 after the agent's last checkpoint.
    a.write('f1.txt', 'user one\n')
    a.write('f2.txt', 'user two\n')
    const params = { sessionId: a.sessionId, checkpointId: first }

    const preview = await a.fx.call('checkpoints.restorePreview', params)
    expect(preview).toEqual({ checkpointId: first, changedOutside: ['f1.txt', 'f2.txt'] })
    // A preview changes nothing.
    expect(read(a, 'f1.txt')).toBe('user one\n')
    // Only what the restore would touch: f2 alone.
    const f2Only = await a.fx.call('checkpoints.restorePreview', { ...params, files: ['f2.txt'] })
    expect(f2Only.changedOutside).toEqual(['f2.txt'])

    const restored = await a.fx.call('checkpoints.restore', params)
    expect(restored.changedOutside).toEqual(['f1.txt', 'f2.txt'])
    expect(restored.written.sort()).toEqual(['f1.txt', 'f2.txt'])
    expect(read(a, 'f1.txt')).toBe('one\n')

    // The restore's own writes are not someone else's: restoring again warns of nothing.
    const list = await a.fx.call('checkpoints.list', { sessionId: a.sessionId })
    const agents = list.find((c) => c.reason === 'turn-end')!.id
    const again = await a.fx.call('checkpoints.restorePreview', { ...params, checkpointId: agents })
    expect(again.changedOutside).toEqual([])
    // …until the user edits a restored file.
    a.write('f2.txt', 'user again\n')
    const edited = await a.fx.call('checkpoints.restorePreview', {
      ...params,
      checkpointId: agents,
    })
    expect(edited.changedOutside).toEqual(['f2.txt'])

    // The user's edits are one undo away.
    await a.fx.call('checkpoints.undoRestore', { sessionId: a.sessionId })
    expect(read(a, 'f1.txt')).toBe('user one\n')
    expect(read(a, 'f2.txt')).toBe('user two\n')
  })

  it('warns of nothing when only the agent changed the files', async () => {
    const a = await agentFixture()
    fixtures.push(a)
    const first = await agentEditsF1(a)
    const restored = await a.fx.call('checkpoints.restore', {
      sessionId: a.sessionId,
      checkpointId: first,
    })
    expect(restored.written).toEqual(['f1.txt'])
    expect(restored.changedOutside).toEqual([])
  })
})

describe('a restore killed partway', () => {
  it('is undone by the next undo, back to the files as they were before it', async () => {
    const tmp = tempDir()
    temps.push(tmp)
    const a = await agentFixture({ reuse: { root: tmp.path } })
    const first = await agentEditsF1(a)
    a.write('f1.txt', 'user one\n')
    a.write('f2.txt', 'user two\n')
    a.write('f3.txt', 'user three\n')
    const { sessionId, workspace } = a
    await a.close()

    // A real process restores and is killed -9 after its first file is written.
    const child = spawnTs(KILLER, [a.fx.dataDir, a.fx.home, workspace, sessionId, first])
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, sig) => resolve(sig)),
    )
    expect(signal, stderr).toBe('SIGKILL')
    const contents = ['f1.txt', 'f2.txt', 'f3.txt'].map((f) =>
      readFileSync(join(workspace, f), 'utf8'),
    )
    expect(contents.filter((c) => !c.startsWith('user')).length).toBeGreaterThan(0)

    const b = await agentFixture({ reuse: { root: tmp.path }, sessionId })
    fixtures.push(b)
    const notes = b.fx.engine.store
      .branch(sessionId)
      .map((e) => payloadOf(e, 'note'))
      .filter((n) => n !== null)
    expect(notes.map((n) => n.intent ?? false)).toEqual([true])

    // Running it again would finish it without a question: what it wrote is not someone else's.
    const resume = await b.fx.call('checkpoints.restorePreview', { sessionId, checkpointId: first })
    expect(resume.changedOutside).toEqual([])

    const undone = await b.fx.call('checkpoints.undoRestore', { sessionId })
    expect(undone.written.length).toBeGreaterThan(0)
    expect(read(b, 'f1.txt')).toBe('user one\n')
    expect(read(b, 'f2.txt')).toBe('user two\n')
    expect(read(b, 'f3.txt')).toBe('user three\n')
  })
})
