import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type {
  Compaction,
  CompactionReason,
  ContextRecord,
  EntryPayload,
} from '../../shared/entries'
import { payloadOf } from '../../shared/entries'
import type { Entry } from '../../shared/model'
import type { Logger } from '../core/logger'
import type { Settings } from '../sessions/settings'
import { readSettings } from '../sessions/settings'
import type { ContextBudget } from '../context/budget'
import { contextBudget } from '../context/budget'
import {
  chooseCut,
  fileLists,
  lastCompaction,
  summaryChunks,
  summaryRequest,
} from '../context/compaction'
import { deriveMessages } from '../context/history'
import { pruneCandidates } from '../context/pruning'
import {
  CHARS_PER_TOKEN,
  findLastPrompt,
  prefixTokens,
  tokensInUse,
} from '../context/tokens-in-use'
import type { ChatMessage, StreamFn } from '../providers/types'
import { utf8Length } from '../tools/truncate'
import { summariseOnce } from './summariser'
import type { ContextKeeper } from './agent-loop'

/** The user's `context.*` settings (absent: derived from the window). */
export interface ContextSettings {
  /** Compact before a request that would not fit (default true). Overflow is handled always. */
  autoCompact?: boolean
  /** Tokens kept free for the reply, instead of the window's share. */
  reserveTokens?: number
  /** Tokens of the newest conversation kept verbatim by a compaction. */
  keepRecentTokens?: number
}

/** Most of the compaction threshold the recent part kept verbatim may take. */
export const KEEP_RECENT_SHARE = 0.3
/** OpenCode keeps about this much; more never helps a model continue. */
export const MAX_KEEP_RECENT = 20_000
/** A proactive compaction that frees less than this share of what was in use is not kept. */
export const MIN_GAIN = 0.05
/** Without a byte from the summariser for this long, the compaction is given up. */
export const DEFAULT_STALL_MS = 120_000

/** The budget of a window with the user's reserve, if they set one (never more than half). */
export function budgetFor(
  limits: { contextWindow: number; maxOutput: number },
  settings: ContextSettings,
): ContextBudget {
  const budget = contextBudget(limits.contextWindow, limits.maxOutput)
  if (settings.reserveTokens === undefined) return budget
  const reserveTokens = Math.min(settings.reserveTokens, Math.floor(limits.contextWindow / 2))
  return {
    ...budget,
    reserveTokens,
    thresholdTokens: Math.max(0, budget.windowTokens - reserveTokens - budget.marginTokens),
  }
}

/** Tokens of the newest conversation a compaction keeps verbatim. */
export function keepRecentFor(budget: ContextBudget, settings: ContextSettings): number {
  const scaled = Math.min(MAX_KEEP_RECENT, Math.floor(budget.thresholdTokens * KEEP_RECENT_SHARE))
  return Math.min(settings.keepRecentTokens ?? scaled, Math.floor(budget.thresholdTokens / 2))
}

/** Prunes that free less than this are not worth changing the request (and its cache) for. */
export function minPruneFor(budget: ContextBudget): number {
  return Math.min(20_000, Math.max(1_000, Math.floor(budget.windowTokens / 10)))
}

export interface CompactorDeps {
  stream: StreamFn
  model: string
  providerModel: string
  limits: { contextWindow: number; maxOutput: number }
  settings: ContextSettings
  /** The request prefix: system prompt and tool specs (they count against the window). */
  prefix: () => Pick<ContextRecord, 'system' | 'tools'> | null
  workspaceRoot: string
  spillDir: () => string
  branch: () => Entry[]
  append: <T extends 'compaction' | 'prune'>(type: T, payload: EntryPayload<T>) => Entry
  /** Shows the run compacting (a live state). */
  onCompacting?: () => void
  logger: Logger
  now: () => number
  stallMs?: number
}

export type CompactOutcome =
  | { ok: true; entry: Entry; payload: Compaction }
  | { ok: false; reason: 'nothing' | 'too_little'; message: string }

