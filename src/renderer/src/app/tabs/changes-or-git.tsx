import { useId, useState } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import type { Session } from '../../../../shared/model'
import { ChangesPanel } from '../../features/changes/changes-panel'
import { GitArea } from '../../features/git/git-panel'
import { useOverlapText } from './worktree-marks'

type Pane = 'changes' | 'git'

/**
 * The pane over the terminal. A session in place has its Changes panel there; a worktree session
 * has two tabs, Changes and Git (its branch, and the way home). Changes stays mounted (a diff's
 * scroll is kept); the Git area mounts while shown, so it reads the branch fresh and polls the
 * radar only while someone looks.
 */
export function ChangesOrGit({ session }: { session: Session }): JSX.Element {
  const [pane, setPane] = useState<Pane>('changes')
  const overlap = useOverlapText(session.id)
  const id = useId()
  if (!session.worktree) return <ChangesPanel session={session} />

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return
    e.preventDefault()
    const next: Pane = pane === 'changes' ? 'git' : 'changes'
    setPane(next)
    document.getElementById(`${id}-${next}`)?.focus()
  }
  const tab = (p: Pane, label: string, extra?: JSX.Element): JSX.Element => (
    <button
      type="button"
      role="tab"
      id={`${id}-${p}`}
      aria-selected={pane === p}
      aria-controls={`${id}-${p}-panel`}
      tabIndex={pane === p ? 0 : -1}
      className={pane === p ? 'pane-tab is-active' : 'pane-tab'}
      onClick={() => setPane(p)}
    >
      {label}
      {extra}
    </button>
  )
  return (
    <div className="changes-or-git">
      <div role="tablist" aria-label="Changes and Git" className="pane-tabs" onKeyDown={onKeyDown}>
        {tab('changes', 'Changes')}
        {tab(
          'git',
          'Git',
          overlap ? <span className="overlap-dot" title={overlap} aria-hidden="true" /> : undefined,
        )}
      </div>
      <div
        role="tabpanel"
        id={`${id}-changes-panel`}
        aria-labelledby={`${id}-changes`}
        className="pane-tabpanel"
        hidden={pane !== 'changes'}
      >
        <ChangesPanel session={session} />
      </div>
      <div
        role="tabpanel"
        id={`${id}-git-panel`}
        aria-labelledby={`${id}-git`}
        className="pane-tabpanel"
        hidden={pane !== 'git'}
      >
        <section role="region" aria-label="Git" className="panel">
          <div className="panel-body">{pane === 'git' && <GitArea session={session} />}</div>
        </section>
      </div>
    </div>
  )
}
