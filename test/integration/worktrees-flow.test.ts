/**
 * Bringing work home, on real git repositories in temp folders (names with spaces and non-ASCII
 * letters): the Git area's status, commit with the user's hooks, merge into the base checkout
 * (fast-forward, merge commit, squash, refusals, conflicts aborted cleanly), rebase for the agent,
 * push to a local bare remote, pull requests through a fake `gh` (an external CLI) or the compare
 * URL, and discard.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../support/temp'
import { git as g, initRepo } from '../support/git-repo'
import {
  commitAll,
  createWorktree,
  diffAgainstBase,
  discardChanges,
  FilesError,
  GH_INSTALL,
  GH_SIGN_IN,
  gitStatus,
  MergeConflictError,
  mergeIntoBase,
  openPullRequest,
  push,
  resolveByRebase,
  WorktreeError,
} from '../../src/main/worktrees'

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.()
})

interface World {
  dir: string
  repo: string
  wt: { worktreePath: string; branch: string; base: string; repoRoot: string }
}

/** A repository `dé pôt ü` on main (app.txt, notes.txt, .env ignored) and one session worktree. */
async function world(title = 'fix login'): Promise<World> {
  const t = tempDir('paddock-flow-')
  cleanups.push(t.cleanup)
  const repo = initRepo(join(t.path, 'dé pôt ü'), {
    'app.txt': 'line 1\nline 2\nline 3\n',
    'notes.txt': 'notes\n',
    '.gitignore': '.env\n',
  })
  const created = await createWorktree({ repoRoot: repo, title })
  return {
    dir: t.path,
    repo,
    wt: { worktreePath: created.path, branch: created.branch, base: 'main', repoRoot: repo },
  }
}

function commitIn(cwd: string, file: string, text: string, message: string): string {
  writeFileSync(join(cwd, file), text)
  g(cwd, 'add', '-A')
  g(cwd, 'commit', '-qm', message)
  return g(cwd, 'rev-parse', 'HEAD').trim()
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  )
}

/** A git that predates `merge-tree --write-tree` (git < 2.38), delegating everything else. */
function oldGit(dir: string): string {
  const bin = join(dir, 'old git')
  writeFileSync(
    bin,
    // Paddock's calls start with `-c core.fsmonitor=false`: the subcommand is then the third word.
    '#!/bin/sh\nif [ "$1" = merge-tree ] || [ "$3" = merge-tree ]; then echo "usage: git merge-tree" >&2; exit 129; fi\nexec git "$@"\n',
  )
  chmodSync(bin, 0o755)
  return bin
}

describe('gitStatus and diffAgainstBase', () => {
  it('counts ahead/behind, lists uncommitted and changed files, and sees the base checkout', async () => {
    const { repo, wt } = await world()
    const w = wt.worktreePath
    commitIn(w, 'app.txt', 'line 1\nline 2 changed\nline 3\n', 'one')
    commitIn(w, 'added é.txt', 'new\n', 'two')
    commitIn(repo, 'notes.txt', 'main moved on\n', 'main work')
    writeFileSync(join(w, 'draft me.md'), 'draft\n')
    writeFileSync(join(w, '.env'), 'SECRET=1\n')

    const s = await gitStatus(wt)
    expect(s).toMatchObject({ branch: wt.branch, base: 'main', ahead: 2, behind: 1 })
    expect(s.uncommitted).toEqual([{ status: '??', path: 'draft me.md' }])
    expect(s.changed).toEqual([
      { status: 'A', path: 'added é.txt' },
      { status: 'M', path: 'app.txt' },
      { status: 'A', path: 'draft me.md' },
    ])
    expect(s.baseCheckout).toEqual({ path: repo, dirty: [], blocking: [] })
    expect(s.inProgress).toBeUndefined()
    expect(s.conflicted).toEqual([])

    // A dirty file of the base checkout that the branch touches is named as blocking.
    writeFileSync(join(repo, 'app.txt'), 'user edit\n')
    writeFileSync(join(repo, 'scratch.txt'), 'mine\n')
    const s2 = await gitStatus(wt)
    expect(s2.baseCheckout?.blocking).toEqual(['app.txt'])
    expect(s2.baseCheckout?.dirty.map((f) => f.path).sort()).toEqual(['app.txt', 'scratch.txt'])

    const d = await diffAgainstBase(wt, 'app.txt')
    expect(d.files.map((f) => f.path)).toEqual(['added é.txt', 'app.txt', 'draft me.md'])
    expect(d.file).toEqual({
      path: 'app.txt',
      base: 'line 1\nline 2\nline 3\n',
      current: 'line 1\nline 2 changed\nline 3\n',
      binary: false,
      tooLarge: false,
    })
    expect((await diffAgainstBase(wt, 'added é.txt')).file).toMatchObject({
      base: null,
      current: 'new\n',
    })
    expect(await caught(diffAgainstBase(wt, '../escape'))).toBeInstanceOf(WorktreeError)
    // A link out of the worktree (to the data folder's keys, say) is never read; a FIFO neither.
    const secret = join(repo, '..', 'outside-secret.txt')
    writeFileSync(secret, 'sk-outside\n')
    symlinkSync(secret, join(w, 'link.txt'))
    expect(await caught(diffAgainstBase(wt, 'link.txt'))).toBeInstanceOf(WorktreeError)
    execFileSync('mkfifo', [join(w, 'pipe')])
    expect((await diffAgainstBase(wt, 'pipe')).file).toMatchObject({ current: null })
  })
})

