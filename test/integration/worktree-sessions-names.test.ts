/**
 * Names of worktree sessions through the contract: a deleted session that can still be restored
 * keeps its name (a new session with the same title gets another, so no save is overwritten), and
 * a worktree session cannot be forked into the workspace folder.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import type { World } from './worktree-sessions-world'
import { makeWorld, tool } from './worktree-sessions-world'

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
