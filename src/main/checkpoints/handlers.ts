import type { MethodOutput, MethodParams } from '../../shared/contract'
import type { CheckpointTaken } from '../../shared/entries'
import {
  CHECKPOINT_DIFF_MAX_FILES,
  CHECKPOINT_DIFF_MAX_PATCH_CHARS,
  CHECKPOINT_FILE_MAX_BYTES,
} from '../../shared/contract'
import { ContractError } from '../../shared/errors'
import type { Handlers } from '../host/dispatcher'
import { lastPromptId } from '../context/history'
import {
  checkpointEntries,
  lastRestore,
  restoreIntent,
  restoreNote,
  restoreToUndo,
  takenRecord,
} from './checkpoint-log'
import type { RecordContext } from './checkpoint-log'
import type { EngineCheckpoints } from './engine-checkpoints'
import { CheckpointError } from './store'
import type { CheckpointStore, DiffResult } from './store'

type CheckpointMethod =
  | 'checkpoints.list'
  | 'checkpoints.create'
  | 'checkpoints.diff'
  | 'checkpoints.restore'
  | 'checkpoints.restorePreview'
  | 'checkpoints.undoRestore'
  | 'checkpoints.file'

/** What other domains ask of checkpoints (the review's writes, the rewind's restores). */
export interface CheckpointService {
  /** Take a checkpoint of the session's workspace now. */
  create(sessionId: string): Promise<MethodOutput<'checkpoints.create'>>
  restore(params: MethodParams<'checkpoints.restore'>): Promise<MethodOutput<'checkpoints.restore'>>
  undoRestore(
    params: MethodParams<'checkpoints.undoRestore'>,
  ): Promise<MethodOutput<'checkpoints.undoRestore'>>
}

/** The checkpoint operations other domains use, with the same errors the contract answers. */
export function checkpointService(cp: EngineCheckpoints): CheckpointService {
  return {
    create: (sessionId) => guard(() => create(cp, sessionId)),
    restore: ({ sessionId, checkpointId, files }) =>
      guard(() => restore(cp, sessionId, checkpointId, files ?? null)),
    undoRestore: ({ sessionId }) => guard(() => undoRestore(cp, sessionId)),
  }
}

/** The contract's checkpoint methods, over the engine's stores. */
export function checkpointHandlers(cp: EngineCheckpoints): Pick<Handlers, CheckpointMethod> {
  const service = checkpointService(cp)
  return {
    'checkpoints.list': ({ sessionId }) => guard(() => list(cp, sessionId)),
    'checkpoints.create': ({ sessionId }) => service.create(sessionId),
    'checkpoints.diff': ({ sessionId, from, to }) =>
      guard(async () => {
        const target = to ?? 'worktree'
        const slot = await cp.slotFor(
          sessionId,
          target === 'worktree' ? 'write' : 'read',
          'A diff against the working tree (one between two checkpoints works here)',
        )
        return bound(await slot.store.diff(from, target))
      }),
    'checkpoints.restore': (params) => service.restore(params),
    'checkpoints.restorePreview': (params) =>
      guard(async () => {
        const { sessionId, checkpointId } = params
        const slot = await cp.slotFor(sessionId, 'write', 'A restore')
        if (!(await slot.store.isCheckpoint(checkpointId))) {
          throw new ContractError('not_found', `No checkpoint ${checkpointId} in this workspace.`)
        }
        return { checkpointId, changedOutside: await outside(cp, slot.store, params) }
      }),
    'checkpoints.undoRestore': (params) => service.undoRestore(params),
    'checkpoints.file': ({ sessionId, checkpointId, path }) =>
      guard(async () => {
        const slot = await cp.slotFor(sessionId, 'read')
        return slot.store.readFile(checkpointId, path, CHECKPOINT_FILE_MAX_BYTES)
      }),
  }
}

/** Run a handler, turning the store's errors into contract errors (retrying once after a swap). */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    // A read-only store we used was just replaced by a writable one: once more, on that.
    if (err instanceof CheckpointError && err.code === 'store_closed') {
      try {
        return await fn()
      } catch (again) {
        throw toContractError(again)
      }
    }
    throw toContractError(err)
  }
}

function toContractError(err: unknown): unknown {
  if (!(err instanceof CheckpointError)) return err
  switch (err.code) {
    case 'invalid_input':
      return new ContractError('invalid_params', err.message)
    case 'not_found':
      return new ContractError('not_found', err.message)
    case 'refused_root':
      return new ContractError('invalid_workspace', err.message)
    case 'store_busy':
    case 'store_read_only':
      return new ContractError('store_busy', err.message)
    default:
      return new ContractError('io_error', err.message)
  }
}

