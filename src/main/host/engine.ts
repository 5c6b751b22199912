import { homedir, hostname } from 'node:os'
import { HOST_STREAM } from '../../shared/events'
import type { HostInfo } from '../../shared/model'
import { EngineCheckpoints, checkpointHandlers, checkpointService, fileGate } from '../checkpoints'
import { newSecret } from '../core/ids'
import { prepareDataDir } from '../core/private-files'
import { abortableSleep } from '../core/sleep'
import { APP_VERSION } from '../core/version'
import { contextSettings } from '../engine/compactor'
import { loopSettings } from '../engine/loop-detect'
import { fallbackSettings } from '../engine/fallback'
import { runHandlers } from '../engine/handlers'
import { LiveRunners } from '../engine/live-runners'
import { Runs } from '../engine/runs'
import { SpendLedger, spendCapsNow } from '../engine/spend'
import { policyHandlers, ruleSources } from '../policy/handlers'
import { providerHandlers } from '../providers/handlers'
import { createProviderRegistry } from '../providers/registry'
import { reviewHandlers } from '../review/review-handlers'
import { FileSecretStore } from '../secrets/file-secret-store'
import { attachmentHandlers } from '../sessions/attachments'
import { openDatabase } from '../sessions/database'
import { EventLog } from '../sessions/event-log'
import { sessionHandlers } from '../sessions/handlers'
import { LayoutStore, layoutHandlers } from '../sessions/layout-store'
import { LEASE_HEARTBEAT_MS, Leases } from '../sessions/leases'
import { quirksHandlers } from '../sessions/quirks'
import { rewindHandlers } from '../sessions/rewind'
import { sandboxHandlers } from '../sandbox/handlers'
import { Settings } from '../sessions/settings'
import { settingsHandlers } from '../sessions/settings-handlers'
import { Store } from '../sessions/store'
import { createEngineShells } from '../shells/engine-shells'
import { terminalHandlers } from '../shells/handlers'
import { sanitizedEnv } from '../tools/env'
import { findRipgrep } from '../tools/grep'
import { createNodeFsOps } from '../tools/node-fs-ops'
import { builtinTools } from '../tools/registry'
import { McpBroker } from '../mcp/broker'
import { mcpHandlers } from '../mcp/handlers'
import { FileIndex } from '../workspaces/file-index'
import { workspaceHandlers } from '../workspaces/handlers'
import { draftCommitMessage } from '../worktrees/draft-message'
import { createEngineWorktrees } from '../worktrees/engine-worktrees'
import type { Handlers } from './dispatcher'
import { createDispatcher } from './dispatcher'
import { EventBus } from './event-bus'
import type { Engine, EngineOptions } from './engine-types'
import { hostHandlers } from './handlers'
import { doctorHandlers } from '../doctor/handlers'
import { skillHandlers } from '../skills/handlers'

export type { Engine, EngineOptions }

const HOLDER_NAMES: Record<HostInfo['kind'], string> = {
  electron: 'the Paddock desktop app',
  web: 'the Paddock web host',
  cli: 'a paddock command',
}

