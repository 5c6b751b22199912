import { isAbsolute } from 'node:path'
import { pathWithin } from '../core/within'
import type { MethodOutput } from '../../shared/contract'
import type { CliIo } from './cli'
import type { CliCall } from './checkpoints-command'
import { CheckpointsUsageError, resolveCheckpoint } from './checkpoints-command'
import { reportUndo, runConversationRestore } from './sessions-fork-command'

export interface RestoreFlags {
  session?: string
  /** Comma-separated paths, workspace-relative (or absolute, inside the workspace). */
  files?: string
  undo: boolean
  conversation: boolean
  both: boolean
  /** Overwrite files changed outside Paddock without asking. */
  force: boolean
  json: boolean
}

/** Exit code of a restore not done because files changed outside Paddock would be overwritten. */
export const EXIT_CHANGED_OUTSIDE = 4
/** At most this many paths are listed in the question (then "and N more"). */
const MAX_LISTED = 20

/**
 * `paddock restore CHECKPOINT [--files a,b] [--session ID] [--force]`: put the workspace's files
 * (all, or those listed) back as they were at a checkpoint; `paddock restore --undo --session ID`
 * undoes the session's last restore. Files only: the conversation is not rewound. Files changed
 * outside Paddock since the latest checkpoint are overwritten only after a yes at the terminal, or
 * with `--force` (without a terminal: exit EXIT_CHANGED_OUTSIDE, nothing restored).
 */
export async function runRestore(
  args: string[],
  flags: RestoreFlags,
  call: CliCall,
  io: CliIo,
): Promise<number> {
  if (flags.conversation && flags.both) {
    throw new CheckpointsUsageError('restore takes --conversation or --both, not both flags')
  }
  if ((flags.conversation || flags.both) && flags.files !== undefined) {
    throw new CheckpointsUsageError('--files restores files only: leave out --conversation/--both')
  }
  if (flags.undo) {
    if (args.length) throw new CheckpointsUsageError('restore --undo takes no checkpoint')
    if (flags.files !== undefined)
      throw new CheckpointsUsageError('restore --undo takes no --files')
    if (!flags.session) throw new CheckpointsUsageError('restore --undo needs --session ID')
    // The session's last restore or rewind: files, conversation or both.
    const result = await call('sessions.undoRestore', { sessionId: flags.session })
    if (result.files && !result.conversation) {
      // Files only: the files restore's own answer, as before.
      if (flags.json) io.out(`${JSON.stringify(result.files, null, 2)}\n`)
      else {
        // Undoing an undo is restoring the checkpoint the undo took first.
        const again = `paddock restore ${result.files.undoId.slice(0, 12)} --session ${flags.session}`
        report(result.files, 'Undid the last restore', again, io)
      }
      return 0
    }
    if (flags.json) io.out(`${JSON.stringify(result, null, 2)}\n`)
    else reportUndo(result, io)
    return 0
  }
  const [checkpoint, ...more] = args
  if (!checkpoint) throw new CheckpointsUsageError('restore needs a CHECKPOINT (or --undo)')
  if (more.length) throw new CheckpointsUsageError(`unexpected argument "${more[0]}"`)
  if (flags.conversation || flags.both) {
    const confirm = (sessionId: string, checkpointId: string): Promise<boolean> =>
      !flags.both
        ? Promise.resolve(true)
        : confirmOverwrite(call, { sessionId, checkpointId }, flags.force, io)
    const done = await runConversationRestore(
      checkpoint,
      { ...flags, both: flags.both },
      call,
      io,
      confirm,
    )
    return done ?? EXIT_CHANGED_OUTSIDE
  }
  const target = await resolveCheckpoint(call, checkpoint, flags.session)
  const sessionId = flags.session ?? target.sessionId
  const files = flags.files === undefined ? undefined : await filesIn(call, sessionId, flags.files)
  const params = { sessionId, checkpointId: target.id, ...(files ? { files } : {}) }
  if (!(await confirmOverwrite(call, params, flags.force, io))) return EXIT_CHANGED_OUTSIDE
  const result = await call('checkpoints.restore', params)
  if (flags.json) io.out(`${JSON.stringify(result, null, 2)}\n`)
  else {
    const undo = `paddock restore --undo --session ${sessionId}`
    report(result, `Restored to checkpoint ${target.id.slice(0, 12)}`, undo, io)
  }
  return 0
}

/**
 * Whether to go on with a restore: yes when it overwrites nothing changed outside Paddock since the
 * latest checkpoint, or with --force; else the user is asked at a terminal, and without one it is no.
 */
async function confirmOverwrite(
  call: CliCall,
  params: { sessionId: string; checkpointId: string; files?: string[] },
  force: boolean,
  io: CliIo,
): Promise<boolean> {
  if (force) return true
  const { changedOutside } = await call('checkpoints.restorePreview', params)
  if (changedOutside.length === 0) return true
  const n = changedOutside.length
  const listed = changedOutside.slice(0, MAX_LISTED).map((p) => `  ${p}\n`)
  if (n > MAX_LISTED) listed.push(`  and ${n - MAX_LISTED} more\n`)
  const what = `${n === 1 ? 'This file was' : `These ${n} files were`} changed since the latest checkpoint by someone other than the session's agent`
  if (io.ask) {
    io.err(`${what}; restoring overwrites ${n === 1 ? 'it' : 'them'}:\n${listed.join('')}`)
    const reply = await io.ask('Restore anyway? (undo brings them back) [y/N] ')
    if (/^y(es)?$/i.test(reply.trim())) return true
    io.err('paddock: nothing restored.\n')
    return false
  }
  io.err(
    `paddock: nothing restored. ${what}:\n${listed.join('')}` +
      'paddock: rerun with --force to overwrite them (undo brings them back).\n',
  )
  return false
}

/** `--files a,b`: workspace-relative paths (an absolute path inside the workspace is made so). */
async function filesIn(call: CliCall, sessionId: string, list: string): Promise<string[]> {
  const items = list
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
  if (items.length === 0) throw new CheckpointsUsageError('--files needs at least one path')
  if (!items.some((f) => isAbsolute(f))) return items
  const session = (await call('sessions.list', {})).find((s) => s.id === sessionId)
  const ws = (await call('workspaces.list', {})).find((w) => w.id === session?.workspaceId)
  return items.map((f) => {
    if (!isAbsolute(f)) return f
    const rel = ws ? pathWithin(ws.path, f) : null
    if (!rel) throw new CheckpointsUsageError(`${f} is not inside the session's workspace`)
    return rel
  })
}

function report(
  result: MethodOutput<'checkpoints.restore'>,
  headline: string,
  /** The command that undoes this, printed last. */
  undo: string,
  io: CliIo,
): void {
  const changed = result.written.length + result.deleted.length
  io.out(`${headline}: ${changed === 0 ? 'no file differed' : `${changed} file(s)`}.\n`)
  for (const f of result.written) io.out(`  wrote    ${f}\n`)
  for (const f of result.deleted) io.out(`  deleted  ${f}\n`)
  for (const s of result.skipped) io.out(`  skipped  ${s.path} (${s.reason})\n`)
  const outside = result.changedOutside ?? []
  if (outside.length) {
    io.err(`paddock: overwrote changes made outside Paddock to ${outside.join(', ')}\n`)
  }
  for (const w of result.warnings) io.err(`paddock: ${w}\n`)
  if (result.otherRunningSessions.length) {
    const names = result.otherRunningSessions.map((s) => `"${s.title}" (${s.sessionId})`)
    io.err(`paddock: also running in this workspace: ${names.join(', ')}\n`)
  }
  io.out(`Undo with: ${undo}\n`)
}
