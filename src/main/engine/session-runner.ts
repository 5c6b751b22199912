import { join } from 'node:path'
import type { ApprovalAnswerKind, TurnEnd } from '../../shared/entries'
import type { ContextRecord, EntryPayload, EntryType } from '../../shared/entries'
import { ContractError } from '../../shared/errors'
import { makePrivateDir } from '../core/private-files'
import { conversationBranch } from '../context/conversation-branch'
import { lastPromptId, lastTurnEnd } from '../context/history'
import type { Entry } from '../../shared/model'
import { ensureRequestPrefix, sessionCacheKey } from '../context/request-prefix'
import type { StreamFn, ToolCall } from '../providers/types'
import type { AnyTool, ToolContext } from '../tools/types'
import type { ToolSpec } from '../providers/types'
import { toolSpecs } from '../tools/registry'
import { runAgentLoop } from './agent-loop'
import { recoverInterruptedRun } from './recover'
import { Inbox } from './inbox'
import { blockedNote } from '../sandbox/blocked'
import { Approvals, authorizationFor } from './approvals'
import { refusedResult, repairRecord, runToolCall } from './tool-call'
import { DEFAULT_CONTEXT_WINDOW, DEFAULT_MAX_OUTPUT } from '../providers/catalog'
import type { CompactOutcome } from './compactor'
import { Compactor } from './compactor'
import { toolOutputBudget } from '../tools/truncate'
import type { RunCheckpoints } from './checkpoint-hooks'
import { runFallback, withModel } from './fallback'
import { discoverSkills, skillReadRoots } from '../skills/discovery'
import { invokeSkill } from '../skills/invoke'
import { indexBudgetChars, indexEntries, skillsSection } from '../skills/prompt-index'

export type { RunConfig, RunnerDeps } from './run-config'
import type { RunConfig, RunnerDeps } from './run-config'

/**
 * The live side of one session in the process that drives it: at most one run at a time, its
 * abort controller, and the inbox for steers and follow-ups. State lives here, not in modules.
 */
export class SessionRunner {
  private readonly inbox = new Inbox()
  private controller: AbortController | null = null
  private suspending = false
  private current: Promise<TurnEnd> | null = null
  /** The running run's branch as it caches it (null until first read); null between runs. */
  private live: { branch: Entry[] | null } | null = null
  /** Folders outside the workspace `read` may reach: the user's skills, as the last run found them. */
  private skillRoots: string[] = []

  readonly approvals: Approvals
  /** The tools of the current (or last) run: the built-in ones and the MCP tools it offered. */
  private runTools: AnyTool[]
  private runSpecs: ToolSpec[]
  private readOnly: ReadonlySet<string> = new Set()

  constructor(private readonly deps: RunnerDeps) {
    this.runTools = deps.tools
    this.runSpecs = deps.toolSpecs
    // A run a dead process left mid-way is over before this process starts another.
    recoverInterruptedRun(deps.store, deps.sessionId, deps.logger)
    this.approvals = new Approvals({
      store: deps.store,
      sessionId: deps.sessionId,
      workspaceRoot: deps.workspaceRoot,
      home: deps.home,
      dataDir: deps.dataDir,
      spillDir: join(deps.spillRoot, deps.sessionId),
      readRoots: () => this.skillRoots,
      workspaceRules: deps.workspaceRules,
      onWaiting: () => deps.emit(deps.sessionId, { type: 'turn.state', state: 'approval' }),
      polls: (name) => this.runTools.some((t) => t.name === name && t.polls === true),
      readOnly: (name) => this.readOnly.has(name),
    })
  }

  /**
   * Read the MCP tools this run offers (a broker that fails offers none, and says so in the log):
   * fixed for the whole run, so the request prefix stays the same within it.
   */
  private async offerTools(config: RunConfig): Promise<void> {
    if (!this.deps.mcpOffer) return
    try {
      const offer = await this.deps.mcpOffer(config.contextWindow ?? DEFAULT_CONTEXT_WINDOW)
      this.runTools = offer.tools.length ? [...this.deps.tools, ...offer.tools] : this.deps.tools
      this.runSpecs = offer.tools.length ? toolSpecs(this.runTools) : this.deps.toolSpecs
      this.readOnly = offer.readOnly
    } catch (err) {
      this.deps.logger.log('warn', 'MCP tools not offered to this run', { error: String(err) })
    }
  }

  get running(): boolean {
    return this.current !== null
  }

