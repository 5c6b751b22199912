import { useEffect, useMemo, useRef, useState } from 'react'
import type { JSX } from 'react'
import type { Workspace } from '../../../../shared/model'
import { sessionsOf } from '../../../../shared/state'
import { CloseIcon, FolderIcon, PlusIcon } from '../../lib/ui/icons'
import { closeWorkspace, createSession } from '../commands'
import { useAppStore } from '../store'
import { InlineConfirm } from './inline-confirm'
import { SessionItem } from './session-item'

/** A workspace in the sidebar: its name, its sessions, and the actions on it. */
export function WorkspaceGroup({ workspace }: { workspace: Workspace }): JSX.Element {
  // The sessions only: the host state changes with every event (its cursors), they rarely do.
  const sessionMap = useAppStore((s) => s.host.sessions)
  const sessions = useMemo(
    () => sessionsOf({ sessions: sessionMap }, workspace.id),
    [sessionMap, workspace.id],
  )
  const [confirming, setConfirming] = useState(false)
  const closeButton = useRef<HTMLButtonElement>(null)
  const refocus = useRef(false)
  const headingId = `ws-${workspace.id}`

  useEffect(() => {
    if (confirming || !refocus.current) return
    refocus.current = false
    closeButton.current?.focus()
  }, [confirming])

  const creating = useAppStore((s) => s.newSessionFor === workspace.id)
  const newSession = (): void => createSession(workspace.id)

  return (
    <li className="workspace">
      <div className="workspace-row">
        <h3 id={headingId} className="workspace-name" title={workspace.path}>
          <FolderIcon />
          <span className="workspace-label">{workspace.name}</span>
        </h3>
        <span className="row-actions">
          <button
            ref={closeButton}
            type="button"
            className="icon-btn"
            aria-label={`Close workspace ${workspace.name}`}
            title="Close workspace (its sessions are kept)"
            onClick={() => setConfirming(true)}
          >
            <CloseIcon />
          </button>
        </span>
      </div>
      {confirming && (
        <InlineConfirm
          message={`Close “${workspace.name}”? Its sessions are kept and come back when you open the folder again.`}
          confirmLabel="Close"
          onConfirm={() => {
            setConfirming(false)
            void closeWorkspace(workspace.id)
          }}
          onCancel={() => {
            refocus.current = true
            setConfirming(false)
          }}
        />
      )}
      <ul className="session-list" aria-label={`Sessions in ${workspace.name}`}>
        {sessions.map((s) => (
          <SessionItem key={s.id} session={s} />
        ))}
      </ul>
      <button
        type="button"
        className="new-session"
        title={`New session in ${workspace.path}`}
        disabled={creating}
        onClick={newSession}
      >
        <PlusIcon />
        <span>New session</span>
      </button>
    </li>
  )
}
