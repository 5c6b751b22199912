/**
 * How a model's context window is shared out: what stays free for the model's reply (the output
 * reserve), a safety margin for the estimated part of the count, and the rest — the most the
 * conversation may hold before it must be made smaller (the compaction threshold).
 *
 * The formula, for a window W and a max output M (tokens):
 *
 *     reserve   = min(M, 20 000, W / 4, max(2 048, W / 8))
 *     margin    = min(32 000, max(256, W / 20))
 *     threshold = W − reserve − margin
 *
 * Why:
 * - A flat reserve does not scale. pi keeps 16 384 tokens free: on an 8k model that is more than
 *   the window, and on a 16k one the conversation could never hold anything. OpenCode keeps
 *   `min(20k, maxOutput)`, which is right for big windows (a reply never needs more than 20k
 *   tokens of room, and 1M models would otherwise waste 64–128k) but takes 8k of a 16k window.
 *   So the reserve is an eighth of the window, at least 2 048 tokens (room for a reply that writes
 *   a small file), never more than a quarter of the window (it stays well under half, so the
 *   conversation keeps most of a small window), never more than the model can produce, and at most
 *   OpenCode's 20k.
 * - The count the threshold is compared with is partly an estimate (characters / 4 of what was
 *   appended since the last response), which can be off by a fifth or so for code and non-English
 *   text. A margin of 5 % of the window (at least 256, at most 32k tokens) absorbs that: the request
 *   still fits when the estimate was low.
 * - What is left is the threshold: 70 % of an 8k window, about 83 % of 16k to 128k, 95 % of 1M and
 *   more. It is always at least half the window and at least twice the reserve, so there is room
 *   for several steps between two reductions, and a small model is not reduced on every step.
 *
 * Pure: numbers in, numbers out. Tested at 8k, 16k, 32k, 128k, 1M and 2M.
 */
export interface ContextBudget {
  /** The model's window (prompt + completion per request). */
  windowTokens: number
  /** Kept free for the model's reply. */
  reserveTokens: number
  /** Kept free for error in the estimated part of the count. */
  marginTokens: number
  /** The most tokens in use before the conversation must be made smaller. */
  thresholdTokens: number
}

/** OpenCode's cap: no reply needs more room than this, however large the window. */
export const MAX_RESERVE = 20_000
/** Room for a reply that writes a small file, where the window allows it. */
export const MIN_RESERVE = 2_048
/** Bounds of the estimate's margin. */
export const MIN_MARGIN = 256
export const MAX_MARGIN = 32_000

/** The budget of a window `windowTokens` for a model that produces at most `maxOutput` tokens. */
export function contextBudget(windowTokens: number, maxOutput: number): ContextBudget {
  if (!Number.isInteger(windowTokens) || windowTokens <= 0) {
    throw new RangeError(`window must be a positive integer, got ${windowTokens}`)
  }
  const output = Math.max(1, Math.min(Math.floor(maxOutput), windowTokens))
  const reserveTokens = Math.min(
    output,
    MAX_RESERVE,
    Math.floor(windowTokens / 4),
    Math.max(MIN_RESERVE, Math.floor(windowTokens / 8)),
  )
  const marginTokens = Math.min(MAX_MARGIN, Math.max(MIN_MARGIN, Math.floor(windowTokens / 20)))
  return {
    windowTokens,
    reserveTokens,
    marginTokens,
    thresholdTokens: Math.max(0, windowTokens - reserveTokens - marginTokens),
  }
}
