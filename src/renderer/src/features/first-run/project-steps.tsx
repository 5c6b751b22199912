import { useEffect, useRef } from 'react'
import type { JSX } from 'react'
import type { Workspace } from '../../../../shared/model'
import { createSession } from '../../app/commands'
import { chooseFolder } from '../../app/open-folder/choose-folder'
import { useAppStore } from '../../app/store'
import { FolderOpenIcon } from '../../lib/ui/icons'
import { SUGGESTED_PROMPT } from './first-run-model'

/**
 * "Open a project": the system's folder dialog in the desktop app, the folder browser in a
 * browser. The step is done when a folder is open — by this button, the sidebar's, or the CLI.
 */
export function FolderStep({ onOpened }: { onOpened: () => void }): JSX.Element {
  const hasWorkspace = useAppStore((s) => Object.keys(s.host.workspaces).length > 0)
  const button = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    button.current?.focus()
  }, [])
  useEffect(() => {
    if (hasWorkspace) onOpened()
  }, [hasWorkspace, onOpened])

  return (
    <section className="first-run-folder" aria-labelledby="first-run-folder-title">
      <h2 id="first-run-folder-title">Open a project folder</h2>
      <p className="first-run-hint">
        An agent reads and changes files in one folder — usually a git repository. Choose the
        project you want help with.
      </p>
      <div className="first-run-actions">
        <button
          ref={button}
          type="button"
          className="btn btn-primary"
          onClick={() => void chooseFolder()}
        >
          <FolderOpenIcon />
          <span>Choose a folder…</span>
        </button>
      </div>
    </section>
  )
}

/**
 * "Start a session": how sessions work in one sentence, and a first task to try. Both buttons
 * open the New session dialog (where the user picks a worktree or in place); the first one fills
 * the new session's composer with the suggested task.
 */
export function StartStep({ workspace }: { workspace: Workspace }): JSX.Element {
  const button = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const focus = (): void => button.current?.focus()
    // Opened from the Open folder dialog: it gives the focus back as it closes (to the button
    // that opened it, gone by now), so take it once the dialog has closed.
    const dialog = document.querySelector<HTMLDialogElement>('dialog[open]')
    if (!dialog) return focus()
    dialog.addEventListener('close', focus, { once: true })
    return () => dialog.removeEventListener('close', focus)
  }, [])

  return (
    <section className="first-run-start" aria-labelledby="first-run-start-title">
      <h2 id="first-run-start-title">Start your first session</h2>
      <p className="first-run-hint">
        A session is one agent on one task: it works either in its own git worktree — a separate
        copy on a new branch, so your folder stays untouched until you merge — or in place, right in
        “{workspace.name}”, and every step it takes can be rewound on its timeline.
      </p>
      <figure className="first-run-prompt">
        <figcaption>A first task to try</figcaption>
        <blockquote>{SUGGESTED_PROMPT}</blockquote>
      </figure>
      <div className="first-run-actions">
        <button
          ref={button}
          type="button"
          className="btn btn-primary"
          onClick={() => createSession(workspace.id, undefined, SUGGESTED_PROMPT)}
        >
          Start a session with this task
        </button>
        <button type="button" className="btn" onClick={() => createSession(workspace.id)}>
          Start an empty session
        </button>
      </div>
    </section>
  )
}