  /** Start a run for a new prompt. Resolves when the run ends. */
  prompt(text: string, config: RunConfig): Promise<TurnEnd> {
    this.assertIdle()
    // `/name …` loads that skill's instructions into this prompt (read now, recorded with it).
    const skill = invokeSkill(text, {
      workspaceRoot: this.deps.workspaceRoot,
      home: this.deps.home,
    })
    return this.start(config, () => {
      this.deps.store.titleFromFirstPrompt(this.deps.sessionId, text)
      this.deps.store.appendEntry(this.deps.sessionId, {
        type: 'user_message',
        payload: { text, kind: 'prompt', ...(skill ? { skill } : {}) },
      })
    })
  }

  /** Resume a run that was interrupted, aborted, failed or hit max turns. */
  continue(config: RunConfig): Promise<TurnEnd> {
    this.assertCanContinue()
    return this.start(config, () => {})
  }

  /** Throws unless a run may continue now: idle, and the last run did not finish normally. */
  assertCanContinue(): void {
    this.assertIdle()
    const last = lastTurnEnd(this.deps.store.branch(this.deps.sessionId))
    if (!last || last.reason === 'done') {
      throw new ContractError(
        'nothing_to_continue',
        'The last run of this session finished normally; send a new message instead.',
      )
    }
  }

  steer(text: string): void {
    if (!this.running) throw new ContractError('nothing_to_continue', 'The agent is not running.')
    this.inbox.steer(text)
  }

  followUp(text: string): void {
    if (!this.running) throw new ContractError('nothing_to_continue', 'The agent is not running.')
    this.inbox.followUp(text)
  }

  abort(): void {
    this.controller?.abort()
  }

  /**
   * Append an entry from outside the run (a checkpoint, a restore note), keeping a live run's view
   * of its branch whole: what it records reaches the run's next request.
   */
  record<T extends EntryType>(type: T, payload: EntryPayload<T>): Entry {
    const entry = this.deps.store.appendEntry(this.deps.sessionId, { type, payload })
    this.live?.branch?.push(entry)
    return entry
  }

  /** The host is shutting down: stop the run, keeping open approval questions open. */
  suspend(): void {
    this.suspending = true
    this.approvals.suspend()
    this.controller?.abort()
  }

  /**
   * Answer a question asked before a restart: run the call as the user was asked about it (or
   * record the denial) on the one tool call path, replacing the "interrupted" result the restart
   * left, then continue the run in the mode that asked.
   */
  resumeApproval(
    approvalId: string,
    kind: ApprovalAnswerKind,
    feedback: string | undefined,
    config: RunConfig,
  ): Promise<TurnEnd> | null {
    this.assertIdle()
    const request = this.approvals.restoredRequest(approvalId)
    if (!request)
      throw new ContractError('not_found', `No pending approval ${approvalId} in this session.`)
    const authorization = authorizationFor(
      this.approvals.answerRestored(approvalId, kind, feedback),
    )
    const call: ToolCall = {
      id: request.toolCallId,
      name: request.tool,
      arguments: JSON.stringify(request.arguments ?? {}),
    }
    if (!authorization.ok && authorization.stop) {
      this.record('tool_result', refusedResult(call, authorization))
      return null
    }
    return this.start({ ...config, mode: request.mode ?? config.mode }, async (signal) => {
      const { checkpoints } = this.deps
      const { result, repairs } = await runToolCall(call, {
        tools: this.runTools,
        workspaceRoot: this.deps.workspaceRoot,
        toolContext: (s) => this.toolContext(s, config),
        authorize: () => Promise.resolve(authorization),
        signal,
        now: this.deps.now,
        ...(checkpoints
          ? {
              beforeMutation: (c: ToolCall, s: AbortSignal) => {
                const branch = this.deps.store.branch(this.deps.sessionId)
                const asked = [...branch].reverse().find((e) => e.type === 'assistant_message')
                return checkpoints.startRun(lastPromptId(branch)).beforeTool(c, asked?.id ?? '', s)
              },
            }
          : {}),
      })
      if (repairs.length) this.record('repair', repairRecord(call, repairs))
      this.record('tool_result', result)
    })
  }