/**
 * Keeps a session's conversation inside its model's window: prunes old tool outputs, then
 * compacts (summarises) before a request that would not fit, or after the provider said one did
 * not. Each step is recorded as one entry; the log keeps everything else as it was.
 */
export class Compactor implements ContextKeeper {
  readonly budget: ContextBudget
  /** A proactive compaction that gained too little is not tried again in this run. */
  private gaveUp = false

  constructor(private readonly deps: CompactorDeps) {
    this.budget = budgetFor(deps.limits, deps.settings)
  }

  /**
   * Before a model call: when the tokens in use pass the threshold, prune (if that frees enough),
   * then compact. A failure is logged and the request goes out as it is (an overflow is handled
   * after it); an abort throws.
   */
  async beforeCall(signal: AbortSignal): Promise<void> {
    if (this.deps.settings.autoCompact === false) return
    const branch = this.deps.branch()
    const used = tokensInUse(branch).tokens
    if (used <= this.budget.thresholdTokens) return
    if (this.prune(branch, used)) {
      if (tokensInUse(this.deps.branch()).tokens <= this.budget.thresholdTokens) return
    }
    if (this.gaveUp) return
    const reason: CompactionReason = switchedSinceLastCall(branch) ? 'model_switch' : 'threshold'
    try {
      const outcome = await this.compact(reason, signal)
      if (!outcome.ok && outcome.reason === 'too_little') this.gaveUp = true
    } catch (err) {
      if (signal.aborted) throw err
      this.deps.logger.log('warn', 'compaction failed', { error: String(err) })
    }
  }

  /** After the provider refused a request as too long: compact all but the prompt, or throw. */
  async afterOverflow(signal: AbortSignal): Promise<void> {
    this.deps.logger.log('info', 'context overflow: compacting before one retry')
    const outcome = await this.compact('overflow', signal)
    if (!outcome.ok) throw new Error(outcome.message)
  }

  /**
   * Replace old tool outputs with placeholders when that frees at least {@link minPruneFor}; the
   * whole outputs are written to the spill folder first. True when a prune was recorded.
   */
  prune(branch: Entry[], used: number): boolean {
    const from = lastCompaction(branch)?.keptFrom ?? 0
    const keep = keepRecentFor(this.budget, this.deps.settings)
    const { candidates, tokens } = pruneCandidates(branch, from, keep)
    if (candidates.length === 0 || tokens < minPruneFor(this.budget)) return false
    let dir: string | null = null
    try {
      dir = this.deps.spillDir()
    } catch {
      dir = null
    }
    const outputs = candidates.map((c) => {
      let file: string | null = null
      if (dir) {
        const path = join(dir, `pruned-${c.entry.id}.txt`)
        try {
          writeFileSync(path, c.content, { mode: 0o600 })
          file = path
        } catch (err) {
          this.deps.logger.log('warn', 'could not keep a pruned output', { error: String(err) })
        }
      }
      return { entryId: c.entry.id, bytes: utf8Length(c.content), file }
    })
    this.deps.append('prune', { outputs, tokensBefore: used, tokensFreed: tokens })
    return true
  }

