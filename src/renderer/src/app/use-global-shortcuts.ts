import { useEffect } from 'react'
import { matchesShortcut, paneShortcut, SHORTCUTS } from '../features/palette/shortcuts'
import { useAppStore } from './store'
import { focusPaneComposer, splitRight } from './tabs/split-actions'

const PANES = [1, 2, 3, 4] as const

/** A dialog of its own (Open folder, New session, a confirmation) keeps its keys. */
const dialogOpen = (): boolean =>
  useAppStore.getState().openFolderVisible || document.querySelector('dialog[open]') !== null

/**
 * Window-wide keys: Ctrl/Cmd+W closes the active tab (browsers keep that key for themselves);
 * Ctrl/Cmd+, opens Settings; the panes' keys — Ctrl/Cmd+\ splits right, Ctrl/Cmd+Shift+Enter
 * maximises, F6 / Shift+F6 cycle, Ctrl/Cmd+1…4 (Alt+1…4 in a browser) focus a pane — put the
 * keyboard in the composer of the pane they reach. The keys are the registry's (`SHORTCUTS`),
 * which the command palette and Settings → Keyboard shortcuts show. The panes' keys are heard
 * in the capture phase, so a terminal or an editor with focus does not swallow them; Ctrl+W is
 * not (a shell's Ctrl+W deletes a word).
 */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent): void => {
      const s = useAppStore.getState()
      if (matchesShortcut(e, SHORTCUTS.openSettings)) {
        if (s.openFolderVisible) return
        e.preventDefault()
        s.openSettings()
        return
      }
      if (!matchesShortcut(e, SHORTCUTS.closeTab)) return
      if (s.activeTab === null || s.openFolderVisible) return
      e.preventDefault()
      s.closeTab(s.activeTab)
    }
    const onPaneKey = (e: KeyboardEvent): void => {
      const s = useAppStore.getState()
      if (dialogOpen() || s.layout.panes.length === 0) return
      const act = (run: () => void): void => {
        e.preventDefault()
        e.stopPropagation()
        // The panes are under Settings or the Agents view: bring them back first.
        if (s.settingsOpen) s.closeSettings()
        if (s.agentsOpen) s.closeAgents()
        run()
        focusPaneComposer()
      }
      if (matchesShortcut(e, SHORTCUTS.splitRight)) return act(splitRight)
      if (matchesShortcut(e, SHORTCUTS.maximisePane)) return act(s.toggleMaximised)
      if (matchesShortcut(e, SHORTCUTS.nextPane)) return act(() => s.cyclePane(1))
      if (matchesShortcut(e, SHORTCUTS.previousPane)) return act(() => s.cyclePane(-1))
      for (const n of PANES) {
        // Only panes that exist: a single pane leaves Alt+1 to the terminal and the editor.
        if (n > s.layout.panes.length || s.layout.panes.length < 2) break
        if (matchesShortcut(e, paneShortcut(n))) return act(() => s.focusPane(n - 1))
      }
    }
    window.addEventListener('keydown', onKeyDown)
    window.addEventListener('keydown', onPaneKey, true)
    return () => {
      window.removeEventListener('keydown', onKeyDown)
      window.removeEventListener('keydown', onPaneKey, true)
    }
  }, [])
}
