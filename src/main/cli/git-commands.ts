import type { MethodOutput } from '../../shared/contract'
import type { CliIo } from './cli'
import type { CliCall } from './checkpoints-command'
import { resolveByRebase } from '../worktrees'

/** A `paddock sessions commit|merge|…` command line that cannot run: exit 2. */
export class GitUsageError extends Error {}

/** The `paddock sessions` commands that bring a worktree session's work home. */
export const GIT_COMMANDS = ['git', 'commit', 'merge', 'push', 'pr'] as const

export interface GitFlags {
  json: boolean
  message?: string
  squash: boolean
  title?: string
  body?: string
}

const short = (sha: string): string => sha.slice(0, 12)

/** The session id: the one positional argument. */
function sessionArg(command: string, args: string[]): string {
  const [id, ...more] = args
  if (!id) throw new GitUsageError(`sessions ${command} needs a session ID`)
  if (more.length) throw new GitUsageError(`unexpected argument "${more[0]}"`)
  return id
}

/** Flags that belong to another of these commands are a usage error, not silently ignored. */
function onlyFlags(command: string, flags: GitFlags, allowed: Array<keyof GitFlags>): void {
  const given: Array<[keyof GitFlags, string]> = [
    ['message', '-m/--message'],
    ['squash', '--squash'],
    ['title', '--title'],
    ['body', '--body'],
  ]
  for (const [key, name] of given) {
    const value = flags[key]
    if (value !== undefined && value !== false && !allowed.includes(key))
      throw new GitUsageError(`${name} is not an option of "sessions ${command}"`)
  }
}

/**
 * `paddock sessions resolve ID [run flags]`, "Ask the agent to resolve" from a terminal: the prompt
 * of a `paddock run --session ID` that first rebases the worktree's branch onto its base. A clean
 * rebase ends there (no run); one that stops on conflicts is left in progress and the agent is
 * told which files conflict and how to continue, in a run printed as `paddock run` prints it.
 * The rebase happens here, not through `git.resolve`, whose prompt would start a run this command
 * could not follow (the mode, the approvals at the terminal, the end of the run).
 * With --json: one line `{rebased, files, prompted}` (git.resolve's output), then the run's events.
 */
export function resolvePrompt(
  json: boolean,
  io: CliIo,
): (sessionId: string, call: CliCall) => Promise<string | null> {
  return async (sessionId, call) => {
    const session = (await call('sessions.list', {})).find((s) => s.id === sessionId)
    if (!session?.worktree)
      throw new Error(`Session ${sessionId} works in place: it has no branch to rebase.`)
    // Taken before the rebase: a session another process drives is refused with nothing changed.
    await call('sessions.lease', { sessionId })
    const wt = session.worktree
    const r = await resolveByRebase({ worktreePath: wt.path, base: wt.base })
    const line = (value: unknown): void => io.out(`${JSON.stringify(value)}\n`)
    if (r.rebased) {
      if (json) line({ rebased: true, files: [], prompted: false })
      else
        io.out(
          `Rebased ${wt.branch} onto ${wt.base} without conflicts: merge with paddock sessions merge ${sessionId}\n`,
        )
      return null
    }
    if (json) line({ rebased: false, files: r.conflicts, prompted: true })
    else {
      io.err(`paddock: the rebase of ${wt.branch} onto ${wt.base} stopped on conflicts in:\n`)
      for (const f of r.conflicts) io.err(`  ${f}\n`)
      io.err('The agent is asked to resolve them and continue the rebase.\n')
    }
    return r.agentMessage
  }
}

/**
 * `paddock sessions git|commit|merge|push|pr ID`: a worktree session's Git area from a
 * terminal, through the contract's git.* methods. A merge that conflicts or is refused exits 1
 * with the files; the base checkout is then as it was.
 */
