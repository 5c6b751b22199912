/**
 * `paddock` and worktree sessions (issue 20), through `runCli` in this process on real git
 * repositories in a temp folder whose names have spaces and non-ASCII letters: create --worktree,
 * `run --session` in the worktree (with or without --workspace), commit and merge into the user's
 * checkout, a merge conflict that leaves the checkout clean, delete refused without --force and a
 * terminal, delete --force then restore-deleted byte for byte, worktrees list and prune.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Session } from '../../src/shared/model'
import type { CliResult } from '../support/cli-in-process'
import { runCliIn } from '../support/cli-in-process'
import { runCli } from '../../src/main/cli/cli'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { tempDir } from '../support/temp'
import { git as g, initRepo } from '../support/git-repo'

let fake: FakeLlm
let tmp: ReturnType<typeof tempDir>
let dataDir: string
let repo: string

beforeAll(async () => {
  fake = await startFakeLlm()
  tmp = tempDir('paddock-cli-wt-')
  dataDir = join(tmp.path, 'data')
  repo = join(tmp.path, 'mon dépôt ü')
  mkdirSync(repo)
  repo = realpathSync(repo)
  initRepo(repo, { 'a.txt': 'line 1\nline 2\nline 3\n', '.gitignore': '.env\n' })
})
afterAll(async () => {
  await fake?.close()
  tmp?.cleanup()
})

function paddock(...args: string[]): Promise<CliResult> {
  return runCliIn(dataDir, args, { cwd: tmp.path })
}

async function json<T>(...args: string[]): Promise<T> {
  const res = await paddock(...args, '--json')
  expect(res.stderr).toBe('')
  expect(res.status).toBe(0)
  return JSON.parse(res.stdout) as T
}

type Created = Session & { workspacePath: string }

async function createWorktreeSession(title: string): Promise<Created> {
  return json<Created>('sessions', 'create', '--workspace', repo, '--worktree', '--title', title)
}

/** The options of a run by the fake model, allowed to edit. */
function fakeModel(): string[] {
  return ['--base-url', fake.baseUrl, '--model', 'fake-model', '--mode', 'full-auto']
}

/** `paddock run` against the fake model, allowed to edit: it writes `file` with `content`. */
function runWriting(file: string, content: string, ...where: string[]): Promise<CliResult> {
  fake.script(
    { toolCalls: [{ name: 'write', arguments: { path: file, content } }] },
    { text: 'Done.' },
  )
  return paddock('run', ...where, ...fakeModel(), `Write ${file}`)
}

