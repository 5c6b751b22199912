import { join } from 'node:path'
import type { EphemeralEvent } from '../../shared/events'
import { ContractError } from '../../shared/errors'
import type { Logger } from '../core/logger'
import type { Mode } from '../policy/modes'
import type { Rule } from '../policy/rules'
import type { ToolSpec } from '../providers/types'
import { HOST_PROVIDER, splitRef } from '../providers/provider-config'
import type { ProviderRegistry } from '../providers/registry'
import { sessionModel } from '../sessions/branch-state'
import { sessionLimits, windowOverride } from '../context/window'
import type { ModelSwitch } from '../../shared/entries'
import type { Entry } from '../../shared/model'
import type { Leases } from '../sessions/leases'
import type { Store } from '../sessions/store'
import type { AgentShell } from '../shells/agent-shell'
import { toolSpecs } from '../tools/registry'
import type { AnyTool, FsOps } from '../tools/types'
import type { McpOffer } from '../mcp/broker'
import type { SessionCheckpoints } from './checkpoint-hooks'
import type { LiveRunners } from './live-runners'
import type { RunConfig } from './session-runner'
import { cutOffMidRun, recoverInterruptedRun } from './recover'
import { SessionRunner } from './session-runner'
import type { SpendLedger } from './spend'
import type { ContextSettings } from './compactor'
import type { LoopSettings } from './loop-detect'
import type { FallbackSettings, RunModel } from './fallback'
import { fallbackState } from './fallback'
import { DEFAULT_FALLBACK_COOLDOWN_MINUTES } from '../../shared/contract/settings'

export interface RunsDeps {
  dataDir: string
  /** The user's home folder (the policy protects its credential folders). */
  home: string
  store: Store
  leases: Leases
  live: LiveRunners
  registry: ProviderRegistry
  spend: SpendLedger
  logger: Logger
  now: () => number
  tools: AnyTool[]
  fs: FsOps
  /** The agent's environment as it is now: keys and secrets removed (`sanitizedEnv`). */
  agentEnv: () => Record<string, string>
  ripgrepPath: string | null
  /** Publish a live (not logged) event. */
  publish: (event: Omit<EphemeralEvent, 'seq'>) => void
  sleep: (ms: number, signal: AbortSignal) => Promise<void>
  random: () => number
  maxRetries: number
  /** The rules of a workspace below the mode: the user's, then the workspace's own. */
  rulesFor: (workspaceId: string) => Rule[]
  /** The MCP tools a run in the workspace offers (absent: none). */
  mcpOffer?: (workspaceId: string, contextWindow: number) => Promise<McpOffer>
  shellFor: (sessionId: string) => AgentShell
  checkpointsFor: (sessionId: string) => SessionCheckpoints
  /** The user's `context.*` settings, read when a run is planned. */
  contextSettings: () => ContextSettings
  /** The user's `loops.*` settings, read when a run is planned (absent: every detector on). */
  loopSettings?: () => LoopSettings
  /** A compaction whose summariser sends nothing for this long is given up (ms). */
  compactionStallMs?: number
  /** The user's fallback chains and cooldown (`models.fallbacks`…), read when a run is planned. */
  fallbackSettings?: () => FallbackSettings
}

/** The model, mode and limits of a run, and the model switch it records when it starts. */
export interface PlannedRun {
  config: RunConfig
  /** The model picked for this run when it differs from the session's: recorded at start. */
  switchTo: ModelSwitch | null
}

/** Creates the runners this process drives, and the configuration of their runs. */
export class Runs {
  private readonly specs: ToolSpec[]

  constructor(private readonly deps: RunsDeps) {
    this.specs = toolSpecs(deps.tools)
  }

