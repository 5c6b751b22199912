/**
 * The contract's side of worktree sessions: creating one (and running its setup command in its
 * terminal), deleting it without losing work, restoring it, listing and pruning worktrees, and
 * the collision radar's last report.
 */
import { rm } from 'node:fs/promises'
import type { MethodParams, RadarState, WorktreeLosses } from '../../shared/contract'
import type { StoredWorktree } from '../sessions/stored-worktree'
import { ContractError } from '../../shared/errors'
import type { Session } from '../../shared/model'
import type { Logger } from '../core/logger'
import type { Handlers } from '../host/dispatcher'
import type { Leases } from '../sessions/leases'
import type { Store } from '../sessions/store'
import { storeLayout } from '../checkpoints'
import { asContractError, contractErrors } from './contract-errors'
import { WouldLoseWorkError } from './errors'
import { deleteWorktree, restoreDeleted } from './delete'
import { expireDeleted } from './deleted-store'
import { listWorktrees, pruneWorktrees } from './list'
import { deleteCheck, losesWork, unpushedCommits } from './safety'
import type { SessionWorktrees } from './session-worktrees'
import { worktreeStoreDir } from './session-worktrees'

type WorktreeMethod =
  | 'worktrees.support'
  | 'worktrees.list'
  | 'worktrees.prune'
  | 'worktrees.deleted'
  | 'worktrees.deleteCheck'
  | 'worktrees.radar'
  | 'sessions.restoreDeleted'

export interface WorktreeHandlerDeps {
  store: Store
  leases: Leases
  sessions: SessionWorktrees
  dataDir: string
  logger: Logger
  gitBin?: string
  isRunning: (sessionId: string) => boolean
  /** The configured `worktrees.dir`, if any. */
  dir: () => string | undefined
  /** Close the session's shells (before its folder goes). */
  deleteShells: (sessionId: string) => void
  /** Close the session's checkpoint store (its watcher) before its folder goes. */
  closeStore: (storeId: string) => Promise<void>
  /**
   * The worktree's setup command: run in the session's terminal (output visible there) when the
   * workspace is trusted, else reported as not run.
   */
  runSetup: (sessionId: string, command: string, trusted: boolean) => void
  /** Compare the live sessions now (throttled) and return the radar's report. */
  refreshRadar: () => Promise<RadarState>
}

/** The folder a workspace's deleted-worktree saves go to: its checkpoint store (the agent's reach ends before it). */
function savesGitdir(dataDir: string, workspaceId: string): string {
  return storeLayout(dataDir, workspaceId).gitdir
}

export function worktreeSessionOps(deps: WorktreeHandlerDeps): {
  createSession: (input: MethodParams<'sessions.create'>) => Promise<Session>
  deleteWorktreeSession: (sessionId: string, force: boolean) => Promise<void>
  expire: () => Promise<void>
} {
  const { store, sessions } = deps
  /**
   * Save the worktree's work to the checkpoint store, then remove it. The save goes first; a
   * refusal (work that would be lost, without `force`) leaves everything as it was.
   */
  const removeWorktree = async (
    session: Session,
    wt: StoredWorktree,
    force: boolean,
  ): Promise<void> => {
    const sessionId = session.id
    // A folder removed by hand has no files left to lose, but its branch may hold commits.
    await contractErrors(async () => {
      const check = session.worktree?.missing
        ? null
        : await deleteCheck(wt.path, wt.base, deps.gitBin)
      if (check && losesWork(check) && !force) throw new WouldLoseWorkError(wt.path, check)
      if (session.worktree?.missing && !force) {
        const lost = await missingFolderLosses(wt, deps.gitBin)
        if (losesWork(lost)) throw new WouldLoseWorkError(wt.path, lost)
      }
      deps.deleteShells(sessionId)
      await deps.closeStore(`wt-${sessionId}`)
      await deleteWorktree({
        repoRoot: wt.repoRoot,
        path: wt.path,
        branch: wt.branch,
        base: wt.base,
        slug: wt.slug,
        force,
        storeGitdir: savesGitdir(deps.dataDir, session.workspaceId),
        ...(deps.gitBin ? { gitBin: deps.gitBin } : {}),
      })
    })
  }
  return {
    async createSession(input) {
      const { session, setup } = await sessions.create(input)
      if (setup !== undefined)
        deps.runSetup(session.id, setup, store.getWorkspace(input.workspaceId).trusted)
      return session
    },
    async deleteWorktreeSession(sessionId, force) {
      const session = store.getSession(sessionId)
      deps.leases.assertNotHeldByOther(sessionId, session.title)
      if (deps.isRunning(sessionId))
        throw new ContractError('session_busy', `"${session.title}" is running: stop it first.`)
      const wt = sessions.worktreeOf(sessionId)
      if (!wt) {
        // A worktree record that cannot be read: there is nothing Paddock knows to save.
        store.deleteSession(sessionId)
        deps.deleteShells(sessionId)
        return
      }
      store.markDeleting(sessionId, true)
      try {
        await removeWorktree(session, wt, force)
      } finally {
        store.markDeleting(sessionId, false)
      }
      sessions.hide(sessionId)
      void deps.refreshRadar().catch(() => undefined)
      deps.logger.log('info', 'worktree session deleted', { session: sessionId, path: wt.path })
    },
    /** Deleted sessions past 30 days: their rows, checkpoints and saves go for good. */
    async expire() {
      const expired = sessions.expired()
      const workspaces = new Set<string>()
      for (const { sessionId, workspaceId } of expired) {
        await rm(worktreeStoreDir(deps.dataDir, sessionId), { recursive: true, force: true })
        sessions.purge(sessionId)
        workspaces.add(workspaceId)
      }
      for (const ws of store.listWorkspaces()) {
        try {
          await expireDeleted(savesGitdir(deps.dataDir, ws.id), Date.now())
        } catch (error) {
          deps.logger.log('warn', 'could not expire deleted worktree saves', {
            workspace: ws.id,
            error: String(error),
          })
        }
      }
    },
  }
}

