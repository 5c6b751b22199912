import type { JSX } from 'react'
import type { ChangedFile } from '../../../../shared/contract'
import { ConfirmDialog } from '../../lib/ui/confirm-dialog'
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
  return (
    <ConfirmDialog
      id="discard"
      className="discard-dialog"
      title={`Discard ${files.length} uncommitted file${files.length === 1 ? '' : 's'}?`}
      note="The worktree goes back to its last commit. Ignored files such as .env stay."
      confirmLabel="Discard"
      onConfirm={onDiscard}
      onClose={onClose}
    >
      <FileList files={files} max={200} />
    </ConfirmDialog>
  )
}
