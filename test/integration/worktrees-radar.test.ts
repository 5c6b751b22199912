import { execFileSync } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  overlaps,
  Radar,
  snapshotTree,
  type OverlapReport,
  type RadarReport,
  type RadarSession,
} from '../../src/main/worktrees/radar'
import { tempDir } from '../support/temp'
import { git as g, initRepo } from '../support/git-repo'

// The collision radar on real repositories: worktrees made with `git worktree add`, agents'
// edits made as plain file writes, merges made in the user's checkout.

const AUTH = ['export function login() {', '  return check("a")', '}', ''].join('\n')

const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
})

/** A repository on `main` with src/auth.ts and src/db.ts, and worktrees s1, s2 beside it. */
function world(dirName = 'repo'): {
  repo: string
  s1: string
  s2: string
  sessions: RadarSession[]
} {
  const t = tempDir('paddock-radar-it-')
  cleanups.push(t.cleanup)
  const repo = initRepo(
    join(t.path, dirName),
    { 'src/auth.ts': AUTH, 'src/db.ts': 'export const db = 1\n' },
    { message: 'init', config: false },
  )
  const s1 = join(t.path, `${dirName}.worktrees`, 'fix login')
  const s2 = join(t.path, `${dirName}.worktrees`, 'rename-ünïcode')
  g(repo, 'worktree', 'add', '-q', '-b', 'paddock/s1', s1, 'main')
  g(repo, 'worktree', 'add', '-q', '-b', 'paddock/s2', s2, 'main')
  return {
    repo,
    s1,
    s2,
    sessions: [
      { id: 's1', title: 'Fix login', path: s1 },
      { id: 's2', title: 'Rename check', path: s2 },
    ],
  }
}

/** The report of a run that compared sessions (not unavailable, not failed). */
function compared(r: RadarReport | undefined): OverlapReport {
  if (!r || !('sessions' in r)) throw new Error(`not a comparison: ${JSON.stringify(r)}`)
  return r
}

const edit = (wt: string, file: string, from: string, to: string): void => {
  const p = join(wt, file)
  writeFileSync(p, readFileSync(p, 'utf8').replace(from, to))
}

