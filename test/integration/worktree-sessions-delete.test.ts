/**
 * Deleting a worktree session without losing work, through the contract on a real repository:
 * `sessions.delete` refuses dirty and unpushed work and names it (`would_lose_work`,
 * `worktrees.deleteCheck`); with `force` the folder goes, the session is hidden and listed by
 * `worktrees.deleted`; `sessions.restoreDeleted` brings the dirty worktree back byte for byte (a
 * binary file and a non-ASCII name included) with the conversation, while a secret file (`.env`)
 * is never stored and is copied again from the checkout per `.paddock/worktree.json`. A worktree
 * folder removed by hand is noticed after a restart.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { storeLayout } from '../../src/main/checkpoints'
import type { World } from './worktree-sessions-world'
import { g, makeWorld, tool, until } from './worktree-sessions-world'

let w: World | undefined
afterEach(async () => {
  await w?.close()
  w = undefined
})

const BINARY = Buffer.from([0, 1, 2, 255, 254, 0, 10, 13, 10, 0x89, 0x50, 0x4e, 0x47])
const NON_ASCII = 'notes-été 日本.md'

/** The error a contract call failed with (code and message). */
async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p
  } catch (e) {
    return e as { code: string; message: string }
  }
  throw new Error('expected the call to fail')
}

