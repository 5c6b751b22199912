import { join } from 'node:path'
import type { Database } from 'better-sqlite3'
import type { Entry, Session, Workspace } from '../../shared/model'
import type { EntryDraft, EntryType } from '../../shared/entries'
import type { PaddockEvent } from '../../shared/events'
import { HOST_STREAM } from '../../shared/events'
import { ContractError } from '../../shared/errors'
import { newId } from '../core/ids'
import { redactKnownValues } from '../core/redact'
import { EventLog } from './event-log'
import type { LoggedEvent } from './event-log'
import * as log from './entry-queries'
import { DEFAULT_TITLE, titleFromPrompt } from './session-title'
import { toSession, toWorkspace } from './rows'
import { parseStoredWorktree } from './stored-worktree'
import type { SessionRoot, SessionRow, WorkspaceRow } from './rows'
import type { StoredWorktree } from './stored-worktree'
import type { RepairLogRow, SessionActivity, TreeRow } from './entry-queries'

/** An entry to append: its type, that type's payload (see `ENTRY_PAYLOADS`), and where. */
export interface AppendEntryInput<T extends EntryType = EntryType> extends EntryDraft<T> {
  /** Parent entry; `undefined` means the session's current leaf, `null` a new root. */
  parentId?: string | null
}

/**
 * Workspaces, sessions and the session log in SQLite. Every mutation commits its state change and
 * its event in one IMMEDIATE transaction, then reports the event through `onCommitted` so the
 * host's bus can deliver it. Several processes may use the same database; SQLite serialises writers.
 */
export class Store {
  private readonly deleting = new Set<string>()

  constructor(
    readonly db: Database,
    private readonly now: () => number = Date.now,
    private readonly onCommitted: (events: LoggedEvent[]) => void = () => {},
    readonly events: EventLog = new EventLog(db),
  ) {}

  /** Run `fn` in a write transaction; events it appends are announced after commit. */
  write<T>(fn: (emit: (draft: Parameters<EventLog['append']>[0]) => PaddockEvent) => T): T {
    const emitted: LoggedEvent[] = []
    const at = this.now()
    const tx = this.db.transaction(() =>
      fn((draft) => {
        const e = this.events.append(draft, at)
        emitted.push(e)
        return e.event
      }),
    )
    const result = tx.immediate()
    if (emitted.length) this.onCommitted(emitted)
    return result
  }

  // --- workspaces -------------------------------------------------------------------------------

  listWorkspaces(): Workspace[] {
    const rows = this.db
      .prepare('SELECT * FROM workspaces WHERE closed_at IS NULL ORDER BY name, path')
      .all() as WorkspaceRow[]
    return rows.map(toWorkspace)
  }

  getWorkspace(id: string): Workspace {
    const row = this.db
      .prepare('SELECT * FROM workspaces WHERE id = ? AND closed_at IS NULL')
      .get(id) as WorkspaceRow | undefined
    if (!row) throw new ContractError('not_found', `No open workspace with id ${id}.`)
    return toWorkspace(row)
  }

  findWorkspaceByPath(path: string): Workspace | undefined {
    const row = this.db
      .prepare('SELECT * FROM workspaces WHERE path = ? AND closed_at IS NULL')
      .get(path) as WorkspaceRow | undefined
    return row ? toWorkspace(row) : undefined
  }

