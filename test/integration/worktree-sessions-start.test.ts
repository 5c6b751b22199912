/**
 * A worktree session's start, through the engine on real repositories: the `setup` command of
 * `.paddock/worktree.json` runs in the session's terminal (a failing one says so and leaves the
 * session usable); a repository with a submodule; and kill -9 in the middle of a worktree's
 * creation leaves nothing half-made once an engine starts again on the same data folder.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { SetupState } from '../../src/shared/contract'
import type { PaddockEvent } from '../../src/shared/events'
import { startCreator } from '../support/worktree-crash'
import type { World } from './worktree-sessions-world'
import { g, makeRepo, makeWorld, tool, until } from './worktree-sessions-world'

let w: World | undefined
const cleanups: Array<() => void> = []
afterEach(async () => {
  await w?.close()
  w = undefined
  while (cleanups.length > 0) cleanups.pop()!()
})

const setupOf = (e: PaddockEvent, sessionId: string, state: string): SetupState | undefined => {
  if (e.type !== 'worktree.setup' || e.sessionId !== sessionId) return undefined
  const setup = (e as unknown as { setup: SetupState }).setup
  return setup.state === state ? setup : undefined
}

async function setupEnded(w: World, sessionId: string, state: string): Promise<SetupState> {
  const e = await w.waitFor((x) => setupOf(x, sessionId, state) !== undefined)
  return setupOf(e, sessionId, state)!
}

describe('the setup command', () => {
  it("runs in the session's terminal, in its worktree", async () => {
    w = await makeWorld({
      files: { '.paddock/worktree.json': JSON.stringify({ setup: 'echo ready > setup-ran.txt' }) },
    })
    await w.fx.call('workspaces.trust', { workspaceId: w.workspaceId, trusted: true })
    const a = await w.worktreeSession('With setup')
    const done = await setupEnded(w, a.id, 'succeeded')
    expect(done).toMatchObject({ command: 'echo ready > setup-ran.txt', exitCode: 0 })
    expect(readFileSync(join(a.worktree!.path, 'setup-ran.txt'), 'utf8')).toBe('ready\n')
    expect(existsSync(join(w.repo, 'setup-ran.txt'))).toBe(false)
    expect((await w.fx.call('git.status', { sessionId: a.id })).setup).toEqual(done)
  })

  it('an untrusted workspace’s setup command is not run, and the session says so', async () => {
    w = await makeWorld({
      files: { '.paddock/worktree.json': JSON.stringify({ setup: 'echo ran > setup-ran.txt' }) },
    })
    const a = await w.worktreeSession('Untrusted setup')
    const skipped = await setupEnded(w, a.id, 'skipped')
    expect(skipped.message).toMatch(/not trusted/)
    expect(existsSync(join(a.worktree!.path, 'setup-ran.txt'))).toBe(false)
    expect((await w.fx.call('git.status', { sessionId: a.id })).setup).toEqual(skipped)
  })

  it('a failing setup says so with its exit code; the session still runs, its shell too', async () => {
    w = await makeWorld({
      files: { '.paddock/worktree.json': JSON.stringify({ setup: 'exit 3' }) },
    })
    await w.fx.call('workspaces.trust', { workspaceId: w.workspaceId, trusted: true })
    const a = await w.worktreeSession('Setup fails')
    const failed = await setupEnded(w, a.id, 'failed')
    expect(failed).toMatchObject({ command: 'exit 3', exitCode: 3 })
    expect(failed.message).toMatch(/exit code 3/)
    w.plan('A', [
      tool('write', { path: 'after.txt', content: 'still works\n' }),
      tool('bash', { command: 'echo shell-ok && pwd' }),
    ])
    expect(await w.run(a.id, 'A')).toEqual({ reason: 'done' })
    expect(readFileSync(join(a.worktree!.path, 'after.txt'), 'utf8')).toBe('still works\n')
    const bash = w.results(a.id).find((r) => r.toolName === 'bash')!
    expect(bash.isError).toBe(false)
    expect(bash.content).toContain('shell-ok')
  })
})

describe('a repository with a submodule', () => {
  it('the worktree has the submodule folder empty (git worktree add does not populate it); the session works', async () => {
    w = await makeWorld({
      prepare: (repo) => {
        const lib = join(dirname(repo), 'lib')
        makeRepo(lib, { 'lib.txt': 'library\n' })
        makeRepo(repo)
        g(repo, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib, 'vendor/lib')
        g(repo, 'commit', '-qm', 'add the submodule')
      },
    })
    expect(readFileSync(join(w.repo, 'vendor/lib/lib.txt'), 'utf8')).toBe('library\n')
    const a = await w.worktreeSession('With submodule')
    const path = a.worktree!.path
    // What happens: the gitlink's folder is made, but nothing is checked out in it (no
    // `git submodule update --init` runs unless the project's setup command does it).
    expect(existsSync(join(path, 'vendor/lib'))).toBe(true)
    expect(readdirSync(join(path, 'vendor/lib'))).toEqual([])
    expect(g(path, 'submodule', 'status')).toMatch(/^-[0-9a-f]{40} vendor\/lib/)
    expect(g(path, 'status', '--porcelain')).toBe('')

    w.plan('A', [
      tool('write', { path: 'app.txt', content: 'edited beside a submodule\n' }),
      tool('bash', { command: 'ls -A vendor/lib | wc -l' }),
    ])
    expect(await w.run(a.id, 'A')).toEqual({ reason: 'done' })
    expect(
      w
        .results(a.id)
        .find((r) => r.toolName === 'bash')!
        .content.trim(),
    ).toMatch(/^0\b/)
    await w.fx.call('git.commit', { sessionId: a.id, message: 'edit' })
    expect(await w.fx.call('git.merge', { sessionId: a.id })).toMatchObject({ outcome: 'merged' })
    expect(readFileSync(join(w.repo, 'app.txt'), 'utf8')).toBe('edited beside a submodule\n')
    // The user's initialised submodule is untouched by the merge.
    expect(readFileSync(join(w.repo, 'vendor/lib/lib.txt'), 'utf8')).toBe('library\n')
  })
})

describe('kill -9 during a worktree creation', () => {
  it('the next engine start leaves nothing half-made', async () => {
    w = await makeWorld({ repoName: 'crash répo' })
    // Enough files that `git worktree add` takes a moment.
    for (let i = 0; i < 200; i++) writeFileSync(join(w.repo, `f${i}.txt`), `file ${i}\n`.repeat(50))
    g(w.repo, 'add', '-A')
    g(w.repo, 'commit', '-qm', 'more files')
    const { root, repo } = w
    await w.close(true)
    w = undefined

    const creator = await startCreator(repo, 'added', /^STEP added$/)
    await creator.kill() // the child and any git it started
    const made = join(dirname(repo), 'crash répo.worktrees', 'crash-test')
    expect(existsSync(made)).toBe(true) // half-made
    expect(g(repo, 'branch', '--list', 'paddock/*')).toContain('paddock/crash-test')

    w = await makeWorld({ repoName: 'crash répo', reuse: { root } })
    // The start's recovery runs in the background: wait for its effect.
    await until('recovery at start', () => !existsSync(made))
    await until('the branch removed', () => g(repo, 'branch', '--list', 'paddock/*').trim() === '')
    expect(await w.fx.call('worktrees.list', { workspaceId: w.workspaceId })).toEqual([])
    expect(g(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1)
    const markers = join(repo, '.git', 'paddock', 'creating')
    expect(existsSync(markers) ? readdirSync(markers) : []).toEqual([])
    expect(g(repo, 'status', '--porcelain')).toBe('')

    // The same title gets the same name again, as a working session.
    const again = await w.worktreeSession('Crash test')
    expect(again.worktree!.path).toBe(made)
  })
})