export function worktreeHandlers(deps: WorktreeHandlerDeps): Pick<Handlers, WorktreeMethod> {
  const { store, sessions } = deps
  const repoFolders = (workspaceId?: string): Array<{ id: string; path: string }> =>
    workspaceId ? [store.getWorkspace(workspaceId)] : store.listWorkspaces()
  return {
    'worktrees.support': ({ workspaceId }) => sessions.support(workspaceId),
    'worktrees.list': async ({ workspaceId }) => {
      const bySession = new Map(
        store
          .listSessions(workspaceId)
          .filter((s) => s.worktree)
          .map((s) => [s.worktree!.path, s]),
      )
      const out = []
      for (const ws of repoFolders(workspaceId)) {
        const listed = await listWorktrees(ws.path, deps.gitBin).catch(() => [])
        for (const w of listed) {
          if (w.main) continue
          const session = bySession.get(w.path)
          out.push({
            workspaceId: ws.id,
            path: w.path,
            branch: w.branch?.replace(/^refs\/heads\//, '') ?? null,
            sessionId: session?.id ?? null,
            sessionTitle: session?.title ?? null,
            sizeBytes: w.size,
            sizeTruncated: !w.sizeComplete,
            lastActivity: w.lastActivity !== undefined ? Math.round(w.lastActivity) : null,
            missing: !w.exists,
          })
        }
      }
      return out
    },
    'worktrees.prune': async ({ workspaceId }) => {
      const pruned: string[] = []
      for (const ws of repoFolders(workspaceId)) {
        const r = await pruneWorktrees(ws.path, deps.gitBin).catch(() => ({ pruned: [] }))
        pruned.push(...r.pruned.map((e) => e.path))
      }
      return { pruned }
    },
    'worktrees.deleted': ({ workspaceId }) => sessions.listDeleted(workspaceId),
    'worktrees.deleteCheck': async ({ sessionId }) => {
      const session = store.getSession(sessionId)
      const wt = sessions.worktreeOf(sessionId)
      if (!wt) return { losesWork: false, losses: { dirty: [], unpushed: [] } }
      const losses = await contractErrors(() =>
        session.worktree?.missing
          ? missingFolderLosses(wt, deps.gitBin)
          : deleteCheck(wt.path, wt.base, deps.gitBin),
      )
      return { losesWork: losesWork(losses), losses }
    },
    'worktrees.radar': () => deps.refreshRadar(),
    'sessions.restoreDeleted': async ({ sessionId }) => {
      const { session, worktree } = sessions.deleted(sessionId)
      try {
        const back = await restoreDeleted({
          repoRoot: worktree.repoRoot,
          slug: worktree.slug,
          path: worktree.path,
          storeGitdir: savesGitdir(deps.dataDir, session.workspaceId),
          ...(deps.dir() !== undefined ? { root: deps.dir() } : {}),
          ...(deps.gitBin ? { gitBin: deps.gitBin } : {}),
        })
        const restored = sessions.unhide(sessionId, {
          ...worktree,
          path: back.path,
          branch: back.branch,
        })
        void deps.refreshRadar().catch(() => undefined)
        return restored
      } catch (error) {
        throw asContractError(error)
      }
    },
  }
}

/** What deleting a session whose folder is gone would lose: its branch's unpushed commits. */
async function missingFolderLosses(wt: StoredWorktree, gitBin?: string): Promise<WorktreeLosses> {
  const unpushed = await unpushedCommits(
    wt.repoRoot,
    `refs/heads/${wt.branch}`,
    wt.base,
    gitBin,
  ).catch(() => [])
  return { dirty: [], unpushed }
}
