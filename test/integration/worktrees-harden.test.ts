/**
 * The worktree module against an agent that can write the repository's `.git` and config, and
 * the edge cases a review found: forged creation markers, git config running code with the host's
 * secrets, a staged secret in a save, a base recorded as `HEAD`, saves overwriting each other,
 * deleting a worktree on a branch the user named or whose folder git forgot, ignored symlinks.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { tempDir } from '../support/temp'
import { git as g, initRepo } from '../support/git-repo'
import { storeLayout } from '../../src/main/checkpoints/store'
import {
  createWorktree,
  deleteCheck,
  deleteWorktree,
  gitStatus,
  listDeleted,
  recoverWorktrees,
  WouldLoseWorkError,
} from '../../src/main/worktrees'
import { snapshotTree } from '../../src/main/worktrees/radar-snapshot'

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.()
})

/** A pid no process has (recovery then treats the marker's creation as dead). */
const DEAD_PID = 2_000_000_000

function world(files: Record<string, string> = {}): { dir: string; repo: string; store: string } {
  const t = tempDir()
  cleanups.push(t.cleanup)
  const repo = initRepo(join(t.path, 'repo'), { 'app.txt': 'v1\n', ...files })
  return { dir: t.path, repo, store: storeLayout(join(t.path, 'data'), 'ws-1').gitdir }
}

function head(cwd: string, rev = 'HEAD'): string {
  return g(cwd, 'rev-parse', rev).trim()
}

function commitIn(cwd: string, file: string, body: string, message: string): string {
  writeFileSync(join(cwd, file), body)
  g(cwd, 'add', '--', file)
  g(cwd, 'commit', '-qm', message)
  return head(cwd)
}

function writeMarker(repo: string, name: string, marker: Record<string, unknown>): void {
  const dir = join(repo, '.git', 'paddock', 'creating')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, name), JSON.stringify({ pid: DEAD_PID, ...marker }))
}

describe('recoverWorktrees against forged markers', () => {
  it('never removes a folder that is not a half-made worktree, nor a branch that moved', async () => {
    const { dir, repo } = world()
    const main = head(repo)
    // The user's folder and branch, named by markers the agent wrote.
    const victim = join(dir, 'victim')
    mkdirSync(victim)
    writeFileSync(join(victim, 'precious.txt'), 'mine\n')
    g(repo, 'branch', 'feature')
    g(repo, 'switch', '-q', 'feature')
    const unique = commitIn(repo, 'feature.txt', 'unique\n', 'unique work')
    g(repo, 'switch', '-q', 'main')
    writeMarker(repo, 'victim.json', { path: victim, branch: 'feature', baseCommit: main })
    writeMarker(repo, 'other.json', { path: victim, branch: 'feature', baseCommit: unique })
    writeMarker(repo, 'nobase.json', { path: join(dir, 'nobase'), branch: 'feature' })
    // A branch that moved since its creation's start: kept, although its folder is gone.
    g(repo, 'branch', 'paddock/moved')
    g(repo, 'switch', '-q', 'paddock/moved')
    const moved = commitIn(repo, 'moved.txt', 'moved\n', 'moved on')
    g(repo, 'switch', '-q', 'main')
    writeMarker(repo, 'moved.json', {
      path: join(dir, 'moved'),
      branch: 'paddock/moved',
      baseCommit: main,
    })

    const r = await recoverWorktrees(repo)
    expect(readFileSync(join(victim, 'precious.txt'), 'utf8')).toBe('mine\n')
    expect(head(repo, 'refs/heads/feature')).toBe(unique)
    expect(head(repo, 'refs/heads/paddock/moved')).toBe(moved)
    expect(r.left.map((l) => l.path)).toContain(victim)
    expect(r.removed.map((x) => x.path)).not.toContain(victim)
    expect(readdirSync(join(repo, '.git', 'paddock', 'creating'))).toEqual([])
  })

  it('removes an admin entry cut short before its lock was written, and never prunes the user’s worktrees', async () => {
    const { dir, repo } = world()
    // The user's own worktree on a drive that is not mounted: its folder is missing.
    g(repo, 'worktree', 'add', '-q', join(dir, 'usb', 'mine'), '-b', 'mine')
    rmSync(join(dir, 'usb'), { recursive: true, force: true })
    // A creation killed a few ms into `git worktree add`: an empty admin entry, nothing else.
    const path = join(dir, 'repo.worktrees', 'cut-short')
    mkdirSync(join(repo, '.git', 'worktrees', 'cut-short'), { recursive: true })
    writeMarker(repo, 'cut-short.json', {
      path,
      branch: 'paddock/cut-short',
      baseCommit: head(repo),
    })
    const r = await recoverWorktrees(repo)
    expect(r.removed.map((x) => x.path)).toEqual([path])
    expect(readdirSync(join(repo, '.git', 'worktrees'))).toEqual(['mine'])
    expect(g(repo, 'worktree', 'list', '--porcelain')).toContain(join(dir, 'usb', 'mine'))
  })

  it('removes an admin entry whose gitdir and locked files were opened but not written', async () => {
    const { dir, repo } = world()
    const path = join(dir, 'repo.worktrees', 'half-written')
    const admin = join(repo, '.git', 'worktrees', 'half-written')
    mkdirSync(admin, { recursive: true })
    writeFileSync(join(admin, 'locked'), '')
    writeFileSync(join(admin, 'gitdir'), '')
    writeMarker(repo, 'half-written.json', {
      path,
      branch: 'paddock/half-written',
      baseCommit: head(repo),
    })
    const r = await recoverWorktrees(repo)
    expect(r.removed.map((x) => x.path)).toEqual([path])
    expect(existsSync(admin)).toBe(false)
  })

  it('removes a creation killed while git worktree add had written an empty .git file', async () => {
    const { dir, repo } = world()
    const path = join(dir, 'repo.worktrees', 'empty-dot-git')
    g(repo, 'worktree', 'add', '-q', '-b', 'paddock/empty-dot-git', path)
    // What a kill leaves in that window: git's entry still locked, the `.git` file not written.
    writeFileSync(join(repo, '.git', 'worktrees', 'empty-dot-git', 'locked'), 'initializing')
    writeFileSync(join(path, '.git'), '')
    writeMarker(repo, 'empty-dot-git.json', {
      path,
      branch: 'paddock/empty-dot-git',
      baseCommit: head(repo),
    })
    const r = await recoverWorktrees(repo)
    expect(r).toMatchObject({ removed: [{ path }], left: [] })
    expect(existsSync(path)).toBe(false)
    expect(existsSync(join(repo, '.git', 'worktrees', 'empty-dot-git'))).toBe(false)
    expect(g(repo, 'branch', '--list', 'paddock/*').trim()).toBe('')
  })
})

