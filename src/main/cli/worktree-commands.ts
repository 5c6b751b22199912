import type { MethodOutput } from '../../shared/contract'
import type { Session, Workspace } from '../../shared/model'
import type { CliIo } from './cli'
import type { CliCall } from './checkpoints-command'
import { workspaceArg } from './worktree-of'

/** A `paddock sessions create|delete|…` or `paddock worktrees …` line that cannot run: exit 2. */
export class WorktreesUsageError extends Error {}

export interface CreateFlags {
  workspace?: string
  title?: string
  worktree: boolean
  base?: string
  branch?: string
  json: boolean
}

/**
 * `paddock sessions create --workspace DIR [--title T] [--worktree [--base REF] [--branch NAME]]`:
 * a session in place (the default, as before), or in a new git worktree of the repository.
 */
export async function runSessionsCreate(
  flags: CreateFlags,
  call: CliCall,
  io: CliIo,
): Promise<number> {
  if (!flags.workspace) throw new WorktreesUsageError('sessions create needs --workspace DIR')
  if (!flags.worktree && (flags.base !== undefined || flags.branch !== undefined)) {
    throw new WorktreesUsageError(
      `${flags.base !== undefined ? '--base' : '--branch'} is for a session in a new worktree: add --worktree`,
    )
  }
  // A session's worktree stands for its repository: it is not a workspace of its own.
  const ws = (await workspaceArg(call, io.cwd, flags.workspace)).workspace
  const session = await call('sessions.create', {
    workspaceId: ws.id,
    ...(flags.title !== undefined ? { title: flags.title } : {}),
    ...(flags.worktree ? { place: 'worktree' as const } : {}),
    ...(flags.base !== undefined ? { base: flags.base } : {}),
    ...(flags.branch !== undefined ? { branch: flags.branch } : {}),
  })
  if (flags.json) io.out(`${JSON.stringify({ ...session, workspacePath: ws.path }, null, 2)}\n`)
  else if (session.worktree) {
    const wt = session.worktree
    io.out(
      `Created session ${session.id} "${session.title}" in ${wt.path} on ${wt.branch} (from ${wt.base})\n`,
    )
  } else io.out(`Created session ${session.id} "${session.title}" in ${ws.path}\n`)
  return 0
}

/** The session `id` names, among the live ones. */
async function sessionById(call: CliCall, id: string): Promise<Session> {
  const session = (await call('sessions.list', {})).find((s) => s.id === id)
  if (!session) throw new Error(`No session ${id} (see paddock sessions list).`)
  return session
}

/** The lines that say what deleting a worktree would lose. */
function lossLines(losses: MethodOutput<'worktrees.deleteCheck'>['losses']): string {
  const lines: string[] = []
  if (losses.dirty.length) {
    lines.push('Uncommitted changes:')
    for (const f of losses.dirty) lines.push(`  ${f.status.padEnd(2)} ${f.path}`)
  }
  if (losses.unpushed.length) {
    lines.push('Commits on neither the base nor a remote:')
    for (const c of losses.unpushed) lines.push(`  ${c.sha.slice(0, 12)} ${c.subject}`)
  }
  return `${lines.join('\n')}\n`
}

/**
 * `paddock sessions delete ID [--force]`. A worktree session whose folder holds work on neither
 * its base nor a remote is deleted only when confirmed: asked at a terminal, `--force` otherwise
 * (without either, exit 1 and nothing is touched). Its work is saved first either way, and
 * `paddock sessions restore-deleted ID` brings it back for 30 days. A session in place is deleted
 * with its conversation and checkpoints; its folder's files stay.
 */
export async function runSessionsDelete(
  args: string[],
  flags: { force: boolean; json: boolean },
  call: CliCall,
  io: CliIo,
): Promise<number> {
  const [id, ...more] = args
  if (!id) throw new WorktreesUsageError('sessions delete needs a session ID')
  if (more.length) throw new WorktreesUsageError(`unexpected argument "${more[0]}"`)
  const session = await sessionById(call, id)
  let force = flags.force
  if (session.worktree && !force) {
    const check = await call('worktrees.deleteCheck', { sessionId: id })
    if (check.losesWork) {
      const what = `Deleting "${session.title}" would lose the work in ${session.worktree.path}:\n${lossLines(check.losses)}`
      if (!io.ask) {
        io.err(
          `paddock: ${what}Use --force to delete anyway (the work is saved and can be restored ` +
            `for 30 days: paddock sessions restore-deleted ${id}).\n`,
        )
        return 1
      }
      io.err(what)
      const reply = await io.ask(
        'Delete anyway? The work is saved and can be restored for 30 days. [y/N] ',
      )
      if (!/^y(es)?$/i.test(reply.trim())) {
        io.err('paddock: not deleted.\n')
        return 1
      }
      force = true
    }
  }
  const done = await call('sessions.delete', { sessionId: id, ...(force ? { force: true } : {}) })
  if (flags.json) {
    io.out(`${JSON.stringify({ ...done, restorable: session.worktree !== null }, null, 2)}\n`)
  } else if (session.worktree) {
    io.out(
      `Deleted session ${id} "${session.title}" and its worktree ${session.worktree.path}. ` +
        `Its branch, commits and uncommitted files are saved in Paddock's checkpoint store: ` +
        `paddock sessions restore-deleted ${id} brings them back (for 30 days).\n`,
    )
  } else {
    io.out(
      `Deleted session ${id} "${session.title}" (its conversation and checkpoints; the files in its folder stay).\n`,
    )
  }
  return 0
}

