/**
 * Worktree sessions in the engine: built once by `createEngine`, from the parts it
 * already has. At start (desktop app and web host; a CLI command does it for the repositories it
 * touches) half-made worktrees are removed, the worktrees of sessions whose folders were removed
 * by hand are pruned, and deleted
 * sessions past 30 days are dropped.
 */
import { join } from 'node:path'
import type { RadarState } from '../../shared/contract'
import { HOST_STREAM } from '../../shared/events'
import type { EphemeralEvent } from '../../shared/events'
import type { Logger } from '../core/logger'
import type { Leases } from '../sessions/leases'
import type { Settings } from '../sessions/settings'
import type { Store } from '../sessions/store'
import type { AgentShell } from '../shells/agent-shell'
import { recoverWorktrees } from './create'
import { gitHandlers } from './git-handlers'
import type { GitHandlerDeps } from './git-handlers'
import { worktreeHandlers, worktreeSessionOps } from './handlers'
import { gitExit } from './git'
import { RadarService } from './radar-service'
import { SessionWorktrees } from './session-worktrees'
import { SetupRunner } from './setup-runner'

export interface EngineWorktreesDeps {
  store: Store
  leases: Leases
  settings: Settings
  dataDir: string
  home: string
  logger: Logger
  now: () => number
  isRunning: (sessionId: string) => boolean
  shellFor: (sessionId: string) => AgentShell
  deleteShells: (sessionId: string) => void
  closeStore: (storeId: string) => Promise<void>
  publish: (event: Omit<EphemeralEvent, 'seq'>) => void
  /** Tell a session's agent something (the "ask the agent to resolve" prompt). */
  prompt: GitHandlerDeps['prompt']
  /** A commit message drafted by the session's model. */
  draft: GitHandlerDeps['draft']
  gitBin?: string
}

export function createEngineWorktrees(deps: EngineWorktreesDeps): {
  handlers: ReturnType<typeof worktreeHandlers> & ReturnType<typeof gitHandlers>
  createSession: ReturnType<typeof worktreeSessionOps>['createSession']
  deleteWorktreeSession: ReturnType<typeof worktreeSessionOps>['deleteWorktreeSession']
  /** Recovery, pruning and expiry over the open workspaces; the radar's timer. */
  start: () => Promise<void>
  stop: () => void
} {
  const { store, logger } = deps
  const dir = (): string | undefined => {
    const set = deps.settings.read('worktrees.dir', logger, 'the default folder is used')
    // `~/…` is the user's home, as a shell would read it.
    return set?.replace(/^~(?=$|[\\/])/, deps.home)
  }
  const sessions = new SessionWorktrees({
    store,
    logger,
    now: deps.now,
    dir,
    dataDir: deps.dataDir,
    ...git(deps),
  })
  const setup = new SetupRunner({
    shellFor: deps.shellFor,
    spillDir: join(deps.dataDir, 'spill'),
    logger,
    changed: (sessionId, state) =>
      deps.publish({
        type: 'worktree.setup',
        sessionId,
        at: deps.now(),
        ephemeral: true,
        setup: state,
      } as Omit<EphemeralEvent, 'seq'>),
  })
  const radar = new RadarService({
    sessions: () => store.listSessions(),
    repoRootOf: (id) => {
      try {
        return sessions.worktreeOf(id)?.repoRoot ?? null
      } catch {
        return null
      }
    },
    isRunning: deps.isRunning,
    publish: (state: RadarState) =>
      deps.publish({
        type: 'worktrees.radar',
        sessionId: HOST_STREAM,
        at: deps.now(),
        ephemeral: true,
        radar: state,
      } as Omit<EphemeralEvent, 'seq'>),
    logger,
    // The engine's clock: the 5 s throttle and `checkedAt` follow the host's (and a test's) time.
    now: deps.now,
  })
  const common = {
    store,
    leases: deps.leases,
    sessions,
    dataDir: deps.dataDir,
    logger,
    isRunning: deps.isRunning,
    dir,
    ...git(deps),
  }
  const handlerDeps = {
    ...common,
    deleteShells: (id: string) => {
      deps.deleteShells(id)
      setup.forget(id)
    },
    closeStore: deps.closeStore,
    runSetup: (id: string, command: string, trusted: boolean) =>
      void (trusted ? setup.run(id, command) : setup.skip(id, command)),
    refreshRadar: () => radar.refresh(),
  }
  const ops = worktreeSessionOps(handlerDeps)
  const handlers = {
    ...worktreeHandlers(handlerDeps),
    ...gitHandlers({
      ...common,
      setupState: (id) => setup.state(id),
      prompt: deps.prompt,
      draft: deps.draft,
      refreshRadar: () => void radar.refresh().catch(() => undefined),
    }),
  }
  return {
    handlers,
    createSession: ops.createSession,
    deleteWorktreeSession: ops.deleteWorktreeSession,
    async start() {
      for (const ws of store.listWorkspaces()) {
        try {
          const recovered = await recoverWorktrees(ws.path, deps.gitBin)
          // Git forgets the worktrees of Paddock's sessions whose folders were removed by hand
          // (their sessions say so); the user's own worktrees are left to the Prune button, since
          // one on an unmounted drive is not gone.
          const pruned: string[] = []
          for (const s of store.listSessions(ws.id)) {
            if (!s.worktree?.missing || s.worktree.path === '') continue
            const r = await gitExit(
              ['worktree', 'remove', '--force', '--force', '--', s.worktree.path],
              { cwd: ws.path, ...(deps.gitBin ? { bin: deps.gitBin } : {}) },
            )
            if (r.code === 0) pruned.push(s.worktree.path)
          }
          if (recovered.removed.length > 0 || pruned.length > 0)
            logger.log('info', 'worktrees recovered at start', {
              workspace: ws.id,
              removed: recovered.removed.map((r) => r.path),
              pruned,
            })
        } catch {
          // Not a repository, or no git: nothing of Paddock's can be there.
        }
      }
      await ops.expire()
      radar.start()
    },
    stop: () => radar.stop(),
  }
}

function git(deps: { gitBin?: string }): { gitBin?: string } {
  return deps.gitBin ? { gitBin: deps.gitBin } : {}
}