describe('commitAll', () => {
  it("runs the user's pre-commit hook, which can refuse with its output", async () => {
    const { dir, repo, wt } = await world()
    const marker = join(dir, 'hook ran.log')
    const hook = join(repo, '.git', 'hooks', 'pre-commit')
    writeFileSync(
      hook,
      `#!/bin/sh\necho ran >> '${marker}'\nif git grep --cached -q FORBIDDEN; then echo "lint: FORBIDDEN found" >&2; exit 1; fi\n`,
    )
    chmodSync(hook, 0o755)
    const w = wt.worktreePath

    expect(await caught(commitAll({ worktreePath: w, message: '  ' }))).toMatchObject({
      code: 'bad-input',
    })
    expect(await caught(commitAll({ worktreePath: w, message: 'x' }))).toMatchObject({
      code: 'nothing-to-commit',
    })

    writeFileSync(join(w, 'bad.txt'), 'FORBIDDEN\n')
    const refused = await caught(commitAll({ worktreePath: w, message: 'bad' }))
    expect(refused).toMatchObject({ code: 'commit-failed' })
    expect((refused as Error).message).toContain('lint: FORBIDDEN found')
    expect(readFileSync(marker, 'utf8')).toBe('ran\n')
    expect(g(w, 'log', '-1', '--format=%s').trim()).toBe('first')

    writeFileSync(join(w, 'bad.txt'), 'fine now\n')
    writeFileSync(join(w, 'app.txt'), 'changed\n')
    const done = await commitAll({ worktreePath: w, message: 'Fix login\n\nDetails.' })
    expect(done.subject).toBe('Fix login')
    expect(done.sha).toBe(g(w, 'rev-parse', 'HEAD').trim())
    expect(readFileSync(marker, 'utf8')).toBe('ran\nran\n')
    expect(g(w, 'status', '--porcelain')).toBe('')
  })
})

