import type { ContextRecord, FallbackCause, ModelSwitch } from '../../shared/entries'
import { payloadOf } from '../../shared/entries'
import { DEFAULT_FALLBACK_COOLDOWN_MINUTES } from '../../shared/contract/settings'
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
import { ProviderError } from '../providers/types'
import type { Settings } from '../sessions/settings'
import type { ContextKeeper, LoopModel, ModelFallback } from './agent-loop'
import type { Compactor, ContextSettings } from './compactor'
import { budgetFor } from './compactor'
import type { RunConfig } from './session-runner'

/** What a run needs to call one model: a run switches all of it at once. */
export type RunModel = Pick<
  RunConfig,
  'stream' | 'model' | 'providerModel' | 'provider' | 'pricing' | 'contextWindow' | 'maxOutput'
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

const MODEL_NOT_FOUND =
  /model[^.\n]{0,120}(not found|does not exist|not available)|not a valid model|no such model|unknown model|invalid model/i

/**
 * The failures a run falls back on, once its retries are spent: out of credits or quota (402, a
 * 429 whose text says quota), an overloaded server (503, 529), and a model the provider does not
 * have (404 naming the model, or its words for it). Null for everything else: a bad key, a bad
 * request and a plain rate limit end the run (or are retried) as without fallbacks.
 */
export function fallbackCause(err: unknown): FallbackCause | null {
  if (!(err instanceof ProviderError)) return null
  if (err.kind === 'quota') return 'quota'
  if (err.kind === 'overloaded') return 'overloaded'
  if (err.kind !== 'bad_request') return null
  const notFound = err.status === 404 && /model/i.test(err.message)
  if (notFound || ((err.status === 404 || err.status === 400) && MODEL_NOT_FOUND.test(err.message)))
    return 'model_not_found'
  return null
}

/** Where a session stands with its fallbacks, as its log says. */
export interface FallbackState {
  /** The model the session fell back from. */
  primary: string
  /** The model it runs on now. */
  current: string
  /** When the primary failed: the first fallback switch of the run of them (its `createdAt`). */
  since: number
  /** The window the session had set for the primary before (`--context-window`), if any. */
  primaryWindow?: number
}

/**
 * The fallback a session is on, derived from its branch (so it survives a restart): the last
 * model switch (a window-only one aside) is a `fallback`; the first of the fallbacks in a row names the primary (`from`)
 * and when it failed. Null when the session runs on a model of its own choosing.
 */
export function fallbackState(branch: readonly Entry[]): FallbackState | null {
  let first: { entry: Entry; change: ModelSwitch } | null = null
  let current: string | null = null
  /** The window last set for the model the row of fallbacks started from (the primary's). */
  let window: number | undefined
  for (let i = branch.length - 1; i >= 0; i--) {
    const entry = branch[i]!
    const change = payloadOf(entry, 'model_switch')
    if (!change) continue
    if (change.reason === 'fallback' && change.from !== null) {
      current ??= change.ref
      first = { entry, change }
      window = undefined
      continue
    }
    const primaryWindow = change.ref === first?.change.from ? change.contextWindow : undefined
    // A window set for the model the session is on (`--context-window`, from === ref) changes no
    // model: the session stays where it was, on a fallback too.
    if (change.from === change.ref) {
      window ??= primaryWindow
      continue
    }
    if (!first) return null
    // The switch before the fallbacks: the primary's window, when it set one.
    return state(first, current!, window ?? primaryWindow)
  }
  return first ? state(first, current!, window) : null
}

function state(
  first: { entry: Entry; change: ModelSwitch },
  current: string,
  primaryWindow: number | undefined,
): FallbackState {
  return {
    primary: first.change.from!,
    current,
    since: first.entry.createdAt,
    ...(primaryWindow !== undefined ? { primaryWindow } : {}),
  }
}

/** The user's fallback settings: each model's chain, and the cooldown. */
export interface FallbackSettings {
  chains: Record<string, string[]>
  cooldownMinutes: number
}

/** The stored fallback settings; one that does not read is left at its default (logged). */
export function fallbackSettings(
  settings: Pick<Settings, 'read'>,
  logger: Logger,
): FallbackSettings {
  return {
    chains: settings.read('models.fallbacks', logger, 'no fallbacks') ?? {},
    cooldownMinutes:
      settings.read('models.fallbackCooldownMinutes', logger) ?? DEFAULT_FALLBACK_COOLDOWN_MINUTES,
  }
}

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
