import { realpath } from 'node:fs/promises'
import { resolve, sep } from 'node:path'
import type { Session, Workspace } from '../../shared/model'
import type { CliCall } from './checkpoints-command'
import { RunUsageError } from './run-flags'

/**
 * What a `--workspace DIR` names when DIR may be a session's worktree: a worktree is
 * not an opened workspace, so it stands for its repository's workspace and that session.
 */
export interface WorkspaceArg {
  workspace: Workspace
  /** The session whose worktree DIR is (or is inside), when it is one. */
  session: Session | null
}

/** Whether `path` is `root` or inside it. */
function within(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)
}

/**
 * The live session whose worktree holds `dir` (resolved against `cwd`, symlinks followed), or
 * null. Sessions deleted for a restore are not listed, so their old folders match nothing.
 */
export async function sessionAtWorktree(
  call: CliCall,
  cwd: string,
  dir: string,
): Promise<Session | null> {
  const path = resolve(cwd, dir)
  const real = await realpath(path).catch(() => path)
  for (const s of await call('sessions.list', {})) {
    if (!s.worktree) continue
    const root = s.worktree.path
    const realRoot = await realpath(root).catch(() => root)
    if (within(root, path) || within(realRoot, real)) return s
  }
  return null
}

/**
 * The workspace `--workspace DIR` names: a session's worktree stands for its repository's
 * workspace; any other folder is opened as a workspace (as before), or, with `open: false`,
 * must be one already.
 */
export async function workspaceArg(
  call: CliCall,
  cwd: string,
  dir: string,
  open = true,
): Promise<WorkspaceArg> {
  const session = await sessionAtWorktree(call, cwd, dir)
  const workspaces = await call('workspaces.list', {})
  if (session) {
    const workspace = workspaces.find((w) => w.id === session.workspaceId)
    if (!workspace) {
      throw new Error(
        `${resolve(cwd, dir)} is the worktree of session ${session.id} "${session.title}", whose workspace is closed.`,
      )
    }
    return { workspace, session }
  }
  const path = resolve(cwd, dir)
  if (open) return { workspace: await call('workspaces.open', { path }), session: null }
  const real = await realpath(path).catch(() => path)
  const workspace = workspaces.find((w) => w.path === path || w.path === real)
  if (!workspace) throw new Error(`No workspace is open at ${path}.`)
  return { workspace, session: null }
}

/**
 * The workspace a run belongs to. With `--session`, the session's own: `--workspace` may be left
 * out, or name it (the repository) or the session's worktree, and naming another is an error.
 * Without, the folder `--workspace` names, opened as a workspace; a session's worktree is not one
 * (its run would work in place at the worktree), so it is refused with what to type instead.
 * Either way the engine roots the run's tools at the session's worktree (`Store.sessionRoot`).
 */
export async function runWorkspace(
  call: CliCall,
  getWorkspace: (id: string) => Workspace,
  flags: { workspace?: string; session?: string },
  cwd: string,
): Promise<Workspace> {
  const atWorktree = flags.workspace ? await sessionAtWorktree(call, cwd, flags.workspace) : null
  if (!flags.session) {
    const path = resolve(cwd, flags.workspace!)
    if (atWorktree) {
      throw new RunUsageError(
        `${path} is the worktree of session ${atWorktree.id} "${atWorktree.title}": continue it ` +
          `with --session ${atWorktree.id}, or name the repository with --workspace for a new session`,
      )
    }
    return call('workspaces.open', { path })
  }
  const session = (await call('sessions.list', {})).find((s) => s.id === flags.session)
  if (!session) throw new Error(`No session ${flags.session} (see paddock sessions list).`)
  const own = getWorkspace(session.workspaceId)
  if (!flags.workspace || atWorktree?.id === session.id) return own
  const named = await call('workspaces.open', { path: resolve(cwd, flags.workspace) })
  if (named.id !== own.id) {
    const where = session.worktree ? ` (its worktree: ${session.worktree.path})` : ''
    throw new RunUsageError(
      `session ${session.id} belongs to the workspace ${own.path}${where}, not ${named.path}`,
    )
  }
  return own
}
