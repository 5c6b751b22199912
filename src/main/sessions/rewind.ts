import type { MethodOutput, MethodParams } from '../../shared/contract'
import type { Entry } from '../../shared/model'
import { ContractError } from '../../shared/errors'
import type { Handlers } from '../host/dispatcher'
import type { RewindPayload } from '../../shared/rewind'
import { payloadOf } from '../../shared/entries'
import type { Store } from './store'

type RewindMethod =
  | 'sessions.tree'
  | 'sessions.rewind'
  | 'sessions.switchBranch'
  | 'sessions.fork'
  | 'sessions.restore'
  | 'sessions.undoRestore'

export interface RewindDeps {
  store: Store
  /** The session's agent is running (its conversation must not move under it). */
  running: (sessionId: string) => boolean
  /** The files side: the `checkpoints.*` handlers. */
  restoreFiles: (
    params: MethodParams<'checkpoints.restore'>,
  ) => Promise<MethodOutput<'checkpoints.restore'>>
  undoFiles: (
    params: MethodParams<'checkpoints.undoRestore'>,
  ) => Promise<MethodOutput<'checkpoints.undoRestore'>>
}

/** Paddock's own message to the model within a run (not the user's, not a new run). */
const isCorrection = (entry: Entry): boolean =>
  payloadOf(entry, 'user_message')?.kind === 'correction'

/** Paths a stale-files notice names; the rest are counted. */
const NOTICE_MAX_PATHS = 30

/** How far a rewind looks ahead for the end of its run (entries). */
const SETTLE_MAX_STEPS = 500

/**
 * The session-tree methods: `sessions.tree`, `.rewind`, `.switchBranch`, `.fork`, `.restore` and
 * `.undoRestore`.
 */
export function rewindHandlers(deps: RewindDeps): Pick<Handlers, RewindMethod> {
  const { store } = deps
  const idle = (sessionId: string, what: string): void => {
    if (deps.running(sessionId)) {
      throw new ContractError(
        'session_busy',
        `The agent is running in this session: stop it before you ${what}.`,
      )
    }
  }

  /**
   * Where a rewind to `entryId` lands: the end of its run when the rest of the run changed no
   * files (no later checkpoint), so the agent's answer stays in the conversation; else the entry.
   */
  const settle = (sessionId: string, entryId: string): Entry => {
    const start = store.getEntry(sessionId, entryId)
    let at = start
    for (let i = 0; i < SETTLE_MAX_STEPS && at.type !== 'turn_end'; i++) {
      const next = store.children(sessionId, at.id).find((c) => c.type !== 'branch_point')
      // A message from the user ends the run's tail; Paddock's correction to the model is inside it.
      if (!next || (next.type === 'user_message' && !isCorrection(next))) return start
      if (payloadOf(next, 'checkpoint')?.taken === true) return start
      at = next
    }
    return at.type === 'turn_end' ? at : start
  }

  const rewind = (
    sessionId: string,
    entryId: string,
    extra: Partial<RewindPayload> = {},
  ): MethodOutput<'sessions.rewind'> => {
    const from = store.getSession(sessionId).leafId
    const target = settle(sessionId, entryId)
    const notice = extra.withFiles ? null : staleFilesNotice(sessionId, from, target.id)
    const payload: RewindPayload = {
      kind: 'rewind',
      text: extra.withFiles
        ? 'Files and conversation rewound to this point'
        : 'Conversation rewound to this point',
      from,
      ...extra,
      ...(notice ? { notice } : {}),
    }
    const entry = store.appendEntry(sessionId, {
      type: 'branch_point',
      payload,
      parentId: target.id,
    })
    return { leafId: entry.id, from, branchPointId: entry.id }
  }

  /**
   * After a conversation-only rewind the files stay as the later steps left them: the notice that
   * tells the agent which files changed after the point it now continues from (null: none did).
   */
  const staleFilesNotice = (sessionId: string, from: string | null, to: string): string | null => {
    if (!from) return null
    const old = store.branch(sessionId, from)
    const at = old.findIndex((e) => e.id === to)
    if (at < 0) return null
    const paths = new Set<string>()
    for (const e of old.slice(at + 1)) {
      const checkpoint = payloadOf(e, 'checkpoint')
      if (!checkpoint?.taken) continue
      for (const f of checkpoint.files) paths.add(f.path)
    }
    if (paths.size === 0) return null
    const list = [...paths]
    const shown = list.slice(0, NOTICE_MAX_PATHS).join(', ')
    const more = list.length > NOTICE_MAX_PATHS ? ` and ${list.length - NOTICE_MAX_PATHS} more` : ''
    return (
      '[Paddock note] The user rewound the conversation to this point; the files were not ' +
      `rewound. Steps after this point changed ${shown}${more}: they may not hold what this ` +
      'conversation shows. Read them again before relying on their content.'
    )
  }

  const checkpointEntry = (sessionId: string, checkpointId: string): Entry => {
    const entry = store.checkpointEntry(sessionId, checkpointId)
    if (!entry) {
      throw new ContractError(
        'not_found',
        `Checkpoint ${checkpointId.slice(0, 12)} is not in this session's log: its conversation cannot be rewound.`,
      )
    }
    return entry
  }

  return {
    'sessions.tree': ({ sessionId }) => ({
      leafId: store.getSession(sessionId).leafId,
      entries: store.tree(sessionId),
    }),
    'sessions.rewind': ({ sessionId, entryId }) => {
      idle(sessionId, 'rewind its conversation')
      return rewind(sessionId, entryId)
    },
    'sessions.switchBranch': ({ sessionId, leafId }) => {
      idle(sessionId, 'switch branches')
      const from = store.getSession(sessionId).leafId
      store.setLeaf(sessionId, leafId)
      return { leafId, from }
    },
    'sessions.fork': ({ sessionId, entryId, title }) => {
      const source = store.getSession(sessionId)
      // A fork works in the workspace folder, but the copied conversation (its stored system
      // prompt, its checkpoints) belongs to the worktree: it would commit onto the user's branch.
      if (source.worktree)
        throw new ContractError(
          'invalid_params',
          `"${source.title}" works in a worktree of its own; forking such a session is not supported yet. Rewind it instead, or create a new worktree session.`,
        )
      const target = settle(sessionId, entryId)
      const branch = store.branch(sessionId, target.id)
      const session = store.createSessionWithBranch(
        source.workspaceId,
        title ?? forkTitle(source.title),
        branch,
        remapIds,
      )
      return { session, copied: branch.length }
    },
    'sessions.restore': async ({ sessionId, checkpointId, scope }) => {
      idle(sessionId, 'restore')
      if (scope === 'files') {
        const files = await deps.restoreFiles({ sessionId, checkpointId })
        return { scope, files, conversation: null }
      }
      const entry = checkpointEntry(sessionId, checkpointId)
      if (scope === 'conversation') {
        const moved = rewind(sessionId, entry.id, { checkpointId })
        return { scope, files: null, conversation: { leafId: moved.leafId, from: moved.from } }
      }
      // Both: rewind first so the restore's note (and the agent's notice) is on the new branch;
      // a files restore that fails puts the leaf back.
      const moved = rewind(sessionId, entry.id, { checkpointId, withFiles: true })
      try {
        const files = await deps.restoreFiles({ sessionId, checkpointId })
        return { scope, files, conversation: { leafId: moved.leafId, from: moved.from } }
      } catch (err) {
        if (moved.from) store.setLeaf(sessionId, moved.from)
        throw err
      }
    },
    'sessions.undoRestore': async ({ sessionId }) => {
      idle(sessionId, 'undo a restore')
      const last = lastUndoable(store.branch(sessionId))
      if (!last) {
        throw new ContractError(
          'not_found',
          'There is no restore or rewind to undo in this session.',
        )
      }
      if (!last.rewind) {
        return { files: await deps.undoFiles({ sessionId }), conversation: null }
      }
      const payload = last.rewind
      const files = last.files ? await deps.undoFiles({ sessionId }) : null
      if (!payload.from) return { files, conversation: null }
      const before = store.getSession(sessionId).leafId
      store.setLeaf(sessionId, payload.from)
      return { files, conversation: { leafId: payload.from, from: before } }
    },
  }
}

