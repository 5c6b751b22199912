import { useEffect } from 'react'
import { matchesShortcut, SHORTCUTS } from '../features/palette/shortcuts'
import { useAppStore } from './store'

/**
 * Window-wide keys: Ctrl/Cmd+W closes the active tab (browsers keep that key for themselves);
 * Ctrl/Cmd+, opens Settings. The keys are the registry's (`SHORTCUTS`), which the command palette
 * and Settings → Keyboard shortcuts show.
 */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent): void => {
      if (matchesShortcut(e, SHORTCUTS.openSettings)) {
        const { openFolderVisible, openSettings } = useAppStore.getState()
        if (openFolderVisible) return
        e.preventDefault()
        openSettings()
        return
      }
      if (!matchesShortcut(e, SHORTCUTS.closeTab)) return
      const { activeTab, closeTab, openFolderVisible } = useAppStore.getState()
      if (activeTab === null || openFolderVisible) return
      e.preventDefault()
      closeTab(activeTab)
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}
