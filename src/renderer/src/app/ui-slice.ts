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
  openSettings(section?: string, target?: string): void
  /** The section took its target in hand. */
  clearSettingsTarget(): void
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
  settingsTarget: null,
  openSettings: (section, target) =>
    set((s) => ({
      settingsOpen: true,
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
