import { useEffect, useRef } from 'react'
import type { JSX } from 'react'
import type { ChangedFile } from '../../../../shared/contract'
import { FileList } from './git-summary'

/** "Discard" asks first, listing every uncommitted file it throws away. Cancel has the focus. */
export function DiscardDialog({
  files,
  onDiscard,
  onClose,
}: {
  files: readonly ChangedFile[]
  onDiscard: () => void
  onClose: () => void
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
      className="dialog discard-dialog"
      aria-labelledby="discard-title"
      onClose={onClose}
    >
      <header className="dialog-header">
        <h2 id="discard-title">
          Discard {files.length} uncommitted file{files.length === 1 ? '' : 's'}?
        </h2>
        <p className="muted">
          The worktree goes back to its last commit. Ignored files such as .env stay.
        </p>
      </header>
      <div className="losses-body">
        <FileList files={files} max={200} />
      </div>
      <footer className="dialog-footer">
        <span className="dialog-footer-note" />
        <button ref={cancel} type="button" className="btn" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => {
            onDiscard()
            dialog.current?.close()
          }}
        >
          Discard
        </button>
      </footer>
    </dialog>
  )
}
