/**
 * The Changes panel's "against base" view: the files the session changed since it left its base
 * (uncommitted work included), and one file's two versions — at the merge base and on disk.
 */
import { readFile, realpath, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { REVIEW_FILE_MAX_CHARS } from '../../shared/contract'
import { isWithin } from '../core/within'
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
  /** Either side is larger than a review shows (`REVIEW_FILE_MAX_CHARS` bytes): neither is read. */
  tooLarge: boolean
}

/**
 * The worktree's file as text, read only when it is a regular file inside the worktree once
 * symlinks are resolved (a link to the data folder, `/dev/zero` or a FIFO is never read) and not
 * larger than a review shows. Null when it does not exist; 'too-large' when it is over the limit.
 */
async function readInside(root: string, rel: string): Promise<string | null | 'too-large'> {
  const realRoot = await realpath(root)
  let real: string
  try {
    real = await realpath(join(root, rel))
  } catch {
    return null
  }
  if (!isWithin(realRoot, real))
    throw new WorktreeError('bad-input', `${rel} points outside the worktree`)
  const st = await stat(real)
  if (!st.isFile()) return null
  if (st.size > REVIEW_FILE_MAX_CHARS) return 'too-large'
  return readFile(real, 'utf8')
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
  const baseSize = Number((await gitMaybe(['cat-file', '-s', `${mb}:${from}`], { cwd, bin })) ?? 0)
  const baseTooLarge = baseSize > REVIEW_FILE_MAX_CHARS
  const baseText = baseTooLarge
    ? undefined
    : await gitMaybe(['cat-file', 'blob', `${mb}:${from}`], { cwd, bin })
  const read = await readInside(cwd, path)
  const tooLarge = baseTooLarge || read === 'too-large'
  const current = read === 'too-large' || tooLarge ? null : read
  const file: FileAgainstBase = {
    path,
    base: tooLarge ? null : (baseText ?? null),
    current,
    binary: (baseText ?? '').includes('\0') || (current ?? '').includes('\0'),
    tooLarge,
  }
  return { mergeBase: mb, files, file }
}
