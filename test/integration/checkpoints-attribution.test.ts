import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CheckpointSummary } from '../../src/shared/contract'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'

const fixtures: AgentFixture[] = []
afterEach(async () => {
  for (const f of fixtures.splice(0).reverse()) await f.close()
})

const read = (a: AgentFixture, rel: string): string | null => {
  const p = join(a.workspace, rel)
  return existsSync(p) ? readFileSync(p, 'utf8') : null
}

/** The ids of the session's prompts, in order. */
function promptIds(a: AgentFixture): string[] {
  return a.fx.engine.store
    .branch(a.sessionId)
    .filter((e) => e.type === 'user_message')
    .map((e) => e.id)
}

describe('who a change is credited to', () => {
  it('credits what a restore and its undo write to them, not to the next prompt', async () => {
    const a = await agentFixture()
    fixtures.push(a)
    a.write('a.txt', 'zero\n')
    a.fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'a.txt', content: 'one\n' } }] },
      { text: 'Wrote one.' },
      {
        toolCalls: [
          { name: 'write', arguments: { path: 'a.txt', content: 'two\n' } },
          { name: 'write', arguments: { path: 'b.txt', content: 'bee\n' } },
        ],
      },
      { text: 'Wrote two.' },
    )
    expect(await a.run('FIRST prompt')).toEqual({ reason: 'done' })
    expect(await a.run('SECOND prompt')).toEqual({ reason: 'done' })
    const list = (): Promise<CheckpointSummary[]> =>
      a.fx.call('checkpoints.list', { sessionId: a.sessionId })
    const first = (await list()).find(
      (c) => c.reason === 'turn-end' && c.files.some((f) => f.path === 'a.txt'),
    )!

    // Restore files to the first prompt's end, then undo it: a.txt and b.txt change twice.
    await a.fx.call('sessions.restore', {
      sessionId: a.sessionId,
      checkpointId: first.id,
      scope: 'files',
    })
    expect(read(a, 'b.txt')).toBeNull()
    const afterRestore = (await list()).at(-1)!
    expect(afterRestore).toMatchObject({ reason: 'after-restore', turnId: null })
    expect(afterRestore.files.map((f) => f.path).sort()).toEqual(['a.txt', 'b.txt'])

    await a.fx.call('sessions.undoRestore', { sessionId: a.sessionId })
    expect(read(a, 'b.txt')).toBe('bee\n')
    const afterUndo = (await list()).at(-1)!
    expect(afterUndo).toMatchObject({ reason: 'after-restore', turnId: null })
    expect(afterUndo.label).toMatch(/undo/i)
    expect(afterUndo.files.map((f) => f.path).sort()).toEqual(['a.txt', 'b.txt'])

    // The next prompt's points hold only what its run changed.
    a.fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'c.txt', content: 'sea\n' } }] },
      { text: 'Wrote sea.' },
    )
    expect(await a.run('THIRD prompt')).toEqual({ reason: 'done' })
    const third = promptIds(a).at(-1)!
    const byThird = (await list()).filter((c) => c.turnId === third)
    expect(byThird.length).toBeGreaterThan(0)
    expect([...new Set(byThird.flatMap((c) => c.files.map((f) => f.path)))]).toEqual(['c.txt'])
  })
})
