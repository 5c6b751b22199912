import { usePaletteStore } from '../../features/palette/palette-store'
import { useAppStore } from '../store'

/**
 * Split right (Ctrl/Cmd+\ and the pane's split button): the next open tab that is not on screen
 * opens in a new pane beside the focused one; when every open tab is shown already, the session
 * picker opens to choose one to put beside it.
 */
export function splitRight(): void {
  const { layout, openToSide } = useAppStore.getState()
  const start = layout.openTabs.indexOf(layout.panes[layout.focusedPane] ?? '')
  const order = [...layout.openTabs.slice(start + 1), ...layout.openTabs.slice(0, start + 1)]
  const next = order.find((id) => !layout.panes.includes(id))
  if (next !== undefined && layout.panes.length > 0) openToSide(next)
  else usePaletteStore.getState().open('side')
}

/** The message field of the pane showing a session, if it is on screen. */
export function composerOf(sessionId: string): HTMLTextAreaElement | null {
  return document.querySelector<HTMLTextAreaElement>(
    `.main-sessions:not([hidden]) [data-session-id="${CSS.escape(sessionId)}"] textarea.composer-textarea`,
  )
}

/** Put the keyboard in the message field of the focused pane, once it is on screen. */
export function focusPaneComposer(): void {
  requestAnimationFrame(() => {
    const sessionId = useAppStore.getState().activeTab
    if (sessionId !== null) composerOf(sessionId)?.focus()
  })
}

/**
 * Run a pane action with the panes on screen (Settings and the Agents view step aside), then
 * put the keyboard in the focused pane's composer: the palette's pane actions and the pane keys.
 */
export function onPanes(run: () => void): void {
  const s = useAppStore.getState()
  if (s.settingsOpen) s.closeSettings()
  if (s.agentsOpen) s.closeAgents()
  run()
  focusPaneComposer()
}
