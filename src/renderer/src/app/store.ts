import { create } from 'zustand'
import type { AppState } from './app-state'
import { createHostSlice } from './host-slice'
import { createLiveSlice } from './live-slice'
import { createNoticesSlice } from './notices-slice'
import { createTabsSlice } from './tabs-slice'
import { saveTabs } from './tabs-storage'
import { createUiSlice, sessionOnScreen } from './ui-slice'
import { createWorktreesSlice } from './worktrees-slice'

export type { AppState } from './app-state'

export const useAppStore = create<AppState>()((...a) => ({
  ...createHostSlice(...a),
  ...createLiveSlice(...a),
  ...createTabsSlice(...a),
  ...createNoticesSlice(...a),
  ...createUiSlice(...a),
  ...createWorktreesSlice(...a),
}))

// Tabs persist per browser; not before they were restored, or an empty start would erase them.
useAppStore.subscribe((state, prev) => {
  // Looking at a session reads it.
  const onScreen = sessionOnScreen(state)
  const seen = onScreen !== null ? state.live[onScreen] : undefined
  if (onScreen !== null && (seen?.unread || seen?.changed)) state.markRead(onScreen)
  if (!state.ready) return
  if (state.openTabs === prev.openTabs && state.activeTab === prev.activeTab) return
  saveTabs({ openTabs: state.openTabs, activeTab: state.activeTab })
})
