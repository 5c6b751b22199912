import type { JSX } from 'react'
import type { Panel } from '../../../../shared/layout'
import type { Session } from '../../../../shared/model'
import { BranchIcon } from '../../features/git/branch-icon'
import { shortcutLabel, SHORTCUTS } from '../../features/palette/shortcuts'
import { SandboxShield } from '../../features/sandbox/sandbox-shield'
import { CloseIcon, MaximiseIcon, RestoreIcon, SplitIcon } from '../../lib/ui/icons'
import { useAppStore } from '../store'
import { focusPaneComposer, splitRight } from './split-actions'

/** The keys, said once (they do not change while the app runs). */
const MAXIMISE_KEYS = shortcutLabel(SHORTCUTS.maximisePane)
const SPLIT_KEYS = shortcutLabel(SHORTCUTS.splitRight)

const PANELS: readonly { panel: Panel; label: string }[] = [
  { panel: 'changes', label: 'Changes' },
  { panel: 'terminal', label: 'Terminal' },
  { panel: 'timeline', label: 'Timeline' },
]

/**
 * A pane's header: the session's title (a heading), its branch and folder, toggles that show or
 * collapse its Changes, Terminal and Timeline panels, and — beside other panes — maximise and
 * close-pane buttons; alone, a button that opens another session to the side.
 */
export function PaneHeader({
  session,
  index,
  count,
  collapsed,
}: {
  session: Session
  index: number
  count: number
  collapsed: readonly Panel[]
}): JSX.Element {
  const workspace = useAppStore((s) => s.host.workspaces[session.workspaceId])
  const maximised = useAppStore((s) => s.layout.maximised)
  const togglePanel = useAppStore((s) => s.togglePanel)
  const toggleMaximised = useAppStore((s) => s.toggleMaximised)
  const closePane = useAppStore((s) => s.closePane)
  const Heading = count > 1 ? 'h2' : 'h1'
  const where = session.worktree?.path || workspace?.path

  return (
    <header className="session-header">
      {count > 1 && (
        <span className="pane-number" title={`Pane ${index + 1}`} aria-hidden="true">
          {index + 1}
        </span>
      )}
      <Heading className="session-heading">{session.title}</Heading>
      {session.worktree && (
        <span className="session-branch" title={`Worktree: ${session.worktree.path}`}>
          <BranchIcon />
          <span>{session.worktree.branch}</span>
        </span>
      )}
      {where && (
        // Where the session works: its worktree, or the workspace folder.
        <span className="session-path" title={where}>
          {where}
        </span>
      )}
      <SandboxShield compact={count > 1} />
      <div className="pane-tools" role="group" aria-label={`Panels of ${session.title}`}>
        {PANELS.map(({ panel, label }) => (
          <button
            key={panel}
            type="button"
            className="pane-toggle"
            aria-pressed={!collapsed.includes(panel)}
            title={collapsed.includes(panel) ? `Show ${label}` : `Collapse ${label}`}
            onClick={() => togglePanel(session.id, panel)}
          >
            {label}
          </button>
        ))}
        {count === 1 ? (
          <button
            type="button"
            className="icon-btn"
            aria-label="Open another session to the side"
            title={`Split right (${SPLIT_KEYS})`}
            onClick={splitRight}
          >
            <SplitIcon />
          </button>
        ) : (
          <>
            <button
              type="button"
              className="icon-btn"
              aria-label={`Maximise ${session.title}`}
              aria-pressed={maximised}
              title={`${maximised ? 'Restore the other panes' : 'Maximise'} (${MAXIMISE_KEYS})`}
              onClick={() => {
                useAppStore.getState().focusPane(index)
                toggleMaximised()
              }}
            >
              {maximised ? <RestoreIcon /> : <MaximiseIcon />}
            </button>
            <button
              type="button"
              className="icon-btn"
              aria-label={`Close pane ${session.title}`}
              title="Close this pane (the session stays open as a tab)"
              onClick={() => {
                closePane(index)
                // This pane's button goes with it: the keyboard goes to the pane that has focus now.
                focusPaneComposer()
              }}
            >
              <CloseIcon />
            </button>
          </>
        )}
      </div>
    </header>
  )
}