/** `paddock sessions restore-deleted ID`: a deleted worktree session, its work back in a worktree. */
export async function runRestoreDeleted(
  args: string[],
  flags: { json: boolean },
  call: CliCall,
  io: CliIo,
): Promise<number> {
  const [id, ...more] = args
  if (!id) throw new WorktreesUsageError('sessions restore-deleted needs a session ID')
  if (more.length) throw new WorktreesUsageError(`unexpected argument "${more[0]}"`)
  const session = await call('sessions.restoreDeleted', { sessionId: id })
  if (flags.json) io.out(`${JSON.stringify(session, null, 2)}\n`)
  else {
    const wt = session.worktree
    io.out(
      `Restored session ${session.id} "${session.title}"${wt ? ` in ${wt.path} on ${wt.branch}` : ''}.\n`,
    )
  }
  return 0
}

/** The workspace `--workspace` names, when given (a session's worktree stands for its repository). */
async function workspaceFilter(
  call: CliCall,
  io: CliIo,
  dir: string | undefined,
): Promise<Workspace | undefined> {
  return dir === undefined ? undefined : (await workspaceArg(call, io.cwd, dir, false)).workspace
}

const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19)

/** A table: columns padded to their widest cell. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const fmt = (r: string[]): string =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return `${[fmt(header), ...rows.map(fmt)].join('\n')}\n`
}

/** `paddock sessions deleted [--workspace DIR]`: the deleted sessions that can be restored. */
export async function runDeletedList(
  flags: { workspace?: string; json: boolean },
  call: CliCall,
  io: CliIo,
): Promise<number> {
  const ws = await workspaceFilter(call, io, flags.workspace)
  const rows = await call('worktrees.deleted', ws ? { workspaceId: ws.id } : {})
  if (flags.json) io.out(`${JSON.stringify(rows, null, 2)}\n`)
  else if (rows.length === 0) io.out('No deleted sessions to restore.\n')
  else {
    io.out(
      table(
        ['ID', 'TITLE', 'BRANCH', 'WAS AT', 'DELETED (UTC)', 'RESTORABLE UNTIL (UTC)'],
        rows.map((r) => [
          r.sessionId,
          r.title,
          r.branch,
          r.path,
          time(r.deletedAt),
          time(r.expiresAt),
        ]),
      ),
    )
  }
  return 0
}

/** Bytes as people read them. */
function size(bytes: number, truncated: boolean): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let n = bytes
  let u = 0
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024
    u++
  }
  return `${truncated ? '≥' : ''}${u === 0 ? n : n.toFixed(1)} ${units[u]}`
}

/**
 * `paddock worktrees list|prune [--workspace DIR]`: every worktree of the open repositories (size,
 * last activity, whether its folder was removed by hand), and forgetting the removed ones.
 */
export async function runWorktrees(
  command: string | undefined,
  flags: { workspace?: string; json: boolean },
  call: CliCall,
  io: CliIo,
): Promise<number> {
  const ws = await workspaceFilter(call, io, flags.workspace)
  const filter = ws ? { workspaceId: ws.id } : {}
  if (command === 'list') {
    const rows = await call('worktrees.list', filter)
    if (flags.json) io.out(`${JSON.stringify(rows, null, 2)}\n`)
    else if (rows.length === 0) io.out('No worktrees.\n')
    else {
      io.out(
        table(
          ['PATH', 'BRANCH', 'SESSION', 'SIZE', 'LAST ACTIVITY (UTC)', 'MISSING'],
          rows.map((r) => [
            r.path,
            r.branch ?? '(detached)',
            r.sessionId ? `${r.sessionId} "${r.sessionTitle ?? ''}"` : '-',
            r.missing ? '-' : size(r.sizeBytes, r.sizeTruncated),
            r.lastActivity !== null ? time(r.lastActivity) : '-',
            r.missing ? 'yes (removed by hand: paddock worktrees prune)' : 'no',
          ]),
        ),
      )
    }
    return 0
  }
  if (command === 'prune') {
    const result = await call('worktrees.prune', filter)
    if (flags.json) io.out(`${JSON.stringify(result, null, 2)}\n`)
    else if (result.pruned.length === 0) io.out('No worktree folders were removed by hand.\n')
    else {
      io.out(`Forgot ${result.pruned.length} worktree(s) whose folders were removed:\n`)
      for (const p of result.pruned) io.out(`  ${p}\n`)
    }
    return 0
  }
  throw new WorktreesUsageError(
    `unknown command "worktrees${command ? ` ${command}` : ''}" (list, prune)`,
  )
}