/** Build the engine: construct each part once, in dependency order, and connect them. */
export function createEngine(options: EngineOptions): Engine {
  const now = options.now ?? Date.now
  const home = options.home ?? homedir()
  const env = options.env ?? process.env
  const { logger, dataDir } = options

  // Storage: the (owner-only) data folder, the database, its event log and the bus that announces
  // what was committed.
  prepareDataDir(dataDir, logger)
  const db = openDatabase(dataDir, { appRoot: options.appRoot })
  const events = new EventLog(db)
  const bus = new EventBus(events, logger)
  const store = new Store(db, now, (committed) => bus.committed(committed), events)
  if (options.watch) bus.watchDataDir(dataDir)
  const settings = new Settings(db)

  const info: HostInfo = {
    version: APP_VERSION,
    kind: options.kind,
    dataDir,
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

  // Models and spend.
  const spend = new SpendLedger(db, () => spendCapsNow(options.spendCaps, settings, logger))
  const secrets = options.secrets ?? new FileSecretStore(dataDir, logger)
  const hostModel =
    (typeof options.model === 'function' ? options.model(settings) : options.model) ?? null
  const registry = createProviderRegistry({
    settings,
    hostModel,
    ...(options.hostFallbacks ? { hostFallbacks: options.hostFallbacks(settings) } : {}),
    secrets,
    env,
    logger,
    dataDir,
    commit: (change) =>
      store.write((emit) => {
        const result = change()
        emit({ type: 'providers.changed', sessionId: HOST_STREAM })
        return result
      }),
  })

  // What the agent works with: files, tools, its environment (never a key), rules, shells.
  const fsOps = createNodeFsOps()
  const fileIndex = new FileIndex(fsOps)
  const agentEnv = (): Record<string, string> =>
    sanitizedEnv(env, {
      ...registry.heldKeys(),
      passEnv: settings.read('agent.passEnv', logger, 'no variable is passed through') ?? [],
    })
  const rules = ruleSources({ settings, store, logger })
  // MCP servers: one broker for the host; a server's environment keeps the user's tokens (no
  // name rule) but never Paddock's keys or the values of its secrets.
  const mcp = new McpBroker({
    // Run when a server starts, once the shells (below) exist.
    sandbox: (server, root, command, args) =>
      shells.sandboxes.wrapServer(server, root, command, args),
    settings,
    secrets,
    logger,
    serverEnv: () => sanitizedEnv(env, registry.heldKeys(), { namePatterns: false }),
    onChange: () =>
      bus.publishEphemeral({
        type: 'mcp.changed',
        sessionId: HOST_STREAM,
        at: now(),
        ephemeral: true,
      }),
    now,
    ...(options.mcpBackoffMs ? { backoffMs: options.mcpBackoffMs } : {}),
    ...(options.openAuthorization ? { openAuthorization: options.openAuthorization } : {}),
  })
  const shells = createEngineShells({
    dataDir,
    logger,
    store,
    bus,
    now,
    env: agentEnv,
    settings,
    home,
    ...(options.sandboxMode ? { sandboxMode: options.sandboxMode } : {}),
  })

  // Runs and checkpoints: the live runners first, since checkpoints append through them.
  const live = new LiveRunners(store)
  const checkpoints = new EngineCheckpoints({
    dataDir,
    home,
    logger,
    now,
    db,
    store,
    settings,
    append: (id, type, payload) => live.record(id, type, payload),
    running: () => live.running(),
    holderName: HOLDER_NAMES[options.kind],
    ...options.checkpoints,
    // Test hook: a holder made slow deterministically (it waits for this file to exist).
    ...(env.PADDOCK_TEST_FOREIGN_CHECKPOINT_GATE
      ? { foreignGate: fileGate(env.PADDOCK_TEST_FOREIGN_CHECKPOINT_GATE) }
      : {}),
  })
  // Runs other processes drive in a workspace whose store this one holds get checkpoints here.
  // From the streams' current heads: live events only, nothing of the past is read back.
  bus.subscribe(events.heads(), (event) => {
    if (event.type === 'entry.appended') checkpoints.noticeEntry(event.sessionId, event.entry)
  })
  const checkpointOps = checkpointService(checkpoints)
  const runs = new Runs({
    dataDir,
    home,
    store,
    leases,
    live,
    registry,
    spend,
    logger,
    now,
    tools: options.tools ?? builtinTools(),
    fs: fsOps,
    agentEnv,
    ripgrepPath: findRipgrep(env),
    publish: (event) => bus.publishEphemeral(event),
    sleep: options.sleep ?? abortableSleep,
    random: options.random ?? Math.random,
    maxRetries: options.maxRetries ?? 4,
    rulesFor: (workspaceId) => rules.forWorkspace(workspaceId),
    mcpOffer: (workspaceId, contextWindow) => {
      const ws = store.getWorkspace(workspaceId)
      return mcp.offer({ root: ws.path, trusted: ws.trusted }, contextWindow)
    },
    shellFor: (sessionId) => shells.manager.agentShell(sessionId),
    checkpointsFor: (sessionId) => checkpoints.forSession(sessionId),
    contextSettings: () => contextSettings(settings, logger),
    loopSettings: () => loopSettings(settings, logger),
    fallbackSettings: () => fallbackSettings(settings, logger),
    ...(options.compactionStallMs !== undefined
      ? { compactionStallMs: options.compactionStallMs }
      : {}),
  })

  // Sessions in git worktrees: creation, the git flow home, deletes that can be undone, the radar.
  const worktrees = createEngineWorktrees({
    store,
    leases,
    settings,
    dataDir,
    home,
    logger,
    now,
    isRunning: (id) => live.isRunning(id),
    shellFor: (id) => shells.manager.agentShell(id),
    deleteShells: (id) => shells.deleteSession(id),
    closeStore: (storeId) => checkpoints.stores.close(storeId),
    publish: (event) => bus.publishEphemeral(event),
    prompt: async (sessionId, text) => {
      await handlers['sessions.prompt']({ sessionId, text }, { transport: 'engine' })
    },
    draft: (sessionId, diff) =>
      draftCommitMessage(runs.plan(sessionId, undefined, undefined).config, diff),
  })
  if (options.kind !== 'cli')
    void worktrees
      .start()
      .catch((err: unknown) =>
        logger.log('warn', 'worktree recovery at start failed', { error: String(err) }),
      )

  const handlers: Handlers = {
    ...hostHandlers({ info, db, store }),
    ...doctorHandlers({ dataDir, env, loginPath: options.loginPath ?? null, now }),
    ...workspaceHandlers({ store, fileIndex, logger, home }),
    ...sessionHandlers({
      store,
      leases,
      isRunning: (id) => live.isRunning(id),
      recoverDeadRun: (id) => runs.recoverDeadRun(id),
      deleteShells: (id) => shells.deleteSession(id),
      deleteCheckpoints: (id, workspaceId) => checkpoints.deleteSession(id, workspaceId),
      createSession: (input) => worktrees.createSession(input),
      deleteWorktreeSession: (id, force) => worktrees.deleteWorktreeSession(id, force),
    }),
    ...worktrees.handlers,
    ...runHandlers({
      store,
      runs,
      live,
      registry,
      spend,
      now,
      settings: () => contextSettings(settings, logger),
    }),
    ...policyHandlers({
      store,
      home,
      dataDir,
      rules,
      sessionRules: (id) => live.get(id)?.approvals.rules(),
    }),
    ...providerHandlers(registry),
    ...quirksHandlers({ store }),
    ...settingsHandlers(settings),
    ...mcpHandlers({ broker: mcp, settings, secrets, store }),
    ...layoutHandlers(new LayoutStore(db, now, logger)),
    ...skillHandlers({ workspaceRoot: (id) => store.getWorkspace(id).path, home }),
    ...sandboxHandlers(shells.sandboxes),
    ...terminalHandlers(shells.manager),
    ...checkpointHandlers(checkpoints),
    ...reviewHandlers({
      workspaceRoot: (id) => store.getWorkspace(id).path,
      sessionWorkspaceRoot: (id) => store.sessionRoot(id).path,
      checkpoint: async (id) => (await checkpointOps.create(id)).id,
      append: (id, type, payload) => live.record(id, type, payload),
      fs: fsOps,
    }),
    ...attachmentHandlers({
      sessionWorkspaceRoot: (id) => store.sessionRoot(id).path,
      fs: fsOps,
      now,
    }),
    ...rewindHandlers({
      store,
      running: (id) => live.isRunning(id),
      restoreFiles: (p) => checkpointOps.restore(p),
      undoFiles: (p) => checkpointOps.undoRestore(p),
    }),
  }
  const dispatch = createDispatcher(handlers, logger)
  let closed = false

  return {
    info,
    db,
    store,
    call: (method, params, meta) => dispatch(method, params, meta),
    subscribe: (since, listener, client) =>
      shells.subscribe(bus.subscribe(since, listener), listener, client),
    async drain() {
      // Stopping the host: runs end as interrupted, open approval questions stay open.
      live.suspendAll()
      await live.settled()
      await checkpoints.close()
      await mcp.close()
    },
    close() {
      if (closed) return
      closed = true
      live.suspendAll()
      clearInterval(heartbeat)
      worktrees.stop()
      void checkpoints.close(true)
      shells.manager.shutdown()
      void mcp.close()
      bus.close()
      try {
        leases.releaseAll()
      } catch (err) {
        logger.log('warn', 'could not release leases', { error: String(err) })
      }
      db.close()
    },
  }
}
