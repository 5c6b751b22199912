/**
 * Sessions in worktrees: the glue between the session store and the worktree core.
 * Creating a worktree session makes the worktree first and records the session after (a crash in
 * between leaves a worktree without a session, listed in Settings → Worktrees; a crash inside the
 * creation is undone by `recoverWorktrees` the next time a worktree is made or Paddock starts).
 * Deleting one saves its work, removes the folder and hides the session for 30 days;
 * `restoreDeleted` brings both back.
 */
import { rm } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import type { Session, Workspace } from '../../shared/model'
import type { DeletedSession, SessionPlace } from '../../shared/contract'
import { ContractError } from '../../shared/errors'
import type { Logger } from '../core/logger'
import { toSession } from '../sessions/rows'
import type { SessionRow } from '../sessions/rows'
import type { Store } from '../sessions/store'
import { parseStoredWorktree } from '../sessions/stored-worktree'
import type { StoredWorktree } from '../sessions/stored-worktree'
import { isWithin } from '../core/within'
import { contractErrors } from './contract-errors'
import { createWorktree, recoverWorktrees } from './create'
import type { CreatedWorktree } from './create'
import { WorktreeError } from './errors'
import { gitMaybe, repoInfo } from './git'
import { worktreesRoot } from './worktree-paths'

/** How long a deleted session can be restored. */
export const DELETED_KEEP_MS = 30 * 24 * 60 * 60 * 1000

export interface SessionWorktreesDeps {
  store: Store
  logger: Logger
  now: () => number
  /** The configured `worktrees.dir`, if any. */
  dir: () => string | undefined
  /** Paddock's data folder (keys, other sessions' checkpoints): never a worktree's home. */
  dataDir: string
  gitBin?: string
}

export interface CreateSessionInput {
  workspaceId: string
  title?: string
  place?: SessionPlace
  base?: string
  branch?: string
}

export class SessionWorktrees {
  constructor(private readonly deps: SessionWorktreesDeps) {}

  /** Where new sessions of this workspace work, and whether a worktree can be made there. */
  async support(workspaceId: string): Promise<{
    available: boolean
    reason: string | null
    place: SessionPlace
    currentBranch: string | null
    branches: string[]
    dir: string | null
  }> {
    const ws = this.deps.store.getWorkspace(workspaceId)
    const bin = this.deps.gitBin
    try {
      const repo = await repoInfo(ws.path, bin)
      const current = await gitMaybe(['symbolic-ref', '--short', '-q', 'HEAD'], {
        cwd: ws.path,
        bin,
      })
      const heads = await gitMaybe(['for-each-ref', '--format=%(refname:short)', 'refs/heads'], {
        cwd: ws.path,
        bin,
      })
      return {
        available: true,
        reason: null,
        place: ws.sessionPlace ?? 'worktree',
        currentBranch: current?.trim() || null,
        branches: (heads ?? '').split('\n').filter((b) => b !== ''),
        dir: worktreesRoot(repo.main, this.deps.dir()),
      }
    } catch (error) {
      const code = error instanceof WorktreeError ? error.code : null
      const reason =
        code === 'not-a-repo'
          ? `${ws.name} is not a git repository, so sessions work in the folder itself.`
          : code === 'git-missing'
            ? 'Git is not installed, so sessions work in the folder itself.'
            : `Worktrees are not available here: ${error instanceof Error ? error.message : String(error)}`
      return {
        available: false,
        reason,
        place: 'in-place',
        currentBranch: null,
        branches: [],
        dir: null,
      }
    }
  }

