import { useEffect, useRef } from 'react'
import type { JSX } from 'react'
import type { WorktreeLosses } from '../../../../shared/contract'

/**
 * Deleting a worktree session that holds work: exactly what would go (each uncommitted file with
 * its status, each commit on neither the base nor a remote), and that it is saved and can be
 * restored for 30 days. Cancel has the focus: Enter or Esc keeps the session.
 */
export function DeleteRefusalDialog({
  title,
  losses,
  onDelete,
  onClose,
}: {
  title: string
  losses: WorktreeLosses
  onDelete: () => void
  onClose: () => void
}): JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null)
  const cancel = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    const d = dialog.current
    if (d && !d.open) d.showModal()
    cancel.current?.focus()
  }, [])

  const { dirty, unpushed } = losses
  return (
    <dialog
      ref={dialog}
      className="dialog delete-refusal-dialog"
      aria-labelledby="delete-refusal-title"
      aria-describedby="delete-refusal-note"
      onClose={onClose}
    >
      <header className="dialog-header">
        <h2 id="delete-refusal-title">Delete “{title}” and its unsaved work?</h2>
        <p id="delete-refusal-note" className="muted">
          Its worktree holds work that is nowhere else. It will be saved and can be restored for 30
          days from Settings → Worktrees.
        </p>
      </header>
      <div className="losses-body">
        {dirty.length > 0 && (
          <section aria-labelledby="losses-dirty">
            <h3 id="losses-dirty">
              {dirty.length} uncommitted file{dirty.length === 1 ? '' : 's'}
            </h3>
            <ul className="losses-list" aria-label="Uncommitted files">
              {dirty.map((f) => (
                <li key={f.path}>
                  <code className="file-status">{f.status.trim() || f.status}</code>{' '}
                  <span className="dialog-target">{f.path}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        {unpushed.length > 0 && (
          <section aria-labelledby="losses-unpushed">
            <h3 id="losses-unpushed">
              {unpushed.length} unpushed commit{unpushed.length === 1 ? '' : 's'}
            </h3>
            <ul className="losses-list" aria-label="Unpushed commits">
              {unpushed.map((c) => (
                <li key={c.sha}>
                  <code className="file-status">{c.sha.slice(0, 7)}</code> {c.subject}
                </li>
              ))}
            </ul>
          </section>
        )}
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
            onDelete()
            dialog.current?.close()
          }}
        >
          Delete anyway
        </button>
      </footer>
    </dialog>
  )
}
