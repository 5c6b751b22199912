import type { Database } from 'better-sqlite3'
import type { Entry, EntryType, Session, Workspace } from '../../shared/model'
import { EntryTypeSchema } from '../../shared/model'
import type { PaddockEvent } from '../../shared/events'
import { HOST_STREAM } from '../../shared/events'
import { ContractError } from '../../shared/errors'
import { newId } from '../core/ids'
import { EventLog } from './event-log'
import type { LoggedEvent } from './event-log'

interface WorkspaceRow {
  id: string
  path: string
  name: string
  created_at: number
  last_opened_at: number
  closed_at: number | null
  trusted: number
}

interface SessionRow {
  id: string
  workspace_id: string
  title: string
  created_at: number
  updated_at: number
  leaf_id: string | null
}

interface EntryRow {
  id: string
  session_id: string
  parent_id: string | null
  type: string
  payload: string
  created_at: number
}

export interface AppendEntryInput {
  type: EntryType
  payload: unknown
  /** Parent entry; `undefined` means the session's current leaf, `null` a new root. */
  parentId?: string | null
}

/**
 * Workspaces, sessions and the session log in SQLite. Every mutation commits its state change and
 * its event in one IMMEDIATE transaction, then reports the event through `onCommitted` so the
 * host's bus can deliver it. Several processes may use the same database; SQLite serialises writers.
 */
export class Store {
  readonly events: EventLog