describe('collision radar', () => {
  it('sees an edit of the same size made in the second the worktree’s index was written', async () => {
    // Git trusts a cached stat only for files older than the index file. Arrange the race: the
    // index is written and the file edited (same size) in one second, and the snapshot is taken
    // in a later second. A copy of the index stamped "now" made the edit look clean.
    const { s1 } = world()
    const file = join(s1, 'src/auth.ts')
    const index = execFileSync('git', ['rev-parse', '--git-path', 'index'], {
      cwd: s1,
      encoding: 'utf8',
    }).trim()
    for (let attempt = 0; ; attempt++) {
      g(s1, 'update-index', '--refresh', '-q')
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          /check\("[ab]"\)/,
          attempt % 2 ? 'check("a")' : 'check("b")',
        ),
      )
      const second = (path: string): number => Math.floor(statSync(path).mtimeMs / 1000)
      if (
        second(resolve(s1, index)) === second(file) &&
        readFileSync(file, 'utf8').includes('check("b")')
      )
        break
      if (attempt > 20) throw new Error('could not write the index and the file in one second')
    }
    // The snapshot runs in a later second than both.
    await new Promise((r) => setTimeout(r, 1_100 - (Date.now() % 1_000)))
    const snap = await snapshotTree(s1)
    expect(snap.commit).not.toBe(snap.head)
    expect(g(s1, 'show', `${snap.tree}:src/auth.ts`)).toContain('check("b")')
  })

  it('finds two sessions editing the same lines of src/auth.ts, one committed, one not', async () => {
    const { repo, s1, s2, sessions } = world()
    edit(s1, 'src/auth.ts', 'check("a")', 'check("b")')
    g(s1, 'commit', '-qam', 'b')
    edit(s2, 'src/auth.ts', 'check("a")', 'verify("a")')
    const indexPath = g(s2, 'rev-parse', '--git-path', 'index').trim()
    const indexBefore = readFileSync(resolve(s2, indexPath))

    const report = await overlaps(repo, sessions, 'main')

    const [r1, r2] = report.sessions
    expect(r1).toMatchObject({ id: 's1', withBase: [] })
    expect(r1!.overlaps).toEqual([{ id: 's2', title: 'Rename check', files: ['src/auth.ts'] }])
    expect(r2!.overlaps).toEqual([{ id: 's1', title: 'Fix login', files: ['src/auth.ts'] }])
    expect(report.mergeOrder.map((s) => s.id)).toEqual(['s1', 's2'])
    expect(report.mergeOrder[1]).toMatchObject({ updateAfter: ['s1'], conflictsWithBase: false })
    // The worktree's own index and files are as the agent left them.
    expect(readFileSync(resolve(s2, indexPath)).equals(indexBefore)).toBe(true)
    expect(g(s2, 'status', '--porcelain')).toBe(' M src/auth.ts\n')
    expect(readFileSync(join(s2, 'src/auth.ts'), 'utf8')).toContain('verify("a")')
    expect(readFileSync(join(repo, 'src/auth.ts'), 'utf8')).toBe(AUTH)
  })

  it('finds nothing when the sessions edit different files', async () => {
    const { repo, s1, s2, sessions } = world()
    edit(s1, 'src/auth.ts', 'check("a")', 'check("b")')
    edit(s2, 'src/db.ts', '= 1', '= 2')
    const report = await overlaps(repo, sessions, 'main')
    expect(report.sessions.map((s) => [s.overlaps, s.withBase])).toEqual([
      [[], []],
      [[], []],
    ])
    expect(report.mergeOrder.map((s) => s.id)).toEqual(['s1', 's2'])
  })

  it('counts uncommitted and untracked work on both sides', async () => {
    const { repo, s1, s2, sessions } = world()
    writeFileSync(join(s1, 'src/new.ts'), 'export const x = 1\n')
    writeFileSync(join(s2, 'src/new.ts'), 'export const x = 2\n')
    // A name git would quote without -z: spaces and non-ASCII come back as they are.
    writeFileSync(join(s1, 'src/ünï code.ts'), 'one\n')
    writeFileSync(join(s2, 'src/ünï code.ts'), 'two\n')
    const report = await overlaps(repo, sessions, 'main')
    expect(report.sessions[0]!.overlaps).toEqual([
      { id: 's2', title: 'Rename check', files: ['src/new.ts', 'src/ünï code.ts'] },
    ])
    // Nothing got staged in the worktrees.
    expect(g(s1, 'status', '--porcelain', '-z')).toBe('?? src/new.ts\0?? src/ünï code.ts\0')
  })

  it('the snapshot of a clean worktree is its HEAD; of a dirty one, a commit on top of it', async () => {
    const { s1 } = world()
    const head = g(s1, 'rev-parse', 'HEAD').trim()
    expect((await snapshotTree(s1)).commit).toBe(head)
    edit(s1, 'src/db.ts', '= 1', '= 3')
    const snap = await snapshotTree(s1)
    expect(snap.commit).not.toBe(head)
    expect(g(s1, 'rev-parse', `${snap.commit}^`).trim()).toBe(head)
    expect(g(s1, 'show', `${snap.commit}:src/db.ts`)).toBe('export const db = 3\n')
    // Same state, same commit id: the radar can memoise by it.
    expect((await snapshotTree(s1)).commit).toBe(snap.commit)
  })

  it('clears when one side is merged into the base and the other updates onto it', async () => {
    const { repo, s1, s2, sessions } = world()
    edit(s1, 'src/auth.ts', 'check("a")', 'check("b")')
    g(s1, 'commit', '-qam', 'b')
    edit(s2, 'src/auth.ts', 'check("a")', 'verify("a")')
    g(s2, 'commit', '-qam', 'verify')
    expect((await overlaps(repo, sessions, 'main')).sessions[1]!.overlaps).toHaveLength(1)

    g(repo, 'merge', '-q', '--ff-only', 'paddock/s1')
    const merged = await overlaps(repo, sessions, 'main')
    // s2 now conflicts with the base itself, and must go after an update.
    expect(merged.sessions[1]!.withBase).toEqual(['src/auth.ts'])
    expect(merged.mergeOrder.find((s) => s.id === 's2')!.conflictsWithBase).toBe(true)

    // s2 updates: rebases onto main, keeping main's line and adding its own elsewhere.
    g(s2, 'reset', '-q', '--hard', 'main')
    writeFileSync(join(s2, 'src/auth.ts'), `${readFileSync(join(s2, 'src/auth.ts'), 'utf8')}// v\n`)
    g(s2, 'commit', '-qam', 'verify, rebased')
    const cleared = await overlaps(repo, sessions, 'main')
    expect(cleared.sessions.map((s) => [s.id, s.overlaps, s.withBase])).toEqual([
      ['s1', [], []],
      ['s2', [], []],
    ])
  })

  it('reports a session whose folder is gone instead of failing the whole radar', async () => {
    const { repo, sessions } = world()
    const report = await overlaps(
      repo,
      [...sessions, { id: 's3', title: 'Gone', path: join(repo, 'nope') }],
      'main',
    )
    expect(report.sessions[2]!.error).toBeTruthy()
    expect(report.mergeOrder.map((s) => s.id)).toEqual(['s1', 's2'])
  })

  it('Radar runs at most once every 5 s, skips when nothing changed, reports changes', async () => {
    const { repo, s1, s2, sessions } = world()
    edit(s1, 'src/auth.ts', 'check("a")', 'check("b")')
    edit(s2, 'src/auth.ts', 'check("a")', 'verify("a")')
    let now = 0
    const reports: RadarReport[] = []
    const radar = new Radar({
      repoRoot: repo,
      base: 'main',
      sessions: () => sessions,
      onChange: (r) => reports.push(r),
      now: () => now,
    })
    expect(await radar.tick()).toBe('ran')
    expect(reports).toHaveLength(1)
    expect(compared(reports[0]).sessions[0]!.overlaps[0]!.files).toEqual(['src/auth.ts'])

    now = 4_999
    expect(await radar.tick()).toBe('throttled')
    now = 5_000
    expect(await radar.tick()).toBe('unchanged')
    expect(reports).toHaveLength(1)

    edit(s2, 'src/auth.ts', 'verify("a")', 'check("a")') // s2 backs off
    edit(s2, 'src/db.ts', '= 1', '= 2')
    now = 6_000
    expect(await radar.tick()).toBe('throttled')
    now = 10_000
    const running = radar.tick()
    expect(await radar.tick()).toBe('busy') // one run at a time
    expect(await running).toBe('ran')
    expect(reports).toHaveLength(2)
    expect(compared(reports[1]).sessions[0]!.overlaps).toEqual([])
  })

  it('Radar says it is unavailable on a git without merge-tree --write-tree', async () => {
    const { repo, sessions } = world()
    const reports: RadarReport[] = []
    const radar = new Radar({
      repoRoot: repo,
      base: 'main',
      sessions: () => sessions,
      onChange: (r) => reports.push(r),
      now: () => 0,
      support: async () => ({
        available: false,
        reason: 'needs git 2.38; found git version 2.37.1',
      }),
    })
    expect(await radar.tick()).toBe('unavailable')
    expect(reports).toEqual([
      { available: false, reason: 'needs git 2.38; found git version 2.37.1' },
    ])
  })

  it('Radar.start ticks on the injected timer and stop ends it', async () => {
    const { repo, sessions } = world()
    let fire: (() => void) | undefined
    let stopped = false
    const reports: RadarReport[] = []
    const radar = new Radar({
      repoRoot: repo,
      base: 'main',
      sessions: () => sessions,
      onChange: (r) => reports.push(r),
      every: (ms, fn) => {
        expect(ms).toBe(5_000)
        fire = fn
        return () => (stopped = true)
      },
    })
    radar.start() // ticks at once, then on the timer
    expect(fire).toBeDefined()
    while (reports.length === 0) await new Promise((r) => setTimeout(r, 10))
    expect(compared(reports[0]).baseCommit).toMatch(/^[0-9a-f]{40}$/)
    radar.stop()
    expect(stopped).toBe(true)
  })
})
