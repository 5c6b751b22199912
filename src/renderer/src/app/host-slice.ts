import type { ConnectionStatus } from '../../../shared/client'
import type { MethodOutput } from '../../../shared/contract'
import type { PaddockEvent } from '../../../shared/events'
import type { HostState } from '../../../shared/state'
import { applyEvent, emptyHostState, stateFromSnapshot } from '../../../shared/state'
import type { AppSlice } from './app-state'
import { entryFeed } from './entry-feed'
import { terminalFeed } from './terminal-feed'
import { sessionsOnScreen } from './ui-slice'

export interface HostSlice {
  /** Workspaces and sessions: the snapshot plus every event since, nothing else. */
  host: HostState
  status: ConnectionStatus
  /** True once the first snapshot is in; before that the UI says it is connecting. */
  ready: boolean
  /** Why the snapshot could not be loaded, when it could not. */
  bootError: string | null
  /**
   * Counts the host's `providers.changed` events: model lists and pickers read the providers
   * again when it moves.
   */
  providersVersion: number
  /** Counts the host's `mcp.changed` events: the MCP servers view reads them again. */
  mcpVersion: number
  /**
   * Counts the times this window caught up with the host after its connection came back (the
   * host may have restarted meanwhile). Views that fetch from the host depend on it and fetch
   * again when it changes, so what they show is the host's state, not what was cached.
   */
  resyncs: number
  setStatus(status: ConnectionStatus): void
  setBootError(message: string | null): void
  loadSnapshot(snapshot: MethodOutput<'host.snapshot'>): void
  /** Apply events in order; tabs of sessions that went away close. */
  applyEvents(events: PaddockEvent[]): void
  /** The window caught up with the host after a lost connection: views fetch again. */
  markResynced(): void
}

export const createHostSlice: AppSlice<HostSlice> = (set, get) => ({
  host: emptyHostState(),
  status: 'connecting',
  ready: false,
  bootError: null,
  providersVersion: 0,
  mcpVersion: 0,
  resyncs: 0,
  setStatus: (status) => set({ status }),
  setBootError: (bootError) => set({ bootError }),
  loadSnapshot: (snapshot) =>
    set({ host: stateFromSnapshot(snapshot), ready: true, bootError: null }),
  applyEvents: (events) => {
    entryFeed.publish(events, get().host.cursors)
    terminalFeed.publish(events)
    let host = get().host
    const gone = new Set<string>()
    /** Sessions of closed workspaces still exist on the host; give their leases back. */
    const release = new Set<string>()
    let providersChanged = false
    let mcpChanged = false
    for (const event of events) {
      if (event.type === 'mcp.changed') mcpChanged = true
      if (event.type === 'providers.changed') providersChanged = true
      if (event.type === 'session.deleted') gone.add(event.sessionId)
      if (event.type === 'workspace.closed') {
        for (const s of Object.values(host.sessions)) {
          if (s.workspaceId !== event.workspaceId) continue
          gone.add(s.id)
          release.add(s.id)
        }
      }
      host = applyEvent(host, event)
    }
    set({
      host,
      ...(providersChanged ? { providersVersion: get().providersVersion + 1 } : {}),
      ...(mcpChanged ? { mcpVersion: get().mcpVersion + 1 } : {}),
    })
    get().applyLive(events, sessionsOnScreen(get()))
    get().applyWorktreeEvents(events)
    if (gone.size > 0) get().dropTabs([...gone], [...release])
  },
  markResynced: () => set({ resyncs: get().resyncs + 1 }),
})
