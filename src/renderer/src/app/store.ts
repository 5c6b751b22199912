import { create } from 'zustand'
import type { AppState } from './app-state'
import { createHostSlice } from './host-slice'
import { createLiveSlice } from './live-slice'
import { createNoticesSlice } from './notices-slice'
import { createTabsSlice } from './tabs-slice'
import type { LayoutSaver } from './layout-sync'
import { createLayoutSaver } from './layout-sync'
import { getClient } from '../lib/api/client'
import { errorMessage, hasCode } from '../lib/api/error-message'
import type { Layout } from '../../../shared/layout'
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

/**
 * Once the stored layout is restored: save each change from now on (not the restored layout
 * itself, which the host has). Called again after a reconnect, it sends the layout as it is now,
 * in case a change made while the host was away did not reach it.
 */
export function startLayoutSaving(restored: Layout): void {
  if (saver) {
    saver.save(restored)
    return
  }
  saver = createLayoutSaver(getClient(), {
    saved: restored,
    onError: (err) => {
      // A lost connection is the banner's to say; the layout is sent again once it is back.
      if (!hasCode(err, 'io_error'))
        useAppStore.getState().notify(`Could not save the layout: ${errorMessage(err)}`)
    },
  })
}

// Looking at a session reads it; a layout change is saved once saving started.
useAppStore.subscribe((state, prev) => {
  for (const onScreen of sessionsOnScreen(state)) {
    const seen = state.live[onScreen]
    if (seen?.unread || seen?.changed) state.markRead(onScreen)
  }
  if (state.layout !== prev.layout) saver?.save(state.layout)
})