async function list(
  cp: EngineCheckpoints,
  sessionId: string,
): Promise<MethodOutput<'checkpoints.list'>> {
  const slot = await cp.slotFor(sessionId, 'read')
  const infos = await slot.store.list(sessionId)
  const logged = checkpointEntries(cp.deps.db, sessionId)
  return infos.map((info) => {
    const e = logged.get(info.id)
    return {
      id: info.id,
      ref: info.ref,
      n: info.n,
      reason: info.reason,
      label: info.label,
      createdAt: info.createdAt,
      filesChanged: info.filesChanged,
      additions: info.additions,
      deletions: info.deletions,
      unprotected: info.unprotected,
      entryId: e?.entryId ?? null,
      toolCallId: e?.record.toolCallId ?? null,
      toolName: e?.record.toolName ?? null,
      turnId: e?.record.turnId ?? null,
      anchorId: e?.record.anchorId ?? null,
      files: e?.record.files ?? [],
      ownChanges: e ? ownChanges(e.record) : false,
    }
  })
}

/** Whether a checkpoint's files are the session's doing; older logs: its end-of-step ones. */
function ownChanges(record: CheckpointTaken): boolean {
  return record.ownChanges ?? (record.reason === 'turn-end' || record.reason === 'after-restore')
}

/** Where a checkpoint taken outside a run's steps belongs: the leaf, and the run if one is live. */
function outsideRun(
  cp: EngineCheckpoints,
  sessionId: string,
  reason: RecordContext['reason'],
): RecordContext {
  const session = cp.deps.store.getSession(sessionId)
  const running = cp.deps.running().some((r) => r.sessionId === sessionId)
  return {
    reason,
    turnId: running ? lastPromptId(cp.deps.store.branch(sessionId)) : null,
    anchorId: session.leafId,
  }
}

async function create(
  cp: EngineCheckpoints,
  sessionId: string,
): Promise<MethodOutput<'checkpoints.create'>> {
  const slot = await cp.slotFor(sessionId, 'write', 'Taking a checkpoint')
  const snap = await slot.store.snapshot({ sessionId, reason: 'manual', label: 'On demand' })
  if (!snap.ok) throw new ContractError('io_error', snap.message)
  cp.noteSnapshot(slot, true)
  const entry = snap.changed
    ? cp.record(sessionId, takenRecord(snap, outsideRun(cp, sessionId, 'manual')))
    : null
  return {
    id: snap.id,
    ref: snap.ref,
    changed: snap.changed,
    baseline: snap.baseline,
    files: snap.files,
    unprotected: snap.unprotected,
    durationMs: snap.durationMs,
    entryId: entry?.id ?? null,
  }
}

/** Undo the session's last restore: put back only what it changed. */
async function undoRestore(
  cp: EngineCheckpoints,
  sessionId: string,
): Promise<MethodOutput<'checkpoints.undoRestore'>> {
  const target = restoreToUndo(cp.deps.store.branch(sessionId))
  if (!target) throw new ContractError('not_found', 'There is no restore to undo in this session.')
  const { note } = target
  // Put back only what the restore changed, so later work elsewhere is kept (a long list was cut
  // in the log: then the restore's own scope).
  // A restore cut short (its intent only) is put back within its own scope.
  const complete =
    !note.intent &&
    note.written.length === note.writtenTotal &&
    note.deleted.length === note.deletedTotal
  const scope = complete ? [...note.written, ...note.deleted] : note.files
  const result = await restore(cp, sessionId, note.undoId, scope, { entryId: target.entry.id })
  return { ...result, undone: target.entry.id }
}

