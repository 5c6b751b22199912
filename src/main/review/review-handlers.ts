import { resolve } from 'node:path'
import type { AppendEntry, RestoreNote } from '../../shared/entries'
import type { MethodOutput } from '../../shared/contract'
import { REVIEW_FILE_MAX_CHARS } from '../../shared/contract'
import { ContractError } from '../../shared/errors'
import type { Handlers } from '../host/dispatcher'
import { pathWithin } from '../core/within'
import { errnoCode } from '../tools/fs-errors'
import { resolveToolPath } from '../tools/paths'
import { looksBinary } from '../tools/truncate'
import type { FsOps } from '../tools/types'

export interface ReviewDeps {
  /** A workspace's folder (throws `not_found`). */
  workspaceRoot: (workspaceId: string) => string
  /** The folder of a session's workspace (throws `not_found`). */
  sessionWorkspaceRoot: (sessionId: string) => string
  /** Take a checkpoint of the session's workspace now; its id. */
  checkpoint: (sessionId: string) => Promise<string>
  /** Append an entry to the session's log (through its live runner when there is one). */
  append: AppendEntry
  /** The filesystem, through the same operations the agent's tools use. */
  fs: FsOps
}

/** The contract's review methods: read a workspace file, write an edited one back. */
export function reviewHandlers(
  deps: ReviewDeps,
): Pick<Handlers, 'workspaces.readFile' | 'review.writeFile'> {
  return {
    'workspaces.readFile': ({ workspaceId, sessionId, path }) =>
      readWorkspaceFile(
        deps.fs,
        sessionId ? deps.sessionWorkspaceRoot(sessionId) : deps.workspaceRoot(workspaceId),
        path,
      ),
    'review.writeFile': async ({ sessionId, path, content, base, text }) => {
      // The same rules as the agent's own writes: inside the workspace once symlinks are
      // resolved, and never into a .git folder.
      const target = await resolveToolPath(
        { workspaceRoot: deps.sessionWorkspaceRoot(sessionId), fs: deps.fs },
        path,
        { write: true },
      )
      if (!target.ok) throw new ContractError('invalid_params', target.message)
      const { display, real } = target.path
      if (display === '.') throw new ContractError('invalid_params', `${path} is a folder.`)
      // The state before the write, so it can be undone like a restore.
      const undoId = await deps.checkpoint(sessionId)
      await deps.fs.writeFileAtomic(real, content)
      const note: RestoreNote = {
        kind: 'restore',
        text,
        checkpointId: base,
        undoId,
        files: [display],
        written: [display],
        deleted: [],
        writtenTotal: 1,
        deletedTotal: 0,
        skipped: [],
      }
      const entry = deps.append(sessionId, 'note', note)
      return { undoId, entryId: entry.id }
    },
  }
}

export async function readWorkspaceFile(
  fs: FsOps,
  workspaceRoot: string,
  path: string,
): Promise<MethodOutput<'workspaces.readFile'>> {
  const root = await fs.realpath(workspaceRoot)
  const lexical = resolve(root, path)
  const display = pathWithin(root, lexical)
  if (display === null) {
    throw new ContractError('invalid_params', `${path} is outside the workspace.`)
  }
  const missing = {
    path: display,
    exists: false,
    size: 0,
    binary: false,
    tooLarge: false,
    content: null,
  }
  let real: string
  try {
    real = await fs.realpath(lexical)
  } catch (err) {
    const code = errnoCode(err)
    if (code === 'ENOENT' || code === 'ENOTDIR') return missing
    throw err
  }
  // A symlink may point out of the workspace: its target is not the workspace's to show.
  if (pathWithin(root, real) === null) {
    throw new ContractError('invalid_params', `${path} points outside the workspace.`)
  }
  const info = await fs.stat(real)
  if (info.isDirectory) throw new ContractError('invalid_params', `${path} is a folder.`)
  // UTF-8 takes at least one byte per character: more bytes than 4× the cap can never fit.
  if (info.size > REVIEW_FILE_MAX_CHARS * 4) {
    return { ...missing, exists: true, size: info.size, tooLarge: true }
  }
  const buf = await fs.readFile(real)
  if (looksBinary(buf)) return { ...missing, exists: true, size: buf.length, binary: true }
  const content = buf.toString('utf8')
  if (content.length > REVIEW_FILE_MAX_CHARS) {
    return { ...missing, exists: true, size: buf.length, tooLarge: true }
  }
  return { path: display, exists: true, size: buf.length, binary: false, tooLarge: false, content }
}
