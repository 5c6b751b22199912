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
import type { SessionCheckpoints } from './checkpoint-hooks'
import type { LiveRunners } from './live-runners'
import type { RunConfig } from './session-runner'
import { cutOffMidRun, recoverInterruptedRun } from './recover'
import { SessionRunner } from './session-runner'
import type { SpendLedger } from './spend'
import type { ContextSettings } from './compactor'
import type { LoopSettings } from './loop-detect'

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
  shellFor: (sessionId: string) => AgentShell
  checkpointsFor: (sessionId: string) => SessionCheckpoints
  /** The user's `context.*` settings, read when a run is planned. */
  contextSettings: () => ContextSettings
  /** The user's `loops.*` settings, read when a run is planned (absent: every detector on). */
  loopSettings?: () => LoopSettings
  /** A compaction whose summariser sends nothing for this long is given up (ms). */
  compactionStallMs?: number
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
    const workspace = deps.store.getWorkspace(session.workspaceId)
    const runner = new SessionRunner({
      store: deps.store,
      sessionId,
      workspaceRoot: workspace.path,
      home: deps.home,
      dataDir: deps.dataDir,
      tools: deps.tools,
      toolSpecs: this.specs,
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
   * Plan a run: resolve the model (the one asked for, else the session's, else the default) and
   * the limits. Changes nothing: the caller records `switchTo` once the run may start.
   */
  plan(
    sessionId: string,
    mode: Mode | undefined,
    maxTurns: number | undefined,
    model?: string,
    contextWindow?: number,
  ): PlannedRun {
    const { registry, spend, now } = this.deps
    const branch = this.deps.store.branch(sessionId)
    const current = sessionModel(branch)
    const ref = model ?? current ?? registry.defaultRef()
    const source = registry.resolve(ref)
    // The window sets the tools' output budget: this run's --context-window, else the session's
    // override for this model, else models.json or the catalog (unknown: the default window).
    const limits = ref ? sessionLimits(registry, branch, ref) : null
    const window = contextWindow ?? limits?.contextWindow ?? null
    const maxOutput = limits ? Math.min(limits.maxOutput, window ?? limits.maxOutput) : null
    return {
      config: {
        stream: source.stream,
        model: source.model,
        providerModel: source.providerModel ?? source.model,
        ...(ref && splitRef(ref).provider !== HOST_PROVIDER
          ? { provider: splitRef(ref).provider }
          : {}),
        ...(source.pricing ? { pricing: source.pricing } : {}),
        ...(window ? { contextWindow: window } : {}),
        ...(maxOutput ? { maxOutput } : {}),
        context: this.deps.contextSettings(),
        ...(this.deps.loopSettings ? { loops: this.deps.loopSettings() } : {}),
        checkSpend: () => spend.check(sessionId, now()),
        mode: mode ?? 'ask',
        maxTurns: maxTurns ?? 50,
      },
      // A model picked for this session (not the default it fell back to) is recorded, so the
      // session keeps it and the log says from where on it ran with which model.
      switchTo: planSwitch(branch, current, ref, model, contextWindow),
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
