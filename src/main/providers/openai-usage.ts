import { z } from 'zod'
import type { Usage } from './types'

const count = z.number().int().nonnegative()

/**
 * The usage object of a Chat Completions stream, as the servers Paddock talks to fill it in.
 * Every field is optional and an odd one is dropped, not fatal: usage is bookkeeping, and a
 * server that reports it oddly must not fail the turn.
 * - `prompt_tokens_details.cached_tokens`: OpenAI's cached part of the prompt (also xAI, Kimi K2,
 *   most OpenAI-compatible servers);
 * - `prompt_cache_hit_tokens`: DeepSeek's, at the top level, beside `prompt_cache_miss_tokens`
 *   (api-docs.deepseek.com, "Context Caching").
 */
const WireUsage = z.object({
  prompt_tokens: count.optional().catch(undefined),
  completion_tokens: count.optional().catch(undefined),
  prompt_tokens_details: z
    .object({ cached_tokens: count.nullish().catch(undefined) })
    .nullish()
    .catch(undefined),
  prompt_cache_hit_tokens: count.nullish().catch(undefined),
})

/**
 * Paddock's usage from a server's: the cached part of the prompt is a cache read, the rest input.
 * A server that reports its cache both ways counts once (the larger, never above the prompt).
 */
export function toUsage(raw: unknown): Usage {
  const parsed = WireUsage.safeParse(raw)
  const u = parsed.success ? parsed.data : {}
  const prompt = u.prompt_tokens ?? 0
  const cached = Math.min(
    prompt,
    Math.max(u.prompt_tokens_details?.cached_tokens ?? 0, u.prompt_cache_hit_tokens ?? 0),
  )
  return {
    inputTokens: prompt - cached,
    outputTokens: u.completion_tokens ?? 0,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
  }
}
