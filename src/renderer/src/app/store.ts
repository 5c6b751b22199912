import { create } from 'zustand'
import type { AppState } from './app-state'
import { createHostSlice } from './host-slice'
import { createLiveSlice } from './live-slice'
import { createNoticesSlice } from './notices-slice'
import { createTabsSlice } from './tabs-slice'
import { saveTabs } from './tabs-storage'
import { createUiSlice, sessionsOnScreen } from './ui-slice'
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

// Looking at a session reads it. The layout persists; not before it was restored, or an empty
// start would erase it.
useAppStore.subscribe((state, prev) => {
  for (const onScreen of sessionsOnScreen(state)) {
    const seen = state.live[onScreen]
    if (seen?.unread || seen?.changed) state.markRead(onScreen)
  }
  if (!state.ready || state.layout === prev.layout) return
  saveTabs(state.layout)
})