  /**
   * Summarise the conversation before its recent part and record a `compaction` entry. `overflow`
   * keeps nothing verbatim but the last prompt; the others keep the newest `keepRecentTokens`.
   * Throws on an abort or when the model fails to summarise (nothing is recorded then).
   */
  async compact(
    reason: CompactionReason,
    signal: AbortSignal,
    focus?: string,
  ): Promise<CompactOutcome> {
    const started = this.deps.now()
    const branch = this.deps.branch()
    const before = tokensInUse(branch).tokens
    const previous = lastCompaction(branch)
    const from = previous?.keptFrom ?? 0
    const plan = this.planCut(branch, from, reason)
    if (!plan) {
      return {
        ok: false,
        reason: 'nothing',
        message:
          'Nothing to compact yet: the conversation has no messages since the last compaction.',
      }
    }
    this.deps.onCompacting?.()
    const { cut, promptIndex, split } = plan
    let requests = 0
    const summarise = async (
      start: number,
      end: number,
      prior: string | null,
      turnPrefix: boolean,
    ): Promise<string | null> => {
      let summary = prior
      for (const chunk of summaryChunks(branch, start, end, this.chunkChars(summary))) {
        requests += 1
        summary = await this.summarise(
          summaryRequest({
            conversation: chunk,
            previous: summary,
            ...(focus ? { focus } : {}),
            turnPrefix: turnPrefix && summary === null,
          }),
          signal,
        )
      }
      return summary
    }
    let summary: string | null
    if (split !== null) {
      // The cut falls inside a turn: what came before the turn updates the summary, and the
      // turn's early part is summarised on its own (its prompt stays verbatim).
      const history = await summarise(from, split, previous?.payload.summary ?? null, false)
      const prefix = await summarise(split, cut, null, true)
      summary = [history, prefix ? `## Earlier in the current turn\n\n${prefix}` : null]
        .filter((s): s is string => s !== null)
        .join('\n\n')
    } else {
      summary = await summarise(from, cut, previous?.payload.summary ?? null, false)
    }
    if (!summary) {
      return { ok: false, reason: 'nothing', message: 'Nothing to compact yet.' }
    }
    summary = clipSummary(summary, this.maxSummaryChars())
    const replaced = branch.slice(from, cut).filter(isConversation)
    const draft: Compaction = {
      reason,
      summary,
      firstKeptId: cut < branch.length ? branch[cut]!.id : null,
      ...(promptIndex !== null ? { keptPromptId: branch[promptIndex]!.id } : {}),
      replacedFromId: replaced[0]?.id ?? null,
      replacedCount: replaced.length,
      tokensBefore: before,
      tokensAfter: 0,
      ...fileLists(branch, branch.length, this.deps.workspaceRoot),
      model: this.deps.model,
      ...(focus ? { focus } : {}),
      requests: Math.max(1, requests),
      durationMs: 0,
    }
    draft.tokensAfter = this.estimateAfter(branch, draft)
    draft.durationMs = Math.max(0, this.deps.now() - started)
    const proactive = reason === 'threshold' || reason === 'model_switch'
    if (proactive && before - draft.tokensAfter < before * MIN_GAIN) {
      return {
        ok: false,
        reason: 'too_little',
        message: `Compacting would free less than ${MIN_GAIN * 100} % (${before} → ${draft.tokensAfter} tokens).`,
      }
    }
    // Asked by the user on a short conversation: a summary no smaller than what it replaces.
    if (reason === 'manual' && draft.tokensAfter >= before) {
      return {
        ok: false,
        reason: 'too_little',
        message: `Compacting would not make the conversation smaller (${before} → ${draft.tokensAfter} tokens): nothing was compacted.`,
      }
    }
    signal.throwIfAborted()
    const entry = this.deps.append('compaction', draft)
    return { ok: true, entry, payload: draft }
  }

  /**
   * Where to cut: `cut` (the first entry kept verbatim; the branch's length keeps nothing), the
   * prompt kept verbatim with the summary, and `split` (where a turn cut in two starts). Null when
   * there is nothing to summarise.
   */
  private planCut(
    branch: Entry[],
    from: number,
    reason: CompactionReason,
  ): { cut: number; promptIndex: number | null; split: number | null } | null {
    const lastPrompt = findLastPrompt(branch, branch.length)
    const hasConversation = branch.slice(from).some(isConversation)
    if (!hasConversation) return null
    const everything = { cut: branch.length, promptIndex: lastPrompt, split: null }
    if (reason === 'overflow') return everything
    const summarisable = (at: number | null): at is number =>
      at !== null && branch.slice(from, at).some(isConversation)
    let cut = chooseCut(branch, from, keepRecentFor(this.budget, this.deps.settings))
    // Asked by the user: at least the turns before the newest one are summarised.
    if (!summarisable(cut) && reason === 'manual') cut = lastPrompt
    // Nothing old enough to summarise apart: all of it is, but the prompt.
    if (!summarisable(cut)) return everything
    // The kept part alone would not fit under the threshold: keep nothing but the prompt.
    if (this.estimateKept(branch, cut) > this.budget.thresholdTokens * 0.8) return everything
    const cutAtPrompt = payloadOf(branch[cut]!, 'user_message')?.kind === 'prompt'
    const prompt = cutAtPrompt ? null : findLastPrompt(branch, cut)
    if (prompt === null) return { cut, promptIndex: null, split: null }
    return { cut, promptIndex: prompt, split: prompt >= from ? prompt : null }
  }

