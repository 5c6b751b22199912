import type { Database } from 'better-sqlite3'
import { SpendApprovalPayload } from '../../shared/entries'
import type { Logger } from '../core/logger'
import type { Settings } from '../sessions/settings'

/** Spend caps in USD; absent means no cap. */
export interface SpendCaps {
  perSessionUsd?: number
  perDayUsd?: number
}

const DAY_MS = 86_400_000

/**
 * Spend is derived from the log (the `costUsd` of assistant messages), so it survives restarts and
 * counts every process's sessions. Days are UTC days. A cap reached pauses the session; the user's
 * OK (an `approval` entry) allows another cap's worth.
 */
export class SpendLedger {
  private readonly capsNow: () => SpendCaps

  /** `caps` may be a function: read at each check, so a cap changed in Settings applies at once. */
  constructor(
    private readonly db: Database,
    caps: SpendCaps | (() => SpendCaps),
  ) {
    this.capsNow = typeof caps === 'function' ? caps : () => caps
  }

  /** The caps in force now (before any approval raised them for a session). */
  get caps(): SpendCaps {
    return this.capsNow()
  }

  get enabled(): boolean {
    return this.caps.perSessionUsd !== undefined || this.caps.perDayUsd !== undefined
  }

  sessionSpent(sessionId: string): number {
    const row = this.db
      .prepare(
        `SELECT COALESCE(SUM(json_extract(payload, '$.costUsd')), 0) AS usd FROM entries
         WHERE session_id = ? AND type = 'assistant_message'`,
      )
      .get(sessionId) as { usd: number }
    return row.usd
  }

  /** Token and cost totals of a session's model calls. */
  sessionUsage(sessionId: string): {
    inputTokens: number
    outputTokens: number
    cacheReadTokens: number
    cacheWriteTokens: number
    costUsd: number
    calls: number
  } {
    return this.db
      .prepare(
        `SELECT
           COALESCE(SUM(json_extract(payload, '$.usage.inputTokens')), 0) AS inputTokens,
           COALESCE(SUM(json_extract(payload, '$.usage.outputTokens')), 0) AS outputTokens,
           COALESCE(SUM(json_extract(payload, '$.usage.cacheReadTokens')), 0) AS cacheReadTokens,
           COALESCE(SUM(json_extract(payload, '$.usage.cacheWriteTokens')), 0) AS cacheWriteTokens,
           COALESCE(SUM(json_extract(payload, '$.costUsd')), 0) AS costUsd,
           COUNT(*) AS calls
         FROM entries WHERE session_id = ? AND type = 'assistant_message'`,
      )
      .get(sessionId) as ReturnType<SpendLedger['sessionUsage']>
  }

  /** When the UTC day of `now` began, in ms since the epoch. */
  static dayStart(now: number): number {
    return Math.floor(now / DAY_MS) * DAY_MS
  }

  daySpent(now: number): number {
    const start = SpendLedger.dayStart(now)
    const row = this.db
      .prepare(
        `SELECT COALESCE(SUM(json_extract(payload, '$.costUsd')), 0) AS usd FROM entries
         WHERE type = 'assistant_message' AND created_at >= ?`,
      )
      .get(start) as { usd: number }
    return row.usd
  }

  /** The limits in force for a session: the caps, raised by its latest spend approval. */
  limits(sessionId: string): SpendCaps {
    const caps = this.caps
    const rows = this.db
      .prepare(
        `SELECT payload FROM entries WHERE session_id = ? AND type = 'approval'
         ORDER BY created_at DESC, rowid DESC`,
      )
      .all(sessionId) as Array<{ payload: string }>
    for (const r of rows) {
      const p = SpendApprovalPayload.safeParse(safeJson(r.payload))
      if (!p.success) continue
      return {
        perSessionUsd: p.data.sessionLimitUsd ?? caps.perSessionUsd,
        perDayUsd: p.data.dayLimitUsd ?? caps.perDayUsd,
      }
    }
    return caps
  }

  /** Why the session may not call the model now, or null. */
  check(sessionId: string, now: number): string | null {
    if (!this.enabled) return null
    const limits = this.limits(sessionId)
    const spent = this.sessionSpent(sessionId)
    if (limits.perSessionUsd !== undefined && spent >= limits.perSessionUsd - 1e-9) {
      return (
        `Paused: this session has spent ${usd(spent)}, reaching its cap of ${usd(limits.perSessionUsd)}. ` +
        `Continue with your OK to allow another ${usd(this.caps.perSessionUsd ?? limits.perSessionUsd)}.`
      )
    }
    const day = this.daySpent(now)
    if (limits.perDayUsd !== undefined && day >= limits.perDayUsd - 1e-9) {
      return (
        `Paused: ${usd(day)} spent today across sessions, reaching the daily cap of ${usd(limits.perDayUsd)}. ` +
        `Continue with your OK to allow another ${usd(this.caps.perDayUsd ?? limits.perDayUsd)}.`
      )
    }
    return null
  }

  /** The approval entry's payload raising the limits by one cap's worth from what is spent now. */
  approval(
    sessionId: string,
    now: number,
  ): { kind: 'spend'; sessionLimitUsd?: number; dayLimitUsd?: number } {
    return {
      kind: 'spend',
      ...(this.caps.perSessionUsd !== undefined
        ? { sessionLimitUsd: this.sessionSpent(sessionId) + this.caps.perSessionUsd }
        : {}),
      ...(this.caps.perDayUsd !== undefined
        ? { dayLimitUsd: this.daySpent(now) + this.caps.perDayUsd }
        : {}),
    }
  }
}

function usd(n: number): string {
  return `$${n.toFixed(n < 1 ? 4 : 2)}`
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * The spend caps in force: the host's own, else the stored settings, read at each check so a cap
 * changed in Settings or with `paddock settings` applies to the next model call.
 */
export function spendCapsNow(
  given: SpendCaps | undefined,
  settings: Settings,
  logger: Logger,
): SpendCaps {
  const stored = (key: 'spend.perSessionUsd' | 'spend.perDayUsd'): number | undefined =>
    settings.read(key, logger, 'no cap of that kind applies')
  const perSessionUsd = given?.perSessionUsd ?? stored('spend.perSessionUsd')
  const perDayUsd = given?.perDayUsd ?? stored('spend.perDayUsd')
  return {
    ...(perSessionUsd !== undefined ? { perSessionUsd } : {}),
    ...(perDayUsd !== undefined ? { perDayUsd } : {}),
  }
}