describe('git runs without the host’s secrets and without core.fsmonitor', () => {
  it('never starts the fsmonitor the agent configured, and filters see no API key', async () => {
    const { dir, repo } = world()
    const out = join(dir, 'leak.txt')
    const script = join(dir, 'leak.sh')
    writeFileSync(script, `#!/bin/sh\nenv >> '${out}'\ncat\n`)
    chmodSync(script, 0o755)
    g(repo, 'config', 'core.fsmonitor', script)
    g(repo, 'config', 'filter.leak.clean', script)
    writeFileSync(join(repo, '.gitattributes'), '*.txt filter=leak\n')
    writeFileSync(join(repo, 'app.txt'), 'v2\n')
    const saved = process.env.ANTHROPIC_API_KEY
    process.env.ANTHROPIC_API_KEY = 'sk-ant-test-0123456789'
    try {
      await snapshotTree(repo)
      await deleteCheck(repo, 'main')
      await gitStatus({ worktreePath: repo, branch: 'main', base: 'main' })
    } finally {
      if (saved === undefined) delete process.env.ANTHROPIC_API_KEY
      else process.env.ANTHROPIC_API_KEY = saved
    }
    const seen = existsSync(out) ? readFileSync(out, 'utf8') : ''
    expect(seen).toContain('PATH=') // the filter ran (snapshotTree's add), so the env was seen
    expect(seen).not.toContain('sk-ant-test-0123456789')
    expect(seen).not.toContain('ANTHROPIC_API_KEY')
  })

  it('never runs core.fsmonitor', async () => {
    const { dir, repo } = world()
    const out = join(dir, 'ran.txt')
    const script = join(dir, 'monitor.sh')
    writeFileSync(script, `#!/bin/sh\necho ran >> '${out}'\nexit 1\n`)
    chmodSync(script, 0o755)
    g(repo, 'config', 'core.fsmonitor', script)
    writeFileSync(join(repo, 'app.txt'), 'v2\n')
    await snapshotTree(repo)
    await deleteCheck(repo, 'main')
    await gitStatus({ worktreePath: repo, branch: 'main', base: 'main' })
    expect(existsSync(out)).toBe(false)
  })
})

