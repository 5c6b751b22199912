import { execFileSync, spawn } from 'node:child_process'
import {
  appendFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openCheckpointStore } from '../src/main/checkpoints'
import type { CheckpointStore, SnapshotOk, SnapshotResult } from '../src/main/checkpoints'
import type { BenchLine } from './run'

/**
 * The checkpoint store against the two ways to do it without us, in one run on the same trees:
 * git's CLI (`GIT_DIR`/`GIT_WORK_TREE`, `git add -A && git commit`, two processes, git's own
 * index as stat cache) and naive isomorphic-git (`statusMatrix` + `add` + `commit`, in a child
 * process so it can be stopped at a time cap).
 *
 * Each measured step changes 5 files (one line appended to each). "warm" snapshots are requested
 * 600 ms after the writes — an agent's step, not a tight loop: @parcel/watcher delivers an event
 * at once after 500 ms of quiet, else batches for 50 ms, and a snapshot waits for it to be sure it
 * misses nothing. `-immediate` lines request the snapshot right after the writes, batch included.
 *
 * `npm run bench -- checkpoints` runs the 10k-file and 100k-file trees; `--quick` the 10k alone.
 */
const CHANGED = 5
/** Just over @parcel/watcher's 500 ms quiet period (see above). */
const THINK_MS = 560
const ISOGIT_CAP_MS = { quick: 6_000, full: 120_000 }
let RUNS = 7

const started = performance.now()
function progress(what: string): void {
  process.stderr.write(
    `  [checkpoints ${((performance.now() - started) / 1000).toFixed(1)}s] ${what}\n`,
  )
}

const REPO_ROOT = resolve(import.meta.dirname, '..')

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A deterministic pseudo-random generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = (
  'const let return if else for while import export from function class interface type async ' +
  'await new this value result error data item list map set get update create delete render ' +
  'props state config options handler request response user session token path file index ' +
  'count total start end next prev parent child node tree entry key id name label status'
).split(' ')

/**
 * A deterministic source tree: `files` files of 20–80 lines (~1.5 KB) in folders of ~20, like a
 * real repository — files share a vocabulary, not whole lines, so git does not delta one file
 * against another wholesale.
 */
function generateTree(root: string, files: number): string[] {
  const paths: string[] = []
  const dirs = Math.max(1, Math.floor(files / 20))
  for (let d = 0; d < dirs; d++) {
    mkdirSync(join(root, `pkg${d % 40}`, `mod${d}`), { recursive: true })
  }
  const old = new Date(Date.now() - 3600_000)
  const rand = rng(files)
  const word = (): string => WORDS[Math.floor(rand() * WORDS.length)]!
  for (let i = 0; i < files; i++) {
    const d = i % dirs
    const rel = `pkg${d % 40}/mod${d}/file${i}.ts`
    const lines: string[] = []
    const count = 20 + Math.floor(rand() * 60)
    for (let l = 0; l < count; l++) {
      const indent = '  '.repeat(Math.floor(rand() * 3))
      lines.push(
        `${indent}${word()} ${word()}_${Math.floor(rand() * 1e6)} = ${word()}(${word()}, ${Math.floor(rand() * 1e4)})`,
      )
    }
    const abs = join(root, rel)
    writeFileSync(abs, `${lines.join('\n')}\n`)
    // Written an hour ago, as a checkout is by the time an agent starts (not "racy").
    utimesSync(abs, old, old)
    paths.push(rel)
  }
  writeFileSync(join(root, '.gitignore'), 'node_modules/\n*.log\n')
  return paths
}

/** The 5 files step `step` changes (spread over the tree). */
function changeFiles(root: string, paths: string[], step: number, tag: string): string[] {
  const picked: string[] = []
  for (let k = 0; k < CHANGED; k++) {
    const rel = paths[((step * 7919 + k * (paths.length / CHANGED)) % paths.length) | 0]!
    appendFileSync(join(root, rel), `// ${tag} step ${step}\n`)
    picked.push(rel)
  }
  return picked
}

function dirBytes(dir: string): number {
  let total = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    total += e.isDirectory() ? dirBytes(p) : lstatSync(p).size
  }
  return total
}

