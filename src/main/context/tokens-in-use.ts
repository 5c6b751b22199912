import { payloadOf } from '../../shared/entries'
import type { UsageRecord } from '../../shared/entries'
import type { Entry } from '../../shared/model'

/** Characters per token of the estimate: coarse, and only for what no response has counted yet. */
export const CHARS_PER_TOKEN = 4

/**
 * The estimated tokens of a request's prefix, the system prompt and the tool definitions: they
 * count against every window, whatever is compacted.
 */
export function prefixTokens(
  prefix: { system: string; tools: unknown } | null | undefined,
): number {
  if (!prefix) return 0
  return Math.ceil((prefix.system.length + JSON.stringify(prefix.tools).length) / CHARS_PER_TOKEN)
}

/** The index of the branch's last prompt before `before` (a compaction keeps it verbatim), or null. */
export function findLastPrompt(branch: readonly Entry[], before = branch.length): number | null {
  for (let i = before - 1; i >= 0; i--) {
    if (payloadOf(branch[i]!, 'user_message')?.kind === 'prompt') return i
  }
  return null
}

/** How many tokens the next request starts from, and how much of that is the provider's count. */
export interface TokensInUse {
  /** reported + estimated. */
  tokens: number
  /**
   * What the provider reported for the last response on the branch: its prompt (cached tokens
   * included: input + cache read + cache write) plus what it produced (the reply is in the next
   * request). 0 when no response on the branch reported usage.
   */
  reported: number
  /**
   * characters / 4 of what was appended after that response (everything, when none reported),
   * less what prunes since took out; after a compaction, its estimate of the request it left.
   */
  estimated: number
  /** Whether `reported` is a provider's count; false: the whole number is an estimate. */
  fromUsage: boolean
}

/**
 * Tokens in use on a branch: the provider-reported tokens of the last response, plus an estimate
 * of everything appended since (tool results, steers, the next prompt). Never the estimate alone
 * when a response reported usage: providers count what they were actually sent, system prompt,
 * tool specs and their own framing included, which no character count can know. Without any
 * reported usage (a provider that sends none, a session before its first reply) the estimate
 * covers the whole request: the stored system prompt and tool specs and every message.
 *
 * A response whose usage is all zero (the provider reported nothing) does not count as reported;
 * an aborted (partial) response is never sent back, so it is neither a count nor estimated.
 */
export function tokensInUse(branch: readonly Entry[]): TokensInUse {
  let reported = 0
  let from = 0
  /** A compaction after the last response: its estimate of the request it left is the base. */
  let compacted = 0
  /** What prunes after the base took out of the request. */
  let freed = 0
  for (let i = branch.length - 1; i >= 0; i--) {
    const entry = branch[i]!
    const compaction = payloadOf(entry, 'compaction')
    if (compaction) {
      compacted = compaction.tokensAfter
      from = i + 1
      break
    }
    const prune = payloadOf(entry, 'prune')
    if (prune) {
      freed += prune.tokensFreed
      continue
    }
    const message = payloadOf(entry, 'assistant_message')
    if (!message || message.partial) continue
    const count = usageTokens(message.usage)
    if (count > 0) {
      reported = count
      from = i + 1
      break
    }
  }
  // Without a reported count the prefix is estimated, once: the last `context` entry is the one
  // sent (an earlier one was replaced when the tool set changed).
  let prefixAt = -1
  if (from === 0) {
    for (let i = branch.length - 1; i >= 0 && prefixAt < 0; i--) {
      if (branch[i]!.type === 'context') prefixAt = i
    }
  }
  let chars = 0
  for (let i = from; i < branch.length; i++) chars += sentChars(branch[i]!, i === prefixAt)
  const tokens = Math.max(0, reported + compacted + Math.ceil(chars / CHARS_PER_TOKEN) - freed)
  // `estimated` is negative when a prune took more out than was appended since the response.
  return { tokens, reported, estimated: tokens - reported, fromUsage: reported > 0 }
}

/** Prompt (cached included) and completion tokens of one response. */
function usageTokens(u: UsageRecord): number {
  return u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens + u.outputTokens
}

/**
 * Characters of what an entry puts in a request. The stored request prefix (system prompt and
 * tool specs) counts only when no response reported usage: otherwise the provider's count has it.
 */
export function sentChars(entry: Entry, withPrefix: boolean): number {
  const user = payloadOf(entry, 'user_message')
  if (user) return user.text.length + (user.skill?.body.length ?? 0)
  const result = payloadOf(entry, 'tool_result')
  if (result) return result.content.length
  const message = payloadOf(entry, 'assistant_message')
  if (message) {
    if (message.partial) return 0
    let chars = message.content.length + message.reasoning.length
    for (const call of message.toolCalls) chars += call.name.length + call.arguments.length
    return chars
  }
  if (withPrefix) {
    const context = payloadOf(entry, 'context')
    if (context) return context.system.length + JSON.stringify(context.tools).length
  }
  return 0
}
