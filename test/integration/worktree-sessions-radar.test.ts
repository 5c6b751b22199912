/**
 * The collision radar through the contract (`worktrees.radar`, the `worktrees.radar` event) on a
 * real repository: two worktree sessions whose agents change the same lines of src/auth.ts
 * differently overlap, both ways, in that file. "Clears when one side merges", precisely: once A
 * is committed and merged into the base, A's work is the base's, so B no longer overlaps with A;
 * B's conflict is now with the base (and A, having nothing left to merge, overlaps with no one).
 *
 * The radar compares a group at most once per 5 s; the engine is given a clock the test moves on
 * instead of waiting.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { RadarState } from '../../src/shared/contract'
import type { World } from './worktree-sessions-world'
import { makeWorld, tool } from './worktree-sessions-world'

let w: World | undefined
afterEach(async () => {
  await w?.close()
  w = undefined
})

describe('the collision radar through the contract', () => {
  it('finds two sessions changing the same lines of src/auth.ts, and clears when one side merges', async () => {
    let skew = 0
    w = await makeWorld({ extra: { now: () => Date.now() + skew } })
    const radar = async (): Promise<RadarState> => {
      skew += 6_000 // past the 5 s throttle
      return w!.fx.call('worktrees.radar', {})
    }
    const a = await w.worktreeSession('Session A')
    const b = await w.worktreeSession('Session B')
    const auth = (line: string): object =>
      tool('edit', { path: 'src/auth.ts', old_string: 'check("a")', new_string: line })
    w.plan('A', [tool('read', { path: 'src/auth.ts' }), auth('check("b")')])
    w.plan('B', [tool('read', { path: 'src/auth.ts' }), auth('verify("a")')])
    expect(await w.run(a.id, 'A')).toEqual({ reason: 'done' })
    expect(await w.run(b.id, 'B')).toEqual({ reason: 'done' })
    for (const s of [a, b])
      expect(w.results(s.id).map((r) => [r.toolName, r.isError])).toEqual([
        ['read', false],
        ['edit', false],
      ])

    const found = await radar()
    expect(found.available).toBe(true)
    const of = (state: RadarState, id: string) => state.sessions.find((s) => s.sessionId === id)
    expect(of(found, a.id)).toEqual({
      sessionId: a.id,
      overlaps: [{ sessionId: b.id, title: 'Session B', files: ['src/auth.ts'] }],
      baseConflicts: [],
    })
    expect(of(found, b.id)).toEqual({
      sessionId: b.id,
      overlaps: [{ sessionId: a.id, title: 'Session A', files: ['src/auth.ts'] }],
      baseConflicts: [],
    })
    expect(found.mergeOrder.map((s) => s.sessionId).sort()).toEqual([a.id, b.id].sort())
    // Also announced on the host stream.
    const announced = w.events.find((e) => e.type === 'worktrees.radar')
    expect(announced).toBeDefined()

    // A commits and merges into main: A's change is the base's now.
    await w.fx.call('git.commit', { sessionId: a.id, message: 'check b' })
    expect(await w.fx.call('git.merge', { sessionId: a.id })).toMatchObject({ outcome: 'merged' })
    const cleared = await radar()
    expect(of(cleared, b.id)).toEqual({
      sessionId: b.id,
      overlaps: [],
      baseConflicts: ['src/auth.ts'],
    })
    expect(of(cleared, a.id)).toEqual({ sessionId: a.id, overlaps: [], baseConflicts: [] })
    expect(cleared.mergeOrder).toEqual([])
  })
})
