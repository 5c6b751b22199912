import { z } from 'zod'
import { git, gitExit } from './git'
import { gitMergeTreeSupport, type MergeTreeSupport } from './radar-git'
import { suggestMergeOrder, type MergeStep } from './radar-order'
import { mergeConflicts, snapshotTree } from './radar-snapshot'

/**
 * The collision radar: what every pair of live sessions would
 * merge to — their worktrees' current states, uncommitted work included — compared with
 * `git merge-tree --write-tree` against each other and against the base, without a checkout.
 * Self-contained: callers give it sessions and a base, it gives back who overlaps with whom in
 * which files, and a merge order that avoids the conflict where one exists (radar-order.ts).
 */
export { gitMergeTreeSupport, gitSupportsMergeTree } from './radar-git'
export { snapshotTree, mergeConflicts } from './radar-snapshot'
export { suggestMergeOrder, type MergeStep } from './radar-order'

export const RadarSessionSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  /** The session's worktree folder. */
  path: z.string().min(1),
})
export type RadarSession = z.infer<typeof RadarSessionSchema>

export interface Overlap {
  id: string
  title: string
  files: string[]
}

export interface SessionOverlaps {
  id: string
  title: string
  /** The snapshot commit compared (absent when the snapshot failed). */
  commit?: string
  /** Files that would conflict with the base as it is now. */
  withBase: string[]
  /** Other sessions whose work would conflict with this one's, and where. */
  overlaps: Overlap[]
  /** Why this session could not be compared (folder gone, no commit yet…). */
  error?: string
}

export interface OverlapReport {
  base: string
  baseCommit: string
  sessions: SessionOverlaps[]
  mergeOrder: MergeStep[]
}

type Snap = { session: RadarSession; commit: string } | { session: RadarSession; error: string }

/** Merge results by commit pair: a commit id names its content, so a result never goes stale. */
export type PairCache = Map<string, string[]>

const pairKey = (a: string, b: string): string => (a < b ? `${a}:${b}` : `${b}:${a}`)

/** Runs `fn` over `items`, at most `limit` at once (2 cores are shared with the agents). */
async function mapLimited<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

const CONCURRENCY = 4

async function snapshotAll(sessions: RadarSession[]): Promise<Snap[]> {
  return mapLimited(sessions, CONCURRENCY, async (session): Promise<Snap> => {
    try {
      return { session, commit: (await snapshotTree(session.path)).commit }
    } catch (err) {
      return { session, error: err instanceof Error ? err.message : String(err) }
    }
  })
}

async function resolveBase(repoRoot: string, base: string): Promise<string> {
  return (await git(['rev-parse', '--verify', `${base}^{commit}`], { cwd: repoRoot })).trim()
}

/** Compares snapshots pairwise and with the base; `cache` spares merges already done. */
async function compare(
  repoRoot: string,
  base: string,
  baseCommit: string,
  snaps: Snap[],
  cache: PairCache,
): Promise<OverlapReport> {
  const ok = snaps.filter((s): s is Extract<Snap, { commit: string }> => 'commit' in s)
  const jobs: Array<[string, string]> = []
  for (let i = 0; i < ok.length; i++) {
    jobs.push([ok[i]!.commit, baseCommit])
    for (let j = i + 1; j < ok.length; j++) jobs.push([ok[i]!.commit, ok[j]!.commit])
  }
  const todo = [...new Map(jobs.map((p) => [pairKey(...p), p])).entries()].filter(
    ([k]) => !cache.has(k),
  )
  const results = await mapLimited(todo, CONCURRENCY, ([, [a, b]]) =>
    mergeConflicts(repoRoot, a, b),
  )
  todo.forEach(([k], i) => cache.set(k, results[i]!))
  const files = (a: string, b: string): string[] => cache.get(pairKey(a, b)) ?? []

  // A session whose work is all in the base already (merged, or nothing done yet) has nothing
  // left to merge: it overlaps with no one. Without this, a merged session went on "overlapping"
  // with every session that changed the same lines (which conflict with the base instead). Only
  // sessions with an overlap are asked, so a quiet radar pays nothing for it.
  const overlapping = ok.filter((s) =>
    ok.some((o) => o !== s && files(s.commit, o.commit).length > 0),
  )
  const inBaseFlags = await mapLimited(overlapping, CONCURRENCY, (s) =>
    inBase(repoRoot, s.commit, baseCommit),
  )
  const merged = new Set(overlapping.filter((_, i) => inBaseFlags[i]).map((s) => s.session.id))

  const pairs: Array<[string, string]> = []
  const baseConflicts = new Set<string>()
  const sessions = snaps.map((s): SessionOverlaps => {
    const { id, title } = s.session
    if (!('commit' in s)) return { id, title, withBase: [], overlaps: [], error: s.error }
    if (merged.has(id)) return { id, title, commit: s.commit, withBase: [], overlaps: [] }
    const withBase = files(s.commit, baseCommit)
    if (withBase.length > 0) baseConflicts.add(id)
    const overlaps = ok
      .filter((o) => o.session.id !== id && !merged.has(o.session.id))
      .map((o) => ({ id: o.session.id, title: o.session.title, files: files(s.commit, o.commit) }))
      .filter((o) => o.files.length > 0)
    for (const o of overlaps) if (id < o.id) pairs.push([id, o.id])
    return { id, title, commit: s.commit, withBase, overlaps }
  })
  const mergeOrder = suggestMergeOrder(
    ok.map((s) => s.session.id),
    pairs,
    baseConflicts,
  )
  return { base, baseCommit, sessions, mergeOrder }
}

