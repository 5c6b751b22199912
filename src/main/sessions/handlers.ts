import type { MethodOutput, MethodParams } from '../../shared/contract'
import type { Session } from '../../shared/model'
import type { Handlers } from '../host/dispatcher'
import type { Leases } from './leases'
import type { Store } from './store'

type SessionMethod =
  | 'sessions.list'
  | 'sessions.create'
  | 'sessions.rename'
  | 'sessions.delete'
  | 'sessions.activity'
  | 'sessions.lease'
  | 'sessions.release'
  | 'sessions.entries'

export interface SessionHandlerDeps {
  store: Store
  leases: Leases
  /** The session's agent is running in this process. */
  isRunning: (sessionId: string) => boolean
  /** Once this process holds the lease: mark a run a dead process left mid-way as interrupted. */
  recoverDeadRun: (sessionId: string) => void
  /** What else a deleted session leaves behind: its shells, its checkpoints. */
  deleteShells: (sessionId: string) => void
  deleteCheckpoints: (sessionId: string, workspaceId: string) => Promise<void>
  /** A session in place or in a new worktree (see `SessionWorktrees.create`). */
  createSession: (input: MethodParams<'sessions.create'>) => Promise<Session>
  /** Delete a worktree session: save its work, remove its folder, hide it for a restore. */
  deleteWorktreeSession: (sessionId: string, force: boolean) => Promise<void>
}

/** The contract's methods over the session list, leases and logs. */
export function sessionHandlers(deps: SessionHandlerDeps): Pick<Handlers, SessionMethod> {
  const { store, leases } = deps
  return {
    'sessions.list': ({ workspaceId }) => store.listSessions(workspaceId),
    'sessions.create': (input) => deps.createSession(input),
    'sessions.rename': ({ sessionId, title }) => store.renameSession(sessionId, title),
    'sessions.delete': async ({ sessionId, force }) => {
      const { workspaceId, worktree } = store.getSession(sessionId)
      if (worktree) {
        await deps.deleteWorktreeSession(sessionId, force === true)
        return { sessionId }
      }
      store.deleteSession(sessionId, (s) => leases.assertNotHeldByOther(s.id, s.title))
      deps.deleteShells(sessionId)
      await deps.deleteCheckpoints(sessionId, workspaceId)
      return { sessionId }
    },
    'sessions.activity': () => {
      const summary = store.activity()
      return store.listSessions().map((s) => {
        const a = summary.get(s.id)
        return {
          sessionId: s.id,
          running: deps.isRunning(s.id),
          pendingApprovals: a?.pendingApprovals ?? [],
          lastStop: (a?.lastStop ?? null) as MethodOutput<'sessions.activity'>[number]['lastStop'],
        }
      })
    },
    'sessions.lease': ({ sessionId }) => {
      const session = store.getSession(sessionId)
      const lease = leases.acquire(sessionId, session.title)
      deps.recoverDeadRun(sessionId)
      return lease
    },
    'sessions.release': ({ sessionId }) => {
      leases.release(sessionId)
      return { sessionId }
    },
    'sessions.entries': ({ sessionId, leafId, limit }) => store.branch(sessionId, leafId, limit),
  }
}