  /** Open a folder (already validated) as a workspace; reopening returns the same workspace. */
  openWorkspace(path: string, name: string): Workspace {
    return this.write((emit) => {
      const at = this.now()
      const existing = this.db.prepare('SELECT * FROM workspaces WHERE path = ?').get(path) as
        WorkspaceRow | undefined
      let id: string
      if (existing) {
        id = existing.id
        this.db
          .prepare('UPDATE workspaces SET last_opened_at = ?, closed_at = NULL WHERE id = ?')
          .run(at, id)
      } else {
        id = newId(at)
        this.db
          .prepare(
            'INSERT INTO workspaces (id, path, name, created_at, last_opened_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(id, path, name, at, at)
      }
      const ws = toWorkspace(
        this.db.prepare('SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow,
      )
      emit({ type: 'workspace.opened', sessionId: HOST_STREAM, workspace: ws })
      return ws
    })
  }

  /** Trust (or stop trusting) a workspace's own permission rules. */
  setTrusted(id: string, trusted: boolean): Workspace {
    return this.write((emit) => {
      this.getWorkspace(id)
      this.db.prepare('UPDATE workspaces SET trusted = ? WHERE id = ?').run(trusted ? 1 : 0, id)
      const ws = this.getWorkspace(id)
      emit({ type: 'workspace.opened', sessionId: HOST_STREAM, workspace: ws })
      return ws
    })
  }

  /** Remove a workspace from the sidebar. Its sessions stay in the database and return on reopen. */
  closeWorkspace(id: string): void {
    this.write((emit) => {
      this.getWorkspace(id)
      this.db.prepare('UPDATE workspaces SET closed_at = ? WHERE id = ?').run(this.now(), id)
      emit({ type: 'workspace.closed', sessionId: HOST_STREAM, workspaceId: id })
    })
  }

  // --- sessions ---------------------------------------------------------------------------------

  /** Oldest first; sessions created in the same millisecond in the order they were inserted. */
  listSessions(workspaceId?: string): Session[] {
    const rows = (
      workspaceId
        ? this.db
            .prepare(
              'SELECT * FROM sessions WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY created_at, rowid',
            )
            .all(workspaceId)
        : this.db
            .prepare('SELECT * FROM sessions WHERE deleted_at IS NULL ORDER BY created_at, rowid')
            .all()
    ) as SessionRow[]
    return rows.map(toSession)
  }

  getSession(id: string): Session {
    return toSession(this.sessionRow(id))
  }

  /** A live (not deleted) session's row, or `not_found`. */
  private sessionRow(id: string): SessionRow {
    const row = this.db
      .prepare('SELECT * FROM sessions WHERE id = ? AND deleted_at IS NULL')
      .get(id) as SessionRow | undefined
    if (!row) throw new ContractError('not_found', `No session with id ${id}.`)
    return row
  }

  /**
   * Where a session works: its worktree, or the workspace folder. `storeId` names its checkpoint
   * store (a worktree session has its own). Throws `invalid_workspace` when the worktree folder is
   * gone, so nothing runs in the wrong folder.
   */
  sessionRoot(id: string): SessionRoot {
    const row = this.sessionRow(id)
    const session = toSession(row)
    if (this.deleting.has(id))
      throw new ContractError(
        'session_busy',
        `"${session.title}" is being deleted: its work is being saved and its folder removed.`,
      )
    if (!session.worktree) {
      const ws = this.getWorkspace(session.workspaceId)
      return { storeId: ws.id, path: ws.path, workspaceId: ws.id, worktree: false }
    }
    if (session.worktree.missing)
      throw new ContractError(
        'invalid_workspace',
        `The worktree of "${session.title}" is gone (${session.worktree.path || 'no folder recorded'}); restore it from Settings → Worktrees or delete the session.`,
      )
    const sub = parseStoredWorktree(row.worktree)?.subdir
    return {
      storeId: `wt-${session.id}`,
      path: sub ? join(session.worktree.path, sub) : session.worktree.path,
      workspaceId: session.workspaceId,
      worktree: true,
    }
  }

  /**
   * While a worktree session is being deleted (its work saved, its folder removed), nothing may
   * start in its folder: `sessionRoot` refuses it.
   */
  markDeleting(id: string, on: boolean): void {
    if (on) this.deleting.add(id)
    else this.deleting.delete(id)
  }

  /** The title a new session gets when none is given: "Session N". */
  defaultTitle(workspaceId: string): string {
    return `Session ${this.nextDefaultNumber(workspaceId)}`
  }

  /** A new session; with `worktree`, one that works in that (already made) git worktree. */
  createSession(workspaceId: string, title?: string, worktree?: StoredWorktree): Session {
    return this.write((emit) => {
      this.getWorkspace(workspaceId)
      const at = this.now()
      const id = newId(at)
      const finalTitle = title ?? this.defaultTitle(workspaceId)
      this.db
        .prepare(
          'INSERT INTO sessions (id, workspace_id, title, created_at, updated_at, leaf_id, worktree) VALUES (?, ?, ?, ?, ?, NULL, ?)',
        )
        .run(id, workspaceId, finalTitle, at, at, worktree ? JSON.stringify(worktree) : null)
      const session = this.getSession(id)
      emit({ type: 'session.created', sessionId: id, session })
      return session
    })
  }

  /**
   * The N of a default "Session N": the session's position in the workspace, bumped past the
   * highest existing "Session N" so a default title never repeats one in use.
   */
  private nextDefaultNumber(workspaceId: string): number {
    const rows = this.db
      .prepare('SELECT title FROM sessions WHERE workspace_id = ?')
      .all(workspaceId) as Array<{ title: string }>
    let max = rows.length
    for (const { title } of rows) {
      const m = DEFAULT_TITLE.exec(title)
      if (m) max = Math.max(max, Number(m[1]))
    }
    return max + 1
  }

  renameSession(id: string, title: string): Session {
    return this.write((emit) => {
      this.getSession(id)
      this.db
        .prepare('UPDATE sessions SET title = ?, updated_at = ? WHERE id = ?')
        .run(title, this.now(), id)
      const session = this.getSession(id)
      emit({ type: 'session.updated', sessionId: id, session })
      return session
    })
  }

  /**
   * Title a session from its first prompt, unless it was given a name: it still has its default
   * "Session N" and no prompt yet. Call before the prompt is appended. Announced as
   * `session.updated`; the title stays editable.
   */
  titleFromFirstPrompt(id: string, prompt: string): void {
    const title = titleFromPrompt(redactKnownValues(prompt))
    if (!title) return
    this.write((emit) => {
      const session = this.getSession(id)
      if (!DEFAULT_TITLE.test(session.title)) return
      const prompted = this.db
        .prepare(`SELECT 1 FROM entries WHERE session_id = ? AND type = 'user_message' LIMIT 1`)
        .get(id)
      if (prompted) return
      this.db.prepare('UPDATE sessions SET title = ? WHERE id = ?').run(title, id)
      emit({ type: 'session.updated', sessionId: id, session: this.getSession(id) })
    })
  }

  /** Delete a session and its log. Its event stream keeps only the `session.deleted` tombstone. */
  deleteSession(id: string, beforeDelete?: (session: Session) => void): void {
    this.write((emit) => {
      const session = this.getSession(id)
      beforeDelete?.(session)
      this.db.prepare('DELETE FROM entries WHERE session_id = ?').run(id)
      this.db.prepare('DELETE FROM leases WHERE session_id = ?').run(id)
      this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id)
      const tomb = emit({
        type: 'session.deleted',
        sessionId: id,
        workspaceId: session.workspaceId,
      })
      this.events.truncateStream(id, tomb.seq)
    })
  }

  // --- session log ------------------------------------------------------------------------------

  /** Append an entry to the session tree and make it the leaf. Durable when this returns. */
  appendEntry<T extends EntryType>(sessionId: string, input: AppendEntryInput<T>): Entry {
    return this.write((emit) => {
      const session = this.getSession(sessionId)
      const parentId = input.parentId === undefined ? session.leafId : input.parentId
      if (parentId !== null) {
        const parent = this.db
          .prepare('SELECT session_id FROM entries WHERE id = ?')
          .get(parentId) as { session_id: string } | undefined
        if (!parent || parent.session_id !== sessionId) {
          throw new ContractError('not_found', `No entry ${parentId} in session ${sessionId}.`)
        }
      }
      const at = this.now()
      const id = newId(at)
      // A key the model repeats (in text or a tool call) is not written down.
      const payload = redactKnownValues(JSON.stringify(input.payload ?? null))
      this.db
        .prepare(
          'INSERT INTO entries (id, session_id, parent_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(id, sessionId, parentId, input.type, payload, at)
      this.db
        .prepare('UPDATE sessions SET leaf_id = ?, updated_at = ? WHERE id = ?')
        .run(id, at, sessionId)
      const entry = log.toEntry(log.entryRow(this.db, id)!)
      emit({ type: 'entry.appended', sessionId, entry })
      return entry
    })
  }

  /** Per session: approval questions without an answer yet, and how its last run ended. */
  activity(): Map<string, SessionActivity> {
    return log.activity(this.db)
  }

  /** Every answer's model and every repair, across sessions, oldest first (the quirks report). */
  repairLog(): Generator<RepairLogRow> {
    return log.repairLog(this.db)
  }

  /**
   * The conversation: entries from the root to `leafId` (default: the session's leaf). With
   * `limit`, only the last `limit` of them (still root-most first): the first one's `parentId`
   * says where the rest continues (null: nothing before it).
   */
  branch(sessionId: string, leafId?: string, limit?: number): Entry[] {
    const session = this.getSession(sessionId)
    const start = leafId ?? session.leafId
    if (start === null) return []
    return log.branch(this.db, sessionId, start, limit)
  }

  // --- session tree ---------------------------------------------------------------------------

  /** Every entry of the session, oldest first, with a short summary (see `entry-queries.ts`). */
  tree(sessionId: string): TreeRow[] {
    this.getSession(sessionId)
    return log.tree(this.db, sessionId)
  }

  /** The session's entry `id` (not_found when it is not one of this session's entries). */
  getEntry(sessionId: string, id: string): Entry {
    return log.getEntry(this.db, sessionId, id)
  }

  /** The entries whose parent is `id`, oldest first. */
  children(sessionId: string, id: string): Entry[] {
    return log.children(this.db, sessionId, id)
  }

  /** The latest `checkpoint` entry of the session recording checkpoint `checkpointId`. */
  checkpointEntry(sessionId: string, checkpointId: string): Entry | undefined {
    return log.checkpointEntry(this.db, sessionId, checkpointId)
  }

  /**
   * Move the session's leaf to one of its entries (nothing is deleted; the next entry appended
   * branches from there). Announced as `session.updated`.
   */
  setLeaf(sessionId: string, entryId: string): Session {
    return this.write((emit) => {
      this.getEntry(sessionId, entryId)
      this.db
        .prepare('UPDATE sessions SET leaf_id = ?, updated_at = ? WHERE id = ?')
        .run(entryId, this.now(), sessionId)
      const session = this.getSession(sessionId)
      emit({ type: 'session.updated', sessionId, session })
      return session
    })
  }

  /**
   * A new session in `workspaceId` holding copies of `entries` (root first, each the parent of the
   * next) under new ids, in one transaction. `remap` rewrites a payload given the old → new ids.
   * Announced as `session.created` then `session.updated` (no event per copied entry).
   */
  createSessionWithBranch(
    workspaceId: string,
    title: string,
    entries: Entry[],
    remap: (payload: unknown, ids: Map<string, string>) => unknown,
  ): Session {
    return this.write((emit) => {
      this.getWorkspace(workspaceId)
      const at = this.now()
      const id = newId(at)
      this.db
        .prepare(
          'INSERT INTO sessions (id, workspace_id, title, created_at, updated_at, leaf_id) VALUES (?, ?, ?, ?, ?, NULL)',
        )
        .run(id, workspaceId, title, at, at)
      emit({ type: 'session.created', sessionId: id, session: this.getSession(id) })
      const ids = new Map<string, string>()
      const insert = this.db.prepare(
        'INSERT INTO entries (id, session_id, parent_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      let parent: string | null = null
      for (const e of entries) {
        const copy = newId(e.createdAt)
        ids.set(e.id, copy)
        insert.run(
          copy,
          id,
          parent,
          e.type,
          JSON.stringify(remap(e.payload, ids) ?? null),
          e.createdAt,
        )
        parent = copy
      }
      this.db.prepare('UPDATE sessions SET leaf_id = ? WHERE id = ?').run(parent, id)
      const session = this.getSession(id)
      emit({ type: 'session.updated', sessionId: id, session })
      return session
    })
  }
}
export type { SessionRoot } from './rows'
