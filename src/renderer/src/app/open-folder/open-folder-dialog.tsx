import { useLayoutEffect, useRef } from 'react'
import type { JSX } from 'react'
import { useAppStore } from '../store'
import { FolderBrowser } from './folder-browser'

/**
 * The modal that opens a folder of the host as a workspace. A native <dialog> shown with
 * showModal(): the rest of the page is inert, focus stays inside, Esc closes it.
 */
export function OpenFolderDialog(): JSX.Element {
  const visible = useAppStore((s) => s.openFolderVisible)
  const hide = useAppStore((s) => s.hideOpenFolder)
  const dialog = useRef<HTMLDialogElement>(null)

  useLayoutEffect(() => {
    const d = dialog.current
    if (!d) return
    if (visible && !d.open) {
      d.showModal()
      d.querySelector<HTMLElement>('[data-initial-focus]')?.focus()
    } else if (!visible && d.open) {
      d.close()
    }
  }, [visible])

  return (
    <dialog
      ref={dialog}
      className="dialog open-folder-dialog"
      aria-label="Open folder"
      aria-modal="true"
      onClose={hide}
    >
      {visible && <FolderBrowser onDone={hide} />}
    </dialog>
  )
}