function ok(r: SnapshotResult): SnapshotOk {
  if (!r.ok) throw new Error(`snapshot failed: ${r.message}`)
  return r
}

class GitCli {
  private readonly env: NodeJS.ProcessEnv
  constructor(
    readonly gitdir: string,
    workTree: string,
  ) {
    this.env = {
      ...process.env,
      GIT_DIR: gitdir,
      GIT_WORK_TREE: workTree,
      GIT_AUTHOR_NAME: 'bench',
      GIT_AUTHOR_EMAIL: 'bench@example.com',
      GIT_COMMITTER_NAME: 'bench',
      GIT_COMMITTER_EMAIL: 'bench@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
    }
  }
  run(...args: string[]): void {
    execFileSync('git', args, { env: this.env, stdio: 'ignore', cwd: REPO_ROOT })
  }
  /** The peer's checkpoint: `git add -A && git commit`. */
  commit(message: string): number {
    const t0 = performance.now()
    this.run('add', '-A')
    this.run('commit', '-q', '--allow-empty', '-m', message)
    return performance.now() - t0
  }
}

// Naive isomorphic-git, run in a child so a cap can stop it: statusMatrix, add what changed,
// commit. Prints one JSON line per step.
const ISOGIT_PEER = `
const git = require('isomorphic-git')
const fs = require('node:fs')
const path = require('node:path')
const [dir, gitdir, runs, pathsFile, changed] = process.argv.slice(1)
const paths = JSON.parse(fs.readFileSync(pathsFile, 'utf8'))
const cache = {}
;(async () => {
  for (let step = 0; step < Number(runs); step++) {
    for (let k = 0; k < Number(changed); k++) {
      const rel = paths[((step + 1000) * 7919 + k * (paths.length / Number(changed))) % paths.length | 0]
      fs.appendFileSync(path.join(dir, rel), '// isogit step ' + step + '\\n')
    }
    const t0 = performance.now()
    const matrix = await git.statusMatrix({ fs, dir, gitdir, cache })
    for (const [filepath, , work, stage] of matrix) {
      if (work === stage) continue
      if (work === 0) await git.remove({ fs, dir, gitdir, filepath, cache })
      else await git.add({ fs, dir, gitdir, filepath, cache })
    }
    await git.commit({ fs, dir, gitdir, cache, message: 'step', author: { name: 'b', email: 'b@b' } })
    console.log(JSON.stringify({ ms: performance.now() - t0 }))
  }
})().catch((err) => { console.error(err); process.exit(1) })
`

/** Median of naive isomorphic-git's step times, or null when it ran past `capMs`. */
function isoGitSteps(
  dir: string,
  gitdir: string,
  paths: string[],
  capMs: number,
  tmp: string,
): Promise<number | null> {
  const pathsFile = join(tmp, 'paths.json')
  writeFileSync(pathsFile, JSON.stringify(paths))
  return new Promise((resolvePromise) => {
    const child = spawn(
      process.execPath,
      ['-e', ISOGIT_PEER, dir, gitdir, String(RUNS < 7 ? 1 : 3), pathsFile, String(CHANGED)],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    const times: number[] = []
    let buf = ''
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString()
      const lines = buf.split('\n')
      buf = lines.pop() ?? ''
      for (const line of lines) if (line.trim()) times.push((JSON.parse(line) as { ms: number }).ms)
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), capMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolvePromise(code === 0 && times.length > 0 ? median(times) : null)
    })
  })
}

interface SizeResult {
  lines: BenchLine[]
  skipped: string[]
}

