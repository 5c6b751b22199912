import type { JSX } from 'react'
import type { WorktreeLosses } from '../../../../shared/contract'
import { ConfirmDialog } from '../../lib/ui/confirm-dialog'

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
  const { dirty, unpushed } = losses
  return (
    <ConfirmDialog
      id="delete-refusal"
      className="delete-refusal-dialog"
      title={<>Delete “{title}” and its unsaved work?</>}
      note="Its worktree holds work that is nowhere else. It will be saved and can be restored for 30 days from Settings → Worktrees."
      confirmLabel="Delete anyway"
      onConfirm={onDelete}
      onClose={onClose}
    >
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
    </ConfirmDialog>
  )
}