  /**
   * Compact the conversation now, as the user asked (`sessions.compact`): only while idle; the
   * run's abort button stops it like a run (nothing is recorded then).
   */
  async compact(config: RunConfig, focus?: string): Promise<CompactOutcome> {
    this.assertIdle()
    const controller = new AbortController()
    this.controller = controller
    const work = (async (): Promise<CompactOutcome> => {
      await this.offerTools(config)
      const context = await this.ensureContext(config)
      return this.compactor(config, context).compact('manual', controller.signal, focus)
    })()
    // Busy while it runs: a prompt waits, the stop button aborts it.
    this.current = work.then(
      () => ({ reason: 'done' as const }),
      () => ({ reason: 'error' as const }),
    )
    try {
      return await work
    } catch (err) {
      if (controller.signal.aborted) {
        throw new ContractError('aborted', 'Compaction stopped: nothing was compacted.')
      }
      throw err
    } finally {
      this.current = null
      this.controller = null
      this.deps.emit(this.deps.sessionId, { type: 'turn.state', state: 'idle' })
    }
  }

  /** What keeps a run's conversation inside its model's window. */
  private compactor(config: RunConfig, context: ContextRecord): Compactor {
    const limits = {
      contextWindow: config.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
      maxOutput: config.maxOutput ?? DEFAULT_MAX_OUTPUT,
    }
    return new Compactor({
      stream: config.stream,
      model: config.model,
      providerModel: config.providerModel,
      limits,
      settings: config.context ?? {},
      prefix: () => context,
      workspaceRoot: this.deps.workspaceRoot,
      spillDir: () => this.spillDir(),
      // In a run, the run's cached branch (read once, kept whole by `record`): a 10k-entry
      // session's branch takes ~150 ms to read, and a compaction asks for it three times.
      branch: () => (this.live ? (this.live.branch ??= this.conversation()) : this.conversation()),
      append: (type, payload) => this.record(type, payload),
      onCompacting: () =>
        this.deps.emit(this.deps.sessionId, { type: 'turn.state', state: 'compacting' }),
      logger: this.deps.logger,
      now: this.deps.now,
      ...(this.deps.compactionStallMs !== undefined
        ? { stallMs: this.deps.compactionStallMs }
        : {}),
    })
  }

  /** Wait for the current run, if any. */
  async settled(): Promise<void> {
    await this.current?.catch(() => undefined)
  }

  /** Throws `session_busy` while a run is going: check before changing anything for a new one. */
  assertIdle(): void {
    if (this.running) {
      throw new ContractError(
        'session_busy',
        'The agent is already running in this session: steer it, queue a follow-up, or stop it.',
      )
    }
  }

