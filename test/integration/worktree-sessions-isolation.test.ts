/**
 * Worktree sessions side by side, through the engine's contract on a real repository whose folder
 * name has a space and a non-ASCII letter (`my répo`): two sessions running at the same time change
 * the same file differently, each in its own worktree; the user's checkout does not move until a
 * merge; every tool of a session is rooted at its worktree; a restore of one session's checkpoint
 * touches neither the other session nor the user's checkout.
 */
import { readFileSync, realpathSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ApprovalRequestPayload } from '../../src/shared/entries'
import type { Session } from '../../src/shared/model'
import type { World } from './worktree-sessions-world'
import { checkoutState, g, makeWorld, tool, until } from './worktree-sessions-world'

let w: World | undefined
afterEach(async () => {
  await w?.close()
  w = undefined
})

const wt = (s: Session): string => s.worktree!.path

describe('worktree sessions, side by side', () => {
  it('two sessions running at once change app.txt differently; neither sees the other; the checkout is untouched until a merge', async () => {
    w = await makeWorld({ repoName: 'my répo' })
    const before = checkoutState(w.repo)
    const a = await w.worktreeSession('Réparer la connexion')
    const b = await w.worktreeSession('Réparer la connexion')
    // Paths with spaces and non-ASCII letters: beside the repository, names never collide.
    const parent = join(dirname(w.repo), 'my répo.worktrees')
    expect(dirname(wt(a))).toBe(parent)
    expect(dirname(wt(b))).toBe(parent)
    expect(wt(a)).not.toBe(wt(b))
    expect(a.worktree!.branch).toBe(`paddock/${basename(wt(a))}`)
    expect(a.worktree).toMatchObject({ base: 'main', missing: false })

    // Both first requests must be in before either is answered: the runs overlap.
    let release!: () => void
    const bothIn = new Promise<void>((r) => (release = r))
    const edit = (text: string) => [
      { ...tool('write', { path: 'app.txt', content: text }), gate: bothIn },
      tool('read', { path: 'app.txt' }),
    ]
    w.plan('A', edit('from A\n'))
    w.plan('B', edit('from B\n'))
    const runA = w.run(a.id, 'A')
    const runB = w.run(b.id, 'B')
    await until('both first requests', () => w!.fake.chatRequests().length >= 2)
    release()
    expect(await runA).toEqual({ reason: 'done' })
    expect(await runB).toEqual({ reason: 'done' })

    expect(readFileSync(join(wt(a), 'app.txt'), 'utf8')).toBe('from A\n')
    expect(readFileSync(join(wt(b), 'app.txt'), 'utf8')).toBe('from B\n')
    // Each agent read back its own text, not the other's.
    const readOf = (s: Session): string =>
      w!.results(s.id).find((r) => r.toolName === 'read')!.content
    expect(readOf(a)).toContain('from A')
    expect(readOf(a)).not.toContain('from B')
    expect(readOf(b)).toContain('from B')
    expect(readOf(b)).not.toContain('from A')
    expect(checkoutState(w.repo)).toEqual(before)

    // Until a merge: commit A, merge it, and only then does the checkout change.
    await w.fx.call('git.commit', { sessionId: a.id, message: 'A edits app.txt' })
    expect(checkoutState(w.repo)).toEqual(before)
    const merged = await w.fx.call('git.merge', { sessionId: a.id })
    expect(merged).toMatchObject({ outcome: 'merged', mode: 'fast-forward' })
    expect(readFileSync(join(w.repo, 'app.txt'), 'utf8')).toBe('from A\n')
    expect(g(w.repo, 'status', '--porcelain')).toBe('')
    expect(readFileSync(join(wt(b), 'app.txt'), 'utf8')).toBe('from B\n')
  })

  it("roots every tool at the session's worktree: paths into the checkout are refused, the shell starts there", async () => {
    w = await makeWorld({ repoName: 'my répo' })
    const before = checkoutState(w.repo)
    const a = await w.worktreeSession('Rooted')
    const mainFile = join(w.repo, 'app.txt')
    // From the worktree, ../../my répo/app.txt is the user's checkout.
    const up = `../../${basename(w.repo)}/app.txt`
    w.plan('A', [
      tool('read', { path: up }),
      tool('read', { path: mainFile }),
      tool('write', { path: mainFile, content: 'hijacked\n' }),
      tool('write', { path: up, content: 'hijacked\n' }),
      tool('bash', { command: 'pwd' }),
    ])
    // The policy asks first ("outside the workspace" is judged against the worktree); the user
    // allows each, and the path checks still refuse.
    const reasons: string[] = []
    const sub = w.fx.engine.subscribe({}, (e) => {
      if (e.type !== 'entry.appended' || e.entry.type !== 'approval') return
      const p = ApprovalRequestPayload.safeParse(e.entry.payload)
      if (!p.success || p.data.kind !== 'request') return
      reasons.push(p.data.reason)
      void w!.fx.call('sessions.answerApproval', {
        sessionId: a.id,
        approvalId: p.data.approvalId,
        answer: 'allow_once',
      })
    })
    expect(await w.run(a.id, 'A')).toEqual({ reason: 'done' })
    sub.dispose()
    expect(reasons.length).toBeGreaterThan(0)
    for (const r of reasons) expect(r).toMatch(/outside the workspace/)
    const results = w.results(a.id)
    expect(results.map((r) => r.toolName)).toEqual(['read', 'read', 'write', 'write', 'bash'])
    for (const r of results.slice(0, 4)) {
      expect(r.isError).toBe(true)
      expect(r.content).toMatch(/outside the workspace/)
      // The root it names is the worktree, not the repository.
      expect(r.content).toContain(wt(a))
    }
    expect(realpathSync(results[4]!.content.trim().split('\n')[0]!)).toBe(realpathSync(wt(a)))
    expect(checkoutState(w.repo)).toEqual(before)
  })

  it("a restore of one session's checkpoint touches neither the other session's worktree nor the checkout", async () => {
    w = await makeWorld({ repoName: 'my répo' })
    const before = checkoutState(w.repo)
    const a = await w.worktreeSession('Session A')
    const b = await w.worktreeSession('Session B')
    w.plan('A', [tool('write', { path: 'app.txt', content: 'A1\n' })])
    w.plan('B', [tool('write', { path: 'app.txt', content: 'B1\n' })])
    expect(await w.run(a.id, 'A')).toEqual({ reason: 'done' })
    expect(await w.run(b.id, 'B')).toEqual({ reason: 'done' })

    const points = await w.fx.call('checkpoints.list', { sessionId: a.id })
    expect(points.length).toBeGreaterThan(0)
    // The point taken before A's write holds app.txt as it was (v1).
    const first = points.find((p) => p.reason === 'before-tool') ?? points[0]!
    const file = await w.fx.call('checkpoints.file', {
      sessionId: a.id,
      checkpointId: first.id,
      path: 'app.txt',
    })
    expect(file).toMatchObject({ content: 'v1\n' })
    const bPoints = await w.fx.call('checkpoints.list', { sessionId: b.id })
    expect(bPoints.length).toBeGreaterThan(0)
    expect(bPoints.map((p) => p.ref)).not.toContain(first.ref)

    await w.fx.call('checkpoints.restore', { sessionId: a.id, checkpointId: first.id })
    expect(readFileSync(join(wt(a), 'app.txt'), 'utf8')).toBe('v1\n')
    expect(readFileSync(join(wt(b), 'app.txt'), 'utf8')).toBe('B1\n')
    expect(checkoutState(w.repo)).toEqual(before)
  })
})