  /** The runner of a session this process drives, taking the session's lease first. */
  runnerFor(sessionId: string): SessionRunner {
    const { deps } = this
    const session = deps.store.getSession(sessionId)
    deps.leases.acquire(sessionId, session.title)
    const known = deps.live.get(sessionId)
    if (known) return known
    // Everything of a worktree session is rooted at its worktree (refused when the folder is gone).
    const root = deps.store.sessionRoot(sessionId)
    const runner = new SessionRunner({
      store: deps.store,
      sessionId,
      workspaceRoot: root.path,
      ...(session.worktree
        ? { git: { branch: session.worktree.branch, base: session.worktree.base } }
        : {}),
      home: deps.home,
      dataDir: deps.dataDir,
      tools: deps.tools,
      toolSpecs: this.specs,
      ...(deps.mcpOffer
        ? { mcpOffer: (window: number) => deps.mcpOffer!(session.workspaceId, window) }
        : {}),
      fs: deps.fs,
      env: deps.agentEnv,
      ripgrepPath: deps.ripgrepPath,
      spillRoot: join(deps.dataDir, 'spill'),
      logger: deps.logger,
      emit: (id, draft) =>
        deps.publish({
          ...draft,
          sessionId: id,
          at: deps.now(),
          ephemeral: true,
        } as Omit<EphemeralEvent, 'seq'>),
      now: deps.now,
      sleep: deps.sleep,
      random: deps.random,
      maxRetries: deps.maxRetries,
      os: `${process.platform} (${process.arch})`,
      workspaceRules: () => deps.rulesFor(session.workspaceId),
      shell: deps.shellFor(sessionId),
      checkpoints: deps.checkpointsFor(sessionId),
      ...(deps.compactionStallMs !== undefined
        ? { compactionStallMs: deps.compactionStallMs }
        : {}),
    })
    deps.live.add(sessionId, runner)
    return runner
  }

  /**
   * This process just took the session's lease: a run a dead process left mid-way is marked
   * interrupted now, so every client sees it over (a runner of this process has done it already).
   * A branch a rewind left inside a run is the user's choice, and stays as it is.
   */
  recoverDeadRun(sessionId: string): void {
    if (this.deps.live.get(sessionId)) return
    recoverInterruptedRun(this.deps.store, sessionId, this.deps.logger, cutOffMidRun)
  }

  /** The runner of a session whose agent is running here; `nothing_to_continue` otherwise. */
  running(sessionId: string): SessionRunner {
    const runner = this.deps.live.get(sessionId)
    if (!runner?.running) {
      this.deps.store.getSession(sessionId)
      throw new ContractError('nothing_to_continue', 'The agent is not running in this session.')
    }
    return runner
  }

  /**
   * Plan a run: resolve the model (the one asked for, else the session's, else the default), the
   * limits and the fallback chain (`fallbackModels`, else the `models.fallbacks` of the session's
   * primary model). Changes nothing: the caller records `switchTo` once the run may start.
   */
  plan(
    sessionId: string,
    mode: Mode | undefined,
    maxTurns: number | undefined,
    model?: string,
    contextWindow?: number,
    fallbackModels?: readonly string[],
  ): PlannedRun {
    const { registry, spend, now } = this.deps
    const branch = this.deps.store.branch(sessionId)
    const current = sessionModel(branch)
    const settings = this.deps.fallbackSettings?.() ?? {
      chains: {},
      cooldownMinutes: DEFAULT_FALLBACK_COOLDOWN_MINUTES,
    }
    const cooldownMs = settings.cooldownMinutes * 60_000
    let state = fallbackState(branch)
    let asked = model
    let window = contextWindow
    let primaryWindow = state?.primaryWindow
    // The primary of a fallback still cooling down, asked for again (a script that names its
    // model on every run): the run stays on the fallback; a window given is the primary's.
    if (state && model === state.primary && now() < state.since + cooldownMs) {
      asked = undefined
      primaryWindow = contextWindow ?? primaryWindow
      window = undefined
    }
    // The primary asked for once its cooldown has passed: the return, recorded as one.
    const returning =
      state && asked !== undefined && asked === state.primary
        ? {
            ref: asked,
            from: state.current,
            reason: 'return' as const,
            ...this.window(window ?? primaryWindow),
          }
        : null
    if (state && asked !== undefined && asked !== state.current) state = null
    let ref = asked ?? current ?? registry.defaultRef()
    let back: ModelSwitch | null = null
    if (state && !this.usable(state.current)) {
      // The fallback was given by address to the process that fell back: back to the primary.
      window = primaryWindow
      back = {
        ref: state.primary,
        from: state.current,
        reason: 'return',
        ...(window !== undefined ? { contextWindow: window } : {}),
      }
      ref = state.primary
      state = null
    }
    for (const fallback of fallbackModels ?? []) registry.resolve(fallback)
    const primary = state?.primary ?? ref
    if (primary && fallbackModels?.includes(primary)) {
      throw new ContractError(
        'invalid_params',
        `fallbackModels: ${primary} is the run's own model, and a model cannot be its own fallback.`,
      )
    }
    const chain = fallbackModels ?? (primary ? settings.chains[primary] : undefined) ?? []
    const resolved = this.modelConfig(ref, branch, window)
    return {
      config: {
        ...resolved,
        context: this.deps.contextSettings(),
        ...(this.deps.loopSettings ? { loops: this.deps.loopSettings() } : {}),
        checkSpend: () => spend.check(sessionId, now()),
        mode: mode ?? 'ask',
        maxTurns: maxTurns ?? 50,
        ...(ref && primary && (chain.length > 0 || state)
          ? {
              fallback: {
                primary,
                current: ref,
                chain,
                cooldownMs,
                since: state?.since ?? null,
                ...this.windowOf(state ? primaryWindow : (window ?? windowOverride(branch, ref))),
                resolve: (r: string, w?: number) => this.modelConfig(r, [], w),
              },
            }
          : {}),
      },
      // A model picked for this session (not the default it fell back to) is recorded, so the
      // session keeps it and the log says from where on it ran with which model.
      switchTo: back ?? returning ?? planSwitch(branch, current, ref, asked, window),
    }
  }

