import { homedir, hostname } from 'node:os'
import type { Database } from 'better-sqlite3'
import type { Cursors, PaddockEvent } from '../../shared/events'
import type { HostInfo } from '../../shared/model'
import type { CallOutcome } from '../../shared/wire'
import type { MethodOutput } from '../../shared/contract'
import { newSecret } from '../core/ids'
import type { Logger } from '../core/logger'
import { openDatabase } from '../sessions/database'
import { LEASE_HEARTBEAT_MS, Leases } from '../sessions/leases'
import { Store } from '../sessions/store'
import { listDirs, resolveWorkspacePath, workspaceName } from '../workspaces/paths'
import type { CallMeta, Handlers } from './dispatcher'
import { createDispatcher } from './dispatcher'
import { EventBus } from './event-bus'
import { APP_VERSION } from '../core/version'
import { join } from 'node:path'
import type { EphemeralEvent } from '../../shared/events'
import { ContractError } from '../../shared/errors'
import { isMidRun, lastTurnEnd } from '../context/history'
import type { StreamFn } from '../providers/types'
import type { AnyTool } from '../tools/types'
import { builtinTools, toolSpecs } from '../tools/registry'
import { createNodeFsOps } from '../tools/node-fs-ops'
import { sanitizedEnv } from '../tools/env'
import { findRipgrep } from '../tools/grep'
import type { Mode } from '../policy/modes'
import type { RunConfig } from '../engine/session-runner'
import { SessionRunner } from '../engine/session-runner'
import { SpendLedger } from '../engine/spend'
import { decide } from '../policy/decide'
import { loadWorkspaceRules } from '../policy/sources'
import type { Rule } from '../policy/rules'
import { Settings } from '../sessions/settings'
import type { SpendCaps } from '../engine/spend'
import type { Pricing } from '../providers/catalog'
import type { ProviderRegistry } from '../providers/registry'
import { createProviderRegistry } from '../providers/registry'
import { FileIndex } from '../workspaces/file-index'
import type { SecretStore } from '../secrets/secret-store'
import { FileSecretStore } from '../secrets/file-secret-store'
import { ModelSwitchPayload } from '../../shared/entries'
import type { Entry } from '../../shared/model'
import { terminalHandlers } from '../shells/handlers'
import { createEngineShells } from '../shells/engine-shells'
import { checkpointHandlers, EngineCheckpoints } from '../checkpoints'
import type { CheckpointFs, WatchBackend } from '../checkpoints'
import { reviewHandlers } from '../review/review-handlers'
import { rewindHandlers } from '../sessions/rewind'

/** Resolves after `ms`, or rejects at once when `signal` aborts. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'))
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(new Error('aborted'))
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** The model a host runs sessions with (per-session choice comes with the settings issue). */
export interface ModelSource {
  /** The canonical model id (catalog key, or the user's own name for an unknown model). */
  model: string
  /** The provider's name for it; default: the canonical id. */
  providerModel?: string
  /** Prices for usage cost and spend caps; absent when unknown. */
  pricing?: Pricing
  stream: StreamFn
}

export interface EngineOptions {
  dataDir: string
  kind: HostInfo['kind']
  logger: Logger
  /** Where `native/` lives (the Electron-ABI SQLite addon); only used inside Electron. */
  appRoot?: string
  home?: string
  now?: () => number
  /** Tail the database for other processes' commits (hosts with live clients want this). */
  watch?: boolean
  /**
   * The model runs use; without one, `session.prompt` answers `no_model`. A function is given the
   * stored settings (network, timeouts) so hosts need not open the database twice to build it.
   */
  model?: ModelSource | null | ((settings: Settings) => ModelSource | null)
  /** The agent's tools (default: the built-in set). */
  tools?: AnyTool[]
  /** Environment for the agent's processes, before secrets are stripped (default: process.env). */
  env?: NodeJS.ProcessEnv
  /** Wait used between retries of a model call; tests inject an instant one. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  maxRetries?: number
  /** Jitter source for retry backoff (tests pin it). */
  random?: () => number
  /** Spend caps in USD, per session and per (UTC) day; each defaults to the stored setting. */
  spendCaps?: SpendCaps
  /** Where provider keys are kept (default: `<dataDir>/secrets.json`, mode 0600). */
  secrets?: SecretStore
  /** Fault injection for tests: the checkpoint stores' filesystem and watcher. */
  checkpoints?: { fs?: CheckpointFs; watch?: WatchBackend | null }
}

