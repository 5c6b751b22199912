import type { JSX } from 'react'
import { TerminalPanel } from '../../features/terminal/terminal-panel'
import { TimelinePanel } from '../../features/timeline/timeline-panel'
import { TranscriptPanel } from '../../features/transcript/transcript-panel'
import { BranchIcon } from '../../features/git/branch-icon'
import { FolderGoneBanner } from '../../features/git/folder-gone'
import { AlertIcon } from '../../lib/ui/icons'
import { SplitPane } from '../layout/split-pane'
import { useAppStore } from '../store'
import { ChangesOrGit } from './changes-or-git'
import { SESSION_PANEL_ID, tabId } from './tab-strip'

/**
 * The active session: a header, then Transcript on the left, Changes over Terminal on the right,
 * and the Timeline across the bottom, all resizable.
 */
export function SessionView({ sessionId }: { sessionId: string }): JSX.Element | null {
  const session = useAppStore((s) => s.host.sessions[sessionId])
  const workspace = useAppStore((s) =>
    session ? s.host.workspaces[session.workspaceId] : undefined,
  )
  const leaseError = useAppStore((s) => s.leaseErrors[sessionId])
  const retryLease = useAppStore((s) => s.retryLease)
  if (!session) return null

  return (
    <div
      role="tabpanel"
      id={SESSION_PANEL_ID}
      aria-labelledby={tabId(session.id)}
      className="session-view"
    >
      <header className="session-header">
        <h1 className="session-heading">{session.title}</h1>
        {session.worktree && (
          <span className="session-branch" title={`Worktree: ${session.worktree.path}`}>
            <BranchIcon />
            <span>{session.worktree.branch}</span>
          </span>
        )}
        {workspace && (
          // Where the session works: its worktree, or the workspace folder.
          <span className="session-path" title={session.worktree?.path || workspace.path}>
            {session.worktree?.path || workspace.path}
          </span>
        )}
      </header>
      {session.worktree?.missing && <FolderGoneBanner path={session.worktree.path} />}
      {leaseError !== undefined && (
        <div className="lease-warning">
          <AlertIcon />
          <p>
            <strong>Read-only here.</strong> {leaseError}
          </p>
          <button type="button" className="btn btn-small" onClick={() => retryLease(sessionId)}>
            Try again
          </button>
        </div>
      )}
      <div className="session-body">
        <SplitPane
          id="session.timeline"
          direction="column"
          initial={70}
          min={40}
          max={92}
          label="Resize timeline"
          first={
            <SplitPane
              id="session.sidebar"
              direction="row"
              initial={58}
              min={25}
              max={80}
              label="Resize transcript"
              first={<TranscriptPanel session={session} />}
              second={
                <SplitPane
                  // A worktree session's Git area needs more room than the Changes list alone.
                  id={session.worktree ? 'session.changes.worktree' : 'session.changes'}
                  direction="column"
                  initial={session.worktree ? 70 : 55}
                  min={15}
                  max={85}
                  label="Resize changes and terminal"
                  first={<ChangesOrGit session={session} />}
                  second={<TerminalPanel session={session} />}
                />
              }
            />
          }
          second={<TimelinePanel session={session} />}
        />
      </div>
    </div>
  )
}
