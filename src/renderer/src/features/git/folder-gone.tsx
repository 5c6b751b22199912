import { useId } from 'react'
import type { JSX } from 'react'
import { AlertIcon } from '../../lib/ui/icons'

/** Why a worktree session whose folder was removed by hand cannot run. */
export const folderGoneText = (path: string): string =>
  `This session's folder is gone (${path}). Restore it from Settings → Worktrees, or delete the session.`

/** The banner over such a session's view. */
export function FolderGoneBanner({ path }: { path: string }): JSX.Element {
  return (
    <div className="lease-warning folder-gone" role="alert">
      <AlertIcon />
      <p>{folderGoneText(path)}</p>
    </div>
  )
}

/** Its composer: the message box, disabled, saying why. */
export function FolderGoneComposer({ path }: { path: string }): JSX.Element {
  // One per pane that shows such a session: the id is this composer's own.
  const reasonId = useId()
  return (
    <div className="composer" role="group" aria-label="Composer" aria-disabled="true">
      <div className="composer-input">
        <textarea
          className="composer-textarea"
          aria-label="Message"
          aria-describedby={reasonId}
          disabled
          rows={2}
          value=""
          readOnly
        />
      </div>
      <p id={reasonId} className="muted composer-hint">
        {folderGoneText(path)}
      </p>
    </div>
  )
}
