import type { RadarState, SessionPlace, SetupState } from '../../../shared/contract'
import type { PaddockEvent } from '../../../shared/events'
import type { AppSlice } from './app-state'

/**
 * Worktree sessions, what this window keeps of them: the collision radar's last report
 * (from `worktrees.radar` calls and the host stream's live `worktrees.radar` events), each new
 * worktree's setup state (live `worktree.setup` events; `git.status` has it too), and the workspace
 * whose "New session" dialog is open. All live-only: nothing here is in the host snapshot.
 */
export interface WorktreesSlice {
  radar: RadarState | null
  setups: Record<string, SetupState>
  /** The workspace the New session dialog creates in; null while it is closed. */
  newSessionFor: string | null
  /** The place the dialog preselects (the command palette's "in a worktree"); null: the last one. */
  newSessionPlace: SessionPlace | null
  /** A prompt the new session's composer starts with (the first run's suggestion); null: none. */
  newSessionDraft: string | null
  setRadar(radar: RadarState): void
  /** Fold the batch's worktree events in (called with every batch the host slice applies). */
  applyWorktreeEvents(events: readonly PaddockEvent[]): void
  showNewSession(workspaceId: string, place?: SessionPlace, draft?: string): void
  hideNewSession(): void
}

export const createWorktreesSlice: AppSlice<WorktreesSlice> = (set, get) => ({
  radar: null,
  setups: {},
  newSessionFor: null,
  newSessionPlace: null,
  newSessionDraft: null,
  setRadar: (radar) => set({ radar }),
  applyWorktreeEvents: (events) => {
    let radar = get().radar
    let setups = get().setups
    for (const event of events) {
      if (event.type === 'worktrees.radar') radar = event.radar
      else if (event.type === 'worktree.setup')
        setups = { ...setups, [event.sessionId]: event.setup }
    }
    if (radar !== get().radar || setups !== get().setups) set({ radar, setups })
  },
  showNewSession: (newSessionFor, place, draft) =>
    set({ newSessionFor, newSessionPlace: place ?? null, newSessionDraft: draft ?? null }),
  hideNewSession: () => set({ newSessionFor: null, newSessionPlace: null, newSessionDraft: null }),
})
