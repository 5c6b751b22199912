import { payloadOf } from '../../shared/entries'
import type { Entry, Session, Workspace } from '../../shared/model'
import type { CliIo } from './cli'
import type { CliCall } from './checkpoints-command'

/** How far back a session's log is read for its status and model (entries). */
const TAIL = 200

export function printSessionsJson(
  sessions: SessionRow[],
  workspaces: Workspace[],
  io: CliIo,
): void {
  const pathOf = new Map(workspaces.map((w) => [w.id, w.path]))
  const rows = sessions.map((s) => ({ ...s, workspacePath: pathOf.get(s.workspaceId) ?? null }))
  io.out(`${JSON.stringify(rows, null, 2)}\n`)
}

/** A session with what the table says of it: how its last run went, and its model. */
export interface SessionRow extends Session {
  status: string
  /** Null when none is known. */
  model: string | null
}

/**
 * Each session's status — running, waiting for an approval, how its last run ended (done, error,
 * aborted, …), or new — and the model its next run uses.
 */
export async function describeSessions(call: CliCall, sessions: Session[]): Promise<SessionRow[]> {
  if (sessions.length === 0) return []
  const activity = new Map((await call('sessions.activity', {})).map((a) => [a.sessionId, a]))
  const rows: SessionRow[] = []
  for (const s of sessions) {
    const a = activity.get(s.id)
    const st = await call('sessions.status', { sessionId: s.id })
    const tail = s.leafId ? await call('sessions.entries', { sessionId: s.id, limit: TAIL }) : []
    const status = st.running
      ? 'running'
      : a?.pendingApprovals.length
        ? 'needs approval'
        : midRun(tail)
          ? 'in progress'
          : (st.lastStop?.reason ?? (s.leafId ? 'idle' : 'new'))
    rows.push({ ...s, status, model: st.model ?? lastModel(tail) })
  }
  return rows
}

/** Whether the latest prompt among these entries has no end yet: a run goes on (or was cut off). */
function midRun(entries: Entry[]): boolean {
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i]!.type === 'turn_end') return false
    if (entries[i]!.type === 'user_message') return true
  }
  return false
}

/** The model the latest answer among these entries came from, if any. */
function lastModel(entries: Entry[]): string | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    const message = payloadOf(entries[i]!, 'assistant_message')
    if (message) return message.model
  }
  return null
}

export function printSessions(sessions: SessionRow[], workspaces: Workspace[], io: CliIo): void {
  const pathOf = new Map(workspaces.map((w) => [w.id, w.path]))
  if (sessions.length === 0) {
    io.out('No sessions.\n')
    return
  }
  const rows = sessions.map((s) => [
    s.id,
    s.title,
    s.status,
    s.model ?? '-',
    pathOf.get(s.workspaceId) ?? '(closed workspace)',
    new Date(s.updatedAt).toISOString().replace('T', ' ').slice(0, 19),
  ])
  const header = ['ID', 'TITLE', 'STATUS', 'MODEL', 'WORKSPACE', 'UPDATED (UTC)']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const fmt = (r: string[]): string =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  io.out(`${[fmt(header), ...rows.map(fmt)].join('\n')}\n`)
}
