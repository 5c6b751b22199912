// What a request cost, from the catalog's prices. Pure. What is spent is counted from the log
// (engine/spend.ts).
import type { Pricing } from './catalog'
import type { Usage } from './types'

const PER_MILLION = 1_000_000

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
