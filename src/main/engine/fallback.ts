import type { ContextRecord, FallbackCause, ModelSwitch } from '../../shared/entries'
import { payloadOf } from '../../shared/entries'
import type { Entry } from '../../shared/model'
import type { Logger } from '../core/logger'
import {
  CHARS_PER_TOKEN,
  findLastPrompt,
  prefixTokens,
  tokensInUse,
} from '../context/tokens-in-use'
import { DEFAULT_CONTEXT_WINDOW, DEFAULT_MAX_OUTPUT } from '../providers/catalog'
import type { StreamFn } from '../providers/types'
import type { ContextKeeper, LoopModel, ModelFallback } from './agent-loop'
import type { Compactor, ContextSettings } from './compactor'
import { budgetFor } from './compactor'
import { fallbackCause } from './fallback-state'
import type { RunConfig } from './session-runner'

export type { FallbackSettings, FallbackState } from './fallback-state'
export { fallbackCause, fallbackSettings, fallbackState } from './fallback-state'

/** What a run needs to call one model: a run switches all of it at once. */
export type RunModel = Pick<
  RunConfig,
  | 'stream'
  | 'model'
  | 'providerModel'
  | 'provider'
  | 'pricing'
  | 'images'
  | 'contextWindow'
  | 'maxOutput'
>

/**
 * The fallback chain of a run, planned from the settings (or the run's own list) and the log:
 * which model it falls back from, to what, and whether it already has.
 */
export interface FallbackPlan {
  /** The model the session falls back from and returns to (a ref). */
  primary: string
  /** The run's model when it starts: the primary, or the fallback the log says it is on. */
  current: string
  /** The fallbacks of the primary, in order (at most three). */
  chain: readonly string[]
  /** How long the primary is left alone after it failed, in ms. */
  cooldownMs: number
  /** When the primary failed (the engine's clock, ms), while the session is on a fallback. */
  since: number | null
  /** The `--context-window` the session had for the primary, carried back when it returns. */
  primaryWindow?: number
  /** The model and limits of a ref, with a window override; throws when it cannot be used here. */
  resolve: (ref: string, contextWindow?: number) => RunModel
}

/** The most of a provider's failure message a switch records (an error page can be huge). */
export const FAILURE_MESSAGE_CHARS = 500

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** Room a summary needs beside the prompt, in tokens: less than this, no compaction can fit. */
export const MIN_SUMMARY_TOKENS = 1_000

export interface FallbackDeps {
  plan: FallbackPlan
  now: () => number
  /** Record the switch (a `model_switch` entry) where the run's branch sees it. */
  record: (change: ModelSwitch) => void
  /** The conversation the next request is derived from (for the tokens in use). */
  branch: () => Entry[]
  /** The request prefix: system prompt and tools count against every window. */
  prefix: ContextRecord
  settings: ContextSettings
  logger: Logger
}

/** A model the run may continue on, its ref, and whether the session must be compacted to fit. */
export interface FallbackTarget {
  ref: string
  model: RunModel
  /** The session as it is passes this model's threshold: it continues only once compacted. */
  compact: boolean
}

/**
 * Walks a run's fallback chain: after a classified failure, the first fallback whose window holds
 * the session as it is, else the first that can after a compaction (made before the switch, by
 * {@link runFallback}; a fallback whose compaction fails is left out); a fallback too small to
 * hold even the request prefix, the prompt and a summary is skipped. Back to the primary at the
 * first model call once its cooldown has passed. Each switch is recorded; the state is read from
 * the log when a run is planned, so a restart continues where the last process stopped.
 */
export class FallbackController {
  private current: string
  private since: number | null
  /** Models that failed in this run: not tried again before the run returns to the primary. */
  private readonly failed = new Set<string>()
  /**
   * Models the provider said it does not have: no cooldown brings them back within this run (with
   * a cooldown of 0, each call would cost a 404 and two switches).
   */
  private readonly missing = new Set<string>()
  /**
   * The call that failed is made again on the fallback, never on the primary it just left (with
   * a cooldown of 0 the two would take turns failing for ever): a return waits for the next call.
   */
  private retrying = false

