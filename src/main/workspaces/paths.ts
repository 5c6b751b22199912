import { readdir, realpath, stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, parse, resolve } from 'node:path'
import type { DirListing } from '../../shared/model'
import { ContractError } from '../../shared/errors'

/** Most folders one listing returns; a folder with more is cut and marked `truncated`. */
export const MAX_DIR_ENTRIES = 5000

/**
 * Resolve a folder the user asked to open as a workspace: absolute, existing, a directory, and not
 * the filesystem root or the home folder itself (an agent with the whole disk or home in scope is a
 * mistake to refuse, not to warn about). Returns the real path (symlinks resolved).
 */
export async function resolveWorkspacePath(input: string, home: string): Promise<string> {
  if (!isAbsolute(input)) {
    throw new ContractError('invalid_workspace', `"${input}" is not an absolute path.`)
  }
  let real: string
  try {
    real = await realpath(resolve(input))
  } catch (err) {
    throw fsError(err, input)
  }
  const info = await stat(real)
  if (!info.isDirectory()) {
    throw new ContractError('invalid_workspace', `"${input}" is a file, not a folder.`)
  }
  if (real === parse(real).root) {
    throw new ContractError(
      'invalid_workspace',
      `Refusing to open the filesystem root "${real}" as a workspace: choose a project folder.`,
    )
  }
  const realHome = await realpath(home).catch(() => resolve(home))
  if (real === realHome) {
    throw new ContractError(
      'invalid_workspace',
      `Refusing to open your home folder "${real}" itself as a workspace: choose a project folder inside it.`,
    )
  }
  return real
}

export function workspaceName(path: string): string {
  return basename(path) || path
}

/** Sub-folders of `path` (default: home), for the host-side folder browser. */
export async function listDirs(
  path: string | undefined,
  home: string,
  showHidden = false,
): Promise<DirListing> {
  const target = path ?? home
  if (!isAbsolute(target)) {
    throw new ContractError('invalid_params', `"${target}" is not an absolute path.`)
  }
  let real: string
  let dirents
  try {
    real = await realpath(resolve(target))
    dirents = await readdir(real, { withFileTypes: true })
  } catch (err) {
    throw fsError(err, target)
  }
  const entries: DirListing['entries'] = []
  for (const d of dirents) {
    const hidden = d.name.startsWith('.')
    if (hidden && !showHidden) continue
    let isDir = d.isDirectory()
    if (d.isSymbolicLink()) {
      isDir = await stat(resolve(real, d.name))
        .then((s) => s.isDirectory())
        .catch(() => false)
    }
    if (isDir) entries.push({ name: d.name, path: resolve(real, d.name), hidden })
  }
  entries.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }))
  const root = parse(real).root
  const realHome = await realpath(home).catch(() => resolve(home))
  return {
    path: real,
    parent: real === root ? null : dirname(real),
    home: realHome,
    entries: entries.slice(0, MAX_DIR_ENTRIES),
    truncated: entries.length > MAX_DIR_ENTRIES,
    openable: real !== root && real !== realHome,
  }
}

function fsError(err: unknown, path: string): ContractError {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return new ContractError('not_found', `"${path}" does not exist.`)
  if (code === 'ENOTDIR')
    return new ContractError('invalid_workspace', `"${path}" is not a folder.`)
  if (code === 'EACCES' || code === 'EPERM') {
    return new ContractError('io_error', `Permission denied reading "${path}".`)
  }
  return new ContractError('io_error', `Cannot read "${path}": ${String(err)}`)
}
