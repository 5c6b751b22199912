import { useMemo } from 'react'
import type { JSX } from 'react'
import { sortedWorkspaces } from '../../../../shared/state'
import { AgentsButton } from '../../features/agents/agents-button'
import { FolderOpenIcon, GearIcon } from '../../lib/ui/icons'
import { chooseFolder } from '../open-folder/choose-folder'
import { useAppStore } from '../store'
import { WorkspaceGroup } from './workspace-group'

export function Sidebar(): JSX.Element {
  // The workspaces only: the host state changes with every event (its cursors), they rarely do.
  const workspaceMap = useAppStore((s) => s.host.workspaces)
  const ready = useAppStore((s) => s.ready)
  const settingsOpen = useAppStore((s) => s.settingsOpen)
  const openSettings = useAppStore((s) => s.openSettings)
  const workspaces = useMemo(() => sortedWorkspaces({ workspaces: workspaceMap }), [workspaceMap])
  const empty = ready && workspaces.length === 0

  // One "Open folder" button only: in the header, or in the empty state when nothing is open.
  const openFolder = (
    <button
      type="button"
      className={empty ? 'btn btn-primary' : 'btn btn-ghost btn-small'}
      title="Open a folder on the Paddock host as a workspace"
      onClick={() => void chooseFolder()}
    >
      <FolderOpenIcon />
      <span>Open folder</span>
    </button>
  )

  return (
    <nav aria-label="Workspaces" className="sidebar">
      <AgentsButton />
      <div className="sidebar-header">
        <h2>Workspaces</h2>
        {!empty && openFolder}
      </div>
      {empty ? (
        <div className="sidebar-empty">
          <p>No folders open yet.</p>
          <p className="muted">Open a project folder to start an agent session in it.</p>
          {openFolder}
        </div>
      ) : (
        <ul className="workspace-list">
          {workspaces.map((w) => (
            <WorkspaceGroup key={w.id} workspace={w} />
          ))}
        </ul>
      )}
      <div className="sidebar-footer">
        <button
          type="button"
          className={settingsOpen ? 'sidebar-settings is-active' : 'sidebar-settings'}
          title="Settings (Ctrl+,)"
          aria-current={settingsOpen ? 'page' : undefined}
          onClick={() => openSettings()}
        >
          <GearIcon />
          <span>Settings</span>
        </button>
        <span className="muted">Paddock {__PADDOCK_VERSION__}</span>
      </div>
    </nav>
  )
}