export async function runSessionsGit(
  command: (typeof GIT_COMMANDS)[number],
  args: string[],
  flags: GitFlags,
  call: CliCall,
  io: CliIo,
): Promise<number> {
  const sessionId = sessionArg(command, args)
  const print = (value: unknown): void => io.out(`${JSON.stringify(value, null, 2)}\n`)
  switch (command) {
    case 'git': {
      onlyFlags(command, flags, [])
      const status = await call('git.status', { sessionId })
      if (flags.json) print(status)
      else printStatus(status, io)
      return 0
    }
    case 'commit': {
      onlyFlags(command, flags, ['message'])
      if (flags.message === undefined || !flags.message.trim())
        throw new GitUsageError('sessions commit needs -m MESSAGE')
      const done = await call('git.commit', { sessionId, message: flags.message })
      if (flags.json) print(done)
      else io.out(`Committed ${short(done.commit)} "${done.subject}".\n`)
      return 0
    }
    case 'merge': {
      onlyFlags(command, flags, ['message', 'squash'])
      const result = await call('git.merge', {
        sessionId,
        ...(flags.squash ? { squash: true } : {}),
        ...(flags.message !== undefined ? { message: flags.message } : {}),
      })
      if (flags.json) print(result)
      else {
        const status = await call('git.status', { sessionId }).catch(() => null)
        printMerge(result, status, sessionId, io)
      }
      return result.outcome === 'merged' ? 0 : 1
    }
    case 'push': {
      onlyFlags(command, flags, [])
      const pushed = await call('git.push', { sessionId })
      if (flags.json) print(pushed)
      else io.out(`Pushed ${pushed.branch} to ${pushed.remote}.\n`)
      return 0
    }
    case 'pr': {
      onlyFlags(command, flags, ['title', 'body'])
      const pr = await call('git.pullRequest', {
        sessionId,
        ...(flags.title !== undefined ? { title: flags.title } : {}),
        ...(flags.body !== undefined ? { body: flags.body } : {}),
      })
      if (flags.json) print(pr)
      else if (pr.via === 'gh') io.out(`Opened pull request ${pr.url}\n`)
      else {
        if (pr.url) io.out(`Open the pull request at ${pr.url}\n`)
        io.err(`paddock: ${pr.reason}\n`)
      }
      return 0
    }
  }
}

function printStatus(s: MethodOutput<'git.status'>, io: CliIo): void {
  const files = (list: Array<{ status: string; path: string }>): string =>
    list.map((f) => `    ${f.status.padEnd(2)} ${f.path}\n`).join('')
  io.out(`Branch   ${s.branch} (base ${s.base}): ${s.ahead} ahead, ${s.behind} behind\n`)
  if (s.remote) io.out(`Remote   ${s.remote}\n`)
  if (s.inProgress)
    io.out(`A ${s.inProgress} is in progress; conflicted: ${s.conflicted.join(', ') || 'none'}\n`)
  io.out(`Uncommitted (${s.uncommitted.length})\n${files(s.uncommitted)}`)
  io.out(`Changed from the base (${s.changed.length})\n${files(s.changed)}`)
  if (s.baseCheckout) {
    const dirty = s.baseCheckout.dirty
    io.out(
      `Merges into ${s.baseCheckout.path}${dirty.length ? `, which has uncommitted changes (a merge touching them is refused):` : ''}\n`,
    )
    for (const f of dirty) io.out(`    ${f}\n`)
  }
  if (s.setup) io.out(`Setup    ${s.setup.command}: ${s.setup.message}\n`)
}

function printMerge(
  result: MethodOutput<'git.merge'>,
  status: MethodOutput<'git.status'> | null,
  sessionId: string,
  io: CliIo,
): void {
  const branch = status?.branch ?? 'the branch'
  const base = status?.base ?? 'its base'
  const where = status?.baseCheckout ? ` (${status.baseCheckout.path})` : ''
  if (result.outcome === 'merged') {
    io.out(
      result.mode === 'up-to-date'
        ? `${base} already has every commit of ${branch}: nothing to merge.\n`
        : `Merged ${branch} into ${base}${where}: ${result.mode}, ${short(result.commit)}.\n`,
    )
    return
  }
  if (result.outcome === 'conflict') {
    io.err(`paddock: merging ${branch} into ${base} conflicts in:\n`)
    for (const f of result.files) io.err(`  ${f}\n`)
    io.err(
      `The merge was aborted: the base checkout${where} is untouched.\n` +
        `Ask the agent to resolve it: paddock sessions resolve ${sessionId} (with the options of paddock run)\n`,
    )
    return
  }
  io.err(`paddock: not merged: ${result.reason}\n`)
  // The reason usually names the files already; list them when it does not.
  if (!result.files.every((f) => result.reason.includes(f)))
    for (const f of result.files) io.err(`  ${f}\n`)
}