async function restore(
  cp: EngineCheckpoints,
  sessionId: string,
  checkpointId: string,
  files: string[] | null,
  undoes?: { entryId: string },
): Promise<MethodOutput<'checkpoints.restore'>> {
  const slot = await cp.slotFor(sessionId, 'write', 'A restore')
  if (!(await slot.store.isCheckpoint(checkpointId))) {
    throw new ContractError('not_found', `No checkpoint ${checkpointId} in this workspace.`)
  }
  // What the user (or anyone but Paddock) changed since the latest checkpoint and this overwrites.
  const changedOutside = await outside(cp, slot.store, {
    sessionId,
    checkpointId,
    ...(files ? { files } : {}),
  })
  // The present first, recorded like any checkpoint: a restore can always be undone.
  const before = await slot.store.snapshot({
    sessionId,
    reason: 'before-restore',
    label: `Before restoring ${checkpointId.slice(0, 12)}`,
  })
  if (!before.ok) throw new ContractError('io_error', `Nothing restored: ${before.message}`)
  cp.noteSnapshot(slot, false)
  if (before.changed) {
    cp.record(sessionId, takenRecord(before, outsideRun(cp, sessionId, 'before-restore')))
  }
  // Logged before anything is written, so an undo finds the restore even if it is cut short.
  const intent = cp.deps.append(
    sessionId,
    'note',
    restoreIntent(checkpointId, before.id, files, undoes !== undefined),
  )
  const result = await slot.store.restore(checkpointId, {
    sessionId,
    ...(files ? { files } : {}),
  })
  const note = cp.deps.append(
    sessionId,
    'note',
    restoreNote(result, files, undoes, { entryId: intent.id }),
  )
  await recordRestored(cp, slot.store, sessionId, note.id, undoes ? null : result.target)
  const ws = cp.workspaceOf(sessionId)
  return {
    checkpointId: result.target,
    written: result.written,
    deleted: result.deleted,
    skipped: result.skipped,
    undoId: result.undoId,
    otherRunningSessions: cp.deps
      .running()
      .filter((r) => r.sessionId !== sessionId && storeIdOf(cp, r.sessionId) === ws.id)
      .map((r) => ({ sessionId: r.sessionId, title: r.title })),
    entryId: note.id,
    warnings: result.warnings,
    changedOutside,
  }
}

/**
 * A checkpoint of what a restore (or its undo: `target` null) left, credited to it: no run's
 * point shows its changes. Never throws: a failure is logged, and the next point holds them.
 */
async function recordRestored(
  cp: EngineCheckpoints,
  store: CheckpointStore,
  sessionId: string,
  noteId: string,
  target: string | null,
): Promise<void> {
  try {
    const label = target ? `After restoring ${target.slice(0, 12)}` : 'After undoing a restore'
    const after = await store.snapshot({ sessionId, reason: 'after-restore', label })
    if (!after.ok || !after.changed) return
    cp.record(
      sessionId,
      takenRecord(after, {
        reason: 'after-restore',
        turnId: null,
        anchorId: noteId,
        ownChanges: true,
      }),
    )
  } catch (err) {
    cp.deps.logger.log('warn', 'no checkpoint after a restore', {
      session: sessionId,
      error: String(err),
    })
  }
}

/** The files a restore would overwrite that someone other than Paddock changed since the latest checkpoint. */
function outside(
  cp: EngineCheckpoints,
  store: CheckpointStore,
  { sessionId, checkpointId, files }: MethodParams<'checkpoints.restorePreview'>,
): Promise<string[]> {
  const last = lastRestore(cp.deps.db, sessionId)
  return store.changedOutside(checkpointId, {
    ...(files ? { files } : {}),
    ...(last ? { lastRestore: last } : {}),
  })
}

/** A diff within the contract's bounds: the first files, patches while the budget lasts. */
function bound(diff: DiffResult): MethodOutput<'checkpoints.diff'> {
  let budget = CHECKPOINT_DIFF_MAX_PATCH_CHARS
  let truncated = diff.files.length > CHECKPOINT_DIFF_MAX_FILES
  const files = diff.files.slice(0, CHECKPOINT_DIFF_MAX_FILES).map((f) => {
    let patch = f.patch
    let cut = false
    if (patch !== null) {
      if (patch.length > budget) {
        patch = null
        cut = true
        truncated = true
      } else budget -= patch.length
    }
    return {
      path: f.path,
      ...(f.oldPath !== undefined ? { oldPath: f.oldPath } : {}),
      status: f.status,
      binary: f.binary,
      additions: f.additions,
      deletions: f.deletions,
      oldMode: f.oldMode,
      newMode: f.newMode,
      patch,
      truncated: cut,
    }
  })
  return { from: diff.from, to: diff.to, files, totalFiles: diff.files.length, truncated }
}

/** The store a session's checkpoints go to, or null when its worktree is gone. */
function storeIdOf(cp: EngineCheckpoints, sessionId: string): string | null {
  try {
    return cp.workspaceOf(sessionId).id
  } catch {
    return null
  }
}
