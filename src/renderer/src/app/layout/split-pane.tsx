import { useId, useRef, useState } from 'react'
import type { JSX, KeyboardEvent, PointerEvent, ReactNode } from 'react'
import { loadPaneSize, savePaneSize } from './pane-sizes'

export interface SplitPaneProps {
  /** Names the split for persistence; sizes are kept per id in localStorage. */
  id: string
  /** 'row': panes side by side (a vertical separator); 'column': stacked. */
  direction: 'row' | 'column'
  /** Size of the first pane, in percent of the split. */
  initial: number
  min?: number
  max?: number
  /** Accessible name of the separator. */
  label: string
  first: ReactNode
  second: ReactNode
}

/** Keyboard step, in percent. */
const STEP = 2

/** Two panes and a separator that resizes them by pointer drag or keyboard (WAI-ARIA separator). */
export function SplitPane({
  id,
  direction,
  initial,
  min = 15,
  max = 85,
  label,
  first,
  second,
}: SplitPaneProps): JSX.Element {
  const [size, setSize] = useState(() => loadPaneSize(id, min, max) ?? initial)
  const [dragging, setDragging] = useState(false)
  const container = useRef<HTMLDivElement>(null)
  const latest = useRef(size)
  const firstId = useId()

  const resize = (next: number, persist: boolean): void => {
    const clamped = Math.min(max, Math.max(min, next))
    latest.current = clamped
    setSize(clamped)
    if (persist) savePaneSize(id, clamped)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const back = direction === 'row' ? 'ArrowLeft' : 'ArrowUp'
    const forward = direction === 'row' ? 'ArrowRight' : 'ArrowDown'
    const current = latest.current
    let next: number | null = null
    if (e.key === back) next = current - STEP
    else if (e.key === forward) next = current + STEP
    else if (e.key === 'Home') next = min
    else if (e.key === 'End') next = max
    else if (e.key === 'Enter') next = initial
    if (next === null) return
    e.preventDefault()
    resize(next, true)
  }

  const onPointerDown = (e: PointerEvent<HTMLDivElement>): void => {
    if (e.button !== 0) return
    e.preventDefault()
    e.currentTarget.setPointerCapture(e.pointerId)
    setDragging(true)
  }

  const onPointerMove = (e: PointerEvent<HTMLDivElement>): void => {
    if (!e.currentTarget.hasPointerCapture(e.pointerId) || !container.current) return
    const rect = container.current.getBoundingClientRect()
    const pct =
      direction === 'row'
        ? ((e.clientX - rect.left) / rect.width) * 100
        : ((e.clientY - rect.top) / rect.height) * 100
    resize(pct, false)
  }

  const onPointerEnd = (e: PointerEvent<HTMLDivElement>): void => {
    if (e.currentTarget.hasPointerCapture(e.pointerId)) {
      e.currentTarget.releasePointerCapture(e.pointerId)
    }
    setDragging(false)
    savePaneSize(id, latest.current)
  }

  return (
    <div ref={container} className={`split split-${direction}${dragging ? ' is-dragging' : ''}`}>
      <div id={firstId} className="split-pane" style={{ flexBasis: `${size}%` }}>
        {first}
      </div>
      <div
        role="separator"
        aria-label={label}
        aria-orientation={direction === 'row' ? 'vertical' : 'horizontal'}
        aria-controls={firstId}
        aria-valuenow={Math.round(size)}
        aria-valuemin={min}
        aria-valuemax={max}
        tabIndex={0}
        className="split-separator"
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerEnd}
        onPointerCancel={onPointerEnd}
        onDoubleClick={() => resize(initial, true)}
      />
      <div className="split-pane split-pane-rest">{second}</div>
    </div>
  )
}
