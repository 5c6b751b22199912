import { ContractError } from '../../shared/errors'
import { payloadOf } from '../../shared/entries'
import { isMidRun, lastTurnEnd } from '../context/history'
import type { Handlers } from '../host/dispatcher'
import type { WindowSource } from '../providers/catalog'
import type { ProviderRegistry } from '../providers/registry'
import { sessionModel } from '../sessions/branch-state'
import { tokensInUse } from '../context/tokens-in-use'
import { sessionLimits } from '../context/window'
import type { Entry } from '../../shared/model'
import type { Store } from '../sessions/store'
import type { LiveRunners } from './live-runners'
import type { Runs } from './runs'
import type { RunConfig } from './session-runner'
import { HOST_PROVIDER, splitRef } from '../providers/provider-config'
import { SpendLedger } from './spend'
import { shortTokens } from '../../shared/tokens'
import type { ContextSettings } from './compactor'
import { budgetFor } from './compactor'

type RunMethod =
  | 'sessions.prompt'
  | 'sessions.continue'
  | 'sessions.steer'
  | 'sessions.followUp'
  | 'sessions.abort'
  | 'sessions.answerApproval'
  | 'sessions.status'
  | 'sessions.spendToday'
  | 'sessions.compact'
  | 'sessions.contextFit'

export interface RunHandlerDeps {
  store: Store
  runs: Runs
  live: LiveRunners
  registry: ProviderRegistry
  spend: SpendLedger
  now: () => number
  /** The user's `context.*` settings as they are now. */
  settings: () => ContextSettings
}

/** The contract's methods that start, steer, stop and report a session's agent. */
export function runHandlers(deps: RunHandlerDeps): Pick<Handlers, RunMethod> {
  const { store, runs, live, registry, spend, now, settings } = deps
  return {
    'sessions.prompt': (params) => {
      const { sessionId, text, mode, model, maxTurns, contextWindow, fallbackModels } = params
      const runner = runs.runnerFor(sessionId)
      runner.assertIdle()
      const planned = runs.plan(sessionId, mode, maxTurns, model, contextWindow, fallbackModels)
      runs.recordSwitch(sessionId, planned)
      void runner.prompt(text, planned.config)
      return { started: true as const }
    },
    'sessions.continue': (params) => {
      const { sessionId, mode, model, maxTurns, contextWindow, approveSpend, fallbackModels } =
        params
      const runner = runs.runnerFor(sessionId)
      runner.assertCanContinue()
      const planned = runs.plan(sessionId, mode, maxTurns, model, contextWindow, fallbackModels)
      runs.recordSwitch(sessionId, planned)
      if (approveSpend && spend.check(sessionId, now())) {
        store.appendEntry(sessionId, {
          type: 'approval',
          payload: spend.approval(sessionId, now()),
        })
      }
      void runner.continue(planned.config)
      return { started: true as const }
    },
    'sessions.steer': ({ sessionId, text }) => {
      runs.running(sessionId).steer(text)
      return { queued: 'steer' as const }
    },
    'sessions.followUp': ({ sessionId, text }) => {
      runs.running(sessionId).followUp(text)
      return { queued: 'follow_up' as const }
    },
    'sessions.abort': ({ sessionId }) => {
      const runner = live.get(sessionId)
      const aborted = runner?.running ?? false
      runner?.abort()
      return { aborted }
    },
    'sessions.answerApproval': ({ sessionId, approvalId, answer, feedback, editedContent }) => {
      const running = live.get(sessionId)
      if (running && !running.approvals.restoredRequest(approvalId)) {
        return { settled: running.approvals.answer(approvalId, answer, feedback, editedContent) }
      }
      if (editedContent !== undefined) {
        throw new ContractError(
          'invalid_params',
          'This approval was asked before a restart: approve it as proposed, or reject it with feedback.',
        )
      }
      // Asked before a restart (or by a process that is gone): this process takes the session
      // over, records the answer, and resumes the run in the mode that asked.
      const runner = runs.runnerFor(sessionId)
      const request = runner.approvals.restoredRequest(approvalId)
      if (!request) return { settled: runner.approvals.answer(approvalId, answer, feedback) }
      const planned = runs.plan(sessionId, request.mode, undefined)
      // A fallback this process cannot use: the run resumes on the primary, recorded as a return.
      runs.recordSwitch(sessionId, planned)
      void runner.resumeApproval(approvalId, answer, feedback, planned.config)
      return { settled: [approvalId] }
    },
    'sessions.spendToday': () => {
      const at = now()
      return {
        spentUsd: spend.daySpent(at),
        dayStartedAt: SpendLedger.dayStart(at),
        caps: spend.caps,
      }
    },
    'sessions.compact': async ({ sessionId, focus, model }) => {
      const runner = runs.runnerFor(sessionId)
      runner.assertIdle()
      const config = planCompaction(runs, store, registry, sessionId, model)
      const outcome = await runner.compact(config, focus)
      if (!outcome.ok) throw new ContractError('invalid_params', outcome.message)
      const { payload } = outcome
      return {
        entryId: outcome.entry.id,
        tokensBefore: payload.tokensBefore,
        tokensAfter: payload.tokensAfter,
        replacedCount: payload.replacedCount,
      }
    },
    'sessions.contextFit': ({ sessionId, model }) => {
      store.getSession(sessionId)
      const branch = store.branch(sessionId)
      const limits = sessionLimits(registry, branch, model)
      const budget = budgetFor(limits, settings())
      const used = tokensInUse(branch).tokens
      const fits = used <= budget.thresholdTokens
      return {
        usedTokens: used,
        windowTokens: limits.contextWindow,
        thresholdTokens: budget.thresholdTokens,
        windowAssumed: limits.windowSource === 'default',
        fits,
        warning: fits
          ? null
          : switchWarning(used, modelLabel(registry, model), limits.contextWindow),
      }
    },
    'sessions.status': ({ sessionId }) => {
      const branch = store.branch(sessionId)
      const lastStop = lastTurnEnd(branch)
      const model = sessionModel(branch) ?? registry.defaultRef()
      return {
        running: live.isRunning(sessionId),
        canContinue: (lastStop !== null && lastStop.reason !== 'done') || isMidRun(branch),
        lastStop,
        usage: spend.sessionUsage(sessionId),
        model,
        context: contextStatus(registry, branch, model),
      }
    },
  }
}

