import type { Database } from 'better-sqlite3'
import type { Entry, EntryType } from '../../shared/model'
import { EntryTypeSchema } from '../../shared/model'
import { ContractError } from '../../shared/errors'
import { UserMessagePayload } from '../../shared/entries'
import type { UserMessage } from '../../shared/entries'

/**
 * Read-only queries on the session log (the `entries` table). The `Store` delegates to them; every
 * write stays in the store, where it commits with its event.
 */

export interface EntryRow {
  id: string
  session_id: string
  parent_id: string | null
  type: string
  payload: string
  created_at: number
}

/** Longest `summary` in a `tree` row, in characters. */
export const TREE_SUMMARY_CHARS = 120

export interface TreeRow {
  id: string
  parentId: string | null
  type: EntryType
  createdAt: number
  summary: string
  /** A user_message's kind (a correction is Paddock's, not the user's prompt). */
  kind?: UserMessage['kind']
}

export interface SessionActivity {
  pendingApprovals: string[]
  lastStop: string | null
}

/** The entry `id` if it exists (in any session). */
export function entryRow(db: Database, id: string): EntryRow | undefined {
  return db.prepare('SELECT * FROM entries WHERE id = ?').get(id) as EntryRow | undefined
}

/**
 * Per session: approval questions without an answer yet, and how its last run ended. One pass
 * over approval and turn-end entries (small next to the log), in the order they were written.
 */
export function activity(db: Database): Map<string, SessionActivity> {
  const rows = db
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

/** An answer or a repair, as the quirks report reads them. */
export type RepairLogRow =
  | {
      type: 'assistant_message'
      sessionId: string
      model: unknown
      toolCalls: unknown
      partial: unknown
    }
  | { type: 'repair'; sessionId: string; payload: string; createdAt: number }

/**
 * Every answer (its model and number of tool calls, read in SQL: no content is loaded) and every
 * repair entry of every session and branch, in the order they were written. A repair follows the
 * answer it repaired in its session (the run appends both), so the latest answer before it names
 * its model.
 */
export function* repairLog(db: Database): Generator<RepairLogRow> {
  const rows = db
    .prepare(
      `SELECT session_id, type, created_at,
              CASE type WHEN 'assistant_message' THEN json_extract(payload, '$.model') END AS model,
              CASE type WHEN 'assistant_message'
                THEN json_array_length(payload, '$.toolCalls') END AS tool_calls,
              CASE type WHEN 'assistant_message' THEN json_extract(payload, '$.partial') END AS partial,
              CASE type WHEN 'repair' THEN payload END AS payload
         FROM entries WHERE type IN ('assistant_message', 'repair') ORDER BY rowid`,
    )
    .iterate() as IterableIterator<{
    session_id: string
    type: string
    created_at: number
    model: unknown
    tool_calls: unknown
    partial: unknown
    payload: string | null
  }>
  for (const r of rows) {
    if (r.type === 'repair') {
      yield {
        type: 'repair',
        sessionId: r.session_id,
        payload: r.payload ?? '',
        createdAt: r.created_at,
      }
    } else {
      yield {
        type: 'assistant_message',
        sessionId: r.session_id,
        model: r.model,
        toolCalls: r.tool_calls,
        partial: r.partial,
      }
    }
  }
}

/**
 * Entries from the root to `leafId`, root-most first; with `limit`, only the last `limit` of them.
 * Throws not_found when `leafId` is not one of the session's entries.
 */
export function branch(db: Database, sessionId: string, leafId: string, limit?: number): Entry[] {
  const rows = db
    .prepare(
      `WITH RECURSIVE path(id, parent_id, depth) AS (
         SELECT id, parent_id, 0 FROM entries WHERE id = ? AND session_id = ?
         UNION ALL
         SELECT e.id, e.parent_id, p.depth + 1 FROM entries e JOIN path p ON e.id = p.parent_id
          WHERE p.depth + 1 < ?
       )
       SELECT e.* FROM path JOIN entries e ON e.id = path.id ORDER BY path.depth DESC`,
    )
    .all(leafId, sessionId, limit ?? Number.MAX_SAFE_INTEGER) as EntryRow[]
  if (rows.length === 0)
    throw new ContractError('not_found', `No entry ${leafId} in session ${sessionId}.`)
  return rows.map(toEntry)
}

/**
 * Every entry of the session, oldest first, as `{id, parentId, type, createdAt, summary}`: the
 * summary is a short text (at most TREE_SUMMARY_CHARS) taken in SQL, so a 10k-entry session's
 * tree stays small and no payload is parsed in JS.
 */
export function tree(db: Database, sessionId: string): TreeRow[] {
  const rows = db
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
           WHEN 'compaction' THEN 'context compacted: ' || json_extract(payload, '$.tokensBefore')
                || ' → ' || json_extract(payload, '$.tokensAfter') || ' tokens ('
                || json_extract(payload, '$.reason') || ')'
           WHEN 'prune' THEN json_array_length(payload, '$.outputs') || ' old tool outputs pruned'
           ELSE '' END AS summary,
         CASE type WHEN 'user_message' THEN json_extract(payload, '$.kind') END AS kind
         FROM entries WHERE session_id = ? ORDER BY rowid`,
    )
    .all(sessionId) as Array<{
    id: string
    parent_id: string | null
    type: string
    created_at: number
    summary: unknown
    kind: unknown
  }>
  return rows.map((r) => {
    const kind = UserMessagePayload.shape.kind.safeParse(r.kind)
    return {
      id: r.id,
      parentId: r.parent_id,
      type: r.type as EntryType,
      createdAt: r.created_at,
      summary: typeof r.summary === 'string' ? r.summary : '',
      ...(kind.success ? { kind: kind.data } : {}),
    }
  })
}

/** The session's entry `id` (not_found when it is not one of this session's entries). */
export function getEntry(db: Database, sessionId: string, id: string): Entry {
  const row = db
    .prepare('SELECT * FROM entries WHERE id = ? AND session_id = ?')
    .get(id, sessionId) as EntryRow | undefined
  if (!row) throw new ContractError('not_found', `No entry ${id} in session ${sessionId}.`)
  return toEntry(row)
}

/** The entries whose parent is `id`, oldest first. */
export function children(db: Database, sessionId: string, id: string): Entry[] {
  const rows = db
    .prepare('SELECT * FROM entries WHERE session_id = ? AND parent_id = ? ORDER BY rowid')
    .all(sessionId, id) as EntryRow[]
  return rows.map(toEntry)
}

/** The latest `checkpoint` entry of the session recording checkpoint `checkpointId`. */
export function checkpointEntry(
  db: Database,
  sessionId: string,
  checkpointId: string,
): Entry | undefined {
  const row = db
    .prepare(
      `SELECT * FROM entries WHERE session_id = ? AND type = 'checkpoint'
         AND json_extract(payload, '$.id') = ? ORDER BY rowid DESC LIMIT 1`,
    )
    .get(sessionId, checkpointId) as EntryRow | undefined
  return row ? toEntry(row) : undefined
}

export function toEntry(r: EntryRow): Entry {
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
