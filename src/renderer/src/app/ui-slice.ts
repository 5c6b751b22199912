import type { AppSlice } from './app-state'

export interface UiSlice {
  openFolderVisible: boolean
  /** The session whose title is being edited in the sidebar. */
  renamingSessionId: string | null
  showOpenFolder(): void
  hideOpenFolder(): void
  startRename(sessionId: string): void
  stopRename(): void
}

export const createUiSlice: AppSlice<UiSlice> = (set) => ({
  openFolderVisible: false,
  renamingSessionId: null,
  showOpenFolder: () => set({ openFolderVisible: true }),
  hideOpenFolder: () => set({ openFolderVisible: false }),
  startRename: (renamingSessionId) => set({ renamingSessionId }),
  stopRename: () => set({ renamingSessionId: null }),
})
