import type { Prune } from '../../shared/entries'
import { payloadOf } from '../../shared/entries'
import type { Entry } from '../../shared/model'
import { CHARS_PER_TOKEN } from './tokens-in-use'

/**
 * Pruning: the cheap first step before a compaction. Old tool outputs, outside a protected recent
 * region, are sent as a one-line placeholder naming the file that holds the whole output. Nothing
 * is summarised and nothing is lost: the model can read the file again.
 */

/** Outputs shorter than this stay: the placeholder would save next to nothing. */
export const PRUNE_MIN_CHARS = 800

/** Prompts whose turns are never pruned (OpenCode protects the last two user turns too). */
export const PROTECTED_TURNS = 2

export type PrunedOutput = Prune['outputs'][number]

/** The outputs the branch's prunes replaced, by `tool_result` entry id. */
export function prunedOutputs(branch: readonly Entry[]): Map<string, PrunedOutput> {
  const out = new Map<string, PrunedOutput>()
  for (const entry of branch) {
    if (entry.type !== 'prune') continue
    const prune = payloadOf(entry, 'prune')
    if (prune) for (const o of prune.outputs) out.set(o.entryId, o)
  }
  return out
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** What a call was, in a few words: `npm test` for bash, the path for read… */
export function callSummary(name: string, args: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(args)
  } catch {
    parsed = null
  }
  const record = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {}
  const key = ['command', 'path', 'pattern'].find((k) => typeof record[k] === 'string')
  const what = key ? String(record[key]) : args
  const short = what.length > 80 ? `${what.slice(0, 77)}…` : what
  return short ? `${name} \`${short.replace(/`/g, "'")}\`` : name
}

/** The one line sent instead of a pruned output. */
export function prunePlaceholder(name: string, args: string, output: PrunedOutput): string {
  const where = output.file
    ? `the whole output is in ${output.file} (read it to see it again)`
    : 'it could not be kept'
  return `[Paddock] Output of ${callSummary(name, args)} pruned to save context (${size(output.bytes)}); ${where}.`
}

/** A tool output a prune would replace. */
export interface PruneCandidate {
  index: number
  entry: Entry
  content: string
  /** Estimated tokens freed (the output less its placeholder). */
  tokens: number
}

/**
 * The tool outputs a prune may replace: those in `[from, end)` outside the protected region — the
 * last {@link PROTECTED_TURNS} prompts' turns, and the newest outputs up to `protectTokens` — that
 * are long enough and not pruned yet. Oldest first, with the tokens they would free.
 */
export function pruneCandidates(
  branch: readonly Entry[],
  from: number,
  protectTokens: number,
): { candidates: PruneCandidate[]; tokens: number } {
  const already = prunedOutputs(branch)
  const candidates: PruneCandidate[] = []
  let prompts = 0
  let recent = 0
  let tokens = 0
  for (let i = branch.length - 1; i >= from; i--) {
    const entry = branch[i]!
    if (payloadOf(entry, 'user_message')?.kind === 'prompt') prompts += 1
    const result = payloadOf(entry, 'tool_result')
    if (!result) continue
    const cost = already.has(entry.id) ? 50 : Math.ceil(result.content.length / CHARS_PER_TOKEN)
    // Protected: the newest turns, and the newest outputs up to `protectTokens`, whichever is more.
    const isProtected = prompts < PROTECTED_TURNS || recent < protectTokens
    recent += cost
    if (isProtected) continue
    if (result.content.length < PRUNE_MIN_CHARS || already.has(entry.id)) continue
    // The placeholder is about 50 tokens.
    const freed = Math.max(0, cost - 50)
    candidates.push({ index: i, entry, content: result.content, tokens: freed })
    tokens += freed
  }
  candidates.reverse()
  return { candidates, tokens }
}
