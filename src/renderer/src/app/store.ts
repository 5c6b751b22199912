import { create } from 'zustand'
import type { AppState } from './app-state'
import { createHostSlice } from './host-slice'
import { createLiveSlice } from './live-slice'
import { createNoticesSlice } from './notices-slice'
import { createTabsSlice } from './tabs-slice'
import type { LayoutSaver } from './layout-sync'
import { createLayoutSaver } from './layout-sync'
import { getClient } from '../lib/api/client'
import { errorMessage } from '../lib/api/error-message'
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

/** Sends the layout to the host a moment after each change (the host keeps one per data folder). */
let saver: LayoutSaver | null = null

// Looking at a session reads it. The layout persists; not before it was restored, or an empty
// start would erase it.
useAppStore.subscribe((state, prev) => {
  for (const onScreen of sessionsOnScreen(state)) {
    const seen = state.live[onScreen]
    if (seen?.unread || seen?.changed) state.markRead(onScreen)
  }
  if (!state.ready || state.layout === prev.layout) return
  saver ??= createLayoutSaver(getClient(), {
    onError: (err) =>
      useAppStore.getState().notify(`Could not save the layout: ${errorMessage(err)}`),
  })
  saver.save(state.layout)
})