describe('mergeIntoBase', () => {
  it('fast-forwards the main checkout', async () => {
    const { repo, wt } = await world()
    const tip = commitIn(wt.worktreePath, 'app.txt', 'merged\n', 'work')
    const merged = await mergeIntoBase(wt)
    expect(merged).toEqual({ kind: 'fast-forward', sha: tip, checkout: repo })
    expect(readFileSync(join(repo, 'app.txt'), 'utf8')).toBe('merged\n')
    expect(g(repo, 'rev-parse', 'HEAD').trim()).toBe(tip)
    expect(await mergeIntoBase(wt)).toMatchObject({ kind: 'up-to-date', sha: tip })
  })

  it('makes a merge commit when main moved on, named after the session', async () => {
    const { repo, wt } = await world()
    const branchTip = commitIn(wt.worktreePath, 'app.txt', 'branch\n', 'work')
    const mainTip = commitIn(repo, 'notes.txt', 'main\n', 'main work')
    const merged = await mergeIntoBase({ ...wt, title: 'Fix login' })
    expect(merged.kind).toBe('merge')
    expect(g(repo, 'log', '-1', '--format=%P%x00%s').trim()).toBe(
      `${mainTip} ${branchTip}\0Merge ${wt.branch} (Fix login)`,
    )
    expect(readFileSync(join(repo, 'app.txt'), 'utf8')).toBe('branch\n')
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('main\n')
  })

  it('squashes the branch into one commit (hooks run)', async () => {
    const { dir, repo, wt } = await world()
    const marker = join(dir, 'squash hook.log')
    const hook = join(repo, '.git', 'hooks', 'commit-msg')
    writeFileSync(hook, `#!/bin/sh\necho ran >> '${marker}'\n`)
    chmodSync(hook, 0o755)
    commitIn(wt.worktreePath, 'app.txt', 'a\n', 'one')
    commitIn(wt.worktreePath, 'more.txt', 'b\n', 'two')
    const before = g(repo, 'rev-parse', 'HEAD').trim()
    const merged = await mergeIntoBase({ ...wt, squash: true, message: 'Fix login (squashed)' })
    expect(merged.kind).toBe('squash')
    expect(g(repo, 'rev-list', '--count', `${before}..HEAD`).trim()).toBe('1')
    expect(g(repo, 'log', '-1', '--format=%P%x00%s').trim()).toBe(`${before}\0Fix login (squashed)`)
    expect(readFileSync(join(repo, 'more.txt'), 'utf8')).toBe('b\n')
    expect(existsSync(marker)).toBe(true)
    expect(g(repo, 'status', '--porcelain')).toBe('')
  })

  it('undoes a squash whose commit a hook refuses, with the hook output', async () => {
    const { repo, wt } = await world()
    commitIn(wt.worktreePath, 'app.txt', 'a\n', 'one')
    commitIn(repo, 'notes.txt', 'main\n', 'main work')
    const hook = join(repo, '.git', 'hooks', 'commit-msg')
    writeFileSync(hook, '#!/bin/sh\necho "message must cite a ticket" >&2\nexit 1\n')
    chmodSync(hook, 0o755)
    writeFileSync(join(repo, 'other dirty.txt'), 'keep\n')
    const head = g(repo, 'rev-parse', 'HEAD').trim()
    const err = await caught(mergeIntoBase({ ...wt, squash: true, message: 'no ticket' }))
    expect(err).toMatchObject({ code: 'commit-failed' })
    expect((err as Error).message).toContain('message must cite a ticket')
    expect(g(repo, 'rev-parse', 'HEAD').trim()).toBe(head)
    expect(g(repo, 'status', '--porcelain')).toBe('?? "other dirty.txt"\n')
    expect(readFileSync(join(repo, 'app.txt'), 'utf8')).toBe('line 1\nline 2\nline 3\n')
  })

  it('undoes a merge commit a pre-merge-commit hook refuses', async () => {
    const { repo, wt } = await world()
    commitIn(wt.worktreePath, 'app.txt', 'a\n', 'one')
    const mainTip = commitIn(repo, 'notes.txt', 'main\n', 'main work')
    const hook = join(repo, '.git', 'hooks', 'pre-merge-commit')
    writeFileSync(hook, '#!/bin/sh\necho "tests fail on the merge" >&2\nexit 1\n')
    chmodSync(hook, 0o755)
    const err = await caught(mergeIntoBase(wt))
    expect(err).toMatchObject({ code: 'merge-failed' })
    expect((err as Error).message).toContain('tests fail on the merge')
    expect(g(repo, 'rev-parse', 'HEAD').trim()).toBe(mainTip)
    expect(g(repo, 'status', '--porcelain')).toBe('')
    expect(existsSync(join(repo, '.git', 'MERGE_HEAD'))).toBe(false)
  })

  it('refuses when the base checkout has dirty files the merge touches, and names them', async () => {
    const { repo, wt } = await world()
    commitIn(wt.worktreePath, 'app.txt', 'branch\n', 'work')
    commitIn(wt.worktreePath, 'brand new.txt', 'from branch\n', 'add')
    writeFileSync(join(repo, 'app.txt'), 'user edit\n')
    writeFileSync(join(repo, 'brand new.txt'), 'user file\n')
    const head = g(repo, 'rev-parse', 'HEAD').trim()
    const err = await caught(mergeIntoBase(wt))
    expect(err).toBeInstanceOf(FilesError)
    expect(err).toMatchObject({ code: 'base-dirty', files: ['app.txt', 'brand new.txt'] })
    expect((err as Error).message).toContain('app.txt')
    expect(readFileSync(join(repo, 'app.txt'), 'utf8')).toBe('user edit\n')
    expect(g(repo, 'rev-parse', 'HEAD').trim()).toBe(head)
  })

  it('proceeds when the dirty files are untouched, and keeps them byte for byte', async () => {
    const { repo, wt } = await world()
    commitIn(wt.worktreePath, 'app.txt', 'branch\n', 'work')
    commitIn(repo, 'other.txt', 'main\n', 'main work') // forces a merge commit
    const bytes = Buffer.from([0x6e, 0x6f, 0x74, 0x65, 0x73, 0x0d, 0x0a, 0xc3, 0xa9, 0x00])
    writeFileSync(join(repo, 'notes.txt'), bytes)
    writeFileSync(join(repo, 'scratch é.txt'), 'mine\n')
    const merged = await mergeIntoBase(wt)
    expect(merged.kind).toBe('merge')
    expect(readFileSync(join(repo, 'app.txt'), 'utf8')).toBe('branch\n')
    expect(readFileSync(join(repo, 'notes.txt')).equals(bytes)).toBe(true)
    expect(readFileSync(join(repo, 'scratch é.txt'), 'utf8')).toBe('mine\n')
  })

  it('refuses while the worktree has uncommitted changes', async () => {
    const { wt } = await world()
    commitIn(wt.worktreePath, 'app.txt', 'branch\n', 'work')
    writeFileSync(join(wt.worktreePath, 'wip.txt'), 'wip\n')
    expect(await caught(mergeIntoBase(wt))).toMatchObject({
      code: 'dirty-worktree',
      files: ['wip.txt'],
    })
  })

  it('lists the conflicting files and leaves the checkout as it was (predicted and real merge)', async () => {
    const { dir, repo, wt } = await world()
    commitIn(wt.worktreePath, 'app.txt', 'line 1\nbranch\nline 3\n', 'branch edit')
    const mainTip = commitIn(repo, 'app.txt', 'line 1\nmain\nline 3\n', 'main edit')
    writeFileSync(join(repo, 'notes.txt'), 'untouched dirty\n')
    const gitBin = oldGit(dir)
    const aborts = (): number =>
      g(repo, 'reflog', '--format=%gs')
        .split('\n')
        .filter((l) => l === 'reset: moving to HEAD').length
    const runs = [{}, { gitBin }, { gitBin, squash: true, message: 'squash' }]
    for (const [i, options] of runs.entries()) {
      const err = await caught(mergeIntoBase({ ...wt, ...options }))
      expect(err).toBeInstanceOf(MergeConflictError)
      expect(err).toMatchObject({ code: 'merge-conflict', files: ['app.txt'] })
      expect(g(repo, 'rev-parse', 'HEAD').trim()).toBe(mainTip)
      expect(g(repo, 'status', '--porcelain')).toBe(' M notes.txt\n')
      expect(readFileSync(join(repo, 'app.txt'), 'utf8')).toBe('line 1\nmain\nline 3\n')
      expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('untouched dirty\n')
      expect(existsSync(join(repo, '.git', 'MERGE_HEAD'))).toBe(false)
      // merge-tree predicted the first without touching the checkout; the old git's real merges
      // stopped and were undone (each undo is a `reset: moving to HEAD` in the reflog).
      expect(aborts()).toBe(i)
    }
  })

  it('moves the base ref when no checkout holds it and a fast-forward is possible, else refuses', async () => {
    const { repo, wt } = await world()
    g(repo, 'branch', 'release')
    const tip = commitIn(wt.worktreePath, 'app.txt', 'x\n', 'work')
    const merged = await mergeIntoBase({ ...wt, base: 'release' })
    expect(merged).toEqual({ kind: 'fast-forward', sha: tip })
    expect(g(repo, 'rev-parse', 'release').trim()).toBe(tip)
    g(repo, 'branch', '-f', 'release', 'main')
    commitIn(repo, 'notes.txt', 'moved\n', 'main work')
    g(repo, 'branch', '-f', 'release', 'main')
    expect(await caught(mergeIntoBase({ ...wt, base: 'release' }))).toMatchObject({
      code: 'base-not-checked-out',
    })
  })
})

