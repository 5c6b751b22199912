import { realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { isWithin } from '../core/within'
import type { GitLayout } from './git-layout'
import type { SandboxPolicy } from './policy'
import { HOST_SOCKET_VARS } from './policy'

/** What a path is on the host, as the builder needs to know (no file system access here). */
export type PathKind = 'dir' | 'file' | null

/** The fd bwrap reads the seccomp program from (the launcher opens it there). */
export const SECCOMP_FD = 3

/** Tools' cache folders, moved to the private /tmp (the home is read-only inside). */
export const CACHE_ENV: ReadonlyArray<[string, string]> = [
  ['XDG_CACHE_HOME', '/tmp/.cache'],
  ['npm_config_cache', '/tmp/.npm'],
  ['PIP_CACHE_DIR', '/tmp/.cache/pip'],
  ['GOCACHE', '/tmp/.cache/go-build'],
]

export interface BwrapInput {
  policy: SandboxPolicy
  /** The session's git checkout, if it is one. */
  git: GitLayout | null
  /** Where the command starts inside. */
  cwd: string
  /** Whether a seccomp program is passed on SECCOMP_FD. */
  seccomp: boolean
  /**
   * Start in a new session, without a controlling terminal: for a process that needs no job
   * control (an MCP server), which then cannot type into the terminal Paddock was started from.
   */
  newSession?: boolean
  kind: (path: string) => PathKind
}

/**
 * bwrap's arguments (before the command) for one session: new user, pid and ipc namespaces (and a
 * net namespace unless the network is shared), the whole root read-only, a fresh /dev and /proc,
 * a private /tmp, hidden paths under empty mounts, then the writable folders, git's exceptions
 * and the read-only files on top — in that order, since a later mount covers an earlier one.
 * No `--new-session`: the shell keeps its controlling terminal, so job control and Ctrl-C work;
 * terminal input injection is refused by the seccomp program instead.
 */
export function bwrapArgs(input: BwrapInput): string[] {
  const { policy, kind } = input
  const args = ['--unshare-user', '--unshare-pid', '--unshare-ipc']
  if (!policy.network) args.push('--unshare-net')
  args.push('--die-with-parent', '--cap-drop', 'ALL')
  if (input.newSession) args.push('--new-session')
  args.push('--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc')
  args.push('--bind', policy.tempDir, '/tmp')
  const hide = (paths: readonly string[]): void => {
    for (const p of paths) {
      const k = kind(p)
      // Under /tmp a path is already out of sight (the private /tmp replaced it).
      if (k === null || isWithin('/tmp', p)) continue
      if (k === 'dir') args.push('--tmpfs', p)
      else args.push('--ro-bind', '/dev/null', p)
    }
  }
  hide(policy.hidden)
  for (const p of policy.readable) if (kind(p)) args.push('--ro-bind', p, p)
  const bound = [policy.root, ...policy.writable]
  for (const p of bound) if (kind(p)) args.push('--bind', p, p)
  // A hidden path inside a writable folder (the workspace is the home folder and holds ~/.ssh; the
  // worktrees folder lies in the repository) would be uncovered by that bind: hidden again, and
  // what must stay reachable inside it bound again.
  const again = policy.hidden.filter((h) => bound.some((b) => b !== h && isWithin(b, h)))
  if (again.length) {
    hide(again)
    for (const p of policy.readable) {
      if (kind(p) && again.some((h) => isWithin(h, p))) args.push('--ro-bind', p, p)
    }
    for (const p of bound) {
      if (kind(p) && again.some((h) => h !== p && isWithin(h, p))) args.push('--bind', p, p)
    }
  }
  if (input.git) args.push(...gitArgs(input.git, policy.root, kind))
  for (const p of policy.readOnly) if (kind(p)) args.push('--ro-bind', p, p)
  args.push('--setenv', 'TMPDIR', '/tmp', '--chdir', input.cwd)
  for (const name of HOST_SOCKET_VARS) args.push('--unsetenv', name)
  // Caches usually live in the (read-only) home: into the private /tmp instead.
  for (const [name, value] of CACHE_ENV) args.push('--setenv', name, value)
  if (input.seccomp) args.push('--seccomp', String(SECCOMP_FD))
  return args
}

/** One of git's exceptions, applied in order (a later one covers an earlier one). */
export interface GitMount {
  access: 'ro' | 'rw'
  path: string
}

/**
 * Git's exceptions. Writable: the object store, the checkout's own git folder (index, HEAD, its
 * reflog) and the folder holding its branch's ref and that ref's reflog (a ref is replaced through
 * a lock file beside it, so its folder, not the file, must be writable). Read-only: hooks, config,
 * the other refs, packed refs, submodules' and other worktrees' git folders, and the pointers
 * (`.git` file, `commondir`, `gitdir`) that could send the user's next git command elsewhere.
 * In place the git folder lies in the writable root; it is mounted on itself so that, like every
 * guarded path, it becomes a mount point, which cannot be renamed or removed.
 */
export function gitMounts(git: GitLayout, root: string): GitMount[] {
  const out: GitMount[] = []
  const ro = (path: string): number => out.push({ access: 'ro', path })
  const rw = (path: string): number => out.push({ access: 'rw', path })
  const common = git.commonDir
  if (isWithin(root, common)) rw(common)
  for (const name of ['hooks', 'config', 'config.worktree', 'refs', 'packed-refs', 'modules']) {
    ro(join(common, name))
  }
  ro(join(common, 'info'))
  ro(join(common, 'worktrees'))
  rw(join(common, 'objects'))
  if (git.linked) {
    rw(git.gitDir)
    for (const name of ['commondir', 'gitdir', 'config.worktree']) ro(join(git.gitDir, name))
  }
  if (git.branchRef) {
    rw(join(common, dirname(git.branchRef)))
    rw(join(common, 'logs', dirname(git.branchRef)))
  }
  // A `.git` file points at the git folder: pinned, so it cannot be sent elsewhere.
  if (git.dotGit !== git.gitDir) ro(git.dotGit)
  // A writable place must really lie in the repository's git folders: a link planted under
  // refs/heads (writable for the branch's ref) must not make a folder elsewhere writable.
  const roots = [realOrSelf(common), realOrSelf(git.gitDir)]
  return out.filter((m) => m.access === 'ro' || roots.some((r) => isWithin(r, realOrSelf(m.path))))
}

/** The path with its links resolved, or as given when it does not exist. */
function realOrSelf(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

function gitArgs(git: GitLayout, root: string, kind: (p: string) => PathKind): string[] {
  const out: string[] = []
  for (const m of gitMounts(git, root)) {
    const k = kind(m.path)
    if (m.access === 'ro' && k) out.push('--ro-bind', m.path, m.path)
    // Only folders are made writable (a file bind would refuse git's rename over it).
    if (m.access === 'rw' && k === 'dir') out.push('--bind', m.path, m.path)
  }
  return out
}