/**
 * The latest thing on the branch an undo reverts: a rewind (`branch_point`), or a files restore
 * (`note` of kind `restore`) not undone yet. A restore right after a "both" rewind belongs to it;
 * `files` says whether the files side still needs undoing.
 */
function lastUndoable(branch: Entry[]): Undoable | null {
  const undone = new Set<string>()
  const completed = new Set<string>()
  let pending: Entry | null = null
  const restore = (entry: Entry): Undoable => ({ entry, rewind: null, files: true })
  for (let i = branch.length - 1; i >= 0; i--) {
    const e = branch[i]!
    const rewind = payloadOf(e, 'branch_point')
    if (rewind) {
      if (rewind.withFiles !== true)
        return pending ? restore(pending) : { entry: e, rewind, files: false }
      return { entry: e, rewind, files: pending !== null }
    }
    if (e.type === 'checkpoint') continue
    const note = payloadOf(e, 'note')
    if (note) {
      // A finished restore's intent note is part of it; an intent alone, a restore cut short.
      if (completed.has(e.id)) continue
      if (note.completes !== undefined) completed.add(note.completes)
      if (note.undoes !== undefined) undone.add(note.undoes)
      else if (!undone.has(e.id) && !pending) pending = e
      continue
    }
    // Past the bookkeeping that follows a rewind: a pending restore stands alone.
    if (pending) return restore(pending)
  }
  return pending ? restore(pending) : null
}

/** What an undo reverts: a rewind (`rewind` set) or a files restore (`rewind` null). */
interface Undoable {
  entry: Entry
  rewind: RewindPayload | null
  /** The files side still needs undoing. */
  files: boolean
}

/** "Title (fork)", "Title (fork 2)"… kept short. */
function forkTitle(title: string): string {
  const m = /^(.*) \(fork(?: (\d+))?\)$/.exec(title)
  if (!m) return `${title.slice(0, 180)} (fork)`
  return `${m[1]} (fork ${Number(m[2] ?? 1) + 1})`
}

/**
 * Entry ids a payload may name (a checkpoint's turn and anchor, an undo's restore, an intent, a
 * compaction's cut).
 */
const ID_FIELDS = [
  'turnId',
  'anchorId',
  'undoes',
  'completes',
  'firstKeptId',
  'keptPromptId',
  'replacedFromId',
  'entryId',
] as const

/** A copied payload with the entry ids it names mapped to their copies. */
function remapIds(payload: unknown, ids: Map<string, string>): unknown {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return payload
  const record = payload as Record<string, unknown>
  let out: Record<string, unknown> | null = null
  // A prune names the tool results it replaced, one object each.
  if (Array.isArray(record.outputs)) {
    out = {
      ...record,
      outputs: record.outputs.map((o: unknown) =>
        o && typeof o === 'object' ? remapIds(o, ids) : o,
      ),
    }
  }
  for (const field of ID_FIELDS) {
    const value = record[field]
    if (typeof value !== 'string') continue
    const mapped = ids.get(value)
    if (mapped) (out ??= { ...record })[field] = mapped
  }
  return out ?? payload
}
