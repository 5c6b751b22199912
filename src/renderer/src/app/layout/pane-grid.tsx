import { useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { CSSProperties, DragEvent, JSX } from 'react'
import { arrangementOf } from '../../../../shared/layout'
import { useAppStore } from '../store'
import { SESSION_DRAG_TYPE } from '../tabs/ids'
import { SessionView } from '../tabs/session-view'
import { useSeparator } from './use-separator'

/** Where a dropped tab goes: the right edge opens it to the side, elsewhere in the focused pane. */
type DropTarget = 'side' | 'here'

/** The share of the area's width, from its right edge, that means "to the side". */
const SIDE_EDGE = 0.3

/**
 * The visible sessions: one pane, two side by side, or a 2×2 grid (three panes: two above, one
 * across below), with separators that resize the columns and rows. Every pane stays mounted in
 * one flat list keyed by session, so switching arrangements or maximising never restarts a
 * terminal or loses a draft. A tab dragged over the area opens to the side at its right edge.
 */
export function PaneGrid(): JSX.Element {
  const panes = useAppStore((s) => s.layout.panes)
  const focused = useAppStore((s) => s.layout.focusedPane)
  const maximised = useAppStore((s) => s.layout.maximised)
  // Which panes' sessions are known (one boolean each): not the sessions themselves, which
  // change with every entry any session appends.
  const known = useAppStore(
    useShallow((s) => s.layout.panes.map((id) => Object.hasOwn(s.host.sessions, id))),
  )
  const grid = useRef<HTMLDivElement>(null)
  const [drop, setDrop] = useState<DropTarget | null>(null)
  const n = panes.length
  const arrangement = arrangementOf(n)
  const columns = useSeparator({
    id: 'panes.columns',
    direction: 'row',
    initial: 50,
    min: 20,
    max: 80,
    label: 'Resize panes side by side',
    container: grid,
  })
  const rows = useSeparator({
    id: 'panes.rows',
    direction: 'column',
    initial: 50,
    min: 20,
    max: 80,
    label: 'Resize pane rows',
    container: grid,
  })

  const style = {
    gridTemplateColumns: `minmax(0, ${columns.size}fr) auto minmax(0, ${100 - columns.size}fr)`,
    gridTemplateRows:
      arrangement === 'grid'
        ? `minmax(0, ${rows.size}fr) auto minmax(0, ${100 - rows.size}fr)`
        : 'minmax(0, 1fr)',
  } satisfies CSSProperties

  const placeOf = (i: number): CSSProperties => {
    if (maximised || n === 1) return { gridArea: '1 / 1 / -1 / -1' }
    if (arrangement === 'columns') return { gridArea: `1 / ${i === 0 ? 1 : 3} / -1 / span 1` }
    if (n === 3 && i === 2) return { gridArea: '3 / 1 / 4 / -1' }
    return { gridArea: `${i < 2 ? 1 : 3} / ${i % 2 === 0 ? 1 : 3} / span 1 / span 1` }
  }

  const targetOf = (e: DragEvent<HTMLDivElement>): DropTarget | null => {
    if (!e.dataTransfer.types.includes(SESSION_DRAG_TYPE) || !grid.current) return null
    const rect = grid.current.getBoundingClientRect()
    return e.clientX > rect.right - rect.width * SIDE_EDGE ? 'side' : 'here'
  }

  const onDragOver = (e: DragEvent<HTMLDivElement>): void => {
    const target = targetOf(e)
    if (target === null) return
    e.preventDefault()
    e.dataTransfer.dropEffect = 'move'
    if (target !== drop) setDrop(target)
  }

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    const target = targetOf(e)
    setDrop(null)
    if (target === null) return
    e.preventDefault()
    const sessionId = e.dataTransfer.getData(SESSION_DRAG_TYPE)
    const s = useAppStore.getState()
    // A drop can come from another page: only a session this host has is opened.
    if (!Object.hasOwn(s.host.sessions, sessionId)) return
    if (target === 'side') s.openToSide(sessionId)
    else s.openTab(sessionId)
  }

  const separators = !maximised && n > 1
  return (
    <div
      ref={grid}
      className={`pane-grid pane-grid-${arrangement}${maximised ? ' is-maximised' : ''}`}
      data-panes={n}
      style={style}
      onDragOver={onDragOver}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDrop(null)
      }}
      onDrop={onDrop}
    >
      {panes.map((id, i) =>
        known[i] ? (
          <div
            key={id}
            className="pane-cell"
            style={placeOf(i)}
            hidden={maximised && i !== focused}
          >
            <SessionView sessionId={id} index={i} count={n} focused={i === focused} />
          </div>
        ) : (
          // A session just created, its event not in yet: a blank pane, not a flash of welcome.
          <div
            key={id}
            className="pane-cell"
            style={placeOf(i)}
            hidden={maximised && i !== focused}
          />
        ),
      )}
      {separators && (
        <div
          className="pane-separator pane-separator-columns"
          style={{ gridArea: n === 3 ? '1 / 2 / 2 / 3' : '1 / 2 / -1 / 3' }}
          {...columns.props}
        />
      )}
      {separators && arrangement === 'grid' && (
        <div
          className="pane-separator pane-separator-rows"
          style={{ gridArea: '2 / 1 / 3 / -1' }}
          {...rows.props}
        />
      )}
      {drop !== null && (
        <div className={`pane-drop pane-drop-${drop}`} aria-hidden="true">
          {drop === 'side' ? 'Open to the side' : 'Open here'}
        </div>
      )}
    </div>
  )
}
