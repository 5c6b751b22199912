/**
 * The collision radar over the host's live worktree sessions: one `Radar` per repository and base
 * (sessions that merge into the same branch are compared with each other), ticking every 5 s while
 * any worktree session runs, and on demand (`worktrees.radar`, after a merge). The merged report
 * is what the contract shows; a change is announced on the host stream.
 */
import type { RadarState, SessionRadar } from '../../shared/contract'
import type { Session } from '../../shared/model'
import type { Logger } from '../core/logger'
import { Radar } from './radar'
import type { RadarReport } from './radar'
import type { MergeTreeSupport } from './radar-git'

export interface RadarServiceDeps {
  /** Every live session (the service keeps the worktree ones whose folder exists). */
  sessions: () => Session[]
  repoRootOf: (sessionId: string) => string | null
  isRunning: (sessionId: string) => boolean
  publish: (state: RadarState) => void
  logger: Logger
  now?: () => number
  intervalMs?: number
  support?: () => Promise<MergeTreeSupport>
}

export class RadarService {
  /** One radar per repository and base, by `groupKey`; and its last report. */
  private readonly groups = new Map<string, Radar>()
  private readonly reports = new Map<string, RadarReport>()
  private timer: ReturnType<typeof setInterval> | undefined
  /** A comparison asked for while a group was throttled or busy: it runs once the interval ends. */
  private trailing: ReturnType<typeof setTimeout> | undefined
  private checkedAt: number | null = null
  private lastState = ''

  constructor(private readonly deps: RadarServiceDeps) {}

  /** Ticks every 5 s while a worktree session runs. */
  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => {
      if (this.live().some((s) => this.deps.isRunning(s.id))) void this.refresh()
    }, this.deps.intervalMs ?? 5_000)
    this.timer.unref?.()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    if (this.trailing) clearTimeout(this.trailing)
    this.timer = undefined
    this.trailing = undefined
    this.groups.clear()
    this.reports.clear()
  }

  /** Compare now (each group at most once per interval), then the merged report. */
  async refresh(): Promise<RadarState> {
    const byGroup = new Map<string, { repoRoot: string; base: string; sessions: Session[] }>()
    for (const s of this.live()) {
      const repoRoot = this.deps.repoRootOf(s.id)
      if (!repoRoot || !s.worktree) continue
      const key = groupKey(repoRoot, s.worktree.base)
      const g = byGroup.get(key) ?? { repoRoot, base: s.worktree.base, sessions: [] }
      g.sessions.push(s)
      byGroup.set(key, g)
    }
    for (const key of [...this.groups.keys()])
      if (!byGroup.has(key)) {
        this.groups.delete(key)
        this.reports.delete(key)
      }
    await Promise.all(
      [...byGroup.entries()].map(async ([key, g]) => {
        let radar = this.groups.get(key)
        if (!radar) {
          radar = new Radar({
            repoRoot: g.repoRoot,
            base: g.base,
            sessions: () =>
              this.groupSessions(key).map((s) => ({
                id: s.id,
                title: s.title,
                path: s.worktree?.path ?? '',
              })),
            onChange: (report) => this.reports.set(key, report),
            ...(this.deps.intervalMs !== undefined ? { intervalMs: this.deps.intervalMs } : {}),
            ...(this.deps.now ? { now: this.deps.now } : {}),
            ...(this.deps.support ? { support: this.deps.support } : {}),
          })
          this.groups.set(key, radar)
        }
        const result = await radar.tick()
        if (result === 'failed')
          this.deps.logger.log('warn', 'collision radar failed', { group: key })
        // Asked too soon after the last run (a merge right after a tick): run again when allowed,
        // so a badge never outlives the work that caused it.
        if ((result === 'throttled' || result === 'busy') && !this.trailing) {
          this.trailing = setTimeout(() => {
            this.trailing = undefined
            void this.refresh().catch(() => undefined)
          }, this.deps.intervalMs ?? 5_000)
          this.trailing.unref?.()
        }
      }),
    )
    this.checkedAt = (this.deps.now ?? Date.now)()
    const state = this.state()
    const text = JSON.stringify({ ...state, checkedAt: null })
    if (text !== this.lastState) {
      this.lastState = text
      this.deps.publish(state)
    }
    return state
  }

  /** The last merged report (no comparison). */
  state(): RadarState {
    const sessions: SessionRadar[] = []
    const mergeOrder: RadarState['mergeOrder'] = []
    let unavailable: string | null = null
    for (const r of this.reports.values()) {
      if (!r.available) {
        unavailable = r.reason
        continue
      }
      if (r.error !== undefined) continue
      const titles = new Map(r.sessions.map((s) => [s.id, s.title]))
      for (const s of r.sessions)
        sessions.push({
          sessionId: s.id,
          overlaps: s.overlaps.map((o) => ({ sessionId: o.id, title: o.title, files: o.files })),
          baseConflicts: s.withBase,
        })
      if (r.sessions.some((s) => s.overlaps.length > 0))
        for (const step of r.mergeOrder)
          mergeOrder.push({ sessionId: step.id, title: titles.get(step.id) ?? step.id })
    }
    return {
      available: unavailable === null,
      reason: unavailable,
      checkedAt: this.checkedAt,
      sessions,
      mergeOrder,
    }
  }

  private groupSessions(key: string): Session[] {
    return this.live().filter(
      (s) => s.worktree && groupKey(this.deps.repoRootOf(s.id) ?? '', s.worktree.base) === key,
    )
  }

  /** Worktree sessions whose folder is there. */
  live(): Session[] {
    return this.deps.sessions().filter((s) => s.worktree && !s.worktree.missing)
  }
}

function groupKey(repoRoot: string, base: string): string {
  return JSON.stringify([repoRoot, base])
}