  /** One summarisation request (`summariseOnce`), with this session's model and stall limit. */
  private summarise(content: string, signal: AbortSignal): Promise<string> {
    return summariseOnce(
      { stream: this.deps.stream, providerModel: this.deps.providerModel },
      content,
      signal,
      this.deps.stallMs ?? DEFAULT_STALL_MS,
    )
  }

  /** Characters of conversation one summarisation request may carry beside `previous`. */
  private chunkChars(previous: string | null): number {
    // The summariser's own request must fit its window: the threshold less the instructions,
    // the previous summary and room for the new one.
    const overhead = 600 + Math.ceil((previous?.length ?? 0) / CHARS_PER_TOKEN)
    const tokens = this.budget.thresholdTokens - overhead - this.summaryTokens()
    return Math.max(2_000, tokens * CHARS_PER_TOKEN)
  }

  /** Room a summary may take: a quarter of the threshold, at most 8k tokens. */
  private summaryTokens(): number {
    return Math.min(8_000, Math.floor(this.budget.thresholdTokens / 4))
  }

  private maxSummaryChars(): number {
    return this.summaryTokens() * CHARS_PER_TOKEN
  }

  /** Estimated tokens of the request a compaction would leave. */
  private estimateAfter(branch: Entry[], draft: Compaction): number {
    const entry: Entry = {
      id: '~compaction',
      parentId: branch.at(-1)?.id ?? null,
      sessionId: branch[0]?.sessionId ?? '',
      type: 'compaction',
      payload: draft,
      createdAt: this.deps.now(),
    } as Entry
    return this.prefixTokens() + messageTokens(deriveMessages([...branch, entry]))
  }

  private estimateKept(branch: Entry[], cut: number): number {
    return this.prefixTokens() + messageTokens(deriveMessages(branch.slice(cut)))
  }

  private prefixTokens(): number {
    return prefixTokens(this.deps.prefix())
  }
}

function messageTokens(messages: ChatMessage[]): number {
  let chars = 0
  for (const m of messages) {
    chars += m.content.length
    if (m.role === 'assistant') {
      chars += m.reasoning?.length ?? 0
      for (const c of m.toolCalls ?? []) chars += c.name.length + c.arguments.length
    }
  }
  return Math.ceil(chars / CHARS_PER_TOKEN)
}

function clipSummary(summary: string, max: number): string {
  if (summary.length <= max) return summary
  return `${summary.slice(0, max)}\n[… summary cut to fit the window …]`
}

function isConversation(entry: Entry): boolean {
  return (
    entry.type === 'user_message' ||
    entry.type === 'assistant_message' ||
    entry.type === 'tool_result'
  )
}

/**
 * True when the model changed after the branch's last model answer: a switch recorded since, from
 * another model — or from none recorded (the session ran on the default until now), once a model
 * has answered.
 */
export function switchedSinceLastCall(branch: readonly Entry[]): boolean {
  let switched = false
  for (let i = branch.length - 1; i >= 0; i--) {
    const entry = branch[i]!
    if (entry.type === 'assistant_message') return switched
    const change = payloadOf(entry, 'model_switch')
    if (!change) continue
    if (change.from !== null && change.from !== change.ref) return true
    if (change.from === null) switched = true
  }
  return false
}

/** The user's `context.*` settings; one that does not read is left at its default (logged). */
export function contextSettings(settings: Pick<Settings, 'read'>, logger: Logger): ContextSettings {
  return readSettings(settings, logger, {
    autoCompact: 'context.autoCompact',
    reserveTokens: 'context.reserveTokens',
    keepRecentTokens: 'context.keepRecentTokens',
  })
}
