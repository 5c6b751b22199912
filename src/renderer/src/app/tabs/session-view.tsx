import { memo, useRef } from 'react'
import type { JSX } from 'react'
import type { Panel } from '../../../../shared/layout'
import { collapsedOf } from '../../../../shared/layout'
import { TerminalPanel } from '../../features/terminal/terminal-panel'
import { TimelinePanel } from '../../features/timeline/timeline-panel'
import { TranscriptPanel } from '../../features/transcript/transcript-panel'
import { FolderGoneBanner } from '../../features/git/folder-gone'
import { AlertIcon } from '../../lib/ui/icons'
import { SplitPane } from '../layout/split-pane'
import { useWide } from '../layout/use-wide'
import { useAppStore } from '../store'
import { ChangesOrGit } from './changes-or-git'
import { PaneHeader } from './pane-header'
import { panelId, tabId } from './ids'

/** Below this width a pane stacks Changes and Terminal under the transcript instead of beside. */
const WIDE_PANE_PX = 900

export interface SessionViewProps {
  sessionId: string
  /** Its place among the visible panes, and how many there are. */
  index: number
  count: number
  focused: boolean
}

/**
 * One pane: a session's header, its transcript and composer, and the Changes, Terminal and
 * Timeline panels it has not collapsed, all resizable. A wide pane puts Changes over Terminal
 * beside the transcript; a narrow one (side by side with others) puts them under it.
 */
export const SessionView = memo(function SessionView({
  sessionId,
  index,
  count,
  focused,
}: SessionViewProps): JSX.Element | null {
  const session = useAppStore((s) => s.host.sessions[sessionId])
  const collapsed = useAppStore((s) => collapsedOf(s.layout, sessionId, count))
  const leaseError = useAppStore((s) => s.leaseErrors[sessionId])
  const retryLease = useAppStore((s) => s.retryLease)
  const focusPane = useAppStore((s) => s.focusPane)
  const body = useRef<HTMLDivElement>(null)
  const wide = useWide(body, WIDE_PANE_PX)
  if (!session) return null

  const shows = (panel: Panel): boolean => !collapsed.includes(panel)
  const changes = shows('changes') ? <ChangesOrGit session={session} /> : null
  const terminal = shows('terminal') ? <TerminalPanel session={session} /> : null
  // The split ids say where a size applies: a pane beside others keeps sizes of its own.
  const at = count > 1 ? '.split' : ''

  // The same tree whatever is collapsed (a collapsed panel is a null pane of its split), so
  // showing or collapsing one never remounts its neighbours.
  const side =
    changes === null && terminal === null ? null : (
      <SplitPane
        // A worktree session's Git area needs more room than the Changes list alone.
        id={`session.changes${session.worktree ? '.worktree' : ''}${wide ? '' : '.row'}${at}`}
        direction={wide ? 'column' : 'row'}
        initial={wide && session.worktree ? 70 : 55}
        min={15}
        max={85}
        label="Resize changes and terminal"
        first={changes}
        second={terminal}
      />
    )
  const main = (
    <SplitPane
      id={`session.${wide ? 'sidebar' : 'stack'}${at}`}
      direction={wide ? 'row' : 'column'}
      initial={wide ? 58 : 60}
      min={25}
      max={80}
      label="Resize transcript"
      first={<TranscriptPanel session={session} />}
      second={side}
    />
  )

  return (
    <section
      role="tabpanel"
      id={panelId(session.id)}
      aria-labelledby={tabId(session.id)}
      className={`session-view${focused && count > 1 ? ' is-focused' : ''}`}
      data-pane={index + 1}
      data-session-id={session.id}
      // Clicking or tabbing into a pane makes it the focused one (its tab becomes active).
      onFocusCapture={() => focused || focusPane(index)}
      onPointerDownCapture={() => focused || focusPane(index)}
    >
      <PaneHeader session={session} index={index} count={count} collapsed={collapsed} />
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
      <div className="session-body" ref={body}>
        <SplitPane
          id={`session.timeline${at}`}
          direction="column"
          initial={70}
          min={40}
          max={92}
          label="Resize timeline"
          first={main}
          second={shows('timeline') ? <TimelinePanel session={session} /> : null}
        />
      </div>
    </section>
  )
})