/** The Context gauge's numbers: tokens in use against the window of the session's next model. */
function contextStatus(
  registry: ProviderRegistry,
  branch: readonly Entry[],
  model: string | null,
): {
  usedTokens: number
  windowTokens: number | null
  windowSource: WindowSource | null
  windowAssumed: boolean
  usedReported: boolean
} {
  const used = tokensInUse(branch)
  const limits = model ? sessionLimits(registry, branch, model) : null
  return {
    usedTokens: used.tokens,
    windowTokens: limits?.contextWindow ?? null,
    windowSource: limits?.windowSource ?? null,
    windowAssumed: limits?.windowSource === 'default',
    usedReported: used.fromUsage,
  }
}

/** The sentence a client shows before switching to a model the session does not fit. */
export function switchWarning(used: number, model: string, window: number): string {
  return `This session uses ${shortTokens(used)} tokens; ${model} holds ${shortTokens(window)} — it will be compacted first.`
}

/** The name a model goes by in pickers ("Kimi K2"), else its ref. */
function modelLabel(registry: ProviderRegistry, ref: string): string {
  try {
    return registry.models().models.find((m) => m.ref === ref)?.label ?? ref
  } catch {
    return ref
  }
}

/**
 * The run configuration a compaction uses: the session's model (or `model`). A session whose model
 * was given by address to `paddock run` (the host's own model) names a saved provider instead.
 */
function planCompaction(
  runs: Runs,
  store: Store,
  registry: ProviderRegistry,
  sessionId: string,
  model: string | undefined,
): RunConfig {
  try {
    const planned = runs.plan(sessionId, undefined, undefined, model)
    // Compacting for a return to the primary (the fallback cannot be used here): recorded, so the
    // session is on the model it was compacted for. A model named for the compaction is not.
    if (planned.switchTo?.reason === 'return') runs.recordSwitch(sessionId, planned)
    return planned.config
  } catch (err) {
    if (!(err instanceof ContractError) || err.code !== 'no_model' || model) throw err
    const branch = store.branch(sessionId)
    const ref = sessionModel(branch) ?? registry.defaultRef()
    if (ref && splitRef(ref).provider !== HOST_PROVIDER) throw err
    // The model the session last ran with, as its log names it.
    const last = branch.findLast((e) => e.type === 'assistant_message')
    const name = ref ? splitRef(ref).model : last && payloadOf(last, 'assistant_message')?.model
    if (!name) throw err
    throw new ContractError(
      'no_model',
      `This session's model (${name}) was given by address to the process that ran it, and is not configured here: compact with a saved provider's model (--model <provider>/<model>; paddock providers list).`,
    )
  }
}