  constructor(private readonly deps: FallbackDeps) {
    this.current = deps.plan.current
    this.since = deps.plan.current === deps.plan.primary ? null : deps.plan.since
  }

  /** Before a model call: back to the primary when the session is on a fallback past its cooldown. */
  returnDue(): FallbackTarget | null {
    const { plan, now } = this.deps
    if (this.retrying) {
      this.retrying = false
      return null
    }
    if (this.current === plan.primary || this.since === null) return null
    if (this.missing.has(plan.primary)) return null
    if (now() < this.since + plan.cooldownMs) return null
    let model: RunModel
    try {
      model = plan.resolve(plan.primary, plan.primaryWindow)
    } catch (err) {
      this.deps.logger.log('warn', 'cannot return to the primary model', {
        model: plan.primary,
        error: err instanceof Error ? err.message : String(err),
      })
      return null
    }
    this.deps.record({
      ref: plan.primary,
      from: this.current,
      reason: 'return',
      ...(plan.primaryWindow !== undefined ? { contextWindow: plan.primaryWindow } : {}),
    })
    this.current = plan.primary
    this.since = null
    this.failed.clear()
    return { ref: plan.primary, model, compact: false }
  }

  /**
   * A model call failed after its retries: the cause to fall back on (the model that failed is
   * not tried again in this run), or null when the failure is not one a fallback helps with.
   */
  failure(err: unknown): FallbackCause | null {
    const cause = fallbackCause(err)
    if (cause) this.failed.add(this.current)
    if (cause === 'model_not_found') this.missing.add(this.current)
    return cause
  }

  /** The next fallback to try after a {@link failure}, or null when none is left. */
  next(): FallbackTarget | null {
    return this.pick()
  }

  /** A fallback the run cannot continue on (the compaction it needed failed): left out. */
  reject(ref: string): void {
    this.failed.add(ref)
  }

  /** The run continues on `target` after `err` (classified as `cause`): recorded. */
  switchTo(target: FallbackTarget, cause: FallbackCause, err: unknown): void {
    const message = clip(err instanceof Error ? err.message : String(err), FAILURE_MESSAGE_CHARS)
    this.deps.record({
      ref: target.ref,
      from: this.current,
      reason: 'fallback',
      failure: { kind: cause, message },
    })
    // The primary's cooldown runs from its own failure, not from a fallback's.
    this.since ??= this.deps.now()
    this.current = target.ref
    this.retrying = true
  }

  /** The first fallback that fits as it is, else the first that fits after a compaction. */
  private pick(): FallbackTarget | null {
    const { plan } = this.deps
    const branch = this.deps.branch()
    const used = tokensInUse(branch).tokens
    const least = this.minimumTokens(branch)
    let compactFor: FallbackTarget | null = null
    for (const ref of plan.chain) {
      if (ref === plan.primary || ref === this.current) continue
      if (this.failed.has(ref) || this.missing.has(ref)) continue
      let model: RunModel
      try {
        model = plan.resolve(ref)
      } catch (err) {
        this.deps.logger.log('warn', 'fallback model skipped: it cannot be used here', {
          model: ref,
          error: err instanceof Error ? err.message : String(err),
        })
        continue
      }
      const threshold = budgetFor(
        {
          contextWindow: model.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
          maxOutput: model.maxOutput ?? DEFAULT_MAX_OUTPUT,
        },
        this.deps.settings,
      ).thresholdTokens
      if (used <= threshold) return { ref, model, compact: false }
      if (least > threshold) {
        this.deps.logger.log('info', 'fallback model skipped: its window is too small', {
          model: ref,
          thresholdTokens: threshold,
          neededTokens: least,
        })
        continue
      }
      compactFor ??= { ref, model, compact: true }
    }
    return compactFor
  }

