import { useEffect, useRef } from 'react'
import type { JSX, ReactNode } from 'react'

/**
 * A modal that asks before something destructive: a title, one line of what happens, what is at
 * stake (`children`), Cancel (which has the focus, so Enter or Escape keeps things as they are) and
 * the danger button. Closing it any way calls `onClose`.
 */
export function ConfirmDialog({
  id,
  className,
  title,
  note,
  confirmLabel,
  onConfirm,
  onClose,
  children,
}: {
  /** Prefix of the title's and note's element ids. */
  id: string
  className: string
  title: ReactNode
  note: ReactNode
  confirmLabel: string
  onConfirm: () => void
  onClose: () => void
  children: ReactNode
}): JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null)
  const cancel = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const d = dialog.current
    if (d && !d.open) d.showModal()
    cancel.current?.focus()
  }, [])
  return (
    <dialog
      ref={dialog}
      className={`dialog ${className}`}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-note`}
      onClose={onClose}
    >
      <header className="dialog-header">
        <h2 id={`${id}-title`}>{title}</h2>
        <p id={`${id}-note`} className="muted">
          {note}
        </p>
      </header>
      <div className="losses-body">{children}</div>
      <footer className="dialog-footer">
        <span className="dialog-footer-note" />
        <button ref={cancel} type="button" className="btn" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => {
            onConfirm()
            dialog.current?.close()
          }}
        >
          {confirmLabel}
        </button>
      </footer>
    </dialog>
  )
}
