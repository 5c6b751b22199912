/**
 * Creating worktrees on real git repositories: odd paths, the copy list, isolation between two
 * worktrees and the user's checkout, clear errors, and what happens to a submodule.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { tempDir } from '../support/temp'
import { git as g, initRepo } from '../support/git-repo'
import { createWorktree, listWorktrees, WorktreeError } from '../../src/main/worktrees'

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.()
})

/** A repository with one commit, in a folder named `name` inside a fresh temp folder. */
function makeRepo(name = 'repo'): string {
  const t = tempDir()
  cleanups.push(t.cleanup)
  return initRepo(join(t.path, name), {
    'app.txt': 'v1\n',
    '.gitignore': '.env\nconfig/local.*\nbuild.log\n',
  })
}

describe('createWorktree', () => {
  it('works in a repository whose path has spaces and non-ASCII letters', async () => {
    const repo = makeRepo('Mon Dépôt 日本')
    const wt = await createWorktree({ repoRoot: repo, title: 'Réparer la connexion' })
    expect(wt.branch).toBe('paddock/reparer-la-connexion')
    expect(wt.path).toBe(join(dirname(repo), 'Mon Dépôt 日本.worktrees', 'reparer-la-connexion'))
    expect(wt.base).toBe('main')
    expect(wt.baseCommit).toBe(g(repo, 'rev-parse', 'HEAD').trim())
    expect(readFileSync(join(wt.path, 'app.txt'), 'utf8')).toBe('v1\n')
    expect(g(wt.path, 'symbolic-ref', '--short', 'HEAD').trim()).toBe(
      'paddock/reparer-la-connexion',
    )
    const listed = await listWorktrees(repo)
    expect(listed.map((w) => w.path)).toContain(wt.path)
    const mine = listed.find((w) => w.path === wt.path)
    expect(mine?.size).toBeGreaterThan(0)
    expect(mine?.lastActivity).toBeGreaterThan(0)

    // The same title again: a fresh name, never a collision.
    const again = await createWorktree({ repoRoot: repo, title: 'Réparer la connexion' })
    expect(basename(again.path)).toBe('reparer-la-connexion-2')
    expect(again.branch).toBe('paddock/reparer-la-connexion-2')
  })

  it('gives concurrent creations with one title different names', async () => {
    const repo = makeRepo()
    const made = await Promise.all(
      [1, 2, 3].map(() => createWorktree({ repoRoot: repo, title: 'Same title' })),
    )
    expect(made.map((w) => basename(w.path)).sort()).toEqual([
      'same-title',
      'same-title-2',
      'same-title-3',
    ])
    expect((await listWorktrees(repo)).length).toBe(4)
  })

  it('places a worktree created from inside another worktree beside the main checkout', async () => {
    const repo = makeRepo()
    const first = await createWorktree({ repoRoot: repo, title: 'first' })
    writeFileSync(join(first.path, 'app.txt'), 'first\n')
    g(first.path, 'commit', '-qam', 'on first')
    const nested = await createWorktree({ repoRoot: first.path, title: 'second' })
    expect(nested.path).toBe(join(dirname(repo), 'repo.worktrees', 'second'))
    expect(nested.base).toBe('paddock/first')
    expect(readFileSync(join(nested.path, 'app.txt'), 'utf8')).toBe('first\n')
  })

  it('copies the listed ignored files and no others, and returns the setup command', async () => {
    const repo = makeRepo()
    mkdirSync(join(repo, '.paddock'))
    writeFileSync(
      join(repo, '.paddock', 'worktree.json'),
      JSON.stringify({ copy: ['.env'], setup: 'npm ci' }),
    )
    writeFileSync(join(repo, '.worktreeinclude'), '# local config\nconfig/local.*\n')
    writeFileSync(join(repo, '.env'), 'KEY=1\n')
    mkdirSync(join(repo, 'config'))
    writeFileSync(join(repo, 'config', 'local.json'), '{"port": 1}\n')
    writeFileSync(join(repo, 'build.log'), 'ignored, not listed\n')
    const wt = await createWorktree({ repoRoot: repo, title: 'env', root: join(repo, '..', 'wts') })
    expect(wt.path).toBe(join(dirname(repo), 'wts', 'env'))
    expect(wt.copied.sort()).toEqual(['.env', 'config/local.json'])
    expect(readFileSync(join(wt.path, '.env'), 'utf8')).toBe('KEY=1\n')
    expect(readFileSync(join(wt.path, 'config', 'local.json'), 'utf8')).toBe('{"port": 1}\n')
    expect(existsSync(join(wt.path, 'build.log'))).toBe(false)
    expect(wt.setup).toBe('npm ci')
  })

  it('refuses a malformed .paddock/worktree.json and leaves nothing behind', async () => {
    const repo = makeRepo()
    mkdirSync(join(repo, '.paddock'))
    writeFileSync(join(repo, '.paddock', 'worktree.json'), JSON.stringify({ copy: '.env' }))
    await expect(createWorktree({ repoRoot: repo, title: 'x' })).rejects.toMatchObject({
      code: 'bad-config',
    })
    expect(existsSync(join(dirname(repo), 'repo.worktrees'))).toBe(false)
    expect(g(repo, 'branch', '--list', 'paddock/*').trim()).toBe('')
  })

  it('keeps two worktrees and the main checkout apart', async () => {
    const repo = makeRepo()
    const a = await createWorktree({ repoRoot: repo, title: 'Agent A' })
    const b = await createWorktree({ repoRoot: repo, title: 'Agent B' })
    writeFileSync(join(a.path, 'app.txt'), 'from A\n')
    writeFileSync(join(b.path, 'app.txt'), 'from B\n')
    g(a.path, 'commit', '-qam', 'A')
    expect(readFileSync(join(a.path, 'app.txt'), 'utf8')).toBe('from A\n')
    expect(readFileSync(join(b.path, 'app.txt'), 'utf8')).toBe('from B\n')
    expect(readFileSync(join(repo, 'app.txt'), 'utf8')).toBe('v1\n')
    expect(g(repo, 'status', '--porcelain').trim()).toBe('')
    expect(g(repo, 'rev-parse', 'main').trim()).toBe(a.baseCommit)
    expect(g(b.path, 'status', '--porcelain').trim()).toBe('M app.txt')
  })

  it('starts from a named base and refuses bad ones', async () => {
    const repo = makeRepo()
    const first = g(repo, 'rev-parse', 'HEAD').trim()
    writeFileSync(join(repo, 'app.txt'), 'v2\n')
    g(repo, 'commit', '-qam', 'second')
    const wt = await createWorktree({ repoRoot: repo, title: 'old', base: first })
    expect(readFileSync(join(wt.path, 'app.txt'), 'utf8')).toBe('v1\n')
    await expect(createWorktree({ repoRoot: repo, title: 'x', base: 'nope' })).rejects.toThrow(
      /nope is not a commit/,
    )
    await expect(
      createWorktree({ repoRoot: repo, title: 'x', base: '--output=/tmp/x' }),
    ).rejects.toMatchObject({ code: 'bad-input' })
  })

  it('says clearly when the folder is not a git repository or git is missing', async () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const err = await createWorktree({ repoRoot: t.path, title: 'x' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorktreeError)
    expect(err).toMatchObject({ code: 'not-a-repo' })
    expect((err as Error).message).toContain('is not in a git repository')
    expect(readdirSync(t.path)).toEqual([])

    const repo = makeRepo()
    await expect(
      createWorktree({ repoRoot: repo, title: 'x', gitBin: join(t.path, 'no-git-here') }),
    ).rejects.toMatchObject({ code: 'git-missing', message: expect.stringMatching(/install git/) })
    await expect(
      createWorktree({ repoRoot: join(t.path, 'missing'), title: 'x' }),
    ).rejects.toMatchObject({ code: 'not-found' })
    await expect(
      createWorktree({ repoRoot: repo, title: 'x', root: join(repo, 'wt') }),
    ).rejects.toThrow(/outside the checkout/)
    const empty = join(t.path, 'empty')
    mkdirSync(empty)
    g(empty, 'init', '-q')
    await expect(createWorktree({ repoRoot: empty, title: 'x' })).rejects.toThrow(/no commit yet/)
  })

  /**
   * What happens with a submodule: `git worktree add` checks out the superproject only. The
   * submodule's folder exists in the worktree but is empty and uninitialised (`git submodule
   * status` prints `-`), until `git submodule update --init` is run there (e.g. as the `setup`
   * command). The main checkout's submodule is untouched.
   */
  it('creates a worktree of a repository with a submodule: the submodule is left uninitialised', async () => {
    const lib = makeRepo('lib')
    const repo = makeRepo('super')
    g(repo, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib, 'lib')
    g(repo, 'commit', '-qm', 'add lib')
    const wt = await createWorktree({ repoRoot: repo, title: 'with submodule' })
    expect(existsSync(join(wt.path, 'lib'))).toBe(true)
    expect(readdirSync(join(wt.path, 'lib'))).toEqual([])
    expect(g(wt.path, 'submodule', 'status').trim()).toMatch(/^-[0-9a-f]{40} lib$/)
    expect(readFileSync(join(repo, 'lib', 'app.txt'), 'utf8')).toBe('v1\n')
    // It can be initialised in the worktree when wanted.
    g(wt.path, '-c', 'protocol.file.allow=always', 'submodule', 'update', '--init', '-q')
    expect(readFileSync(join(wt.path, 'lib', 'app.txt'), 'utf8')).toBe('v1\n')
  })
})