  /**
   * A new session, in place or in a new worktree; an explicit `place` is remembered for the
   * workspace. Returns the `setup` command of `.paddock/worktree.json` for the session's terminal.
   */
  async create(input: CreateSessionInput): Promise<{ session: Session; setup?: string }> {
    const { store } = this.deps
    const ws = store.getWorkspace(input.workspaceId)
    if (input.place !== 'worktree') {
      if (input.base !== undefined || input.branch !== undefined)
        throw new ContractError('invalid_params', 'base and branch are for a worktree session.')
      const session = store.createSession(ws.id, input.title)
      if (input.place) this.remember(ws, input.place)
      return { session }
    }
    const title = input.title ?? store.defaultTitle(ws.id)
    const dir = this.deps.dir()
    if (dir !== undefined && (isWithin(this.deps.dataDir, dir) || isWithin(dir, this.deps.dataDir)))
      throw new ContractError(
        'invalid_params',
        `The worktrees folder ${dir} overlaps Paddock's data folder, which the agent must not reach: pick another in Settings → Worktrees.`,
      )
    const made = await contractErrors(async () => {
      // A creation an earlier process did not finish is undone before a new one starts.
      await recoverWorktrees(ws.path, this.deps.gitBin)
      return createWorktree({
        repoRoot: ws.path,
        title,
        // A deleted session that can still be restored keeps its name.
        avoid: this.deletedSlugs(ws.id),
        ...(input.base !== undefined ? { base: input.base } : {}),
        ...(input.branch !== undefined ? { branch: input.branch } : {}),
        ...(this.deps.dir() !== undefined ? { root: this.deps.dir() } : {}),
        ...(this.deps.gitBin ? { gitBin: this.deps.gitBin } : {}),
      })
    })
    const repo = await contractErrors(() => repoInfo(ws.path, this.deps.gitBin))
    // A workspace opened at a folder inside its repository works at the same place of the worktree.
    const subdir = relative(repo.root, ws.path).split(sep).join('/')
    const stored: StoredWorktree = {
      ...(subdir && !subdir.startsWith('..') ? { subdir } : {}),
      path: made.path,
      branch: made.branch,
      base: made.base,
      baseCommit: made.baseCommit,
      slug: made.slug,
      repoRoot: repo.main,
    }
    let session: Session
    try {
      session = store.createSession(ws.id, title, stored)
    } catch (error) {
      await this.undo(made, repo.main)
      throw error
    }
    this.remember(ws, 'worktree')
    return { session, ...(made.setup !== undefined ? { setup: made.setup } : {}) }
  }

  /** The stored worktree of a live session, or null for a session in place. */
  worktreeOf(sessionId: string): StoredWorktree | null {
    const row = this.row(sessionId)
    if (!row || row.deleted_at !== null)
      throw new ContractError('not_found', `No session with id ${sessionId}.`)
    return parseStoredWorktree(row.worktree)
  }

  /** Hide a deleted worktree session (its conversation kept for a restore). */
  hide(sessionId: string): void {
    const { store } = this.deps
    store.write((emit) => {
      const session = store.getSession(sessionId)
      store.db
        .prepare('UPDATE sessions SET deleted_at = ? WHERE id = ?')
        .run(this.deps.now(), sessionId)
      store.db.prepare('DELETE FROM leases WHERE session_id = ?').run(sessionId)
      emit({ type: 'session.deleted', sessionId, workspaceId: session.workspaceId })
    })
  }

  /** Show a restored session again, working in `path`. */
  unhide(sessionId: string, worktree: StoredWorktree): Session {
    const { store } = this.deps
    return store.write((emit) => {
      store.db
        .prepare('UPDATE sessions SET deleted_at = NULL, worktree = ? WHERE id = ?')
        .run(JSON.stringify(worktree), sessionId)
      const session = store.getSession(sessionId)
      emit({ type: 'session.created', sessionId, session })
      return session
    })
  }

  /** A deleted session's row (with its stored worktree), or a `not_found` error. */
  deleted(sessionId: string): { session: Session; worktree: StoredWorktree; deletedAt: number } {
    const row = this.row(sessionId)
    const worktree = row ? parseStoredWorktree(row.worktree) : null
    if (!row || row.deleted_at === null || !worktree)
      throw new ContractError('not_found', `No deleted session with id ${sessionId}.`)
    return { session: toSession(row), worktree, deletedAt: row.deleted_at }
  }

