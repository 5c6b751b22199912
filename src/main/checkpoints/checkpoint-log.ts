import type { Database } from 'better-sqlite3'
import { CheckpointPayload, payloadOf, RestoreNotePayload } from '../../shared/entries'
import type {
  CheckpointReason,
  CheckpointRecord,
  CheckpointTaken,
  RestoreNote,
} from '../../shared/entries'
import type { Entry } from '../../shared/model'
import type { ChangedOutsideOptions, RestoreResult, SnapshotOk } from './store'

/** What a checkpoint entry says besides the snapshot: why, and where in the conversation. */
export interface RecordContext {
  reason: CheckpointReason
  toolCallId?: string
  toolName?: string
  turnId: string | null
  anchorId: string | null
  /** What it found changed is this session's doing (see `ownChanges` in the entry). */
  ownChanges?: boolean
}

const MAX_FILES = 1000
const MAX_UNPROTECTED = 100
const MAX_PATHS = 1000

export function takenRecord(cp: SnapshotOk, ctx: RecordContext): CheckpointTaken {
  return {
    taken: true,
    id: cp.id,
    ref: cp.ref,
    baseline: cp.baseline,
    files: cp.files.slice(0, MAX_FILES).map((f) => ({
      path: f.path,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      binary: f.binary,
    })),
    filesTotal: cp.files.length,
    additions: cp.files.reduce((n, f) => n + (f.additions ?? 0), 0),
    deletions: cp.files.reduce((n, f) => n + (f.deletions ?? 0), 0),
    unprotected: cp.unprotected.slice(0, MAX_UNPROTECTED).map((u) => ({
      path: u.path,
      reason: u.reason,
      ...(u.detail ? { detail: u.detail } : {}),
    })),
    unprotectedTotal: cp.unprotected.length,
    ...context(ctx),
    ownChanges: ctx.ownChanges === true,
    durationMs: Math.round(cp.durationMs * 10) / 10,
    ...(cp.warnings.length ? { warnings: cp.warnings } : {}),
  }
}

export function missedRecord(
  code: Extract<CheckpointRecord, { taken: false }>['code'],
  message: string,
  ctx: RecordContext,
  durationMs = 0,
): CheckpointRecord {
  return {
    taken: false,
    code,
    message,
    ...context(ctx),
    durationMs: Math.round(durationMs * 10) / 10,
  }
}

function context(ctx: RecordContext): Omit<RecordContext, 'ownChanges'> {
  return {
    reason: ctx.reason,
    ...(ctx.toolCallId ? { toolCallId: ctx.toolCallId } : {}),
    ...(ctx.toolName ? { toolName: ctx.toolName } : {}),
    turnId: ctx.turnId,
    anchorId: ctx.anchorId,
  }
}

/** Whether the session's log holds a checkpoint taken before tool call `toolCallId`. */
export function takenBefore(db: Database, sessionId: string, toolCallId: string): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM entries WHERE session_id = ? AND type = 'checkpoint'
           AND json_extract(payload, '$.taken') = 1 AND json_extract(payload, '$.toolCallId') = ?`,
      )
      .get(sessionId, toolCallId) !== undefined
  )
}

/** The session's checkpoint entries (every branch), by checkpoint id: the first entry of each. */
export function checkpointEntries(
  db: Database,
  sessionId: string,
): Map<string, { entryId: string; record: CheckpointTaken }> {
  const rows = db
    .prepare(
      `SELECT id, payload FROM entries WHERE session_id = ? AND type = 'checkpoint' ORDER BY rowid`,
    )
    .all(sessionId) as Array<{ id: string; payload: string }>
  const out = new Map<string, { entryId: string; record: CheckpointTaken }>()
  for (const row of rows) {
    let json: unknown
    try {
      json = JSON.parse(row.payload)
    } catch {
      continue
    }
    const p = CheckpointPayload.safeParse(json)
    // The first entry names a checkpoint; a later one for the same id (a step another process
    // protected with a checkpoint already taken) adds nothing to list.
    if (p.success && p.data.taken && !out.has(p.data.id)) {
      out.set(p.data.id, { entryId: row.id, record: p.data })
    }
  }
  return out
}

/**
 * The restore an undo goes back from: the newest restore on the branch that is not itself an undo
 * and has not been undone (so repeated undos walk back through earlier restores). An `intent` note
 * no note completes is a restore cut short: it is undone like any other.
 */
export function restoreToUndo(branch: Entry[]): { entry: Entry; note: RestoreNote } | null {
  const undone = new Set<string>()
  const completed = new Set<string>()
  for (let i = branch.length - 1; i >= 0; i--) {
    const e = branch[i]!
    const note = payloadOf(e, 'note')
    if (!note || completed.has(e.id)) continue
    if (note.completes) completed.add(note.completes)
    if (note.undoes) {
      undone.add(note.undoes)
      continue
    }
    if (!undone.has(e.id)) return { entry: e, note }
  }
  return null
}

const short = (id: string): string => id.slice(0, 12)

/**
 * The session's last finished restore (or undo), on any branch (the files do not follow the
 * conversation's branches), as `changedOutside` takes it.
 */
export function lastRestore(db: Database, sessionId: string): ChangedOutsideOptions['lastRestore'] {
  const rows = db
    .prepare(
      `SELECT payload FROM entries WHERE session_id = ? AND type = 'note' ORDER BY rowid DESC`,
    )
    .iterate(sessionId) as Iterable<{ payload: string }>
  for (const row of rows) {
    let json: unknown
    try {
      json = JSON.parse(row.payload)
    } catch {
      continue
    }
    const p = RestoreNotePayload.safeParse(json)
    if (!p.success || p.data.intent) continue
    const note = p.data
    return {
      undoId: note.undoId,
      target: note.checkpointId,
      paths: [...note.written, ...note.deleted],
    }
  }
  return undefined
}

/** The `note` recorded before a restore writes: what an undo needs if the restore is cut short. */
export function restoreIntent(
  target: string,
  undoId: string,
  files: string[] | null,
  undo: boolean,
): RestoreNote {
  // Not marked `undoes`: an undo cut short is undone like a restore, back to where it started.
  return {
    kind: 'restore',
    text: `${undo ? 'Undoing a restore' : `Restoring files to checkpoint ${short(target)}`}…`,
    checkpointId: target,
    undoId,
    files,
    written: [],
    deleted: [],
    writtenTotal: 0,
    deletedTotal: 0,
    skipped: [],
    intent: true,
  }
}

/** The `note` payload recording a restore (`intent`: the note recorded before it wrote). */
export function restoreNote(
  result: RestoreResult,
  files: string[] | null,
  undoes?: { entryId: string },
  intent?: { entryId: string },
): RestoreNote {
  const changed = result.written.length + result.deleted.length
  const what = changed === 0 ? 'no file differed' : `${changed} file${changed === 1 ? '' : 's'}`
  const text = undoes
    ? `Undid a restore: files back as they were before it (${what}).`
    : `Restored files to checkpoint ${short(result.target)} (${what}).`
  return {
    kind: 'restore',
    text,
    checkpointId: result.target,
    undoId: result.undoId,
    files,
    written: result.written.slice(0, MAX_PATHS),
    deleted: result.deleted.slice(0, MAX_PATHS),
    writtenTotal: result.written.length,
    deletedTotal: result.deleted.length,
    skipped: result.skipped.slice(0, MAX_PATHS),
    ...(undoes ? { undoes: undoes.entryId } : {}),
    ...(intent ? { completes: intent.entryId } : {}),
  }
}
