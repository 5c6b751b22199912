import { useEffect } from 'react'
import { matchesShortcut, SHORTCUTS } from './shortcuts'
import { usePaletteStore } from './palette-store'

/**
 * Ctrl/Cmd+Shift+P opens the command palette, Ctrl/Cmd+P "Go to session". The listener is the
 * page's: it hears keys only while the workbench has focus, and there it takes Ctrl+P from the
 * browser (whose print dialog it would be), and from a terminal or editor that has focus. Another dialog open (Open folder, New session) keeps
 * its keys: the palette does not open over it.
 */
export function usePaletteKeys(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent): void => {
      const mode = matchesShortcut(e, SHORTCUTS.commandPalette)
        ? 'actions'
        : matchesShortcut(e, SHORTCUTS.goToSession)
          ? 'sessions'
          : null
      if (mode === null) return
      e.preventDefault()
      if (document.querySelector('dialog[open]:not(.palette-dialog)')) return
      usePaletteStore.getState().open(mode)
    }
    // Capture: a terminal or an editor with focus must not swallow the palette's keys first.
    window.addEventListener('keydown', onKeyDown, true)
    return () => window.removeEventListener('keydown', onKeyDown, true)
  }, [])
}
