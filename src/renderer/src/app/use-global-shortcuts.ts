import { useEffect } from 'react'
import { useAppStore } from './store'

/**
 * Window-wide keys: Ctrl/Cmd+W closes the active tab (browsers keep that key for themselves);
 * Ctrl/Cmd+, opens Settings.
 */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent): void => {
      if (e.key === ',' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) {
        const { openFolderVisible, openSettings } = useAppStore.getState()
        if (openFolderVisible) return
        e.preventDefault()
        openSettings()
        return
      }
      if (e.key.toLowerCase() !== 'w' || !(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return
      const { activeTab, closeTab, openFolderVisible } = useAppStore.getState()
      if (activeTab === null || openFolderVisible) return
      e.preventDefault()
      closeTab(activeTab)
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}
