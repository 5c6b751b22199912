import type { Method, MethodInput, MethodOutput } from '../../shared/contract'
import type { CliIo } from './cli'

/** Calls the engine through the contract (the CLI's `call`), throwing on an error outcome. */
export type CliCall = <M extends Method>(m: M, p: MethodInput<M>) => Promise<MethodOutput<M>>

export class CheckpointsUsageError extends Error {}

export interface CheckpointsFlags {
  session?: string
  json: boolean
}

/** A checkpoint as the user may type it: its id or an unambiguous prefix of it. */
const ID_PREFIX = /^[0-9a-f]{4,40}$/

/**
 * `paddock checkpoints list --session ID [--json]` and `paddock checkpoints diff A [B]` (B: another
 * checkpoint; default the working tree). Checkpoint ids may be shortened to a unique prefix.
 */
export async function runCheckpoints(
  command: string | undefined,
  args: string[],
  flags: CheckpointsFlags,
  call: CliCall,
  io: CliIo,
): Promise<number> {
  if (command === 'list') {
    if (args.length) throw new CheckpointsUsageError(`unexpected argument "${args[0]}"`)
    if (!flags.session) throw new CheckpointsUsageError('checkpoints list needs --session ID')
    const rows = await call('checkpoints.list', { sessionId: flags.session })
    if (flags.json) io.out(`${JSON.stringify(rows, null, 2)}\n`)
    else printList(rows, io)
    return 0
  }
  if (command === 'diff') {
    const [a, b, ...more] = args
    if (!a) throw new CheckpointsUsageError('checkpoints diff needs a checkpoint: diff A [B]')
    if (more.length) throw new CheckpointsUsageError(`unexpected argument "${more[0]}"`)
    const from = await resolveCheckpoint(call, a, flags.session)
    const to = b ? (await resolveCheckpoint(call, b, flags.session ?? from.sessionId)).id : null
    const diff = await call('checkpoints.diff', {
      sessionId: from.sessionId,
      from: from.id,
      to: to ?? 'worktree',
    })
    if (flags.json) io.out(`${JSON.stringify(diff, null, 2)}\n`)
    else printDiff(diff, io)
    return 0
  }
  throw new CheckpointsUsageError(
    `unknown command "checkpoints${command ? ` ${command}` : ''}" (list, diff)`,
  )
}

/**
 * The checkpoint a (possibly shortened) id names, and a session that has it: looked up in `session`
 * first, then in every session.
 */
export async function resolveCheckpoint(
  call: CliCall,
  text: string,
  session: string | undefined,
): Promise<{ id: string; sessionId: string }> {
  const prefix = text.toLowerCase()
  if (!ID_PREFIX.test(prefix)) {
    throw new CheckpointsUsageError(
      `"${text}" is not a checkpoint id (4 to 40 hex digits; see paddock checkpoints list)`,
    )
  }
  const search = async (sessionIds: string[]): Promise<Map<string, string>> => {
    const found = new Map<string, string>()
    for (const sessionId of sessionIds) {
      for (const cp of await call('checkpoints.list', { sessionId })) {
        if (cp.id.startsWith(prefix) && !found.has(cp.id)) found.set(cp.id, sessionId)
      }
    }
    return found
  }
  let found = session ? await search([session]) : new Map<string, string>()
  if (found.size === 0) {
    const all = (await call('sessions.list', {})).map((s) => s.id).filter((id) => id !== session)
    found = await search(all)
  }
  if (found.size === 0) throw new Error(`No checkpoint ${text} (see paddock checkpoints list).`)
  if (found.size > 1) {
    throw new Error(
      `Checkpoint ${text} is ambiguous: ${[...found.keys()].map((id) => id.slice(0, 12)).join(', ')}.`,
    )
  }
  const [id, sessionId] = [...found.entries()][0]!
  return { id, sessionId }
}

function printList(rows: MethodOutput<'checkpoints.list'>, io: CliIo): void {
  if (rows.length === 0) {
    io.out('No checkpoints.\n')
    return
  }
  const header = ['N', 'ID', 'TAKEN (UTC)', 'REASON', 'TOOL', 'FILES', '+/-']
  const table = rows.map((c) => [
    String(c.n),
    c.id.slice(0, 12),
    new Date(c.createdAt).toISOString().replace('T', ' ').slice(0, 19),
    c.reason,
    c.toolName ?? '',
    fileNames(
      c.files.map((f) => f.path),
      c.filesChanged,
    ),
    `+${c.additions} -${c.deletions}`,
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)))
  const fmt = (r: string[]): string =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  io.out(`${[fmt(header), ...table.map(fmt)].join('\n')}\n`)
}

/** Files a list names before it says "+N more". */
const NAMES_SHOWN = 3
/** Longest file name shown whole; longer ones keep their end ("…/deep/name.ts"). */
const NAME_WIDTH = 40

/**
 * The files a checkpoint changed, for a table cell: the first few names, then "+N more"; "-" for
 * none; the count alone when the log did not keep the names.
 */
export function fileNames(paths: string[], count: number): string {
  if (count === 0 && paths.length === 0) return '-'
  if (paths.length === 0) return `${count} file${count === 1 ? '' : 's'}`
  const shown = paths
    .slice(0, NAMES_SHOWN)
    .map((p) => (p.length > NAME_WIDTH ? `…${p.slice(p.length - NAME_WIDTH + 1)}` : p))
  const more = Math.max(count, paths.length) - shown.length
  return `${shown.join(', ')}${more > 0 ? ` +${more} more` : ''}`
}

/** Git's unified format: a `diff --git` header per file, mode and rename lines, the patch. */
function printDiff(diff: MethodOutput<'checkpoints.diff'>, io: CliIo): void {
  if (diff.files.length === 0) {
    io.err('No differences.\n')
    return
  }
  let text = ''
  for (const f of diff.files) {
    const oldPath = f.oldPath ?? f.path
    text += `diff --git a/${oldPath} b/${f.path}\n`
    if (f.status === 'added') text += `new file mode ${f.newMode}\n`
    else if (f.status === 'deleted') text += `deleted file mode ${f.oldMode}\n`
    else if (f.oldMode !== f.newMode) text += `old mode ${f.oldMode}\nnew mode ${f.newMode}\n`
    if (f.status === 'renamed') text += `rename from ${oldPath}\nrename to ${f.path}\n`
    if (f.binary) {
      const a = f.status === 'added' ? '/dev/null' : `a/${oldPath}`
      const b = f.status === 'deleted' ? '/dev/null' : `b/${f.path}`
      text += `Binary files ${a} and ${b} differ\n`
    } else if (f.truncated) text += `(patch too large to print: +${f.additions} -${f.deletions})\n`
    else if (f.patch) text += f.patch.endsWith('\n') ? f.patch : `${f.patch}\n`
  }
  io.out(text)
  if (diff.truncated && diff.totalFiles > diff.files.length) {
    io.err(`… ${diff.totalFiles - diff.files.length} more files differ (not shown)\n`)
  }
}