describe('resolveByRebase', () => {
  it('leaves a conflicted rebase in progress and tells the agent what to do', async () => {
    const { repo, wt } = await world()
    const w = wt.worktreePath
    commitIn(w, 'app.txt', 'line 1\nbranch\nline 3\n', 'branch edit')
    commitIn(repo, 'app.txt', 'line 1\nmain\nline 3\n', 'main edit')
    const r = await resolveByRebase(wt)
    expect(r).toMatchObject({ rebased: false, conflicts: ['app.txt'] })
    if (r.rebased) throw new Error('unreachable')
    expect(r.agentMessage).toContain('- app.txt')
    expect(r.agentMessage).toContain('git rebase --continue')
    const s = await gitStatus(wt)
    expect(s.inProgress).toBe('rebase')
    expect(s.conflicted).toEqual(['app.txt'])
    // The user's checkout is not involved.
    expect(g(repo, 'status', '--porcelain')).toBe('')

    // The agent resolves and continues; then the merge is a fast-forward.
    writeFileSync(join(w, 'app.txt'), 'line 1\nmain and branch\nline 3\n')
    g(w, 'add', 'app.txt')
    execFileSync('git', ['rebase', '--continue'], {
      cwd: w,
      env: { ...process.env, GIT_EDITOR: 'true' },
    })
    expect(await gitStatus(wt)).toMatchObject({ ahead: 1, behind: 0, conflicted: [] })
    expect((await mergeIntoBase(wt)).kind).toBe('fast-forward')
  })

  it('rebases cleanly when nothing conflicts, and refuses a dirty worktree', async () => {
    const { repo, wt } = await world()
    commitIn(wt.worktreePath, 'app.txt', 'branch\n', 'work')
    commitIn(repo, 'notes.txt', 'main\n', 'main work')
    writeFileSync(join(wt.worktreePath, 'wip.txt'), 'wip\n')
    expect(await caught(resolveByRebase(wt))).toMatchObject({ code: 'dirty-worktree' })
    g(wt.worktreePath, 'clean', '-fdq')
    expect(await resolveByRebase(wt)).toMatchObject({ rebased: true })
    expect(await gitStatus(wt)).toMatchObject({ ahead: 1, behind: 0 })
  })
})

