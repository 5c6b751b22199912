/**
 * What deleting a worktree would lose: its uncommitted changes and the commits that are on
 * neither its base nor any remote. Listed exactly, so the refusal can name them.
 */
import type { DirtyFile, Losses, UnpushedCommit } from './errors'
import { WorktreeError } from './errors'
import { commitOf, git } from './git'

/** Parses `git status --porcelain=v1 -z` (renames carry their origin as the next field). */
export function parseStatusZ(out: string): DirtyFile[] {
  const fields = out.split('\0')
  const files: DirtyFile[] = []
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]
    if (field === undefined || field.length < 4) continue
    const status = field.slice(0, 2)
    const path = field.slice(3)
    if (status[0] === 'R' || status[0] === 'C') {
      const from = fields[++i]
      files.push({ status, path, ...(from ? { from } : {}) })
    } else files.push({ status, path })
  }
  return files
}

/** Whether deleting would lose anything. */
export function losesWork(losses: Losses): boolean {
  return losses.dirty.length > 0 || losses.unpushed.length > 0
}

/**
 * What deleting the worktree at `path` would lose, measured against `base` (a ref or commit).
 * The commits are `git log HEAD --not --remotes <base>`: reachable from the worktree's HEAD but
 * neither from any remote-tracking branch nor from the base. (The spelling, `rev-list HEAD
 * --not --remotes --not <base>`, would flip `<base>` back to positive: a second `--not` cancels
 * the first.)
 */
export async function deleteCheck(path: string, base: string, gitBin?: string): Promise<Losses> {
  if (base === '' || base.startsWith('-'))
    throw new WorktreeError('bad-input', `Not a valid base: ${JSON.stringify(base)}`)
  const opts = { cwd: path, bin: gitBin }
  const status = await git(['status', '--porcelain=v1', '-z', '--untracked-files=all'], opts)
  const dirty = parseStatusZ(status)
  return { dirty, unpushed: await unpushedCommits(path, 'HEAD', base, gitBin) }
}

/** The commits of `rev` on neither `base` nor any remote, newest first (run in `cwd`'s repository). */
export async function unpushedCommits(
  cwd: string,
  rev: string,
  base: string,
  gitBin?: string,
): Promise<UnpushedCommit[]> {
  if (base === '' || base.startsWith('-') || rev === '' || rev.startsWith('-'))
    throw new WorktreeError('bad-input', `Not a valid base: ${JSON.stringify(base)}`)
  const opts = { cwd, bin: gitBin }
  const baseCommit = await commitOf(cwd, base, gitBin, `The base ${base}`)
  const log = await git(
    ['log', '--format=%H%x00%s%x00', rev, '--not', '--remotes', baseCommit, '--'],
    opts,
  )
  const parts = log.split('\0')
  const unpushed: UnpushedCommit[] = []
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const sha = (parts[i] ?? '').trim()
    if (sha !== '') unpushed.push({ sha, subject: parts[i + 1] ?? '' })
  }
  return unpushed
}
