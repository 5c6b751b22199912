/**
 * The Changes panel's "against base" view: the files the session changed since it left its base
 * (uncommitted work included), and one file's two versions — at the merge base and on disk.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { WorktreeError } from './errors'
import { gitMaybe } from './git'
import type { ChangedFile, FlowTarget } from './flow-status'
import { changedAgainstBase, checkRefName, dirtyFiles, mergeBase } from './flow-status'

export interface FileAgainstBase {
  path: string
  /** The file's text at the merge base; null when it did not exist there. */
  base: string | null
  /** The file's text in the worktree now; null when it was deleted. */
  current: string | null
  /** Either side holds a NUL byte: show "binary file", not a text diff. */
  binary: boolean
}

export interface DiffAgainstBase {
  /** The commit both sides are compared from (where the branch left the base). */
  mergeBase: string
  files: ChangedFile[]
  /** Present when a path was asked for. */
  file?: FileAgainstBase
}

/** The changed files against the base, and `path`'s two versions when given (relative to the worktree). */
export async function diffAgainstBase(target: FlowTarget, path?: string): Promise<DiffAgainstBase> {
  const { worktreePath: cwd, base, gitBin: bin } = target
  checkRefName(base, 'base')
  const mb = await mergeBase(cwd, base, 'HEAD', bin)
  const files = await changedAgainstBase(cwd, mb, await dirtyFiles(cwd, bin), bin)
  if (path === undefined) return { mergeBase: mb, files }
  if (path === '' || path.startsWith('/') || path.split(/[\\/]/).includes('..'))
    throw new WorktreeError('bad-input', `Not a path inside the worktree: ${JSON.stringify(path)}`)
  const from = files.find((f) => f.path === path)?.from ?? path
  const baseText = await gitMaybe(['cat-file', 'blob', `${mb}:${from}`], { cwd, bin })
  const current = await readFile(join(cwd, path), 'utf8').catch(() => null)
  const file: FileAgainstBase = {
    path,
    base: baseText ?? null,
    current,
    binary: (baseText ?? '').includes('\0') || (current ?? '').includes('\0'),
  }
  return { mergeBase: mb, files, file }
}