  /** Sessions deleted within the last 30 days, newest first. */
  listDeleted(workspaceId?: string): DeletedSession[] {
    const rows = this.deps.store.db
      .prepare(
        'SELECT * FROM sessions WHERE deleted_at IS NOT NULL AND (? IS NULL OR workspace_id = ?) ORDER BY deleted_at DESC',
      )
      .all(workspaceId ?? null, workspaceId ?? null) as SessionRow[]
    return rows.flatMap((r) => {
      const wt = parseStoredWorktree(r.worktree)
      if (!wt || r.deleted_at === null) return []
      return [
        {
          sessionId: r.id,
          workspaceId: r.workspace_id,
          title: r.title,
          branch: wt.branch,
          base: wt.base,
          path: wt.path,
          deletedAt: r.deleted_at,
          expiresAt: r.deleted_at + DELETED_KEEP_MS,
        },
      ]
    })
  }

  /** The slugs of this workspace's deleted sessions (their saves are named by them). */
  private deletedSlugs(workspaceId: string): string[] {
    const rows = this.deps.store.db
      .prepare('SELECT worktree FROM sessions WHERE deleted_at IS NOT NULL AND workspace_id = ?')
      .all(workspaceId) as Array<{ worktree: string | null }>
    return rows.flatMap((r) => parseStoredWorktree(r.worktree)?.slug ?? [])
  }

  /** Deleted sessions older than 30 days, for good (the caller drops their saves). */
  expired(): Array<{ sessionId: string; workspaceId: string }> {
    const cutoff = this.deps.now() - DELETED_KEEP_MS
    return (
      this.deps.store.db
        .prepare(
          'SELECT id, workspace_id FROM sessions WHERE deleted_at IS NOT NULL AND deleted_at < ?',
        )
        .all(cutoff) as Array<{ id: string; workspace_id: string }>
    ).map((r) => ({ sessionId: r.id, workspaceId: r.workspace_id }))
  }

  /** Remove an expired deleted session's rows for good. */
  purge(sessionId: string): void {
    const { db } = this.deps.store
    db.transaction(() => {
      db.prepare('DELETE FROM entries WHERE session_id = ?').run(sessionId)
      db.prepare('DELETE FROM leases WHERE session_id = ?').run(sessionId)
      db.prepare('DELETE FROM sessions WHERE id = ? AND deleted_at IS NOT NULL').run(sessionId)
    })()
    // The stream keeps only its last event, the tombstone the delete announced.
    const last = db
      .prepare('SELECT MAX(seq) AS seq FROM events WHERE stream = ?')
      .get(sessionId) as {
      seq: number | null
    }
    if (last.seq !== null) this.deps.store.events.truncateStream(sessionId, last.seq)
  }

  private row(sessionId: string): SessionRow | undefined {
    return this.deps.store.db.prepare('SELECT * FROM sessions WHERE id = ?').get(sessionId) as
      SessionRow | undefined
  }

  private remember(ws: Workspace, place: SessionPlace): void {
    if (ws.sessionPlace === place) return
    this.deps.store.db
      .prepare('UPDATE workspaces SET session_place = ? WHERE id = ?')
      .run(place, ws.id)
  }

  /** A worktree made for a session that could not be recorded: removed again. */
  private async undo(made: CreatedWorktree, repoRoot: string): Promise<void> {
    const opts = { cwd: repoRoot, bin: this.deps.gitBin }
    await gitMaybe(['worktree', 'remove', '--force', '--force', '--', made.path], opts)
    await rm(made.path, { recursive: true, force: true })
    await gitMaybe(['worktree', 'prune'], opts)
    await gitMaybe(['branch', '-D', '--', made.branch], opts)
  }
}

/** The checkpoint store folder a worktree session has of its own. */
export function worktreeStoreDir(dataDir: string, sessionId: string): string {
  return join(dataDir, 'checkpoints', `wt-${sessionId}`)
}
