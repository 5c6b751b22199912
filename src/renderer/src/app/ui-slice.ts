import type { Layout } from '../../../shared/layout'
import { focusedSession } from '../../../shared/layout'
import type { AppSlice } from './app-state'

export interface UiSlice {
  openFolderVisible: boolean
  /** The session whose title is being edited in the sidebar. */
  renamingSessionId: string | null
  /** The Settings view covers the session area while open. */
  settingsOpen: boolean
  /** Which settings section to show ("providers", …). */
  settingsSection: string
  /** What the section should bring up when it opens (the Providers section: a provider's name). */
  settingsTarget: string | null
  /** The Agents view (every session, what needs the user first) covers the session area. */
  agentsOpen: boolean
  /**
   * The guided setup covers the session area (under Settings and the Agents view, which keep it
   * as it was). Set when it is due (no model, nothing open) or asked for (Settings, the palette).
   */
  firstRunOpen: boolean
  /** It was asked for (it takes the focus when it shows), not only due. */
  firstRunAsked: boolean
  /** Asked for: the setup, in front of Settings and the Agents view. */
  openFirstRun(): void
  /** Due: the setup in the session area, leaving Settings or the Agents view in front. */
  showFirstRun(): void
  closeFirstRun(): void
  openAgents(): void
  closeAgents(): void
  openSettings(section?: string, target?: string): void
  /** The section took its target in hand. */
  clearSettingsTarget(): void
  closeSettings(): void
  showOpenFolder(): void
  hideOpenFolder(): void
  startRename(sessionId: string): void
  stopRename(): void
}

/**
 * Every session the user sees now (each visible pane's), in pane order; none under Settings or
 * the Agents view, only the focused one while it is maximised. The notifier's "is the user
 * looking at it" and read marks follow it.
 */
export function sessionsOnScreen(s: {
  layout: Layout
  settingsOpen: boolean
  agentsOpen: boolean
  firstRunOpen?: boolean
}): string[] {
  if (s.settingsOpen || s.agentsOpen || s.firstRunOpen) return []
  const focused = focusedSession(s.layout)
  if (s.layout.maximised) return focused === null ? [] : [focused]
  return s.layout.panes
}

export const createUiSlice: AppSlice<UiSlice> = (set) => ({
  openFolderVisible: false,
  renamingSessionId: null,
  settingsOpen: false,
  settingsSection: 'providers',
  settingsTarget: null,
  agentsOpen: false,
  firstRunOpen: false,
  firstRunAsked: false,
  // One view covers the sessions at a time: opening one closes the others.
  openFirstRun: () =>
    set({ firstRunOpen: true, firstRunAsked: true, agentsOpen: false, settingsOpen: false }),
  showFirstRun: () => set({ firstRunOpen: true }),
  closeFirstRun: () => set({ firstRunOpen: false, firstRunAsked: false }),
  openAgents: () => set({ agentsOpen: true, settingsOpen: false }),
  closeAgents: () => set({ agentsOpen: false }),
  openSettings: (section, target) =>
    set((s) => ({
      settingsOpen: true,
      agentsOpen: false,
      settingsSection: section ?? s.settingsSection,
      settingsTarget: target ?? null,
    })),
  clearSettingsTarget: () => set({ settingsTarget: null }),
  closeSettings: () => set({ settingsOpen: false }),
  showOpenFolder: () => set({ openFolderVisible: true }),
  hideOpenFolder: () => set({ openFolderVisible: false }),
  startRename: (renamingSessionId) => set({ renamingSessionId }),
  stopRename: () => set({ renamingSessionId: null }),
})
