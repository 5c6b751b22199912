/**
 * Deleting without losing work, on real git repositories: what deleteCheck names, the refusal,
 * the save under refs/paddock/deleted, restoring byte for byte, listing and pruning.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../support/temp'
import { git as g, initRepo } from '../support/git-repo'
import { storeLayout } from '../../src/main/checkpoints/store'
import {
  createWorktree,
  deleteCheck,
  deleteWorktree,
  expireDeleted,
  listDeleted,
  listWorktrees,
  pruneWorktrees,
  restoreDeleted,
  WouldLoseWorkError,
} from '../../src/main/worktrees'

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.()
})

/** git on the checkpoint store (a bare directory). */
function gs(store: string, ...args: string[]): string {
  return execFileSync('git', [`--git-dir=${store}`, ...args], { encoding: 'utf8' })
}

/** Each repository's checkpoint store (Paddock's data folder beside it in the temp folder). */
const stores = new Map<string, string>()
function st(repo: string): string {
  const s = stores.get(repo)
  if (!s) throw new Error(`no store for ${repo}`)
  return s
}

function makeRepo(name = 'repo'): string {
  const t = tempDir()
  cleanups.push(t.cleanup)
  const repo = join(t.path, name)
  stores.set(repo, storeLayout(join(t.path, 'data dir ü'), 'ws-1').gitdir)
  return initRepo(repo, {
    'app.txt': 'v1\n',
    'gone.txt': 'to be deleted\n',
    '.gitignore': '.env\n',
  })
}

/** Every file of a worktree (but .git) with its bytes and mode. */
function snapshot(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of execFileSync('ls', ['-A', join(dir, rel)], { encoding: 'utf8' })
    .split('\n')
    .filter((n) => n !== '' && n !== '.git')) {
    const r = rel === '' ? name : `${rel}/${name}`
    const st = statSync(join(dir, r))
    if (st.isDirectory()) Object.assign(out, snapshot(dir, r))
    else
      out[r] = `${(st.mode & 0o777).toString(8)} ${readFileSync(join(dir, r)).toString('base64')}`
  }
  return out
}

