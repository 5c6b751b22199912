import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createMemoryLogger } from '../src/main/core/logger'
import { createEngine } from '../src/main/host/engine'
import { overlaps, Radar, type RadarSession } from '../src/main/worktrees/radar'
import type { BenchLine } from './run'

/**
 * Issue 20's worktree budgets on a 10k-file repository:
 * - the collision radar for 4 live sessions (each with committed and uncommitted work, two of
 *   them overlapping in src/auth.ts): every worktree snapshotted, 6 pairs + 4 against the base
 *   merged with `git merge-tree --write-tree`, nothing memoised (budget 500 ms);
 * - a radar tick when nothing changed (snapshots only, the merges are skipped);
 * - `git worktree add` alone in that repository, as the reference a worktree session's creation
 *   is printed beside;
 * - creating a worktree session through the engine's contract (`sessions.create`, place
 *   `worktree`: recovery of half-made worktrees, `git worktree add`, the copy list, the session
 *   row), budget 1.5 s, and its ratio to `git worktree add` alone.
 */
const FILES = 10_000
const RUNS = 5

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
}
const g = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

function makeRepo(root: string): string {
  const repo = join(root, 'repo')
  for (let d = 0; d < 100; d++) mkdirSync(join(repo, 'src', `m${d}`), { recursive: true })
  for (let i = 0; i < FILES - 1; i++) {
    const body = `export const v${i} = ${i}\n`.repeat(1 + (i % 20))
    writeFileSync(join(repo, 'src', `m${i % 100}`, `f${i}.ts`), body)
  }
  writeFileSync(join(repo, 'src', 'auth.ts'), 'export function login() {\n  return 1\n}\n')
  g(repo, 'init', '-q', '-b', 'main')
  g(repo, 'add', '-A')
  g(repo, 'commit', '-qm', 'init')
  return repo
}

/**
 * `sessions.create` with place `worktree`, timed through an engine on its own data folder (a CLI
 * host: no background recovery or radar timer competing with the measured calls).
 */
async function createSessions(
  root: string,
  repo: string,
): Promise<{ created: number[]; added: number[] }> {
  const home = join(root, 'home')
  mkdirSync(home, { recursive: true })
  const engine = createEngine({
    dataDir: join(root, 'data'),
    kind: 'cli',
    logger: createMemoryLogger(),
    home,
  })
  const call = async (method: string, params: unknown): Promise<unknown> => {
    const out = await engine.call(method, params, { transport: 'test' })
    if (!out.ok) throw new Error(`bench worktrees: ${method}: ${out.error.message}`)
    return out.result
  }
  try {
    const ws = (await call('workspaces.open', { path: repo })) as { id: string }
    const times: number[] = []
    const added: number[] = []
    // Each creation beside a plain `git worktree add` of the same repository, taken in turn, so
    // both see the same cache and load.
    for (let i = 0; i < RUNS; i++) {
      const path = join(root, 'ref', `w${i}`)
      const a0 = performance.now()
      g(repo, 'worktree', 'add', '-q', '-b', `ref/w${i}`, path, 'main')
      added.push(performance.now() - a0)
      const t0 = performance.now()
      const s = (await call('sessions.create', {
        workspaceId: ws.id,
        title: `Bench session ${i}`,
        place: 'worktree',
      })) as { worktree: { path: string } | null }
      times.push(performance.now() - t0)
      if (!s.worktree) throw new Error('bench worktrees: the session has no worktree')
    }
    return { created: times, added }
  } finally {
    engine.close()
  }
}

export async function worktreesBench(): Promise<BenchLine[]> {
  const root = mkdtempSync(join(tmpdir(), 'paddock-bench-worktrees-'))
  try {
    const repo = makeRepo(root)
    const sessions: RadarSession[] = []
    for (let i = 0; i < 4; i++) {
      const path = join(root, 'repo.worktrees', `s${i}`)
      g(repo, 'worktree', 'add', '-q', '-b', `paddock/s${i}`, path, 'main')
      sessions.push({ id: `s${i}`, title: `Session ${i}`, path })
      // Committed work on files of its own…
      for (let k = 0; k < 5; k++)
        appendFileSync(join(path, 'src', `m${i}`, `f${i + 100 * k}.ts`), '// c\n')
      g(path, 'commit', '-qam', 'work')
      // …and uncommitted work; s0 and s1 both rewrite src/auth.ts.
      if (i < 2) writeFileSync(join(path, 'src', 'auth.ts'), `export const login = ${i}\n`)
      writeFileSync(join(path, 'src', `new-${i}.ts`), `export const n = ${i}\n`)
    }

    const full: number[] = []
    await overlaps(repo, sessions, 'main') // warm-up: refreshes the racily-clean stat cache
    for (let r = 0; r < RUNS; r++) {
      for (const s of sessions)
        appendFileSync(join(s.path, 'src', `new-${s.id.slice(1)}.ts`), `// ${r}\n`)
      const t0 = performance.now()
      const report = await overlaps(repo, sessions, 'main')
      full.push(performance.now() - t0)
      if (report.sessions[0]!.overlaps[0]?.files[0] !== 'src/auth.ts') {
        throw new Error('bench worktrees: the radar missed the src/auth.ts overlap')
      }
    }

    let now = 0
    const radar = new Radar({
      repoRoot: repo,
      base: 'main',
      sessions: () => sessions,
      onChange: () => {},
      now: () => now,
    })
    await radar.tick()
    const idle: number[] = []
    for (let r = 0; r < RUNS; r++) {
      now += 5_000
      const t0 = performance.now()
      const result = await radar.tick()
      idle.push(performance.now() - t0)
      if (result !== 'unchanged') throw new Error(`bench worktrees: idle tick ${result}`)
    }

    // After the radar's figures, so its worktrees do not change what they measure.
    const { created, added: addTimes } = await createSessions(root, repo)

    return [
      {
        name: 'worktrees radar 4 sessions (10k files)',
        ours: median(full),
        unit: 'ms',
        budget: 500,
      },
      {
        name: 'worktrees radar tick, nothing changed (4 sessions)',
        ours: median(idle),
        unit: 'ms',
      },
      { name: 'worktrees git worktree add alone (10k files)', ours: median(addTimes), unit: 'ms' },
      {
        name: 'worktrees sessions.create in a worktree (10k files)',
        ours: median(created),
        unit: 'ms',
        budget: 1_500,
      },
      {
        name: 'worktrees sessions.create in a worktree vs git worktree add (10k files)',
        ours: median(created),
        unit: 'ms',
        peer: { name: 'git worktree add alone', value: median(addTimes) },
      },
    ]
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
