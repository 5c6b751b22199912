/**
 * Bringing a worktree session's work home through the contract (`git.commit`, `git.merge`,
 * `git.resolve`) on real repositories: a conflict is aborted cleanly and lists the files, "ask the
 * agent to resolve" leaves a rebase in the worktree and tells the agent which files (the next
 * request the fake LLM receives), and a merge is refused while the user's checkout has uncommitted
 * changes in files the branch touches.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { PaddockEvent } from '../../src/shared/events'
import type { World } from './worktree-sessions-world'
import { g, makeWorld, tool, until } from './worktree-sessions-world'

let w: World | undefined
afterEach(async () => {
  await w?.close()
  w = undefined
})

const turnEnds = (events: PaddockEvent[], sessionId: string): number =>
  events.filter(
    (e) => e.type === 'entry.appended' && e.entry.type === 'turn_end' && e.sessionId === sessionId,
  ).length

/** The text of the last user message of the last request the fake received. */
function lastPrompt(w: World): string {
  const m = w.fake
    .chatRequests()
    .at(-1)!
    .messages.filter((x) => x.role === 'user')
  return String(m.at(-1)!.content)
}

describe('merging a worktree session into its base', () => {
  it('aborts a conflict cleanly, lists the files; resolve rebases and tells the agent', async () => {
    w = await makeWorld({ repoName: 'merge répo' })
    const a = await w.worktreeSession('Session A')
    const b = await w.worktreeSession('Session B')
    w.plan('A', [tool('write', { path: 'app.txt', content: 'from A\n' })])
    w.plan('B', [tool('write', { path: 'app.txt', content: 'from B\n' })])
    expect(await w.run(a.id, 'A')).toEqual({ reason: 'done' })
    expect(await w.run(b.id, 'B')).toEqual({ reason: 'done' })
    await w.fx.call('git.commit', { sessionId: a.id, message: 'A' })
    await w.fx.call('git.commit', { sessionId: b.id, message: 'B' })
    expect(await w.fx.call('git.merge', { sessionId: a.id })).toMatchObject({ outcome: 'merged' })

    const head = g(w.repo, 'rev-parse', 'HEAD')
    const merged = await w.fx.call('git.merge', { sessionId: b.id })
    expect(merged).toMatchObject({ outcome: 'conflict', files: ['app.txt'] })
    // Never half-merged: clean status, same HEAD, no merge in progress, A's content.
    expect(g(w.repo, 'status', '--porcelain')).toBe('')
    expect(g(w.repo, 'rev-parse', 'HEAD')).toBe(head)
    expect(existsSync(join(w.repo, '.git', 'MERGE_HEAD'))).toBe(false)
    expect(readFileSync(join(w.repo, 'app.txt'), 'utf8')).toBe('from A\n')

    // "Ask the agent to resolve": a rebase stops in B's worktree, the agent is told.
    const endsBefore = turnEnds(w.events, b.id)
    const requestsBefore = w.fake.chatRequests().length
    const resolved = await w.fx.call('git.resolve', { sessionId: b.id })
    expect(resolved).toEqual({ rebased: false, files: ['app.txt'], prompted: true })
    const wtB = b.worktree!.path
    const inRebase = ['rebase-merge', 'rebase-apply'].some((d) =>
      existsSync(resolve(wtB, g(wtB, 'rev-parse', '--git-path', d).trim())),
    )
    expect(inRebase).toBe(true)
    expect(g(wtB, 'status', '--porcelain')).toContain('UU app.txt')
    await until('the agent ran', () => turnEnds(w!.events, b.id) > endsBefore)
    expect(w.fake.chatRequests().length).toBe(requestsBefore + 1)
    const told = lastPrompt(w)
    expect(told).toContain('app.txt')
    expect(told).toMatch(/conflict/i)
    // The user's checkout is still as A's merge left it.
    expect(g(w.repo, 'status', '--porcelain')).toBe('')
    expect(g(w.repo, 'rev-parse', 'HEAD')).toBe(head)
  })

  it('refuses while the checkout has uncommitted changes in a file the branch touches; proceeds when they are elsewhere', async () => {
    w = await makeWorld()
    const a = await w.worktreeSession('Session A')
    w.plan('A', [tool('write', { path: 'app.txt', content: 'from A\n' })])
    expect(await w.run(a.id, 'A')).toEqual({ reason: 'done' })
    await w.fx.call('git.commit', { sessionId: a.id, message: 'A' })
    const head = g(w.repo, 'rev-parse', 'HEAD')

    writeFileSync(join(w.repo, 'app.txt'), 'user edit\n')
    const refused = await w.fx.call('git.merge', { sessionId: a.id })
    expect(refused).toMatchObject({ outcome: 'refused', files: ['app.txt'] })
    if (refused.outcome !== 'refused') throw new Error('not refused')
    expect(refused.reason).toContain('app.txt')
    expect(readFileSync(join(w.repo, 'app.txt'), 'utf8')).toBe('user edit\n')
    expect(g(w.repo, 'rev-parse', 'HEAD')).toBe(head)

    // The user's edit moves to a file the branch does not touch: the merge goes through and keeps it.
    g(w.repo, 'checkout', '--', 'app.txt')
    const auth = `${readFileSync(join(w.repo, 'src/auth.ts'), 'utf8')}// user\n`
    writeFileSync(join(w.repo, 'src/auth.ts'), auth)
    expect(await w.fx.call('git.merge', { sessionId: a.id })).toMatchObject({
      outcome: 'merged',
      mode: 'fast-forward',
    })
    expect(readFileSync(join(w.repo, 'app.txt'), 'utf8')).toBe('from A\n')
    expect(readFileSync(join(w.repo, 'src/auth.ts'), 'utf8')).toBe(auth)
    expect(g(w.repo, 'status', '--porcelain')).toBe(' M src/auth.ts\n')
  })
})