describe('deleting a worktree session', () => {
  it('refuses dirty and unpushed work and names it; force deletes; restore brings it back byte for byte', async () => {
    w = await makeWorld({
      files: { '.paddock/worktree.json': JSON.stringify({ copy: ['.env'] }) },
    })
    writeFileSync(join(w.repo, '.env'), 'SECRET=from-checkout\n')
    const a = await w.worktreeSession('Keep my work')
    const path = a.worktree!.path
    expect(readFileSync(join(path, '.env'), 'utf8')).toBe('SECRET=from-checkout\n')

    // One commit on the branch only, then uncommitted work (the agent's and a binary file).
    w.plan('A', [tool('write', { path: 'notes.txt', content: 'first notes\n' })])
    expect(await w.run(a.id, 'A')).toEqual({ reason: 'done' })
    await w.fx.call('git.commit', { sessionId: a.id, message: 'Add the first notes' })
    w.plan('A2', [tool('write', { path: 'app.txt', content: 'changed by the agent\n' })])
    expect(await w.run(a.id, 'A2')).toEqual({ reason: 'done' })
    writeFileSync(join(path, 'logo.bin'), BINARY)
    writeFileSync(join(path, NON_ASCII), 'unicode name\n')
    writeFileSync(join(path, '.env'), 'SECRET=edited-in-worktree\n')
    const entriesBefore = await w.fx.call('sessions.entries', { sessionId: a.id })

    const check = await w.fx.call('worktrees.deleteCheck', { sessionId: a.id })
    expect(check.losesWork).toBe(true)
    expect(check.losses.dirty.map((f) => f.path).sort()).toEqual(
      ['app.txt', 'logo.bin', NON_ASCII].sort(),
    )
    expect(check.losses.unpushed.map((c) => c.subject)).toEqual(['Add the first notes'])

    const refused = await failure(w.fx.call('sessions.delete', { sessionId: a.id }))
    expect(refused.code).toBe('would_lose_work')
    for (const named of ['app.txt', 'logo.bin', NON_ASCII, 'Add the first notes'])
      expect(refused.message).toContain(named)
    expect(existsSync(path)).toBe(true)

    await w.fx.call('sessions.delete', { sessionId: a.id, force: true })
    expect(existsSync(path)).toBe(false)
    const listed = await w.fx.call('sessions.list', { workspaceId: w.workspaceId })
    expect(listed.map((s) => s.id)).not.toContain(a.id)
    const deleted = await w.fx.call('worktrees.deleted', { workspaceId: w.workspaceId })
    expect(deleted).toMatchObject([
      { sessionId: a.id, title: 'Keep my work', branch: a.worktree!.branch, base: 'main', path },
    ])

    // The save holds the work but not the secret.
    const store = storeLayout(w.fx.dataDir, w.workspaceId).gitdir
    const gs = (...args: string[]): string =>
      execFileSync('git', ['--git-dir', store, ...args], { encoding: 'utf8' })
    const refs = gs('for-each-ref', '--format=%(refname)', 'refs/paddock/deleted').trim()
    expect(refs).not.toBe('')
    for (const ref of refs.split('\n')) {
      const names = gs('ls-tree', '-r', '-z', '--name-only', ref).split('\0')
      expect(names).toContain('logo.bin')
      expect(names).not.toContain('.env')
      // Not under another name either: no stored file holds the secret (git grep exits 1).
      const grep = spawnSync('git', ['--git-dir', store, 'grep', '-q', 'edited-in-worktree', ref])
      expect(grep.status).toBe(1)
      const found = spawnSync('git', ['--git-dir', store, 'grep', '-q', 'unicode name', ref])
      expect(found.status).toBe(0) // the same search finds what was stored
    }

    const back = await w.fx.call('sessions.restoreDeleted', { sessionId: a.id })
    expect(back.worktree).toMatchObject({ path, branch: a.worktree!.branch, missing: false })
    expect(readFileSync(join(path, 'logo.bin')).equals(BINARY)).toBe(true)
    expect(readFileSync(join(path, NON_ASCII), 'utf8')).toBe('unicode name\n')
    expect(readFileSync(join(path, 'app.txt'), 'utf8')).toBe('changed by the agent\n')
    expect(readFileSync(join(path, 'notes.txt'), 'utf8')).toBe('first notes\n')
    expect(g(path, 'log', '-1', '--format=%s')).toBe('Add the first notes\n')
    // Copied again from the checkout, as .paddock/worktree.json says.
    expect(readFileSync(join(path, '.env'), 'utf8')).toBe('SECRET=from-checkout\n')
    expect(await w.fx.call('sessions.entries', { sessionId: a.id })).toEqual(entriesBefore)
    const again = await w.fx.call('sessions.list', { workspaceId: w.workspaceId })
    expect(again.map((s) => s.id)).toContain(a.id)
    expect(await w.fx.call('worktrees.deleted', { workspaceId: w.workspaceId })).toEqual([])
  })

  it('a folder removed by hand: after a restart the session says so, refuses prompts, and prune forgets it', async () => {
    w = await makeWorld()
    const a = await w.worktreeSession('Gone by hand')
    const path = a.worktree!.path
    const root = w.root
    await w.close(true)
    rmSync(path, { recursive: true, force: true })

    w = await makeWorld({ reuse: { root } })
    const session = (await w.fx.call('sessions.list', { workspaceId: w.workspaceId })).find(
      (s) => s.id === a.id,
    )
    expect(session?.worktree).toMatchObject({ path, missing: true })
    const refused = await failure(
      w.fx.call('sessions.prompt', { sessionId: a.id, text: '[X] hello', mode: 'full-auto' }),
    )
    expect(refused.code).toBe('invalid_workspace')
    expect(refused.message).toContain(path)
    expect(w.fake.chatRequests()).toHaveLength(0)

    // The start's recovery runs in the background and may prune it first; either way it goes.
    await w.fx.call('worktrees.prune', { workspaceId: w.workspaceId })
    await until('the worktree forgotten', async () => {
      const list = await w!.fx.call('worktrees.list', { workspaceId: w!.workspaceId })
      return list.every((l) => l.path !== path)
    })
    expect(g(w.repo, 'worktree', 'list', '--porcelain')).not.toContain(path)
    // The branch and its commits stay: nothing of the user's is lost by a prune.
    expect(g(w.repo, 'branch', '--list', a.worktree!.branch)).toContain(a.worktree!.branch)
  })
})