  constructor(
    readonly db: Database,
    private readonly now: () => number = Date.now,
    private readonly onCommitted: (events: LoggedEvent[]) => void = () => {},
  ) {
    this.events = new EventLog(db)
  }

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
            .prepare('SELECT * FROM sessions WHERE workspace_id = ? ORDER BY created_at, rowid')
            .all(workspaceId)
        : this.db.prepare('SELECT * FROM sessions ORDER BY created_at, rowid').all()
    ) as SessionRow[]
    return rows.map(toSession)
  }

  getSession(id: string): Session {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as
      SessionRow | undefined
    if (!row) throw new ContractError('not_found', `No session with id ${id}.`)
    return toSession(row)
  }

  createSession(workspaceId: string, title?: string): Session {
    return this.write((emit) => {
      this.getWorkspace(workspaceId)
      const at = this.now()
      const id = newId(at)
      const finalTitle = title ?? `Session ${this.nextDefaultNumber(workspaceId)}`
      this.db
        .prepare(
          'INSERT INTO sessions (id, workspace_id, title, created_at, updated_at, leaf_id) VALUES (?, ?, ?, ?, ?, NULL)',
        )
        .run(id, workspaceId, finalTitle, at, at)
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
      const m = /^Session (\d{1,9})$/.exec(title)
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
  appendEntry(sessionId: string, input: AppendEntryInput): Entry {
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
      const payload = JSON.stringify(input.payload ?? null)
      this.db
        .prepare(
          'INSERT INTO entries (id, session_id, parent_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(id, sessionId, parentId, input.type, payload, at)
      this.db
        .prepare('UPDATE sessions SET leaf_id = ?, updated_at = ? WHERE id = ?')
        .run(id, at, sessionId)
      const entry = toEntry(
        this.db.prepare('SELECT * FROM entries WHERE id = ?').get(id) as EntryRow,
      )
      emit({ type: 'entry.appended', sessionId, entry })
      return entry
    })
  }

  /**
   * Per session: approval questions without an answer yet, and how its last run ended. One pass
   * over approval and turn-end entries (small next to the log), in the order they were written.
   */
  activity(): Map<string, { pendingApprovals: string[]; lastStop: string | null }> {
    const rows = this.db
      .prepare(
        `SELECT session_id, type,
                json_extract(payload, '$.kind') AS kind,
                json_extract(payload, '$.approvalId') AS approval_id,
                json_extract(payload, '$.reason') AS reason
           FROM entries WHERE type IN ('approval', 'turn_end') ORDER BY rowid`,
      )
      .all() as {
      session_id: string
      type: string
      kind: string | null
      approval_id: string | null
      reason: string | null
    }[]
    const out = new Map<string, { pending: Set<string>; lastStop: string | null }>()
    for (const r of rows) {
      let s = out.get(r.session_id)
      if (!s) out.set(r.session_id, (s = { pending: new Set(), lastStop: null }))
      if (r.type === 'turn_end') s.lastStop = r.reason
      else if (r.kind === 'request' && r.approval_id) s.pending.add(r.approval_id)
      else if (r.kind === 'answer' && r.approval_id) s.pending.delete(r.approval_id)
    }
    return new Map(
      [...out].map(([id, s]) => [id, { pendingApprovals: [...s.pending], lastStop: s.lastStop }]),
    )
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
    const rows = this.db
      .prepare(
        `WITH RECURSIVE path(id, parent_id, depth) AS (
           SELECT id, parent_id, 0 FROM entries WHERE id = ? AND session_id = ?
           UNION ALL
           SELECT e.id, e.parent_id, p.depth + 1 FROM entries e JOIN path p ON e.id = p.parent_id
            WHERE p.depth + 1 < ?
         )
         SELECT e.* FROM path JOIN entries e ON e.id = path.id ORDER BY path.depth DESC`,
      )
      .all(start, sessionId, limit ?? Number.MAX_SAFE_INTEGER) as EntryRow[]
    if (rows.length === 0)
      throw new ContractError('not_found', `No entry ${start} in session ${sessionId}.`)
    return rows.map(toEntry)
  }
  // --- session tree (rewind, issue 9) -----------------------------------------------------------

  /**
   * Every entry of the session, oldest first, as `{id, parentId, type, createdAt, summary}`: the
   * summary is a short text (at most TREE_SUMMARY_CHARS) taken in SQL, so a 10k-entry session's
   * tree stays small and no payload is parsed in JS.
   */
  tree(sessionId: string): TreeRow[] {
    this.getSession(sessionId)
    const rows = this.db
      .prepare(
        `SELECT id, parent_id, type, created_at,
           CASE type
             WHEN 'user_message' THEN substr(json_extract(payload, '$.text'), 1, ${TREE_SUMMARY_CHARS})
             WHEN 'assistant_message' THEN
               CASE WHEN json_array_length(payload, '$.toolCalls') > 0
                 THEN 'calls ' || json_extract(payload, '$.toolCalls[0].name')
                 ELSE substr(json_extract(payload, '$.content'), 1, ${TREE_SUMMARY_CHARS}) END
             WHEN 'tool_result' THEN json_extract(payload, '$.toolName')
             WHEN 'checkpoint' THEN
               CASE WHEN json_extract(payload, '$.taken')
                 THEN coalesce(json_extract(payload, '$.toolName'), json_extract(payload, '$.reason'))
                      || ' · ' || json_extract(payload, '$.filesTotal') || ' files'
                 ELSE 'not protected' END
             WHEN 'note' THEN substr(json_extract(payload, '$.text'), 1, ${TREE_SUMMARY_CHARS})
             WHEN 'branch_point' THEN substr(json_extract(payload, '$.text'), 1, ${TREE_SUMMARY_CHARS})
             WHEN 'turn_end' THEN json_extract(payload, '$.reason')
             ELSE '' END AS summary
           FROM entries WHERE session_id = ? ORDER BY rowid`,
      )
      .all(sessionId) as Array<{
      id: string
      parent_id: string | null
      type: string
      created_at: number
      summary: unknown
    }>
    return rows.map((r) => ({
      id: r.id,
      parentId: r.parent_id,
      type: r.type as EntryType,
      createdAt: r.created_at,
      summary: typeof r.summary === 'string' ? r.summary : '',
    }))
  }

  /** The session's entry `id` (not_found when it is not one of this session's entries). */
  getEntry(sessionId: string, id: string): Entry {
    const row = this.db
      .prepare('SELECT * FROM entries WHERE id = ? AND session_id = ?')
      .get(id, sessionId) as EntryRow | undefined
    if (!row) throw new ContractError('not_found', `No entry ${id} in session ${sessionId}.`)
    return toEntry(row)
  }

  /** The entries whose parent is `id`, oldest first. */
  children(sessionId: string, id: string): Entry[] {
    const rows = this.db
      .prepare('SELECT * FROM entries WHERE session_id = ? AND parent_id = ? ORDER BY rowid')
      .all(sessionId, id) as EntryRow[]
    return rows.map(toEntry)
  }

  /** The latest `checkpoint` entry of the session recording checkpoint `checkpointId`. */
  checkpointEntry(sessionId: string, checkpointId: string): Entry | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM entries WHERE session_id = ? AND type = 'checkpoint'
           AND json_extract(payload, '$.id') = ? ORDER BY rowid DESC LIMIT 1`,
      )
      .get(sessionId, checkpointId) as EntryRow | undefined
    return row ? toEntry(row) : undefined
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

/** Longest `summary` in a `tree` row, in characters. */
export const TREE_SUMMARY_CHARS = 120

export interface TreeRow {
  id: string
  parentId: string | null
  type: EntryType
  createdAt: number
  summary: string
}

function toWorkspace(r: WorkspaceRow): Workspace {
  return {
    id: r.id,
    path: r.path,
    name: r.name,
    createdAt: r.created_at,
    lastOpenedAt: r.last_opened_at,
    trusted: r.trusted === 1,
  }
}

function toSession(r: SessionRow): Session {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    title: r.title,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    leafId: r.leaf_id,
  }
}

function toEntry(r: EntryRow): Entry {
  // Read back from disk: a type this version does not know is reported, not passed on.
  const parsedType = EntryTypeSchema.safeParse(r.type)
  if (!parsedType.success) {
    throw new ContractError('database_corrupt', `Entry ${r.id} has an unknown type "${r.type}".`)
  }
  const type = parsedType.data
  let payload: unknown
  try {
    payload = JSON.parse(r.payload)
  } catch {
    throw new ContractError('database_corrupt', `Entry ${r.id} has an unreadable payload.`)
  }
  return {
    id: r.id,
    parentId: r.parent_id,
    sessionId: r.session_id,
    type,
    payload,
    createdAt: r.created_at,
  }
}