/**
 * The engine behind every host: state, persistence and the contract's handlers. It never imports
 * electron; hosts reach it only through `call` and `subscribe`.
 */
export interface Engine {
  readonly info: HostInfo
  readonly db: Database
  readonly store: Store
  call(method: unknown, params: unknown, meta: CallMeta): Promise<CallOutcome>
  /**
   * `client` names the connection (the same id its calls carry in `CallMeta.client`), so output
   * of terminals it attaches reaches this listener.
   */
  subscribe(
    since: Cursors,
    listener: (event: PaddockEvent) => void,
    client?: { id: string },
  ): { replay: PaddockEvent[]; dispose: () => void }
  /** Stop every run this engine drives and wait for each to record how it ended. */
  drain(): Promise<void>
  close(): void
}

const HOLDER_NAMES: Record<HostInfo['kind'], string> = {
  electron: 'the Paddock desktop app',
  web: 'the Paddock web host',
  cli: 'a paddock command',
}

export function createEngine(options: EngineOptions): Engine {
  const now = options.now ?? Date.now
  const home = options.home ?? homedir()
  const { logger } = options
  const db = openDatabase(options.dataDir, { appRoot: options.appRoot })
  let bus: EventBus | null = null
  const store = new Store(db, now, (events) => bus?.committed(events))
  bus = new EventBus(store.events, logger)
  if (options.watch) bus.watchDataDir(options.dataDir)

  const info: HostInfo = {
    version: APP_VERSION,
    kind: options.kind,
    dataDir: options.dataDir,
    platform: process.platform,
    pid: process.pid,
    hostname: hostname(),
  }
  const leases = new Leases(
    db,
    {
      pid: process.pid,
      host: info.hostname,
      holder: HOLDER_NAMES[options.kind],
      token: newSecret(),
    },
    now,
  )
  const heartbeat = setInterval(() => {
    try {
      leases.heartbeat()
    } catch (err) {
      logger.log('warn', 'lease heartbeat failed', { error: String(err) })
    }
  }, LEASE_HEARTBEAT_MS)
  heartbeat.unref()

  // Terminals (issue 7): every session's shells, owned by this host (src/main/shells/).
  const shells = createEngineShells({
    dataDir: options.dataDir,
    logger,
    store,
    bus: () => bus,
    now,
    env: () => registry.withoutKeys(agentEnv),
    settings: () => settings,
  })

  // Checkpoints (issue 8): one store per workspace, snapshots around the agent's steps.
  const checkpoints = new EngineCheckpoints({
    dataDir: options.dataDir,
    home,
    logger,
    now,
    db,
    store,
    settings: new Settings(db),
    append: (id, type, payload) =>
      runners.get(id)?.record(type, payload) ?? store.appendEntry(id, { type, payload }),
    running: () =>
      [...runners.entries()]
        .filter(([, r]) => r.running)
        .map(([id]) => {
          const s = store.getSession(id)
          return { sessionId: id, title: s.title, workspaceId: s.workspaceId }
        }),
    ...options.checkpoints,
  })

  const handlers: Handlers = {
    'host.info': () => info,
    'host.snapshot': () => {
      const read = db.transaction(() => ({
        workspaces: store.listWorkspaces(),
        sessions: store.listSessions(),
        cursors: store.events.heads(),
      }))
      return read.deferred()
    },
    'fs.listDirs': ({ path, showHidden }) => listDirs(path, home, showHidden ?? false),
    'workspaces.list': () => store.listWorkspaces(),
    'workspaces.open': async ({ path }) => {
      const real = await resolveWorkspacePath(path, home)
      const ws = store.openWorkspace(real, workspaceName(real))
      logger.log('info', 'workspace opened', { path: real, id: ws.id })
      return ws
    },
    'workspaces.trust': ({ workspaceId, trusted }) => store.setTrusted(workspaceId, trusted),
    'workspaces.close': ({ workspaceId }) => {
      store.closeWorkspace(workspaceId)
      return { workspaceId }
    },
    'sessions.list': ({ workspaceId }) => store.listSessions(workspaceId),
    'sessions.create': ({ workspaceId, title }) => store.createSession(workspaceId, title),
    'sessions.rename': ({ sessionId, title }) => store.renameSession(sessionId, title),
    'sessions.delete': async ({ sessionId }) => {
      const { workspaceId } = store.getSession(sessionId)
      store.deleteSession(sessionId, (s) => leases.assertNotHeldByOther(s.id, s.title))
      shells.manager.deleteSession(sessionId)
      await checkpoints.deleteSession(sessionId, workspaceId)
      return { sessionId }
    },
    'sessions.activity': () => {
      const summary = store.activity()
      return store.listSessions().map((s) => {
        const a = summary.get(s.id)
        return {
          sessionId: s.id,
          running: runners.get(s.id)?.running ?? false,
          pendingApprovals: a?.pendingApprovals ?? [],
          lastStop: (a?.lastStop ?? null) as MethodOutput<'sessions.activity'>[number]['lastStop'],
        }
      })
    },
    'sessions.lease': ({ sessionId }) => {
      const session = store.getSession(sessionId)
      return leases.acquire(sessionId, session.title)
    },
    'sessions.release': ({ sessionId }) => {
      leases.release(sessionId)
      return { sessionId }
    },
    'sessions.entries': ({ sessionId, leafId, limit }) => store.branch(sessionId, leafId, limit),
    'session.prompt': ({ sessionId, text, mode, model, maxTurns }) => {
      const runner = runnerFor(sessionId)
      const config = runConfig(sessionId, mode, maxTurns, model)
      void runner.prompt(text, config)
      return { started: true as const }
    },
    'session.continue': ({ sessionId, mode, model, maxTurns, approveSpend }) => {
      const runner = runnerFor(sessionId)
      const config = runConfig(sessionId, mode, maxTurns, model)
      if (approveSpend && spend.check(sessionId, now())) {
        store.appendEntry(sessionId, {
          type: 'approval',
          payload: spend.approval(sessionId, now()),
        })
      }
      void runner.continue(config)
      return { started: true as const }
    },
    'session.steer': ({ sessionId, text }) => {
      existingRunner(sessionId).steer(text)
      return { queued: 'steer' as const }
    },
    'session.followUp': ({ sessionId, text }) => {
      existingRunner(sessionId).followUp(text)
      return { queued: 'follow_up' as const }
    },
    'session.abort': ({ sessionId }) => {
      const runner = runners.get(sessionId)
      const aborted = runner?.running ?? false
      runner?.abort()
      return { aborted }
    },
    'session.answerApproval': ({ sessionId, approvalId, answer, feedback, editedContent }) => {
      const live = runners.get(sessionId)
      if (live && !live.approvals.restoredRequest(approvalId)) {
        return { settled: live.approvals.answer(approvalId, answer, feedback, editedContent) }
      }
      if (editedContent !== undefined) {
        throw new ContractError(
          'invalid_params',
          'This approval was asked before a restart: approve it as proposed, or reject it with feedback.',
        )
      }
      // Asked before a restart (or by a process that is gone): this process takes the session
      // over, records the answer, and resumes the run in the mode that asked.
      const runner = runnerFor(sessionId)
      const request = runner.approvals.restoredRequest(approvalId)
      if (!request) return { settled: runner.approvals.answer(approvalId, answer, feedback) }
      const run = runner.resumeApproval(
        approvalId,
        answer,
        feedback,
        runConfig(sessionId, request.mode, undefined),
      )
      void run
      return { settled: [approvalId] }
    },
    'policy.preview': ({ workspaceId, mode, tool, arguments: args, sessionId }) => {
      const workspace = store.getWorkspace(workspaceId)
      const base = [...userRules(), ...workspaceRulesOf(workspace.id)]
      const rules = (sessionId ? runners.get(sessionId)?.approvals.rules() : undefined) ?? base
      const d = decide(tool, args, { mode, workspaceRoot: workspace.path, rules })
      return {
        action: d.action,
        reason: d.reason,
        rule: d.rule
          ? {
              tool: d.rule.tool,
              pattern: d.rule.pattern,
              action: d.rule.action,
              source: d.rule.source,
            }
          : null,
        ...(d.subcommands
          ? {
              subcommands: d.subcommands.map((s) => ({
                text: s.text,
                action: s.action,
                risky: s.risky,
                reason: s.reason,
              })),
            }
          : {}),
      }
    },
    'session.status': ({ sessionId }) => {
      const branch = store.branch(sessionId)
      const lastStop = lastTurnEnd(branch)
      const model = sessionModel(branch) ?? registry.defaultRef()
      return {
        running: runners.get(sessionId)?.running ?? false,
        canContinue: (lastStop !== null && lastStop.reason !== 'done') || isMidRun(branch),
        lastStop,
        usage: spend.sessionUsage(sessionId),
        model,
        context: {
          usedTokens: lastPromptTokens(branch),
          windowTokens: model ? registry.contextWindow(model) : null,
        },
      }
    },
    'workspace.files': ({ workspaceId, query, limit }) => {
      const workspace = store.getWorkspace(workspaceId)
      return fileIndex.search(workspace.path, query, limit ?? 50)
    },
    'models.list': () => registry.models(),
    'models.setDefault': ({ ref }) => ({ defaultModel: registry.setDefault(ref) }),
    'providers.list': () => registry.list(),
    'providers.save': (params) => registry.save(params),
    'providers.remove': ({ name }) => {
      registry.remove(name)
      return { name }
    },
    'providers.test': (params) => registry.test(params),
    'providers.detectLocal': () => registry.detectLocal(),
    ...terminalHandlers(shells.manager),
    ...checkpointHandlers(checkpoints),
    ...reviewHandlers({
      workspaceRoot: (id) => store.getWorkspace(id).path,
      sessionWorkspaceRoot: (id) => store.getWorkspace(store.getSession(id).workspaceId).path,
      checkpoint: async (sessionId) =>
        (await handlers['checkpoints.create']({ sessionId }, { transport: 'review' })).id,
      append: (id, type, payload) =>
        runners.get(id)?.record(type, payload) ?? store.appendEntry(id, { type, payload }),
    }),
    // Rewind (issue 9): conversation branches, forks, and files + conversation restores.
    ...rewindHandlers({
      store,
      running: (id) => runners.get(id)?.running ?? false,
      restoreFiles: async (p) => handlers['checkpoints.restore'](p, { transport: 'engine' }),
      undoFiles: async (p) => handlers['checkpoints.undoRestore'](p, { transport: 'engine' }),
    }),
  }
  const tools = options.tools ?? builtinTools()
  const specs = toolSpecs(tools)
  const fsOps = createNodeFsOps()
  const agentEnv = sanitizedEnv(options.env ?? process.env)
  const ripgrepPath = findRipgrep(options.env ?? process.env)
  const runners = new Map<string, SessionRunner>()

  const settings = new Settings(db)
  const perSessionUsd = options.spendCaps?.perSessionUsd ?? settings.get('spend.perSessionUsd')
  const perDayUsd = options.spendCaps?.perDayUsd ?? settings.get('spend.perDayUsd')
  const spend = new SpendLedger(db, {
    ...(perSessionUsd !== undefined ? { perSessionUsd } : {}),
    ...(perDayUsd !== undefined ? { perDayUsd } : {}),
  })
  const hostModel =
    (typeof options.model === 'function' ? options.model(settings) : options.model) ?? null
  const registry: ProviderRegistry = createProviderRegistry({
    settings,
    hostModel,
    secrets: options.secrets ?? new FileSecretStore(options.dataDir, logger),
    env: options.env ?? process.env,
    logger,
    dataDir: options.dataDir,
  })
  const fileIndex = new FileIndex(fsOps)

  /** The user's own rules (settings), above the mode's and below the workspace's. */
  function userRules(): Rule[] {
    try {
      return (settings.get('permissions.rules') ?? []).map((r) => ({
        ...r,
        source: 'user' as const,
      }))
    } catch (err) {
      logger.log('warn', 'permission rules in settings are unreadable', { error: String(err) })
      return []
    }
  }

  function workspaceRulesOf(workspaceId: string): Rule[] {
    const ws = store.getWorkspace(workspaceId)
    const loaded = loadWorkspaceRules(ws.path, ws.trusted)
    if (loaded.ignored)
      logger.log('info', 'workspace rules not applied', { reason: loaded.ignored })
    return loaded.rules
  }

  function runConfig(
    sessionId: string,
    mode: Mode | undefined,
    maxTurns: number | undefined,
    model?: string,
  ): RunConfig {
    const current = sessionModel(store.branch(sessionId))
    const ref = model ?? current ?? registry.defaultRef()
    const source = registry.resolve(ref)
    // A model picked for this session (not the default it fell back to) is recorded, so the
    // session keeps it and the log says from where on it ran with which model.
    if (model && model !== current) {
      store.appendEntry(sessionId, { type: 'model_switch', payload: { ref: model, from: current } })
    }
    return {
      stream: source.stream,
      model: source.model,
      providerModel: source.providerModel ?? source.model,
      ...(source.pricing ? { pricing: source.pricing } : {}),
      checkSpend: () => spend.check(sessionId, now()),
      mode: mode ?? 'ask',
      maxTurns: maxTurns ?? 50,
    }
  }

  /** The model ref the session last switched to on its branch; null when it never picked one. */
  function sessionModel(branch: Entry[]): string | null {
    for (let i = branch.length - 1; i >= 0; i--) {
      const e = branch[i]!
      if (e.type !== 'model_switch') continue
      const p = ModelSwitchPayload.safeParse(e.payload)
      if (p.success) return p.data.ref
    }
    return null
  }

  /** Tokens the last model call's prompt took (what the next request starts from). */
  function lastPromptTokens(branch: Entry[]): number {
    for (let i = branch.length - 1; i >= 0; i--) {
      const e = branch[i]!
      if (e.type !== 'assistant_message') continue
      const u = (e.payload as { usage?: Record<string, number> }).usage
      if (!u) continue
      return (
        (u.inputTokens ?? 0) +
        (u.cacheReadTokens ?? 0) +
        (u.cacheWriteTokens ?? 0) +
        (u.outputTokens ?? 0)
      )
    }
    return 0
  }

  /** The runner of a session this process drives, taking the session's lease first. */
  function runnerFor(sessionId: string): SessionRunner {
    const session = store.getSession(sessionId)
    leases.acquire(sessionId, session.title)
    let runner = runners.get(sessionId)
    if (!runner) {
      const workspace = store.getWorkspace(session.workspaceId)
      runner = new SessionRunner({
        store,
        sessionId,
        workspaceRoot: workspace.path,
        tools,
        toolSpecs: specs,
        fs: fsOps,
        env: registry.withoutKeys(agentEnv),
        ripgrepPath,
        spillRoot: join(options.dataDir, 'spill'),
        logger,
        emit: (id, draft) =>
          bus?.publishEphemeral({
            ...draft,
            sessionId: id,
            at: now(),
            ephemeral: true,
          } as Omit<EphemeralEvent, 'seq'>),
        now,
        sleep: options.sleep ?? abortableSleep,
        random: options.random ?? Math.random,
        maxRetries: options.maxRetries ?? 4,
        os: `${process.platform} (${process.arch})`,
        workspaceRules: () => [...userRules(), ...workspaceRulesOf(session.workspaceId)],
        shell: shells.manager.agentShell(sessionId),
        checkpoints: checkpoints.forSession(sessionId),
      })
      runners.set(sessionId, runner)
    }
    return runner
  }

  function existingRunner(sessionId: string): SessionRunner {
    const runner = runners.get(sessionId)
    if (!runner?.running) {
      store.getSession(sessionId)
      throw new ContractError('nothing_to_continue', 'The agent is not running in this session.')
    }
    return runner
  }

  const dispatch = createDispatcher(handlers, logger)
  let closed = false

  return {
    info,
    db,
    store,
    call: (method, params, meta) => dispatch(method, params, meta),
    subscribe: (since, listener, client) =>
      shells.subscribe(bus!.subscribe(since, listener), listener, client),
    async drain() {
      // Stopping the host: runs end as interrupted, open approval questions stay open.
      for (const r of runners.values()) r.suspend()
      await Promise.all([...runners.values()].map((r) => r.settled()))
      await checkpoints.close()
    },
    close() {
      if (closed) return
      closed = true
      for (const r of runners.values()) r.suspend()
      clearInterval(heartbeat)
      void checkpoints.close(true)
      shells.manager.shutdown()
      bus?.close()
      try {
        leases.releaseAll()
      } catch (err) {
        logger.log('warn', 'could not release leases', { error: String(err) })
      }
      db.close()
    },
  }
}
