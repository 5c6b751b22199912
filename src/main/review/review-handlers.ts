import { readFile, realpath, rename, stat, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import type { AppendEntry, RestoreNote } from '../../shared/entries'
import type { MethodOutput } from '../../shared/contract'
import { REVIEW_FILE_MAX_CHARS } from '../../shared/contract'
import { ContractError } from '../../shared/errors'
import type { Handlers } from '../host/dispatcher'
import { looksBinary } from '../tools/truncate'

export interface ReviewDeps {
  /** A workspace's folder (throws `not_found`). */
  workspaceRoot: (workspaceId: string) => string
  /** The folder of a session's workspace (throws `not_found`). */
  sessionWorkspaceRoot: (sessionId: string) => string
  /** Take a checkpoint of the session's workspace now; its id. */
  checkpoint: (sessionId: string) => Promise<string>
  /** Append an entry to the session's log (through its live runner when there is one). */
  append: AppendEntry
}

/** The contract's Review block. */
export function reviewHandlers(
  deps: ReviewDeps,
): Pick<Handlers, 'workspace.readFile' | 'review.writeFile'> {
  return {
    'workspace.readFile': ({ workspaceId, path }) =>
      readWorkspaceFile(deps.workspaceRoot(workspaceId), path),
    'review.writeFile': async ({ sessionId, path, content, base, text }) => {
      const root = await realpath(deps.sessionWorkspaceRoot(sessionId))
      const target = resolve(root, path)
      if (!inside(root, target) || relative(root, target).split(sep)[0] === '.git') {
        throw new ContractError('invalid_params', `${path} is outside the workspace.`)
      }
      const display = relative(root, target).split(sep).join('/')
      // The state before the write, so it can be undone like a restore.
      const undoId = await deps.checkpoint(sessionId)
      const tmp = resolve(dirname(target), `.paddock-review-${process.pid}-${Date.now()}.tmp`)
      await writeFile(tmp, content)
      await rename(tmp, target)
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

function isErrno(err: unknown, code: string): boolean {
  return (err as { code?: unknown } | null)?.code === code
}

/** Inside `root` (both real paths)? */
function inside(root: string, target: string): boolean {
  const rel = relative(root, target)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

export async function readWorkspaceFile(
  workspaceRoot: string,
  path: string,
): Promise<MethodOutput<'workspace.readFile'>> {
  const root = await realpath(workspaceRoot)
  const lexical = resolve(root, path)
  if (!inside(root, lexical)) {
    throw new ContractError('invalid_params', `${path} is outside the workspace.`)
  }
  const display = relative(root, lexical).split(sep).join('/')
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
    real = await realpath(lexical)
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return missing
    throw err
  }
  // A symlink may point out of the workspace: its target is not the workspace's to show.
  if (!inside(root, real)) {
    throw new ContractError('invalid_params', `${path} points outside the workspace.`)
  }
  const info = await stat(real)
  if (info.isDirectory()) throw new ContractError('invalid_params', `${path} is a folder.`)
  // UTF-8 takes at least one byte per character: more bytes than 4× the cap can never fit.
  if (info.size > REVIEW_FILE_MAX_CHARS * 4) {
    return { ...missing, exists: true, size: info.size, tooLarge: true }
  }
  const buf = await readFile(real)
  if (looksBinary(buf)) return { ...missing, exists: true, size: buf.length, binary: true }
  const content = buf.toString('utf8')
  if (content.length > REVIEW_FILE_MAX_CHARS) {
    return { ...missing, exists: true, size: buf.length, tooLarge: true }
  }
  return { path: display, exists: true, size: buf.length, binary: false, tooLarge: false, content }
}
