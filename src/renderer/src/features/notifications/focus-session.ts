import { useAppStore } from '../../app/store'
import { composerOf } from '../../app/tabs/split-actions'

/** How many frames to wait for a session's composer to be on screen after opening it. */
const COMPOSER_WAIT_FRAMES = 60

/**
 * What a click on a notification does: bring the window forward, show the session (its tab
 * opened and active, Settings or the Agents view stepping aside) and put the caret in its
 * composer. A session deleted meanwhile only brings the window.
 */
export function focusSession(sessionId: string | null): void {
  window.focus()
  if (sessionId === null) return
  const s = useAppStore.getState()
  if (!(sessionId in s.host.sessions)) return
  s.closeSettings()
  s.closeAgents()
  s.openTab(sessionId)
  let frames = 0
  const tryFocus = (): void => {
    const box = useAppStore.getState().activeTab === sessionId ? composerOf(sessionId) : null
    if (box) return box.focus()
    if (++frames < COMPOSER_WAIT_FRAMES) requestAnimationFrame(tryFocus)
  }
  requestAnimationFrame(tryFocus)
}