describe('push and openPullRequest', () => {
  function bareRemote(dir: string, repo: string, fetchUrl?: string): string {
    const bare = join(dir, 'remote ü.git')
    g(dir, 'init', '-q', '--bare', bare)
    g(repo, 'remote', 'add', 'origin', fetchUrl ?? bare)
    if (fetchUrl) g(repo, 'remote', 'set-url', '--push', 'origin', bare)
    return bare
  }

  /** A fake GitHub CLI: records its arguments, `auth status` as given, prints a PR URL. */
  function fakeGh(dir: string, signedIn: boolean): { bin: string; log: string } {
    const bin = join(dir, 'fake gh')
    const log = join(dir, 'gh args.log')
    writeFileSync(
      bin,
      [
        '#!/bin/sh',
        `for a in "$@"; do printf '%s\\n' "$a" >> '${log}'; done`,
        `echo --- >> '${log}'`,
        `if [ "$1" = auth ]; then exit ${signedIn ? 0 : 1}; fi`,
        'echo "https://github.com/o/r/pull/7"',
        '',
      ].join('\n'),
    )
    chmodSync(bin, 0o755)
    return { bin, log }
  }

  it('pushes to a local bare remote and sets the upstream; no remote is a clear error', async () => {
    const { dir, repo, wt } = await world()
    expect(await caught(push(wt))).toMatchObject({ code: 'no-remote' })
    const bare = bareRemote(dir, repo)
    const tip = commitIn(wt.worktreePath, 'app.txt', 'x\n', 'work')
    const pushed = await push(wt)
    expect(pushed).toMatchObject({ remote: 'origin', branch: wt.branch })
    expect(g(bare, 'rev-parse', wt.branch).trim()).toBe(tip)
    expect(g(repo, 'config', `branch.${wt.branch}.remote`).trim()).toBe('origin')
    expect(await caught(push({ ...wt, remote: 'nope' }))).toMatchObject({ code: 'no-remote' })
  })

  it('opens the pull request through gh when it is signed in', async () => {
    const { dir, repo, wt } = await world()
    const bare = bareRemote(dir, repo, 'git@github.com:o/r.git')
    const tip = commitIn(wt.worktreePath, 'app.txt', 'x\n', 'work')
    const gh = fakeGh(dir, true)
    const pr = await openPullRequest({ ...wt, title: 'Fix login', body: 'Body é', ghBin: gh.bin })
    expect(pr).toMatchObject({ via: 'gh', url: 'https://github.com/o/r/pull/7' })
    expect(g(bare, 'rev-parse', wt.branch).trim()).toBe(tip)
    const calls = readFileSync(gh.log, 'utf8')
      .split('---\n')
      .filter((c) => c !== '')
    expect(calls[0]).toBe('auth\nstatus\n--hostname\ngithub.com\n')
    expect(calls[1]).toBe(
      `pr\ncreate\n--base\nmain\n--head\n${wt.branch}\n--title\nFix login\n--body\nBody é\n`,
    )
  })

  it('gives the compare URL and what to install without gh, or what to run when signed out', async () => {
    const { dir, repo, wt } = await world()
    const bare = bareRemote(dir, repo, 'https://github.com/o/r.git')
    const tip = commitIn(wt.worktreePath, 'app.txt', 'x\n', 'work')
    const compare = `https://github.com/o/r/compare/main...${wt.branch}?expand=1`
    const missing = await openPullRequest({ ...wt, title: 'T', ghBin: join(dir, 'no-such-gh') })
    expect(missing).toMatchObject({ via: 'url', url: compare, install: GH_INSTALL })
    expect(g(bare, 'rev-parse', wt.branch).trim()).toBe(tip)
    const gh = fakeGh(dir, false)
    const signedOut = await openPullRequest({ ...wt, title: 'T', ghBin: gh.bin })
    expect(signedOut).toMatchObject({ via: 'url', url: compare, install: GH_SIGN_IN })
    expect(readFileSync(gh.log, 'utf8')).not.toContain('create')
  })
})

describe('discardChanges', () => {
  it('throws away tracked and untracked changes but keeps ignored files', async () => {
    const { wt } = await world()
    const w = wt.worktreePath
    writeFileSync(join(w, 'app.txt'), 'edited\n')
    mkdirSync(join(w, 'new dir'))
    writeFileSync(join(w, 'new dir', 'é.txt'), 'new\n')
    writeFileSync(join(w, '.env'), 'SECRET=1\n')
    const { discarded } = await discardChanges(wt)
    expect(discarded).toEqual([
      { status: ' M', path: 'app.txt' },
      { status: '??', path: 'new dir/é.txt' },
    ])
    expect(readFileSync(join(w, 'app.txt'), 'utf8')).toBe('line 1\nline 2\nline 3\n')
    expect(existsSync(join(w, 'new dir'))).toBe(false)
    expect(readFileSync(join(w, '.env'), 'utf8')).toBe('SECRET=1\n')
    expect(g(w, 'status', '--porcelain')).toBe('')
  })
})