describe('deleteCheck and deleteWorktree', () => {
  it('names the dirty file and the unpushed commit, and refuses without force', async () => {
    const repo = makeRepo('dé pôt')
    const wt = await createWorktree({ repoRoot: repo, title: 'work' })
    expect(await deleteCheck(wt.path, wt.base)).toEqual({ dirty: [], unpushed: [] })

    writeFileSync(join(wt.path, 'app.txt'), 'committed\n')
    g(wt.path, 'commit', '-qam', 'local work')
    const sha = g(wt.path, 'rev-parse', 'HEAD').trim()
    writeFileSync(join(wt.path, 'notes é.md'), 'draft\n')
    const losses = await deleteCheck(wt.path, wt.base)
    expect(losses.dirty).toEqual([{ status: '??', path: 'notes é.md' }])
    expect(losses.unpushed).toEqual([{ sha, subject: 'local work' }])

    const err = await deleteWorktree({
      repoRoot: repo,
      storeGitdir: st(repo),
      ...wt,
      force: false,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WouldLoseWorkError)
    expect((err as WouldLoseWorkError).losses).toEqual(losses)
    expect((err as Error).message).toContain('notes é.md')
    expect((err as Error).message).toContain('local work')
    expect(existsSync(join(wt.path, 'notes é.md'))).toBe(true)
    expect(g(repo, 'branch', '--list', wt.branch).trim()).not.toBe('')
    expect(await listDeleted(st(repo))).toEqual([])
  })

  it('counts commits on a remote or merged into the base as safe', async () => {
    const repo = makeRepo()
    const wt = await createWorktree({ repoRoot: repo, title: 'merged' })
    writeFileSync(join(wt.path, 'app.txt'), 'done\n')
    g(wt.path, 'commit', '-qam', 'done')
    g(repo, 'merge', '-q', '--ff-only', wt.branch)
    expect(await deleteCheck(wt.path, 'main')).toEqual({ dirty: [], unpushed: [] })

    const wt2 = await createWorktree({ repoRoot: repo, title: 'pushed' })
    writeFileSync(join(wt2.path, 'app.txt'), 'pushed\n')
    g(wt2.path, 'commit', '-qam', 'pushed')
    const remote = join(repo, '..', 'remote.git')
    g(repo, 'init', '-q', '--bare', remote)
    g(repo, 'remote', 'add', 'origin', remote)
    g(wt2.path, 'push', '-q', 'origin', wt2.branch)
    expect(await deleteCheck(wt2.path, 'main')).toEqual({ dirty: [], unpushed: [] })
    // Nothing to lose: delete goes through without force.
    const deleted = await deleteWorktree({ repoRoot: repo, storeGitdir: st(repo), ...wt2 })
    expect(existsSync(wt2.path)).toBe(false)
    expect(deleted.ref).toBe('refs/paddock/deleted/pushed')
  })

  it('deletes with force, then restoreDeleted brings the dirty worktree back byte for byte', async () => {
    const repo = makeRepo('My Repo ü')
    mkdirSync(join(repo, '.paddock'))
    writeFileSync(join(repo, '.paddock', 'worktree.json'), JSON.stringify({ copy: ['.env'] }))
    writeFileSync(join(repo, '.env'), 'SECRET=main\n')
    const wt = await createWorktree({ repoRoot: repo, title: 'Dirty work' })
    writeFileSync(join(wt.path, 'app.txt'), 'committed change\n')
    g(wt.path, 'commit', '-qam', 'a commit')
    const tip = g(wt.path, 'rev-parse', 'HEAD').trim()
    // Dirty: a modified tracked file, a deleted one, an untracked file in a new folder,
    // an executable, binary bytes, a staged file; and secrets that must not be stored.
    writeFileSync(join(wt.path, 'app.txt'), 'uncommitted\r\nno newline at end')
    unlinkSync(join(wt.path, 'gone.txt'))
    mkdirSync(join(wt.path, 'new dir'))
    writeFileSync(join(wt.path, 'new dir', 'ünïcode.bin'), Buffer.from([0, 255, 10, 13, 0]))
    writeFileSync(join(wt.path, 'run.sh'), '#!/bin/sh\necho hi\n')
    chmodSync(join(wt.path, 'run.sh'), 0o755)
    writeFileSync(join(wt.path, 'staged.txt'), 'staged\n')
    g(wt.path, 'add', 'staged.txt')
    writeFileSync(join(wt.path, 'server.pem'), 'PRIVATE\n')
    mkdirSync(join(wt.path, 'keys'))
    writeFileSync(join(wt.path, 'keys', 'id_ed25519'), 'PRIVATE\n')
    writeFileSync(join(wt.path, '.env'), 'SECRET=changed in worktree\n')
    writeFileSync(join(wt.path, '.env.production'), 'SECRET=prod\n')
    const before = snapshot(wt.path)
    const statusBefore = g(wt.path, 'status', '--porcelain=v1', '--untracked-files=all')

    await expect(
      deleteWorktree({ repoRoot: repo, storeGitdir: st(repo), ...wt }),
    ).rejects.toBeInstanceOf(WouldLoseWorkError)
    const deleted = await deleteWorktree({
      repoRoot: repo,
      storeGitdir: st(repo),
      ...wt,
      force: true,
    })
    expect(existsSync(wt.path)).toBe(false)
    expect(g(repo, 'branch', '--list', wt.branch).trim()).toBe('')
    expect(deleted.tip).toBe(tip)
    // The save is in the checkpoint store; the user's repository has no ref and no object of it.
    const store = st(repo)
    expect(deleted.ref).toBe('refs/paddock/deleted/dirty-work')
    expect(gs(store, 'rev-parse', `${deleted.ref}^1`).trim()).toBe(tip)
    expect(g(repo, 'for-each-ref', 'refs/paddock').trim()).toBe('')
    expect(() =>
      execFileSync('git', ['cat-file', '-e', String(deleted.commit)], {
        cwd: repo,
        stdio: 'ignore',
      }),
    ).toThrow()
    const stored = gs(store, 'ls-tree', '-r', '-z', '--name-only', deleted.ref).split('\0')
    expect(stored).toContain('new dir/ünïcode.bin')
    expect(stored).toContain('run.sh')
    for (const secret of ['server.pem', 'keys/id_ed25519', '.env', '.env.production'])
      expect(stored).not.toContain(secret)
    // No blob of the save holds a secret's content...
    for (const line of gs(store, 'ls-tree', '-r', deleted.ref).split('\n').filter(Boolean)) {
      const sha = line.split(/\s+/)[2]!
      const text = gs(store, 'cat-file', '-p', sha)
      expect(text).not.toContain('SECRET=')
      expect(text).not.toContain('PRIVATE')
    }
    // ...and not even a loose blob of a secret was written, in the store or the repository.
    for (const secret of ['SECRET=changed in worktree\n', 'SECRET=prod\n', 'PRIVATE\n']) {
      const sha = execFileSync('git', ['hash-object', '--stdin'], { cwd: repo, input: secret })
        .toString()
        .trim()
      for (const args of [['-C', repo], [`--git-dir=${store}`]])
        expect(() =>
          execFileSync('git', [...args, 'cat-file', '-e', sha], { stdio: 'ignore' }),
        ).toThrow()
    }
    const saves = await listDeleted(st(repo))
    expect(saves).toMatchObject([
      { slug: 'dirty-work', branch: wt.branch, base: 'main', path: wt.path },
    ])

    const restored = await restoreDeleted({
      repoRoot: repo,
      storeGitdir: st(repo),
      slug: 'dirty-work',
    })
    expect(restored).toMatchObject({ path: wt.path, branch: wt.branch, base: 'main' })
    expect(g(wt.path, 'rev-parse', 'HEAD').trim()).toBe(tip)
    expect(g(wt.path, 'symbolic-ref', '--short', 'HEAD').trim()).toBe(wt.branch)
    const after = snapshot(wt.path)
    // Byte for byte, but for the secrets: not stored; .env copied again from the main checkout.
    const expected = { ...before }
    delete expected['server.pem']
    delete expected['keys/id_ed25519']
    delete expected['.env.production']
    expected['.env'] = after['.env'] ?? ''
    expect(after).toEqual(expected)
    expect(readFileSync(join(wt.path, '.env'), 'utf8')).toBe('SECRET=main\n')
    // Uncommitted again (the staged file comes back unstaged, as an untracked file).
    const statusAfter = g(wt.path, 'status', '--porcelain=v1', '--untracked-files=all')
    expect(statusAfter.split('\n').sort()).toEqual(
      statusBefore
        .replace('A  staged.txt', '?? staged.txt')
        .split('\n')
        .filter((l) => !/server\.pem|id_ed25519|\.env\.production/.test(l))
        .sort(),
    )
    expect(await listDeleted(st(repo))).toEqual([])
  })

  it('refuses to restore over a branch that exists again, and expires old saves', async () => {
    const repo = makeRepo()
    const wt = await createWorktree({ repoRoot: repo, title: 'old' })
    await deleteWorktree({ repoRoot: repo, storeGitdir: st(repo), ...wt })
    // A branch at the saved tip (a delete cut short before `branch -D`) is reused...
    g(repo, 'branch', wt.branch)
    const back = await restoreDeleted({ repoRoot: repo, storeGitdir: st(repo), slug: 'old' })
    expect(g(back.path, 'symbolic-ref', '--short', 'HEAD').trim()).toBe(wt.branch)
    await deleteWorktree({ repoRoot: repo, storeGitdir: st(repo), ...wt })
    // ...one that moved on is not.
    writeFileSync(join(repo, 'app.txt'), 'moved on\n')
    g(repo, 'commit', '-qam', 'moved on')
    g(repo, 'branch', wt.branch)
    await expect(
      restoreDeleted({ repoRoot: repo, storeGitdir: st(repo), slug: 'old' }),
    ).rejects.toThrow(/exists again/)
    await expect(
      restoreDeleted({ repoRoot: repo, storeGitdir: st(repo), slug: '../x' }),
    ).rejects.toMatchObject({
      code: 'bad-input',
    })
    const day = 24 * 3600 * 1000
    expect(await expireDeleted(st(repo), Date.now() + 29 * day)).toEqual([])
    expect(await expireDeleted(st(repo), Date.now() + 31 * day)).toEqual(['old'])
    expect(gs(st(repo), 'for-each-ref', 'refs/paddock/deleted').trim()).toBe('')
    expect(await listDeleted(st(repo))).toEqual([])
  })

  it('refuses a path that is not one of the repository’s worktrees', async () => {
    const repo = makeRepo()
    await expect(
      deleteWorktree({
        repoRoot: repo,
        storeGitdir: st(repo),
        path: repo,
        branch: 'paddock/x',
        base: 'main',
      }),
    ).rejects.toMatchObject({ code: 'not-found' })
    await expect(
      deleteWorktree({
        repoRoot: repo,
        storeGitdir: st(repo),
        path: repo,
        branch: 'main',
        base: 'main',
      }),
    ).rejects.toMatchObject({ code: 'bad-input' })
  })

  it('deletes a worktree whose folder was removed by hand, refusing while its commits are unpushed', async () => {
    const repo = makeRepo()
    const wt = await createWorktree({ repoRoot: repo, title: 'vanished' })
    writeFileSync(join(wt.path, 'app.txt'), 'kept in a commit\n')
    g(wt.path, 'commit', '-qam', 'only here')
    const tip = g(wt.path, 'rev-parse', 'HEAD').trim()
    rmSync(wt.path, { recursive: true, force: true })
    const err = await deleteWorktree({ repoRoot: repo, storeGitdir: st(repo), ...wt }).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(WouldLoseWorkError)
    expect((err as WouldLoseWorkError).losses).toEqual({
      dirty: [],
      unpushed: [{ sha: tip, subject: 'only here' }],
    })
    const deleted = await deleteWorktree({
      repoRoot: repo,
      storeGitdir: st(repo),
      ...wt,
      force: true,
    })
    expect(deleted.tip).toBe(tip)
    expect(g(repo, 'branch', '--list', wt.branch).trim()).toBe('')
    expect(g(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1)
    const back = await restoreDeleted({ repoRoot: repo, storeGitdir: st(repo), slug: 'vanished' })
    expect(readFileSync(join(back.path, 'app.txt'), 'utf8')).toBe('kept in a commit\n')
    expect(g(back.path, 'status', '--porcelain').trim()).toBe('')
  })

  it('deletes a worktree whose submodule was initialised', async () => {
    const lib = makeRepo('lib')
    const repo = makeRepo('super')
    g(repo, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib, 'lib')
    g(repo, 'commit', '-qm', 'add lib')
    const wt = await createWorktree({ repoRoot: repo, title: 'sub' })
    g(wt.path, '-c', 'protocol.file.allow=always', 'submodule', 'update', '--init', '-q')
    expect(await deleteCheck(wt.path, wt.base)).toEqual({ dirty: [], unpushed: [] })
    await deleteWorktree({ repoRoot: repo, storeGitdir: st(repo), ...wt })
    expect(existsSync(wt.path)).toBe(false)
    expect(readFileSync(join(repo, 'lib', 'app.txt'), 'utf8')).toBe('v1\n')
  })
})

describe('listWorktrees and pruneWorktrees', () => {
  it('notices a worktree folder removed by hand and prunes it, keeping the branch', async () => {
    const repo = makeRepo()
    const a = await createWorktree({ repoRoot: repo, title: 'kept' })
    const b = await createWorktree({ repoRoot: repo, title: 'removed by hand' })
    writeFileSync(join(a.path, 'big.bin'), Buffer.alloc(100_000))
    rmSync(b.path, { recursive: true, force: true })
    const listed = await listWorktrees(repo)
    expect(listed.map((w) => [w.path, w.main, w.exists])).toEqual([
      [repo, true, true],
      [a.path, false, true],
      [b.path, false, false],
    ])
    expect(listed[1]?.size).toBeGreaterThanOrEqual(100_000)
    expect(listed[1]?.branch).toBe(`refs/heads/${a.branch}`)
    const { pruned } = await pruneWorktrees(repo)
    expect(pruned.map((w) => w.path)).toEqual([b.path])
    expect((await listWorktrees(repo)).map((w) => w.path)).toEqual([repo, a.path])
    expect(g(repo, 'branch', '--list', b.branch).trim()).not.toBe('')
  })
})
