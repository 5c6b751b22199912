import type { JSX } from 'react'
import { countText, isEmptyPoint, pointLabel, triggerOf } from './timeline-model'
import type { TimelinePoint } from './timeline-model'

/**
 * One point of a track: a card with what triggered it, its files, +/− and time; a point that
 * changed no file is folded to a dot (still an option: selectable, restorable, in arrow order).
 */
export function TimelinePointView({
  point: p,
  selected,
  tabbable,
  setRef,
  onSelect,
  onOpen,
}: {
  point: TimelinePoint
  selected: boolean
  tabbable: boolean
  setRef: (el: HTMLElement | null) => void
  onSelect: () => void
  onOpen: () => void
}): JSX.Element {
  const c = p.checkpoint
  const empty = isEmptyPoint(p)
  const classes = ['timeline-point', empty && 'is-empty', selected && 'is-selected']
  return (
    <div
      ref={setRef}
      role="option"
      aria-selected={selected}
      aria-label={pointLabel(p)}
      tabIndex={tabbable ? 0 : -1}
      className={classes.filter(Boolean).join(' ')}
      title={empty ? emptyHint(p) : stat(p)}
      onClick={onSelect}
      onDoubleClick={onOpen}
    >
      <span className="timeline-dot" aria-hidden="true" />
      {!empty && (
        <>
          <span className="timeline-point-tool">{triggerOf(c)}</span>
          <span className="timeline-point-files">{c.files.map((f) => f.path).join(', ')}</span>
          <span className="timeline-point-meta">
            {countText(c.additions, c.deletions)} · {clock(c.createdAt)}
          </span>
        </>
      )}
    </div>
  )
}

const clock = (at: number): string =>
  new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })

/** The hover text of a folded point: what it is and why it is still there. */
function emptyHint(p: TimelinePoint): string {
  return `Checkpoint ${p.index}, ${triggerOf(p.checkpoint)} · ${clock(p.checkpoint.createdAt)}: no file changed since the point before. Restore here to go back to this moment of the conversation.`
}

/** The hover text: the point's diff stat. */
function stat(p: TimelinePoint): string {
  const c = p.checkpoint
  const lines = c.files.map((f) => `${f.status} ${f.path} ${countText(f.additions, f.deletions)}`)
  return [`${c.filesChanged} files changed, ${countText(c.additions, c.deletions)}`, ...lines].join(
    '\n',
  )
}