  /**
   * The model part of a run's configuration for `ref` (null: the default). The window sets the
   * tools' output budget: `contextWindow` (this run's `--context-window`), else the session's
   * override for this model, else models.json or the catalog (unknown: the default window).
   */
  private modelConfig(
    ref: string | null,
    branch: readonly Entry[],
    contextWindow?: number,
  ): RunModel {
    const { registry } = this.deps
    const source = registry.resolve(ref)
    const limits = ref ? sessionLimits(registry, branch, ref) : null
    const window = contextWindow ?? limits?.contextWindow ?? null
    const maxOutput = limits ? Math.min(limits.maxOutput, window ?? limits.maxOutput) : null
    return {
      stream: source.stream,
      model: source.model,
      providerModel: source.providerModel ?? source.model,
      ...(ref && splitRef(ref).provider !== HOST_PROVIDER
        ? { provider: splitRef(ref).provider }
        : {}),
      ...(source.pricing ? { pricing: source.pricing } : {}),
      ...(source.images ? { images: true } : {}),
      ...(window ? { contextWindow: window } : {}),
      ...(maxOutput ? { maxOutput } : {}),
    }
  }

  private windowOf(primaryWindow: number | undefined): { primaryWindow?: number } {
    return primaryWindow !== undefined ? { primaryWindow } : {}
  }

  private window(contextWindow: number | undefined): { contextWindow?: number } {
    return contextWindow !== undefined ? { contextWindow } : {}
  }

  /** Whether this process can run model `ref` (its provider is configured here). */
  private usable(ref: string): boolean {
    try {
      this.deps.registry.resolve(ref)
      return true
    } catch (err) {
      if (err instanceof ContractError && err.code === 'no_model') return false
      throw err
    }
  }

  /** Record a planned run's model switch (call once the session is known to be idle). */
  recordSwitch(sessionId: string, planned: PlannedRun): void {
    if (planned.switchTo) {
      this.deps.store.appendEntry(sessionId, { type: 'model_switch', payload: planned.switchTo })
    }
  }
}

/**
 * The model switch a run records: a model picked for this session that is not its current one, or
 * a `--context-window` for the model the run uses that the session does not hold yet (recorded as
 * a switch to that same model, which carries the window). Null: nothing changes.
 */
function planSwitch(
  branch: readonly Entry[],
  current: string | null,
  ref: string | null,
  model: string | undefined,
  contextWindow: number | undefined,
): ModelSwitch | null {
  const window = contextWindow !== undefined ? { contextWindow } : {}
  if (model && model !== current) return { ref: model, from: current, ...window }
  if (contextWindow === undefined || !ref) return null
  if (windowOverride(branch, ref) === contextWindow) return null
  return { ref, from: current, contextWindow }
}