async function benchSize(label: string, files: number, quick: boolean): Promise<SizeResult> {
  const tmp = mkdtempSync(join(tmpdir(), `paddock-bench-cp-${label}-`))
  const lines: BenchLine[] = []
  const skipped: string[] = []
  let store: CheckpointStore | null = null
  try {
    const tree = join(tmp, 'tree')
    mkdirSync(tree)
    progress(`generating ${files} files`)
    const paths = generateTree(tree, files)
    const git = new GitCli(join(tmp, 'git-cli.git'), tree)
    git.run('init', '-q')
    git.run('config', 'gc.auto', '0')
    progress('git add -A && git commit (cold)')
    const gitCold = git.commit('initial')

    // Ours: open and take the baseline (this tree is not a git repository: every file hashed).
    progress('our cold snapshot')
    const t0 = performance.now()
    store = await openCheckpointStore({
      dataDir: join(tmp, 'data'),
      workspaceId: label,
      root: tree,
    })
    const base = ok(await store.snapshot({ sessionId: 'bench', reason: 'baseline' }))
    const ourCold = performance.now() - t0
    lines.push({
      name: `checkpoint-cold-${label}`,
      ours: ourCold,
      unit: 'ms',
      peer: { name: 'git-cli', value: gitCold },
    })

    // Warm: 5 files changed, the snapshot requested after the agent's "think time".
    progress('warm snapshots')
    const warm: number[] = []
    const ids: string[] = [base.id]
    for (let step = 0; step < RUNS; step++) {
      changeFiles(tree, paths, step, 'ours')
      await sleep(THINK_MS)
      const r = ok(await store.snapshot({ sessionId: 'bench', reason: 'step' }))
      if (r.files.length !== CHANGED)
        throw new Error(`expected ${CHANGED} changes, got ${r.files.length}`)
      warm.push(r.durationMs)
      ids.push(r.id)
    }
    const immediate: number[] = []
    for (let step = RUNS; step < RUNS + (quick ? 2 : 3); step++) {
      changeFiles(tree, paths, step, 'ours')
      immediate.push(ok(await store.snapshot({ sessionId: 'bench', reason: 'step' })).durationMs)
      await sleep(THINK_MS)
    }
    progress('git warm commits')
    const gitWarm: number[] = []
    const gitBytes: number[] = []
    for (let step = 0; step < RUNS; step++) {
      changeFiles(tree, paths, step + 100, 'git')
      const before = dirBytes(join(git.gitdir, 'objects'))
      gitWarm.push(git.commit(`step ${step}`))
      gitBytes.push(dirBytes(join(git.gitdir, 'objects')) - before)
    }
    const ours = median(warm)
    const theirs = median(gitWarm)
    lines.push({
      name: `checkpoint-warm-${label}`,
      ours,
      unit: 'ms',
      peer: { name: 'git-cli', value: theirs },
    })
    lines.push({
      name: `checkpoint-warm-${label}-ratio`,
      ours: ours / theirs,
      unit: '× git-cli',
      budget: 0.5,
    })
    if (label === '10k')
      lines.push({ name: 'checkpoint-warm-10k-budget', ours, unit: 'ms', budget: 50 })
    lines.push({
      name: `checkpoint-warm-${label}-immediate`,
      ours: median(immediate),
      unit: 'ms',
      peer: { name: 'git-cli', value: theirs },
    })

    // Naive isomorphic-git continues from git's repository (same index format, same objects).
    progress('isomorphic-git naive steps')
    const capMs = quick ? ISOGIT_CAP_MS.quick : ISOGIT_CAP_MS.full
    const iso = await isoGitSteps(tree, git.gitdir, paths, capMs, tmp)
    if (iso === null)
      skipped.push(
        `bench checkpoint-warm-${label}-vs-isogit: isomorphic-git naive skipped (>${capMs / 1000}s)`,
      )
    else
      lines.push({
        name: `checkpoint-warm-${label}-vs-isogit`,
        ours,
        unit: 'ms',
        peer: { name: 'isomorphic-git-naive', value: iso },
      })

    if (label !== '10k') return { lines, skipped }

    // No change.
    progress('no-change, diff, restore, disk')
    await sleep(THINK_MS)
    ok(await store.snapshot({ sessionId: 'bench', reason: 'settle' })) // takes in the peers' edits
    const nochange: number[] = []
    for (let i = 0; i < RUNS; i++) {
      await sleep(THINK_MS)
      const r = ok(await store.snapshot({ sessionId: 'bench', reason: 'nothing' }))
      if (r.changed) throw new Error('expected no change')
      nochange.push(r.durationMs)
    }
    lines.push({ name: 'checkpoint-nochange-10k', ours: median(nochange), unit: 'ms', budget: 10 })

    // Diff of two checkpoints 5 files apart.
    const diffs: number[] = []
    for (let i = 1; i < ids.length; i++) {
      const t = performance.now()
      const d = await store.diff(ids[i - 1]!, ids[i]!)
      diffs.push(performance.now() - t)
      if (d.files.length !== CHANGED || !d.files.every((f) => f.patch)) throw new Error('bad diff')
    }
    lines.push({ name: 'checkpoint-diff-10k', ours: median(diffs), unit: 'ms', budget: 50 })

    // Restore: back and forth between two checkpoints 5 files apart (undo checkpoint included).
    const restores: number[] = []
    const [a, b] = [ids[ids.length - 2]!, ids[ids.length - 1]!]
    ok(await store.snapshot({ sessionId: 'bench', reason: 'before restores' }))
    for (let i = 0; i < RUNS; i++) {
      await sleep(THINK_MS)
      const t = performance.now()
      const r = await store.restore(i % 2 === 0 ? a : b)
      restores.push(performance.now() - t)
      if (i > 0 && r.written.length !== CHANGED)
        throw new Error(`restore wrote ${r.written.length}`)
    }
    lines.push({ name: 'checkpoint-restore-10k', ours: median(restores), unit: 'ms', budget: 100 })

    // Disk: bytes a 5-file checkpoint adds to the store, against git's objects for the same.
    const added: number[] = []
    for (let step = 0; step < (quick ? 2 : 3); step++) {
      changeFiles(tree, paths, step + 200, 'disk')
      await sleep(THINK_MS)
      const before = dirBytes(store.storeDir)
      ok(await store.snapshot({ sessionId: 'bench', reason: 'disk' }))
      added.push(dirBytes(store.storeDir) - before)
    }
    lines.push({
      name: 'checkpoint-disk-5files',
      ours: median(added),
      unit: 'bytes',
      peer: { name: 'git-cli', value: median(gitBytes) },
    })
    await store.close()
    store = null

    // First snapshot of a git repository, seeded from its (packed) objects and index: the same
    // tree, with git's directory moved in as `.git`.
    // A repository with a few uncommitted edits (the steps since git's last commit), packed as a
    // clone is (no delta search: that only costs setup time here, and a clone keeps the newest
    // version of each file whole anyway).
    progress('git repack (setup of the first-snapshot case)')
    git.run('repack', '-a', '-d', '-q', '--window=0')
    renameSync(git.gitdir, join(tree, '.git'))
    progress('first snapshots of a git repository')
    const firsts: number[] = []
    for (let i = 0; i < 3; i++) {
      await store?.close()
      const t1 = performance.now()
      store = await openCheckpointStore({
        dataDir: join(tmp, 'data'),
        workspaceId: `first-10k-${i}`,
        root: tree,
      })
      const first = ok(await store.snapshot({ sessionId: 'bench', reason: 'first' }))
      firsts.push(performance.now() - t1)
      if (first.copied + first.hashed < files || first.copied < files * 0.99) {
        throw new Error(`seeded only ${first.copied} of ${files}`)
      }
    }
    lines.push({ name: 'checkpoint-first-10k', ours: median(firsts), unit: 'ms', budget: 2000 })
    return { lines, skipped }
  } finally {
    await store?.close()
    progress('cleaning up')
    if (process.platform === 'win32') rmSync(tmp, { recursive: true, force: true })
    // Tens of thousands of files: removed by a process of their own, not counted in the run.
    else spawn('rm', ['-rf', tmp], { detached: true, stdio: 'ignore' }).unref()
  }
}

export async function checkpointsBench(): Promise<BenchLine[]> {
  const quick = process.argv.includes('--quick')
  if (quick) RUNS = 5
  const out: BenchLine[] = []
  for (const [label, files] of quick
    ? ([['10k', 10_000]] as const)
    : ([
        ['10k', 10_000],
        ['100k', 100_000],
      ] as const)) {
    const r = await benchSize(label, files, quick)
    for (const line of r.skipped) process.stdout.write(`${line}\n`)
    out.push(...r.lines)
  }
  return out
}