  private start(
    config: RunConfig,
    before: (signal: AbortSignal) => void | Promise<void>,
  ): Promise<TurnEnd> {
    const controller = new AbortController()
    this.controller = controller
    const loops = this.approvals.startRun(config.loops)
    const live: { branch: Entry[] | null } = { branch: null }
    this.live = live
    let checkpoints: RunCheckpoints | undefined
    let active = config // the run's model as it is now (a fallback replaces it)
    const loop = async (): Promise<TurnEnd> => {
      await this.offerTools(config)
      const context = await this.ensureContext(config)
      await before(controller.signal)
      checkpoints = this.deps.checkpoints?.startRun(
        lastPromptId(this.deps.store.branch(this.deps.sessionId)),
      )
      // Each call carries the session's cache key (sent only where a provider takes one).
      const cacheKey = sessionCacheKey(this.deps.sessionId)
      const keyed =
        (stream: StreamFn): StreamFn =>
        (request) =>
          stream({ ...request, cacheKey })
      const fallback = runFallback(config, context, this.deps, {
        record: (change) => this.record('model_switch', change),
        branch: () => (live.branch ??= this.conversation()),
        keeper: (model) => this.compactor((active = withModel(active, model)), context),
        stream: keyed,
      })
      return runAgentLoop({
        stream: keyed(config.stream),
        model: config.model,
        providerModel: config.providerModel,
        ...(config.pricing ? { pricing: config.pricing } : {}),
        images: config.images === true,
        checkSpend: config.checkSpend,
        context,
        tools: new Map(this.runTools.map((t) => [t.name, t])),
        toolContext: (signal) => this.toolContext(signal, active),
        workspaceRoot: this.deps.workspaceRoot,
        log: {
          // Only this process appends to the session while it runs (the lease), through this
          // run or `record`, so the cached branch stays the branch by adding what is appended.
          // (Another process holding the workspace's checkpoint store may append `checkpoint`
          // entries for this run; the conversation never shows those to the model.)
          append: (entry) => this.record(entry.type, entry.payload),
          branch: () => (live.branch ??= this.conversation()),
        },
        emit: (e) => this.deps.emit(this.deps.sessionId, e),
        inbox: this.inbox,
        authorize: (call, tool, input, signal) =>
          this.approvals.authorize(call, tool, input, config.mode, signal),
        ...(this.deps.prepareTurn ? { prepareTurn: this.deps.prepareTurn } : {}),
        stop: () => controller.abort(),
        maxTurns: config.maxTurns,
        maxRetries: this.deps.maxRetries,
        signal: controller.signal,
        now: this.deps.now,
        sleep: this.deps.sleep,
        random: this.deps.random,
        ...(checkpoints ? { checkpoints } : {}),
        keeper: this.compactor(config, context),
        loops,
        ...(fallback ? { fallback } : {}),
      })
    }
    const run = (async (): Promise<TurnEnd> => {
      let end: TurnEnd
      try {
        end = await loop()
        if (end.cause && active.provider) end = { ...end, provider: active.provider }
        if (this.suspending && end.reason === 'aborted') {
          end = { reason: 'interrupted', message: 'Paddock stopped during this run.' }
        }
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        this.deps.logger.log('error', 'agent run failed', {
          session: this.deps.sessionId,
          error: message,
        })
        end = { reason: 'error', message }
      }
      // The run's last checkpoint belongs before its end (it never throws).
      await checkpoints?.finish()
      // Idle first, then record the end: whoever sees the turn_end may start the next run at once.
      this.current = null
      this.controller = null
      this.live = null
      // Anything still queued had no run to land in; it is dropped with the run.
      this.inbox.takeSteers()
      this.inbox.takeFollowUps()
      try {
        this.deps.store.appendEntry(this.deps.sessionId, { type: 'turn_end', payload: end })
      } catch (err) {
        this.deps.logger.log('error', 'could not record the end of a run', { error: String(err) })
      }
      // Right after the turn_end, nothing in between: a run's own end is its turn_end followed by
      // idle, which tells it from the end `recover` writes for a dead run (no idle follows that).
      this.deps.emit(this.deps.sessionId, { type: 'turn.state', state: 'idle' })
      return end
    })()
    this.current = run
    return run
  }

  private toolContext(signal: AbortSignal, config: RunConfig): ToolContext {
    return {
      workspaceRoot: this.deps.workspaceRoot,
      signal,
      fs: this.deps.fs,
      spillDir: this.spillDir(),
      readRoots: this.skillRoots,
      outputBudget: toolOutputBudget(config.contextWindow ?? DEFAULT_CONTEXT_WINDOW),
      env: this.deps.env(),
      ripgrepPath: this.deps.ripgrepPath,
      ...(this.deps.shell ? { shell: this.deps.shell } : {}),
      askOutsideSandbox: (id, command, blocked) =>
        this.approvals.askOutside(id, command, blocked, blockedNote(blocked), config.mode, signal),
    }
  }

  /** The part of the branch the conversation is derived from (`conversationBranch`). */
  private conversation(): Entry[] {
    return conversationBranch((limit) =>
      this.deps.store.branch(this.deps.sessionId, undefined, limit),
    )
  }

  private spillDir(): string {
    const dir = join(this.deps.spillRoot, this.deps.sessionId)
    makePrivateDir(dir)
    return dir
  }

  /** The stored request prefix (`ensureRequestPrefix`): the same bytes on every request. */
  private ensureContext(config: RunConfig): Promise<ContextRecord> {
    const workspaceRoot = this.deps.workspaceRoot
    const skills = discoverSkills({ workspaceRoot, home: this.deps.home })
    this.skillRoots = skillReadRoots(skills)
    const budget = indexBudgetChars(config.contextWindow ?? DEFAULT_CONTEXT_WINDOW)
    return ensureRequestPrefix(
      {
        branch: () => this.deps.store.branch(this.deps.sessionId),
        append: (type, payload) =>
          this.deps.store.appendEntry(this.deps.sessionId, { type, payload }),
        workspaceRoot: this.deps.workspaceRoot,
        ...(this.deps.git ? { git: this.deps.git } : {}),
        os: this.deps.os,
        now: this.deps.now,
        tools: this.runSpecs,
        skills: skillsSection(indexEntries(skills.skills, workspaceRoot), budget),
      },
      config.model,
    )
  }
}
