import type { AppSlice } from './app-state'

export interface UiSlice {
  openFolderVisible: boolean
  /** The session whose title is being edited in the sidebar. */
  renamingSessionId: string | null
  /** The Settings view covers the session area while open. */
  settingsOpen: boolean
  /** Which settings section to show ("providers", …). */
  settingsSection: string
  openSettings(section?: string): void
  closeSettings(): void
  showOpenFolder(): void
  hideOpenFolder(): void
  startRename(sessionId: string): void
  stopRename(): void
}

export const createUiSlice: AppSlice<UiSlice> = (set) => ({
  openFolderVisible: false,
  renamingSessionId: null,
  settingsOpen: false,
  settingsSection: 'providers',
  openSettings: (section) =>
    set((s) => ({ settingsOpen: true, settingsSection: section ?? s.settingsSection })),
  closeSettings: () => set({ settingsOpen: false }),
  showOpenFolder: () => set({ openFolderVisible: true }),
  hideOpenFolder: () => set({ openFolderVisible: false }),
  startRename: (renamingSessionId) => set({ renamingSessionId }),
  stopRename: () => set({ renamingSessionId: null }),
})
