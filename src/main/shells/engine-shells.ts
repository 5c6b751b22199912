import type { EphemeralEvent, PaddockEvent } from '../../shared/events'
import type { Logger } from '../core/logger'
import type { SandboxMode } from '../sandbox/policy'
import { SessionSandboxes } from '../sandbox/session-sandbox'
import type { EventBus } from '../host/event-bus'
import type { Settings } from '../sessions/settings'
import type { Store } from '../sessions/store'
import type { TerminalDraft } from './fanout'
import { ShellManager } from './shell-manager'

export interface EngineShellsOptions {
  dataDir: string
  logger: Logger
  store: Store
  bus: EventBus
  now: () => number
  /** The agent's environment (keys and secrets already removed). */
  env: () => Record<string, string>
  settings: Settings
  home: string
  /** The sandbox mode for every session of this host, over the setting (`paddock run --sandbox`). */
  sandboxMode?: SandboxMode
  platform?: NodeJS.Platform
}

type Subscription = { replay: PaddockEvent[]; dispose: () => void }

/**
 * The engine's wiring of its shell manager, kept here so engine.ts stays a list of one-liners:
 * events go through the bus, sessions and settings come from the store.
 */
export function createEngineShells(opts: EngineShellsOptions): {
  manager: ShellManager
  sandboxes: SessionSandboxes
  /** A session was deleted: end its shells (and all they started) and drop its private /tmp. */
  deleteSession(sessionId: string): void
  /** Register a connection's subscription as a terminal client (when it names one). */
  subscribe(
    sub: Subscription,
    listener: (event: PaddockEvent) => void,
    client?: { id: string },
  ): Subscription
} {
  const event = (sessionId: string, draft: TerminalDraft): Omit<EphemeralEvent, 'seq'> =>
    ({ ...draft, sessionId, at: opts.now(), ephemeral: true }) as Omit<EphemeralEvent, 'seq'>

  const platform = opts.platform ?? process.platform
  const sandboxes = new SessionSandboxes({
    dataDir: opts.dataDir,
    home: opts.home,
    platform,
    arch: process.arch,
    settings: () => {
      const mode = opts.settings.read('sandbox.mode', opts.logger)
      const network = opts.settings.read('sandbox.network', opts.logger)
      return { ...(mode ? { mode } : {}), ...(network ? { network } : {}) }
    },
    ...(opts.sandboxMode ? { override: opts.sandboxMode } : {}),
    // Parallel sessions stay out of each other's worktrees.
    otherFolders: (sessionId) =>
      opts.store
        .listSessions()
        .filter((s) => s.id !== sessionId && s.worktree?.path)
        .map((s) => s.worktree!.path),
  })
  const manager = new ShellManager({
    platform,
    sandbox: (sessionId, root, cwd, file, args) => sandboxes.wrap(sessionId, root, cwd, file, args),
    confinement: (sessionId, root) => sandboxes.confinement(sessionId, root),
    dataDir: opts.dataDir,
    logger: opts.logger,
    env: opts.env,
    now: opts.now,
    // A worktree session's shell starts in its worktree.
    workspaceOf: (sessionId) => opts.store.sessionRoot(sessionId).path,
    settings: () => {
      const s = opts.settings
      const scrollbackLines = s.read('terminals.scrollbackLines', opts.logger)
      const shell = s.read('terminals.shell', opts.logger)
      return {
        ...(scrollbackLines !== undefined ? { scrollbackLines } : {}),
        ...(shell !== undefined ? { shell } : {}),
      }
    },
    publish: (sessionId, draft) => opts.bus.publishEphemeral(event(sessionId, draft)),
    stamp: (sessionId, draft) => opts.bus.stamp(event(sessionId, draft)),
  })
  return {
    manager,
    sandboxes,
    deleteSession(sessionId) {
      manager.deleteSession(sessionId)
      sandboxes.forget(sessionId)
    },
    subscribe(sub, listener, client) {
      if (!client) return sub
      const disconnect = manager.connect({ id: client.id, send: listener })
      return {
        replay: sub.replay,
        dispose: () => {
          disconnect()
          sub.dispose()
        },
      }
    },
  }
}