describe('deleteWorktree', () => {
  it('never saves a secret file that was staged', async () => {
    const { repo, store } = world()
    const wt = await createWorktree({ repoRoot: repo, title: 'Staged secret' })
    writeFileSync(join(wt.path, '.env'), 'KEY=staged-secret-value-42\n')
    writeFileSync(join(wt.path, 'work.txt'), 'work\n')
    g(wt.path, 'add', '.env')
    const deleted = await deleteWorktree({ repoRoot: repo, storeGitdir: store, ...wt, force: true })
    const tree = execFileSync(
      'git',
      [`--git-dir=${store}`, 'ls-tree', '-r', '--name-only', deleted.ref],
      {
        encoding: 'utf8',
      },
    )
    expect(tree.split('\n')).toContain('work.txt')
    expect(tree.split('\n')).not.toContain('.env')
    const blobs = execFileSync(
      'git',
      [`--git-dir=${store}`, 'cat-file', '--batch-all-objects', '--batch'],
      { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 },
    )
    expect(blobs).not.toContain('staged-secret-value-42')
  })

  it('refuses to overwrite a save of the same name, and keeps the first', async () => {
    const { repo, store } = world()
    const first = await createWorktree({ repoRoot: repo, title: 'Same' })
    commitIn(first.path, 'one.txt', 'one\n', 'first work')
    const one = await deleteWorktree({ repoRoot: repo, storeGitdir: store, ...first, force: true })
    const second = await createWorktree({ repoRoot: repo, title: 'Same' })
    expect(second.slug).toBe(one.slug) // no ref in the repository makes it skip the name
    const err = await deleteWorktree({ repoRoot: repo, storeGitdir: store, ...second, force: true })
      .then(() => undefined)
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'bad-input' })
    expect((err as Error).message).toMatch(/saved already/)
    expect(existsSync(second.path)).toBe(true) // a failed save removes nothing
    expect((await listDeleted(store)).map((s) => s.commit)).toEqual([one.commit])
  })

  it('deletes a worktree on a branch the user named, given its slug', async () => {
    const { repo, store } = world()
    const wt = await createWorktree({ repoRoot: repo, title: 'Named', branch: 'my-feature' })
    const deleted = await deleteWorktree({
      repoRoot: repo,
      storeGitdir: store,
      ...wt,
      slug: wt.slug,
    })
    expect(deleted.ref).toBe('refs/paddock/deleted/named')
    expect(existsSync(wt.path)).toBe(false)
    expect(g(repo, 'branch', '--list', 'my-feature').trim()).toBe('')
  })

  it('saves the branch of a worktree git no longer lists, and reports when nothing was there', async () => {
    const { repo, store } = world()
    const wt = await createWorktree({ repoRoot: repo, title: 'Pruned' })
    const tip = commitIn(wt.path, 'w.txt', 'w\n', 'unpushed')
    rmSync(wt.path, { recursive: true, force: true })
    g(repo, 'worktree', 'prune')
    const input = { repoRoot: repo, storeGitdir: store, ...wt }
    await expect(deleteWorktree(input)).rejects.toBeInstanceOf(WouldLoseWorkError)
    const deleted = await deleteWorktree({ ...input, force: true })
    expect(deleted.tip).toBe(tip)
    expect(g(repo, 'branch', '--list', wt.branch).trim()).toBe('')
    const again = await deleteWorktree({ ...input, force: true })
    expect(again).toMatchObject({ commit: null, tip: null, slug: 'pruned' })
  })
})

describe('createWorktree', () => {
  it('records a base given as HEAD as its commit, so the unpushed check still sees new commits', async () => {
    const { repo } = world()
    const start = head(repo)
    const wt = await createWorktree({ repoRoot: repo, title: 'From head', base: 'HEAD' })
    expect(wt.base).toBe(start)
    const made = commitIn(wt.path, 'x.txt', 'x\n', 'in the worktree')
    expect((await deleteCheck(wt.path, wt.base)).unpushed.map((c) => c.sha)).toEqual([made])
    const named = await createWorktree({ repoRoot: repo, title: 'From main', base: 'main' })
    expect(named.base).toBe('main')
  })

  it('copies no ignored symlink (its target could be a credential file)', async () => {
    const { dir, repo } = world({
      '.gitignore': '.env\nlocal.cfg\n',
      '.paddock/worktree.json': JSON.stringify({ copy: ['.env', 'local.cfg'] }),
    })
    writeFileSync(join(dir, 'credentials'), 'aws-secret\n')
    symlinkSync(join(dir, 'credentials'), join(repo, '.env'))
    writeFileSync(join(repo, 'local.cfg'), 'x=1\n')
    const wt = await createWorktree({ repoRoot: repo, title: 'Links' })
    expect(wt.copied).toEqual(['local.cfg'])
    expect(existsSync(join(wt.path, '.env'))).toBe(false)
    expect(dirname(wt.path)).toBe(join(dir, 'repo.worktrees'))
  })
})