  /**
   * The smallest request a compaction can leave: the system prompt and tools, the last prompt
   * (always kept verbatim) and room for a summary.
   */
  private minimumTokens(branch: readonly Entry[]): number {
    const at = findLastPrompt(branch)
    const prompt = at === null ? '' : (payloadOf(branch[at]!, 'user_message')?.text ?? '')
    return (
      prefixTokens(this.deps.prefix) +
      Math.ceil(prompt.length / CHARS_PER_TOKEN) +
      MIN_SUMMARY_TOKENS
    )
  }
}

/** `config` running `model` instead: every model field replaced (what it lacks, prices, is unknown). */
export function withModel(config: RunConfig, model: RunModel): RunConfig {
  return {
    ...config,
    provider: undefined,
    pricing: undefined,
    images: undefined,
    contextWindow: undefined,
    maxOutput: undefined,
    ...model,
  }
}

/** What a run's fallbacks need of the runner that drives it. */
export interface FallbackRunner {
  /** Record a model switch where the run's branch sees it. */
  record: (change: ModelSwitch) => void
  branch: () => Entry[]
  /** The keeper of the window of the model the run switched to. */
  keeper: (model: RunModel) => Compactor
  /** What every model call of the run goes through (the session's cache key). */
  stream: (stream: StreamFn) => StreamFn
}

/**
 * The loop's side of a run's fallbacks (null: the run has none): each switch the controller makes
 * becomes the loop's model, kept inside its window by the keeper the runner gives for it. A
 * fallback the session does not fit as it is gets its compaction before the switch, whatever
 * `context.autoCompact` says (the run cannot go on otherwise); when that fails or leaves too much,
 * the next fallback is tried, so no request to a fallback exceeds its window.
 */
export function runFallback(
  config: RunConfig,
  context: ContextRecord,
  deps: { now: () => number; logger: Logger },
  runner: FallbackRunner,
): ModelFallback | null {
  if (!config.fallback) return null
  const controller = new FallbackController({
    plan: config.fallback,
    now: deps.now,
    record: runner.record,
    branch: runner.branch,
    prefix: context,
    settings: config.context ?? {},
    logger: deps.logger,
  })
  const loopModel = (target: FallbackTarget, keeper: ContextKeeper): LoopModel => ({
    stream: runner.stream(target.model.stream),
    model: target.model.model,
    providerModel: target.model.providerModel,
    pricing: target.model.pricing,
    images: target.model.images === true,
    keeper,
  })
  return {
    beforeCall: () => {
      const back = controller.returnDue()
      return back ? loopModel(back, runner.keeper(back.model)) : null
    },
    afterFailure: async (err, signal) => {
      const cause = controller.failure(err)
      if (!cause) return null
      for (let target = controller.next(); target; target = controller.next()) {
        const keeper = runner.keeper(target.model)
        if (target.compact && !(await makeRoom(keeper, runner.branch, signal, deps.logger))) {
          if (signal.aborted) return null
          controller.reject(target.ref)
          continue
        }
        controller.switchTo(target, cause, err)
        return loopModel(target, keeper)
      }
      return null
    },
  }
}

/**
 * Prune, then compact (reason `model_switch`), until the session fits `keeper`'s threshold. False
 * when it still does not: the compaction failed, gained too little, or the run was aborted.
 */
async function makeRoom(
  keeper: Compactor,
  branch: () => Entry[],
  signal: AbortSignal,
  logger: Logger,
): Promise<boolean> {
  const threshold = keeper.budget.thresholdTokens
  const fits = (): boolean => tokensInUse(branch()).tokens <= threshold
  keeper.prune(branch(), tokensInUse(branch()).tokens)
  if (fits()) return true
  try {
    const outcome = await keeper.compact('model_switch', signal)
    if (!outcome.ok)
      logger.log('warn', 'fallback model skipped: compacting for it failed', {
        error: outcome.message,
      })
  } catch (err) {
    if (signal.aborted) return false
    logger.log('warn', 'fallback model skipped: compacting for it failed', {
      error: err instanceof Error ? err.message : String(err),
    })
    return false
  }
  return fits()
}
