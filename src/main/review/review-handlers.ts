import { readFile, realpath, stat } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import type { MethodOutput } from '../../shared/contract'
import { REVIEW_FILE_MAX_CHARS } from '../../shared/contract'
import { ContractError } from '../../shared/errors'
import type { Handlers } from '../host/dispatcher'
import { looksBinary } from '../tools/truncate'

/** The contract's Review block. `workspaceRoot` resolves a workspace id (throws `not_found`). */
export function reviewHandlers(deps: {
  workspaceRoot: (workspaceId: string) => string
}): Pick<Handlers, 'workspace.readFile'> {
  return {
    'workspace.readFile': ({ workspaceId, path }) =>
      readWorkspaceFile(deps.workspaceRoot(workspaceId), path),
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
