/**
 * Names of worktree sessions through the contract: a deleted session that can still be restored
 * keeps its name (a new session with the same title gets another, so no save is overwritten), and
 * a worktree session cannot be forked into the workspace folder.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import type { World } from './worktree-sessions-world'
import { g, makeWorld, tool, until } from './worktree-sessions-world'

let w: World
afterEach(async () => {
  await w?.close()
})

it('a second session titled like a deleted one gets its own name; each restores its own work', async () => {
  w = await makeWorld()
  const first = await w.worktreeSession('Fix login')
  writeFileSync(join(first.worktree!.path, 'work.txt'), 'first\n')
  await w.fx.call('sessions.delete', { sessionId: first.id, force: true })

  const second = await w.worktreeSession('Fix login')
  expect(second.worktree!.path).not.toBe(first.worktree!.path)
  expect(second.worktree!.branch).toBe('paddock/fix-login-2')
  writeFileSync(join(second.worktree!.path, 'work.txt'), 'second\n')
  await w.fx.call('sessions.delete', { sessionId: second.id, force: true })

  const back = await w.fx.call('sessions.restoreDeleted', { sessionId: first.id })
  expect(readFileSync(join(back.worktree!.path, 'work.txt'), 'utf8')).toBe('first\n')
  const back2 = await w.fx.call('sessions.restoreDeleted', { sessionId: second.id })
  expect(readFileSync(join(back2.worktree!.path, 'work.txt'), 'utf8')).toBe('second\n')
})

it('forking a worktree session is refused with the reason', async () => {
  w = await makeWorld()
  const s = await w.worktreeSession('Forked')
  w.plan('A', [])
  await w.run(s.id, 'A')
  const entries = await w.fx.call('sessions.entries', { sessionId: s.id })
  await expect(
    w.fx.call('sessions.fork', { sessionId: s.id, entryId: entries.at(-1)!.id }),
  ).rejects.toMatchObject({ code: 'invalid_params', message: /works in a worktree of its own/ })
})

it('a workspace opened at a folder inside its repository works at the same place of the worktree', async () => {
  w = await makeWorld({ files: { 'packages/app/index.ts': 'export {}\n' } })
  const sub = await w.fx.call('workspaces.open', { path: join(w.repo, 'packages', 'app') })
  const s = await w.fx.call('sessions.create', {
    workspaceId: sub.id,
    title: 'In a package',
    place: 'worktree',
  })
  w.plan('A', [tool('write', { path: 'new.ts', content: 'export const x = 1\n' })])
  expect(await w.run(s.id, 'A')).toEqual({ reason: 'done' })
  expect(readFileSync(join(s.worktree!.path, 'packages', 'app', 'new.ts'), 'utf8')).toBe(
    'export const x = 1\n',
  )
  expect(existsSync(join(s.worktree!.path, 'new.ts'))).toBe(false)
})

it('a session whose folder was removed by hand: delete names its unpushed commits, and restores', async () => {
  w = await makeWorld()
  const s = await w.worktreeSession('Gone folder')
  const path = s.worktree!.path
  writeFileSync(join(path, 'kept.txt'), 'committed\n')
  g(path, 'add', '-A')
  g(path, 'commit', '-qm', 'Work only on the branch')
  rmSync(path, { recursive: true, force: true })

  const check = await w.fx.call('worktrees.deleteCheck', { sessionId: s.id })
  expect(check.losesWork).toBe(true)
  expect(check.losses.unpushed.map((c) => c.subject)).toEqual(['Work only on the branch'])
  await expect(w.fx.call('sessions.delete', { sessionId: s.id })).rejects.toMatchObject({
    code: 'would_lose_work',
    message: /Work only on the branch/,
  })
  await w.fx.call('sessions.delete', { sessionId: s.id, force: true })
  const back = await w.fx.call('sessions.restoreDeleted', { sessionId: s.id })
  expect(readFileSync(join(back.worktree!.path, 'kept.txt'), 'utf8')).toBe('committed\n')
})

it('at start, git forgets a session’s folder removed by hand, never the user’s own worktree', async () => {
  w = await makeWorld()
  const a = await w.worktreeSession('Gone by hand')
  const mine = join(w.root, 'my own worktree')
  g(w.repo, 'worktree', 'add', '-q', '-b', 'mine', mine)
  const root = w.root
  await w.close(true)
  rmSync(a.worktree!.path, { recursive: true, force: true })
  rmSync(mine, { recursive: true, force: true }) // say, on a drive not mounted now

  w = await makeWorld({ reuse: { root } })
  await until(
    'the session’s worktree forgotten',
    async () => !g(w!.repo, 'worktree', 'list', '--porcelain').includes(a.worktree!.path),
  )
  expect(g(w.repo, 'worktree', 'list', '--porcelain')).toContain(mine)
})

it('nothing starts in a worktree while its session is being deleted', async () => {
  const files: Record<string, string> = {}
  for (let i = 0; i < 2000; i++) files[`src/f${i}.ts`] = `export const n${i} = ${i}\n`
  w = await makeWorld({ files })
  const s = await w.worktreeSession('Being deleted')
  writeFileSync(join(s.worktree!.path, 'dirty.txt'), 'unsaved\n')
  const deleting = w.fx.call('sessions.delete', { sessionId: s.id, force: true })
  const prompt = w.fx.call('sessions.prompt', {
    sessionId: s.id,
    text: '[A] go',
    mode: 'full-auto',
  })
  await expect(prompt).rejects.toMatchObject({ code: 'session_busy', message: /being deleted/ })
  await deleting
  expect(w.fake.chatRequests()).toHaveLength(0)
  expect(existsSync(s.worktree!.path)).toBe(false)
})