/** Whether `commit` is the base commit or one of its ancestors. */
async function inBase(repoRoot: string, commit: string, baseCommit: string): Promise<boolean> {
  if (commit === baseCommit) return true
  const r = await gitExit(['merge-base', '--is-ancestor', commit, baseCommit], { cwd: repoRoot })
  return r.code === 0
}

/**
 * For every pair of sessions, the files their work would conflict in; also each against `base`
 * (a branch or any commit-ish of `repoRoot`). A session that cannot be snapshotted is reported
 * with `error` and left out of the comparisons. Needs git ≥ 2.38 (gitSupportsMergeTree).
 */
export async function overlaps(
  repoRoot: string,
  sessions: RadarSession[],
  base: string,
  cache: PairCache = new Map(),
): Promise<OverlapReport> {
  const parsed = z.array(RadarSessionSchema).parse(sessions)
  const [baseCommit, snaps] = await Promise.all([resolveBase(repoRoot, base), snapshotAll(parsed)])
  return compare(repoRoot, base, baseCommit, snaps, cache)
}

export type RadarReport =
  | { available: false; reason: string }
  | ({ available: true; error?: undefined } & OverlapReport)
  | { available: true; error: string }

/** What one `tick` did, for tests and logs. */
export type TickResult = 'ran' | 'throttled' | 'unchanged' | 'busy' | 'unavailable' | 'failed'

export interface RadarOptions {
  repoRoot: string
  base: string
  /** The live sessions, asked at every tick (sessions come and go). */
  sessions: () => RadarSession[]
  /** Called when the report differs from the last one reported. */
  onChange: (report: RadarReport) => void
  /** At most one run per this many ms; 5 s by default. */
  intervalMs?: number
  now?: () => number
  /** Calls `fn` every `ms`; returns the way to stop. Defaults to setInterval. */
  every?: (ms: number, fn: () => void) => () => void
  support?: () => Promise<MergeTreeSupport>
}

const defaultEvery = (ms: number, fn: () => void): (() => void) => {
  const t = setInterval(fn, ms)
  t.unref?.()
  return () => clearInterval(t)
}

/**
 * Runs `overlaps` at most once every 5 s. Each run snapshots every worktree (cheap: git's stat
 * cache), and when neither the base nor any session's snapshot commit changed it stops there;
 * otherwise only pairs with a new commit are merged again (PairCache). `onChange` hears only
 * reports that differ from the previous one.
 */
export class Radar {
  private readonly interval: number
  private readonly now: () => number
  private lastRun: number | undefined
  private running = false
  private support: MergeTreeSupport | undefined
  private lastKey: string | undefined
  private lastReported: string | undefined
  private cache: PairCache = new Map()
  private stopTimer: (() => void) | undefined

  constructor(private readonly opts: RadarOptions) {
    this.interval = opts.intervalMs ?? 5_000
    this.now = opts.now ?? Date.now
  }

  start(): void {
    if (this.stopTimer) return
    const every = this.opts.every ?? defaultEvery
    this.stopTimer = every(this.interval, () => void this.tick())
    void this.tick()
  }

  stop(): void {
    this.stopTimer?.()
    this.stopTimer = undefined
  }

  /** One run, unless one is running or the last began less than `intervalMs` ago. */
  async tick(): Promise<TickResult> {
    if (this.running) return 'busy'
    const now = this.now()
    if (this.lastRun !== undefined && now - this.lastRun < this.interval) return 'throttled'
    this.lastRun = now
    this.running = true
    try {
      return await this.run()
    } finally {
      this.running = false
    }
  }

  private async run(): Promise<TickResult> {
    this.support ??= await (this.opts.support ?? gitMergeTreeSupport)()
    if (!this.support.available) {
      this.report({ available: false, reason: this.support.reason })
      return 'unavailable'
    }
    const { repoRoot, base } = this.opts
    try {
      const sessions = z.array(RadarSessionSchema).parse(this.opts.sessions())
      const [baseCommit, snaps] = await Promise.all([
        resolveBase(repoRoot, base),
        snapshotAll(sessions),
      ])
      const key = JSON.stringify([
        baseCommit,
        snaps.map((s) => [s.session.id, s.session.title, 'commit' in s ? s.commit : s.error]),
      ])
      if (key === this.lastKey) return 'unchanged'
      this.lastKey = key
      const report = await compare(repoRoot, base, baseCommit, snaps, this.cache)
      this.prune(report)
      this.report({ available: true, ...report })
      return 'ran'
    } catch (err) {
      this.lastKey = undefined
      this.report({ available: true, error: err instanceof Error ? err.message : String(err) })
      return 'failed'
    }
  }

  /** Keeps only the pairs of the commits just compared, so the cache cannot grow forever. */
  private prune(report: OverlapReport): void {
    const live = new Set([report.baseCommit, ...report.sessions.flatMap((s) => s.commit ?? [])])
    for (const k of this.cache.keys()) {
      const [a = '', b = ''] = k.split(':')
      if (!live.has(a) || !live.has(b)) this.cache.delete(k)
    }
  }

  private report(report: RadarReport): void {
    const text = JSON.stringify(report)
    if (text === this.lastReported) return
    this.lastReported = text
    this.opts.onChange(report)
  }
}
