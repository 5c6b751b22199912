import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'

/**
 * Where a session's git state lives, found from its folder: what the sandbox must leave writable
 * for `git add && git commit` to work, and what it must keep read-only so nothing planted there
 * runs outside the sandbox at the user's next git command.
 */
export interface GitLayout {
  /** The `.git` entry of the checkout (a folder in place, a file in a linked worktree). */
  dotGit: string
  /** The checkout's own git folder (`.git`, or `<common>/worktrees/<name>`). */
  gitDir: string
  /** The repository's shared folder (objects, refs, hooks, config). */
  commonDir: string
  /** Whether the checkout is a linked worktree. */
  linked: boolean
  /** The branch HEAD names (`refs/heads/…`), or the one a rebase rewrites; null when detached. */
  branchRef: string | null
}

/** The git layout of the checkout holding `folder`, or null when it is not in one. */
export function findGitLayout(folder: string): GitLayout | null {
  let dir = resolve(folder)
  for (;;) {
    const dotGit = join(dir, '.git')
    const layout = layoutAt(dotGit)
    if (layout) return layout
    const up = dirname(dir)
    if (up === dir) return null
    dir = up
  }
}

function layoutAt(dotGit: string): GitLayout | null {
  let st
  try {
    st = statSync(dotGit)
  } catch {
    return null
  }
  let gitDir = dotGit
  if (st.isFile()) {
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'))
    if (!m?.[1]) return null
    gitDir = isAbsolute(m[1]) ? m[1] : resolve(dirname(dotGit), m[1])
  } else if (!st.isDirectory()) return null
  let commonDir = gitDir
  const commonFile = join(gitDir, 'commondir')
  // Only a linked worktree's git folder names a common one (and the sandbox pins that file); a
  // `commondir` written into a checkout's own .git is the agent's, not git's.
  if (st.isFile() && existsSync(commonFile)) {
    const c = readFileSync(commonFile, 'utf8').trim()
    commonDir = isAbsolute(c) ? c : resolve(gitDir, c)
  }
  let branchRef: string | null = null
  try {
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8')
    const m = /^ref:\s*(refs\/heads\/\S+)\s*$/m.exec(head)
    if (m?.[1] && isSafeBranchRef(m[1])) branchRef = m[1]
  } catch {
    return null
  }
  // In a rebase HEAD is detached; the branch it rewrites is updated when it finishes.
  branchRef ??= rebasedBranch(gitDir)
  return { dotGit, gitDir, commonDir, linked: gitDir !== commonDir, branchRef }
}

/**
 * A branch name as git allows it (`git check-ref-format`): HEAD lies in a folder the agent can
 * write, so a name climbing out (`refs/heads/../../..`) must not choose what the sandbox mounts.
 */
export function isSafeBranchRef(ref: string): boolean {
  if (!ref.startsWith('refs/heads/') || ref.length > 1024) return false
  const parts = ref.slice('refs/heads/'.length).split('/')
  return parts.every(
    (p) =>
      p !== '' &&
      !p.startsWith('.') &&
      !p.endsWith('.lock') &&
      !p.endsWith('.') &&
      !p.includes('..') &&
      // eslint-disable-next-line no-control-regex -- git refuses control characters in names
      !/[\x00-\x20~^:?*[\\\x7f]/.test(p),
  )
}

function rebasedBranch(gitDir: string): string | null {
  for (const dir of ['rebase-merge', 'rebase-apply']) {
    try {
      const name = readFileSync(join(gitDir, dir, 'head-name'), 'utf8').trim()
      if (isSafeBranchRef(name)) return name
    } catch {
      // No rebase of this kind in progress.
    }
  }
  return null
}
