import { useEffect } from 'react'
import { matchesShortcut, paneShortcut, SHORTCUTS } from '../features/palette/shortcuts'
import { useAppStore } from './store'
import { onPanes, splitRight } from './tabs/split-actions'

const PANES = [1, 2, 3, 4] as const

/** Whether a key press comes from inside a terminal. */
const inTerminal = (e: KeyboardEvent): boolean =>
  e.target instanceof Element && e.target.closest('.xterm') !== null

/** A dialog of its own (Open folder, New session, a confirmation) keeps its keys. */
const dialogOpen = (): boolean =>
  useAppStore.getState().openFolderVisible || document.querySelector('dialog[open]') !== null

/**
 * Window-wide keys: Ctrl/Cmd+W closes the active tab (browsers keep that key for themselves);
 * Ctrl/Cmd+, opens Settings; the panes' keys — Ctrl/Cmd+\ splits right (not from a terminal,
 * where it is the shell's), and with several panes Ctrl/Cmd+Shift+Enter maximises, F6 / Shift+F6
 * cycle, Ctrl/Cmd+1…4 (Alt+1…4 in a browser) focus a pane — put the keyboard in the composer of
 * the pane they reach. Settings and dialogs keep their keys. The keys are the registry's (`SHORTCUTS`),
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
      // Settings keeps its keys (a form may hold unsaved edits), as does a dialog.
      if (dialogOpen() || s.settingsOpen || s.layout.panes.length === 0) return
      const several = s.layout.panes.length > 1
      const act = (run: () => void): void => {
        e.preventDefault()
        e.stopPropagation()
        onPanes(run)
      }
      // In a terminal Ctrl+\ is the shell's (SIGQUIT): split right from anywhere else.
      if (matchesShortcut(e, SHORTCUTS.splitRight) && !inTerminal(e)) return act(splitRight)
      // The rest only when there are panes to move between: alone, the keys stay the focused
      // control's (F6 in a terminal program, Alt+digit typing a character).
      if (!several) return
      if (matchesShortcut(e, SHORTCUTS.maximisePane)) return act(s.toggleMaximised)
      if (matchesShortcut(e, SHORTCUTS.nextPane)) return act(() => s.cyclePane(1))
      if (matchesShortcut(e, SHORTCUTS.previousPane)) return act(() => s.cyclePane(-1))
      for (const n of PANES) {
        if (n > s.layout.panes.length) break
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
