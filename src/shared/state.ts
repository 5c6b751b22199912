import type { Session, Workspace } from './model'
import type { Cursors, PaddockEvent } from './events'
import { isEphemeral } from './events'

/**
 * The client-side view of the host's workspaces and sessions, derived purely from a snapshot plus
 * events. Shared by the renderer store and by tests that compare two clients' states.
 */
export interface HostState {
  workspaces: Record<string, Workspace>
  sessions: Record<string, Session>
  /** Last applied seq per stream. */
  cursors: Cursors
}

export function emptyHostState(): HostState {
  return { workspaces: {}, sessions: {}, cursors: {} }
}

export function stateFromSnapshot(snapshot: {
  workspaces: Workspace[]
  sessions: Session[]
  cursors: Cursors
}): HostState {
  return {
    workspaces: Object.fromEntries(snapshot.workspaces.map((w) => [w.id, w])),
    sessions: Object.fromEntries(snapshot.sessions.map((s) => [s.id, s])),
    cursors: { ...snapshot.cursors },
  }
}

/** Apply one event. Events at or below the stream's cursor are ignored (idempotent replay). */
export function applyEvent(state: HostState, event: PaddockEvent): HostState {
  if (isEphemeral(event)) return state
  const last = state.cursors[event.sessionId] ?? 0
  if (event.seq <= last) return state
  const cursors = { ...state.cursors, [event.sessionId]: event.seq }
  switch (event.type) {
    case 'workspace.opened':
      return {
        ...state,
        cursors,
        workspaces: { ...state.workspaces, [event.workspace.id]: event.workspace },
      }
    case 'workspace.closed': {
      const workspaces = { ...state.workspaces }
      delete workspaces[event.workspaceId]
      const sessions = Object.fromEntries(
        Object.entries(state.sessions).filter(([, s]) => s.workspaceId !== event.workspaceId),
      )
      return { ...state, cursors, workspaces, sessions }
    }
    case 'session.created':
    case 'session.updated':
      return {
        ...state,
        cursors,
        sessions: { ...state.sessions, [event.session.id]: event.session },
      }
    case 'session.deleted': {
      const sessions = { ...state.sessions }
      delete sessions[event.sessionId]
      return { ...state, cursors, sessions }
    }
    case 'providers.changed':
      return { ...state, cursors }
    case 'entry.appended': {
      const session = state.sessions[event.sessionId]
      if (!session) return { ...state, cursors }
      return {
        ...state,
        cursors,
        sessions: {
          ...state.sessions,
          [session.id]: { ...session, leafId: event.entry.id, updatedAt: event.entry.createdAt },
        },
      }
    }
  }
}

export function sessionsOf(state: Pick<HostState, 'sessions'>, workspaceId: string): Session[] {
  return Object.values(state.sessions)
    .filter((s) => s.workspaceId === workspaceId)
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
}

/** The workspace opened last (where a new session most likely belongs), or null. */
export function latestWorkspace(workspaces: Record<string, Workspace>): Workspace | null {
  let best: Workspace | null = null
  for (const w of Object.values(workspaces))
    if (!best || w.lastOpenedAt > best.lastOpenedAt) best = w
  return best
}

export function sortedWorkspaces(state: Pick<HostState, 'workspaces'>): Workspace[] {
  return Object.values(state.workspaces).sort(
    (a, b) => a.name.localeCompare(b.name) || a.path.localeCompare(b.path),
  )
}
