import type { Pricing } from './catalog'
import type { Usage } from './types'

/**
 * What a request cost and how much has been spent. Pure: no clock of its own (callers pass the
 * time), no I/O, no global state.
 */

const PER_MILLION = 1_000_000

/** Floating-point slack when comparing dollars: a billionth of a dollar. */
const EPSILON_USD = 1e-9

/**
 * The cost in USD of one request's usage, or null when the price is unknown. `usage.inputTokens`
 * excludes cached tokens (see {@link Usage}); cache reads are billed at `cacheRead`, cache writes
 * at `cacheWrite`, each at the input price where the pricing names none. A price tier applies
 * when the whole prompt (input + cache read + cache write tokens) is above its size.
 */
export function costOf(usage: Usage, pricing?: Pricing): number | null {
  if (!pricing) return null
  const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens
  const rates = tierFor(pricing, prompt)
  const usd =
    usage.inputTokens * rates.input +
    usage.outputTokens * rates.output +
    usage.cacheReadTokens * (rates.cacheRead ?? rates.input) +
    usage.cacheWriteTokens * (rates.cacheWrite ?? rates.input)
  return usd / PER_MILLION
}

type Rates = Pick<Pricing, 'input' | 'output' | 'cacheRead' | 'cacheWrite'>

/** The rates for a prompt of this many tokens: the highest tier it is above, else the base. */
function tierFor(pricing: Pricing, promptTokens: number): Rates {
  let best: Rates = pricing
  let bestAbove = 0
  for (const tier of pricing.tiers ?? []) {
    if (promptTokens > tier.above && tier.above >= bestAbove) {
      best = tier
      bestAbove = tier.above
    }
  }
  return best
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  }
}

export interface SpendCaps {
  /** USD one session may spend; absent means no cap. */
  perSessionUsd?: number
  /** USD all sessions together may spend in one day; absent means no cap. */
  perDayUsd?: number
}

/** A cap that has been reached: `spent` (USD) is at or over `limit` (USD). */
export interface CapReached {
  cap: 'session' | 'day'
  limit: number
  spent: number
}

export interface SpendTrackerOptions {
  /**
   * Minutes east of UTC that day boundaries follow (e.g. 120 for UTC+2), or a function of the
   * time for zones with daylight saving: `(at) => -new Date(at).getTimezoneOffset()` gives the
   * machine's local day. Default 0: days are UTC days.
   */
  utcOffsetMinutes?: number | ((at: number) => number)
}

const DAY_MS = 86_400_000

/**
 * Spend per session and per day, and whether a cap is reached. Times are epoch milliseconds the
 * caller supplies (its injected clock); a day is midnight to midnight at the configured UTC
 * offset. Amounts are USD.
 */
export class SpendTracker {
  private readonly sessions = new Map<string, number>()
  private readonly days = new Map<number, number>()
  private readonly offset: (at: number) => number

  constructor(options: SpendTrackerOptions = {}) {
    const offset = options.utcOffsetMinutes ?? 0
    this.offset = typeof offset === 'number' ? () => offset : offset
  }

  /** Record `usd` spent by `sessionId` at time `at`. Throws RangeError on a negative or NaN sum. */
  add(sessionId: string, usd: number, at: number): void {
    if (!Number.isFinite(usd) || usd < 0) throw new RangeError(`invalid spend: ${usd}`)
    if (!Number.isFinite(at)) throw new RangeError(`invalid time: ${at}`)
    this.sessions.set(sessionId, this.sessionTotal(sessionId) + usd)
    const day = this.dayOf(at)
    this.days.set(day, (this.days.get(day) ?? 0) + usd)
  }

  sessionTotal(sessionId: string): number {
    return this.sessions.get(sessionId) ?? 0
  }

  /** Everything spent on the day that contains `at`. */
  dayTotal(at: number): number {
    return this.days.get(this.dayOf(at)) ?? 0
  }

  /**
   * The first cap reached (session before day), or null when the session may go on. A cap is
   * reached once the spend is at or over it, so the request that crosses it completes and the
   * next one is refused.
   */
  check(caps: SpendCaps, sessionId: string, at: number): CapReached | null {
    const session = this.sessionTotal(sessionId)
    if (caps.perSessionUsd !== undefined && session + EPSILON_USD >= caps.perSessionUsd) {
      return { cap: 'session', limit: caps.perSessionUsd, spent: session }
    }
    const day = this.dayTotal(at)
    if (caps.perDayUsd !== undefined && day + EPSILON_USD >= caps.perDayUsd) {
      return { cap: 'day', limit: caps.perDayUsd, spent: day }
    }
    return null
  }

  /** Day number since the epoch, counted at the configured offset. */
  private dayOf(at: number): number {
    return Math.floor((at + this.offset(at) * 60_000) / DAY_MS)
  }
}