describe('paddock and worktree sessions', () => {
  let main: Created
  let conflicted: Created

  it('sessions create --worktree: the session JSON carries its worktree', async () => {
    main = await createWorktreeSession('Fix login')
    expect(main.workspacePath).toBe(repo)
    expect(main.worktree).toEqual({
      path: expect.any(String) as string,
      branch: 'paddock/fix-login',
      base: 'main',
      missing: false,
    })
    expect(main.worktree!.path).not.toBe(repo)
    expect(existsSync(join(main.worktree!.path, 'a.txt'))).toBe(true)
    expect(g(main.worktree!.path, 'branch', '--show-current').trim()).toBe('paddock/fix-login')

    const human = await paddock(
      'sessions',
      'create',
      '--workspace',
      repo,
      '--worktree',
      '--title',
      'Human words',
      '--branch',
      'feature/words',
    )
    expect(human.stderr).toBe('')
    expect(human.status).toBe(0)
    expect(human.stdout).toMatch(
      /^Created session \S+ "Human words" in .+ on feature\/words \(from main\)\n$/,
    )

    // In place, as before: no worktree.
    const inPlace = await json<Created>('sessions', 'create', '--workspace', repo, '--title', 'P')
    expect(inPlace.worktree).toBeNull()
    // --base / --branch are for a worktree.
    const misuse = await paddock('sessions', 'create', '--workspace', repo, '--base', 'main')
    expect(misuse.status).toBe(2)
    expect(misuse.stderr).toContain('--base is for a session in a new worktree: add --worktree')
  })

  it('run --session works in the worktree, with or without --workspace naming the repository', async () => {
    const wt = main.worktree!.path
    const alone = await runWriting('b.txt', 'bee\n', '--session', main.id)
    expect(alone.stderr).toContain(`session ${main.id}`)
    expect(alone.status).toBe(0)
    expect(readFileSync(join(wt, 'b.txt'), 'utf8')).toBe('bee\n')
    expect(existsSync(join(repo, 'b.txt'))).toBe(false)

    const withRepo = await runWriting('c.txt', 'sea\n', '--workspace', repo, '--session', main.id)
    expect(withRepo.status).toBe(0)
    expect(readFileSync(join(wt, 'c.txt'), 'utf8')).toBe('sea\n')
    expect(existsSync(join(repo, 'c.txt'))).toBe(false)

    // The worktree itself names the session's workspace too.
    const withWorktree = await runWriting('d.txt', 'dee\n', '--workspace', wt, '--session', main.id)
    expect(withWorktree.status).toBe(0)
    expect(readFileSync(join(wt, 'd.txt'), 'utf8')).toBe('dee\n')
    expect(existsSync(join(repo, 'd.txt'))).toBe(false)

    // Without --session, a worktree is no workspace of its own: say what to type.
    const bare = await paddock(
      'run',
      '--workspace',
      wt,
      '--base-url',
      fake.baseUrl,
      '--model',
      'm',
      'x',
    )
    expect(bare.status).toBe(2)
    expect(bare.stderr).toContain(`is the worktree of session ${main.id}`)
    expect(bare.stderr).toContain(`--session ${main.id}`)
    const listed = await json<Session[]>('sessions', 'list', '--workspace', wt)
    expect(listed.map((s) => s.id)).toContain(main.id)
    // A new session from inside a worktree belongs to the repository's workspace.
    const fromWorktree = await json<Created>(
      'sessions',
      'create',
      '--workspace',
      wt,
      '--title',
      'W',
    )
    expect(fromWorktree.workspaceId).toBe(main.workspaceId)
    expect(fromWorktree.workspacePath).toBe(repo)
  })

  it('commit and merge (fast-forward) bring the work into the user checkout', async () => {
    const status = await json<{ uncommitted: Array<{ path: string }>; ahead: number }>(
      'sessions',
      'git',
      main.id,
    )
    expect(status.uncommitted.map((f) => f.path).sort()).toEqual(['b.txt', 'c.txt', 'd.txt'])
    expect(status.ahead).toBe(0)

    const committed = await paddock('sessions', 'commit', main.id, '-m', 'Add b, c and d')
    expect(committed.stderr).toBe('')
    expect(committed.status).toBe(0)
    expect(committed.stdout).toMatch(/^Committed [0-9a-f]{12} "Add b, c and d"\.\n$/)
    expect(existsSync(join(repo, 'b.txt'))).toBe(false)

    const merged = await paddock('sessions', 'merge', main.id)
    expect(merged.stderr).toBe('')
    expect(merged.status).toBe(0)
    expect(merged.stdout).toContain('Merged paddock/fix-login into main')
    expect(merged.stdout).toContain('fast-forward')
    expect(readFileSync(join(repo, 'b.txt'), 'utf8')).toBe('bee\n')
    expect(g(repo, 'log', '-1', '--format=%s').trim()).toBe('Add b, c and d')
    expect(g(repo, 'status', '--porcelain')).toBe('')
  })

  it('a merge conflict exits 1, lists the file and leaves the checkout clean', async () => {
    const other = await createWorktreeSession('Other change')
    writeFileSync(join(other.worktree!.path, 'a.txt'), 'line 1\nTHEIRS\nline 3\n')
    expect((await paddock('sessions', 'commit', other.id, '-m', 'theirs')).status).toBe(0)
    writeFileSync(join(repo, 'a.txt'), 'line 1\nOURS\nline 3\n')
    g(repo, 'commit', '-qam', 'ours')
    const head = g(repo, 'rev-parse', 'HEAD')

    const res = await paddock('sessions', 'merge', other.id)
    expect(res.status).toBe(1)
    expect(res.stderr).toContain('conflicts in:\n  a.txt\n')
    expect(res.stderr).toContain('untouched')
    expect(res.stderr).toContain(`paddock sessions resolve ${other.id}`)
    expect(g(repo, 'status', '--porcelain')).toBe('')
    expect(g(repo, 'rev-parse', 'HEAD')).toBe(head)
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('line 1\nOURS\nline 3\n')

    const asJson = await paddock('sessions', 'merge', other.id, '--json')
    expect(asJson.status).toBe(1)
    expect(JSON.parse(asJson.stdout)).toMatchObject({ outcome: 'conflict', files: ['a.txt'] })
    conflicted = other
  })

  it('sessions resolve: rebases in the worktree, tells the agent the files, and its run resolves them', async () => {
    const wt = conflicted.worktree!.path
    fake.script(
      {
        toolCalls: [
          { name: 'write', arguments: { path: 'a.txt', content: 'line 1\nBOTH\nline 3\n' } },
        ],
      },
      {
        toolCalls: [
          {
            name: 'bash',
            arguments: { command: 'git add a.txt && GIT_EDITOR=true git rebase --continue' },
          },
        ],
      },
      { text: 'Resolved.' },
    )
    const before = fake.requests.length
    const res = await paddock('sessions', 'resolve', conflicted.id, ...fakeModel())
    expect(res.status).toBe(0)
    expect(res.stderr).toContain('stopped on conflicts in:\n  a.txt\n')
    // What the model was told: the conflicting file and how to continue.
    const told = JSON.stringify(fake.requests[before]!.body)
    expect(told).toContain('a.txt')
    expect(told).toContain('git rebase --continue')
    expect(g(wt, 'status', '--porcelain')).toBe('')
    expect(readFileSync(join(wt, 'a.txt'), 'utf8')).toBe('line 1\nBOTH\nline 3\n')
    // The user's checkout is still untouched; now the merge goes through.
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('line 1\nOURS\nline 3\n')
    const merged = await paddock('sessions', 'merge', conflicted.id)
    expect(merged.status).toBe(0)
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('line 1\nBOTH\nline 3\n')

    // Nothing left to resolve: a clean rebase, no run.
    const requests = fake.requests.length
    const clean = await paddock(
      'sessions',
      'resolve',
      conflicted.id,
      '--json',
      '--base-url',
      fake.baseUrl,
      '--model',
      'm',
    )
    expect(clean.status).toBe(0)
    expect(JSON.parse(clean.stdout)).toEqual({ rebased: true, files: [], prompted: false })
    expect(fake.requests.length).toBe(requests)
  })

  it('delete refuses dirty work without --force and a terminal; --force then restore-deleted brings it back', async () => {
    const s = await createWorktreeSession('Dirty work')
    const wt = s.worktree!.path
    const bytes = Buffer.from([0, 1, 2, 255, 0xc3, 0xa9, 10, 13, 10])
    writeFileSync(join(wt, 'notes é.bin'), bytes)

    const refused = await paddock('sessions', 'delete', s.id)
    expect(refused.status).toBe(1)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toContain('notes é.bin')
    expect(refused.stderr).toContain('--force')
    expect(refused.stderr).toContain(`paddock sessions restore-deleted ${s.id}`)
    expect(existsSync(join(wt, 'notes é.bin'))).toBe(true)

    const deleted = await paddock('sessions', 'delete', s.id, '--force')
    expect(deleted.stderr).toBe('')
    expect(deleted.status).toBe(0)
    expect(deleted.stdout).toContain(`paddock sessions restore-deleted ${s.id}`)
    expect(existsSync(wt)).toBe(false)
    const gone = await json<Session[]>('sessions', 'list')
    expect(gone.map((x) => x.id)).not.toContain(s.id)

    const restorable = await json<Array<{ sessionId: string; branch: string }>>(
      'sessions',
      'deleted',
      '--workspace',
      repo,
    )
    expect(restorable).toEqual([
      expect.objectContaining({ sessionId: s.id, branch: 'paddock/dirty-work' }),
    ])

    const back = await json<Session>('sessions', 'restore-deleted', s.id)
    expect(back.id).toBe(s.id)
    expect(readFileSync(join(back.worktree!.path, 'notes é.bin')).equals(bytes)).toBe(true)
    expect(await json<unknown[]>('sessions', 'deleted')).toEqual([])
  })

  it('delete at a terminal: lists what would be lost and asks', async () => {
    const s = await createWorktreeSession('Asked')
    writeFileSync(join(s.worktree!.path, 'draft.txt'), 'draft\n')
    const atTerminal = async (answer: string): Promise<CliResult & { asked: string[] }> => {
      let stdout = ''
      let stderr = ''
      const asked: string[] = []
      const status = await runCli(['sessions', 'delete', s.id, '--data-dir', dataDir], {
        out: (t) => (stdout += t),
        err: (t) => (stderr += t),
        cwd: tmp.path,
        env: { PATH: process.env.PATH ?? '' },
        ask: (q) => {
          asked.push(q)
          return Promise.resolve(answer)
        },
      })
      return { status, stdout, stderr, asked }
    }
    const no = await atTerminal('n')
    expect(no.status).toBe(1)
    expect(no.stderr).toContain('draft.txt')
    expect(no.asked).toEqual([expect.stringContaining('Delete anyway?')])
    expect(existsSync(join(s.worktree!.path, 'draft.txt'))).toBe(true)
    const yes = await atTerminal('y')
    expect(yes.status).toBe(0)
    expect(existsSync(s.worktree!.path)).toBe(false)
  })

  it('delete of a clean worktree session needs no --force', async () => {
    const s = await createWorktreeSession('Clean')
    const res = await paddock('sessions', 'delete', s.id, '--json')
    expect(res.status).toBe(0)
    expect(JSON.parse(res.stdout)).toEqual({ sessionId: s.id, restorable: true })
    expect(existsSync(s.worktree!.path)).toBe(false)
  })

  it('worktrees list and prune', async () => {
    const extra = join(tmp.path, 'extra wt ü')
    g(repo, 'worktree', 'add', '-q', '-b', 'by-hand', extra)
    const listed = await json<
      Array<{ path: string; branch: string | null; sessionId: string | null; missing: boolean }>
    >('worktrees', 'list', '--workspace', repo)
    const mine = listed.find((w) => w.sessionId === main.id)
    expect(mine).toMatchObject({ branch: 'paddock/fix-login', missing: false })
    expect(realpathSync(mine!.path)).toBe(realpathSync(main.worktree!.path))
    expect(listed.find((w) => w.branch === 'by-hand')).toMatchObject({
      sessionId: null,
      missing: false,
    })

    rmSync(extra, { recursive: true, force: true })
    const afterRm = await json<Array<{ branch: string | null; missing: boolean }>>(
      'worktrees',
      'list',
    )
    expect(afterRm.find((w) => w.branch === 'by-hand')?.missing).toBe(true)
    const table = await paddock('worktrees', 'list')
    expect(table.stdout).toContain('PATH')
    expect(table.stdout).toContain('paddock/fix-login')

    const pruned = await json<{ pruned: string[] }>('worktrees', 'prune', '--workspace', repo)
    expect(pruned.pruned.map((p) => p.normalize())).toContain(extra.normalize())
    const after = await json<Array<{ branch: string | null }>>('worktrees', 'list')
    expect(after.find((w) => w.branch === 'by-hand')).toBeUndefined()
  })

  it('usage: the new commands are listed, and their usage errors exit 2', async () => {
    const help = await paddock('sessions', '--help')
    for (const cmd of ['create', 'delete', 'restore-deleted', 'commit', 'merge', 'pr'])
      expect(help.stdout).toContain(`paddock sessions ${cmd}`)
    expect((await paddock('worktrees', '--help')).stdout).toContain('paddock worktrees prune')
    const noMessage = await paddock('sessions', 'commit', main.id)
    expect(noMessage.status).toBe(2)
    expect(noMessage.stderr).toContain('needs -m MESSAGE')
    const noId = await paddock('sessions', 'merge')
    expect(noId.status).toBe(2)
    const unknown = await paddock('worktrees', 'prnue')
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain('worktrees prune')
  })
})
