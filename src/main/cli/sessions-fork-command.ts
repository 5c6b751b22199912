import type { MethodOutput } from '../../shared/contract'
import type { CliIo } from './cli'
import type { CliCall } from './checkpoints-command'
import { CheckpointsUsageError, resolveCheckpoint } from './checkpoints-command'

/** A checkpoint id or a prefix of one (else the argument is taken as an entry id). */
const CHECKPOINT_PREFIX = /^[0-9a-f]{4,40}$/

/**
 * `paddock sessions fork CHECKPOINT|ENTRY [--session ID] [--title T]`: a new session in the same
 * workspace whose conversation is the history up to that checkpoint (or log entry). Files are
 * not touched.
 */
export async function runSessionsFork(
  args: string[],
  flags: { session?: string; title?: string; json: boolean },
  call: CliCall,
  io: CliIo,
): Promise<number> {
  const [target, ...more] = args
  if (!target) throw new CheckpointsUsageError('sessions fork needs a CHECKPOINT or an ENTRY id')
  if (more.length) throw new CheckpointsUsageError(`unexpected argument "${more[0]}"`)
  let sessionId = flags.session
  let entryId = target
  let found = false
  if (CHECKPOINT_PREFIX.test(target)) {
    try {
      const cp = await resolveCheckpoint(call, target, flags.session)
      sessionId = flags.session ?? cp.sessionId
      const listed = (await call('checkpoints.list', { sessionId })).find((c) => c.id === cp.id)
      if (!listed?.entryId) {
        throw new Error(`Checkpoint ${target} is not in the session's log: nothing to fork from.`)
      }
      entryId = listed.entryId
      found = true
    } catch (err) {
      // Not a checkpoint: an entry id that happens to look like hex, when a session is given.
      if (!flags.session) throw err
    }
  }
  if (!found && !sessionId) {
    throw new CheckpointsUsageError('sessions fork ENTRY needs --session ID')
  }
  const result = await call('sessions.fork', {
    sessionId: sessionId!,
    entryId,
    ...(flags.title !== undefined ? { title: flags.title } : {}),
  })
  if (flags.json) io.out(`${JSON.stringify(result, null, 2)}\n`)
  else {
    io.out(
      `Forked session ${result.session.id} "${result.session.title}" (${result.copied} entries).\n`,
    )
  }
  return 0
}

/**
 * `paddock restore CHECKPOINT --conversation|--both`: rewind the session's conversation to the
 * checkpoint (a new branch), and with --both its files too, as one step one `--undo` reverts.
 */
export async function runConversationRestore(
  checkpoint: string,
  flags: { session?: string; both: boolean; json: boolean },
  call: CliCall,
  io: CliIo,
  confirm: (sessionId: string, checkpointId: string) => Promise<boolean> = async () => true,
): Promise<number | null> {
  const target = await resolveCheckpoint(call, checkpoint, flags.session)
  const sessionId = flags.session ?? target.sessionId
  if (!(await confirm(sessionId, target.id))) return null
  const result = await call('sessions.restore', {
    sessionId,
    checkpointId: target.id,
    scope: flags.both ? 'both' : 'conversation',
  })
  if (flags.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`)
    return 0
  }
  const short = target.id.slice(0, 12)
  if (result.files) {
    const f = result.files
    io.out(
      `Restored files to checkpoint ${short}: ${f.written.length + f.deleted.length} file(s).\n`,
    )
    for (const p of f.written) io.out(`  wrote    ${p}\n`)
    for (const p of f.deleted) io.out(`  deleted  ${p}\n`)
    for (const w of f.warnings) io.err(`paddock: ${w}\n`)
    if (f.otherRunningSessions.length) {
      const names = f.otherRunningSessions.map((s) => `"${s.title}" (${s.sessionId})`)
      io.err(`paddock: also running in this workspace: ${names.join(', ')}\n`)
    }
  }
  io.out(`Rewound the conversation to checkpoint ${short}: the next prompt starts a new branch.\n`)
  io.out(`Undo with: paddock restore --undo --session ${sessionId}\n`)
  return 0
}

/** What `paddock restore --undo` prints for a `sessions.undoRestore` result. */
export function reportUndo(result: MethodOutput<'sessions.undoRestore'>, io: CliIo): void {
  if (result.files) {
    const f = result.files
    io.out(`Undid the last restore: ${f.written.length + f.deleted.length} file(s).\n`)
    for (const p of f.written) io.out(`  wrote    ${p}\n`)
    for (const p of f.deleted) io.out(`  deleted  ${p}\n`)
    for (const w of f.warnings) io.err(`paddock: ${w}\n`)
  }
  if (result.conversation) io.out('The conversation is back on the branch it was on.\n')
}
