import { useEffect, useMemo, useRef, useState } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import type { Session } from '../../../../shared/model'
import type { MethodOutput } from '../../../../shared/contract'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { EmptyState, Panel } from '../../lib/ui/panel'
import '../../styles/timeline.css'
import { DiffPreview } from './diff-preview'
import type { Against } from './diff-preview'
import { RestoreDialog } from './restore-dialog'
import { buildTimeline } from './timeline-model'
import type { TimelineLane, TimelinePoint } from './timeline-model'
import { TimelinePointView } from './timeline-point'
import { useTimeline } from './use-timeline'

/** What the last restore did, in one line. */
function restoreSummary(r: MethodOutput<'sessions.restore'>): string {
  const parts: string[] = []
  if (r.files) {
    parts.push(`${r.files.written.length} written, ${r.files.deleted.length} deleted`)
  }
  if (r.conversation) parts.push('conversation rewound to a new branch')
  return `Restored: ${parts.join('; ')}.`
}

/**
 * The session's rewind timeline: every checkpoint as a point, grouped by the prompt whose run
 * took it, one row per conversation branch (the current one first). Arrow keys step through the
 * points, Enter opens the Restore dialog; the selected point's diff shows beside them.
 */
export function TimelinePanel({ session }: { session: Session }): JSX.Element {
  const { data, error } = useTimeline(session.id, session.leafId)
  const running = useAppStore((s) => s.live[session.id]?.running ?? false)
  const openTab = useAppStore((s) => s.openTab)
  const model = useMemo(() => (data ? buildTimeline(data.checkpoints, data.tree) : null), [data])
  const [selectedId, setSelectedId] = useState<string | null>(null)
  const [against, setAgainst] = useState<Against>('worktree')
  const [dialogFor, setDialogFor] = useState<TimelinePoint | null>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [refresh, setRefresh] = useState(0)
  const optionRefs = useRef(new Map<string, HTMLElement>())
  const switchRefs = useRef(new Map<string, HTMLButtonElement>())
  /** A conversation move whose left branch is to be shown once the timeline has caught up. */
  const reveal = useRef<{ from: string; leafId: string } | null>(null)
  const newestId =
    model?.lanes
      .find((l) => l.current)
      ?.groups.at(-1)
      ?.points.at(-1)?.checkpoint.id ?? null

  // The newest point of the current branch comes into view when it appears (and on opening).
  useEffect(() => {
    if (newestId) optionRefs.current.get(newestId)?.scrollIntoView({ block: 'nearest' })
  }, [newestId])

  // After a rewind, the branch it left comes into view, its "Switch to this branch" focused.
  const leafShown = data?.tree.leafId ?? null
  useEffect(() => {
    const move = reveal.current
    if (!move || leafShown !== move.leafId) return
    reveal.current = null
    const button = switchRefs.current.get(move.from)
    button?.scrollIntoView({ block: 'nearest' })
    button?.focus()
  }, [leafShown, model, refresh])

  if (error && !model) {
    return (
      <Panel name="Timeline">
        <EmptyState>
          <p>{error}</p>
        </EmptyState>
      </Panel>
    )
  }
  if (!model || model.order.length === 0) {
    return (
      <Panel name="Timeline">
        <EmptyState>
          <p>No checkpoints yet. Each agent step will appear here so you can rewind.</p>
        </EmptyState>
      </Panel>
    )
  }

  const order = model.order
  const selected = order.find((p) => p.checkpoint.id === selectedId) ?? null
  const tabbable = selected ?? order[order.length - 1]!

  const select = (p: TimelinePoint, focus: boolean): void => {
    setSelectedId(p.checkpoint.id)
    if (focus) optionRefs.current.get(p.checkpoint.id)?.focus()
  }
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const at = order.indexOf(selected ?? tabbable)
    let next: TimelinePoint | undefined
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown')
      next = order[Math.min(at + 1, order.length - 1)]
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = order[Math.max(at - 1, 0)]
    else if (e.key === 'Home') next = order[0]
    else if (e.key === 'End') next = order[order.length - 1]
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      setSelectedId((selected ?? tabbable).checkpoint.id)
      if (e.key === 'Enter') setDialogFor(selected ?? tabbable)
      return
    }
    if (!next) return
    e.preventDefault()
    select(next, true)
  }

  const act = (promise: Promise<string>): void => {
    promise.then(setStatus, (err: unknown) => setStatus(errorMessage(err)))
  }
  const undo = (): void =>
    act(
      getClient()
        .call('sessions.undoRestore', { sessionId: session.id })
        .then((r) => {
          setRefresh((n) => n + 1)
          return r.conversation && r.files
            ? 'Undone: files and conversation are back.'
            : r.conversation
              ? 'Undone: the conversation is back on its branch.'
              : 'Undone: the files are back.'
        }),
    )
  const fork = (p: TimelinePoint): void => {
    const entryId = p.checkpoint.entryId
    if (!entryId) return
    act(
      getClient()
        .call('sessions.fork', { sessionId: session.id, entryId })
        .then(({ session: forked }) => {
          openTab(forked.id)
          return `Forked as “${forked.title}”.`
        }),
    )
  }
  const switchTo = (lane: TimelineLane): void =>
    act(
      getClient()
        .call('sessions.switchBranch', { sessionId: session.id, leafId: lane.leafId })
        .then(() => 'Switched branches.'),
    )

  return (
    <Panel name="Timeline">
      <div className="timeline">
        <div className="timeline-main">
          <div className="timeline-toolbar">
            {selected && (
              <>
                <button
                  type="button"
                  className="btn btn-small btn-primary"
                  title={`Restore checkpoint ${selected.index}: files, conversation or both`}
                  disabled={running}
                  onClick={() => setDialogFor(selected)}
                >
                  Restore…
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={!selected.checkpoint.entryId}
                  onClick={() => fork(selected)}
                >
                  Fork session here
                </button>
              </>
            )}
            {model.canUndo && (
              <button type="button" className="btn btn-small" disabled={running} onClick={undo}>
                Undo restore
              </button>
            )}
            <span role="status" className="timeline-status-line">
              {status}
            </span>
          </div>
          <div
            className="timeline-lanes"
            role="group"
            aria-label="Checkpoints"
            onKeyDown={onKeyDown}
          >
            {model.lanes.map((lane, li) => (
              <div
                key={lane.leafId}
                className={`timeline-lane${lane.current ? ' is-current' : ''}`}
                role="group"
                aria-label={lane.current ? 'Current branch' : `Branch ${li + 1}`}
              >
                <div className="timeline-lane-head">
                  {lane.current ? (
                    <span className="timeline-lane-name">Current branch</span>
                  ) : (
                    <>
                      <span className="timeline-lane-name">↳ Branch from “{lane.forkLabel}”</span>
                      <button
                        ref={(el) => {
                          if (el) switchRefs.current.set(lane.leafId, el)
                          else switchRefs.current.delete(lane.leafId)
                        }}
                        type="button"
                        className="btn btn-small btn-ghost"
                        disabled={running}
                        onClick={() => switchTo(lane)}
                      >
                        Switch to this branch
                      </button>
                    </>
                  )}
                </div>
                <div
                  className="timeline-track"
                  role="listbox"
                  aria-orientation="horizontal"
                  aria-label={
                    lane.current
                      ? 'Points on the current branch'
                      : `Points on the branch from “${lane.forkLabel}”`
                  }
                >
                  {lane.groups.map((g) => (
                    <div key={g.key} className="timeline-group" role="group" aria-label={g.label}>
                      <div className="timeline-group-label" title={g.label}>
                        {g.label}
                      </div>
                      <div className="timeline-points">
                        {g.points.map((p) => (
                          <TimelinePointView
                            key={p.checkpoint.id}
                            point={p}
                            selected={p === selected}
                            tabbable={p === tabbable}
                            setRef={(el) => {
                              if (el) optionRefs.current.set(p.checkpoint.id, el)
                              else optionRefs.current.delete(p.checkpoint.id)
                            }}
                            onSelect={() => select(p, true)}
                            onOpen={() => setDialogFor(p)}
                          />
                        ))}
                      </div>
                    </div>
                  ))}
                  {lane.groups.length === 0 && (
                    <span className="timeline-muted">No checkpoints on this branch yet.</span>
                  )}
                </div>
              </div>
            ))}
          </div>
        </div>
        <aside className="timeline-side" aria-label="Checkpoint preview">
          {selected ? (
            <>
              <div className="timeline-side-head">
                <strong>Checkpoint {selected.index}</strong>
                <div className="timeline-toggle" role="group" aria-label="Compare with">
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-pressed={against === 'worktree'}
                    onClick={() => setAgainst('worktree')}
                  >
                    Working tree
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-pressed={against === 'previous'}
                    onClick={() => setAgainst('previous')}
                  >
                    Previous point
                  </button>
                </div>
              </div>
              <div className="timeline-side-body">
                <DiffPreview
                  sessionId={session.id}
                  point={selected}
                  against={against}
                  refresh={refresh + (data?.tree.entries.length ?? 0)}
                />
              </div>
            </>
          ) : (
            <p className="timeline-muted">
              Select a point to preview its diff. Arrow keys step through the points; Enter
              restores.
            </p>
          )}
        </aside>
      </div>
      {dialogFor && (
        <RestoreDialog
          sessionId={session.id}
          point={dialogFor}
          onClose={() => setDialogFor(null)}
          onRestored={(r) => {
            setStatus(restoreSummary(r))
            if (r.conversation?.from) {
              reveal.current = { from: r.conversation.from, leafId: r.conversation.leafId }
            }
            setRefresh((n) => n + 1)
          }}
        />
      )}
    </Panel>
  )
}
