import { payloadOf } from '../../../../shared/entries'
import type { Entry } from '../../../../shared/model'

/** How the provider's prompt cache served the last request of a branch, in tokens. */
export interface CacheShare {
  /** The request's whole prompt: uncached input, read from the cache and written to it. */
  prompt: number
  /** Prompt tokens the provider read from its cache (cheaper and faster). */
  read: number
  /** Prompt tokens it wrote to its cache (Anthropic counts these apart; others report 0). */
  written: number
}

/**
 * The cache figures of the last answered request on the branch: its last complete assistant
 * message whose usage counts a prompt. Null when none reported usage (a server that sends none).
 */
export function lastRequestCache(entries: readonly Entry[]): CacheShare | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    const message = payloadOf(entries[i]!, 'assistant_message')
    if (!message || message.partial) continue
    const u = message.usage
    const prompt = u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens
    if (prompt > 0) return { prompt, read: u.cacheReadTokens, written: u.cacheWriteTokens }
  }
  return null
}

/** The share of the prompt read from the cache, in whole percent, rounded down (99.6 is 99). */
export function cachePercent(c: CacheShare): number {
  return c.prompt > 0 ? Math.floor((c.read / c.prompt) * 100) : 0
}

/** The meter's tooltip for the cache share. */
export function cacheTitle(c: CacheShare): string {
  const written = c.written > 0 ? `, ${c.written.toLocaleString()} written to it` : ''
  return (
    `Prompt cache, last request: ${c.read.toLocaleString()} of ${c.prompt.toLocaleString()} ` +
    `prompt tokens read from the provider's cache (${cachePercent(c)} %)${written}. ` +
    'Cached tokens cost less and answer sooner; Paddock keeps the start of every request the same ' +
    'so the provider can reuse it.'
  )
}
