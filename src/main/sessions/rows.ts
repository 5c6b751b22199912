import { existsSync } from 'node:fs'
import type { Session, Workspace } from '../../shared/model'
import { parseStoredWorktree } from './stored-worktree'

/** The database rows of the store's tables and their contract shapes. */

export interface WorkspaceRow {
  id: string
  path: string
  name: string
  created_at: number
  last_opened_at: number
  closed_at: number | null
  trusted: number
  session_place: string | null
}

/** Where a session works (see `Store.sessionRoot`). */
export interface SessionRoot {
  storeId: string
  path: string
  workspaceId: string
  worktree: boolean
}

export interface SessionRow {
  id: string
  workspace_id: string
  title: string
  created_at: number
  updated_at: number
  leaf_id: string | null
  /** JSON of `StoredWorktree` for a worktree session. */
  worktree: string | null
  deleted_at: number | null
}

export function toWorkspace(r: WorkspaceRow): Workspace {
  return {
    id: r.id,
    path: r.path,
    name: r.name,
    createdAt: r.created_at,
    lastOpenedAt: r.last_opened_at,
    trusted: r.trusted === 1,
    sessionPlace:
      r.session_place === 'worktree' || r.session_place === 'in-place' ? r.session_place : null,
  }
}

export function toSession(r: SessionRow): Session {
  const wt = parseStoredWorktree(r.worktree)
  // A record that does not parse is reported as a missing folder: such a session never runs in
  // the workspace folder by mistake.
  const unreadable = r.worktree !== null && !wt
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    title: r.title,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    leafId: r.leaf_id,
    worktree: wt
      ? { path: wt.path, branch: wt.branch, base: wt.base, missing: !existsSync(wt.path) }
      : unreadable
        ? { path: '', branch: '', base: '', missing: true }
        : null,
  }
}
