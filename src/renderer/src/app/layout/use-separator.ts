import { useRef, useState } from 'react'
import type { HTMLAttributes, KeyboardEvent, PointerEvent, RefObject } from 'react'
import { useAppStore } from '../store'

export interface SeparatorOptions {
  /** Names the split; its size is kept in the layout the host stores. */
  id: string
  /** 'row': panes side by side (a vertical separator); 'column': stacked. */
  direction: 'row' | 'column'
  /** Size of the first pane, in percent of the container. */
  initial: number
  min: number
  max: number
  /** Accessible name of the separator. */
  label: string
  /** The element whose box the percent is of. */
  container: RefObject<HTMLElement | null>
  /** The id of the pane the separator sizes (aria-controls). */
  controls?: string
}

/** Keyboard step, in percent. */
const STEP = 2

/**
 * A WAI-ARIA window splitter: the size of the first pane, and the props of a separator that
 * resizes it by pointer drag or keyboard (arrows, Home, End, Enter or double-click: back to the
 * initial size). The size is stored when a drag or key press ends, not on every move.
 */
export function useSeparator(o: SeparatorOptions): {
  size: number
  dragging: boolean
  props: HTMLAttributes<HTMLDivElement>
} {
  const stored = useAppStore((s) => s.layout.sizes[o.id])
  const setSplitSize = useAppStore((s) => s.setSplitSize)
  const [dragSize, setDragSize] = useState<number | null>(null)
  const latest = useRef<number | null>(null)
  const clamp = (n: number): number => Math.min(o.max, Math.max(o.min, n))
  const size = clamp(dragSize ?? stored ?? o.initial)

  const persist = (next: number): void => {
    latest.current = null
    setDragSize(null)
    setSplitSize(o.id, clamp(next))
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const back = o.direction === 'row' ? 'ArrowLeft' : 'ArrowUp'
    const forward = o.direction === 'row' ? 'ArrowRight' : 'ArrowDown'
    let next: number | null = null
    if (e.key === back) next = size - STEP
    else if (e.key === forward) next = size + STEP
    else if (e.key === 'Home') next = o.min
    else if (e.key === 'End') next = o.max
    else if (e.key === 'Enter') next = o.initial
    if (next === null) return
    e.preventDefault()
    persist(next)
  }

  const onPointerDown = (e: PointerEvent<HTMLDivElement>): void => {
    if (e.button !== 0) return
    e.preventDefault()
    e.currentTarget.setPointerCapture(e.pointerId)
    latest.current = size
    setDragSize(size)
  }

  const onPointerMove = (e: PointerEvent<HTMLDivElement>): void => {
    const box = o.container.current
    if (!e.currentTarget.hasPointerCapture(e.pointerId) || !box) return
    const rect = box.getBoundingClientRect()
    const pct =
      o.direction === 'row'
        ? ((e.clientX - rect.left) / rect.width) * 100
        : ((e.clientY - rect.top) / rect.height) * 100
    latest.current = clamp(pct)
    setDragSize(latest.current)
  }

  const onPointerEnd = (e: PointerEvent<HTMLDivElement>): void => {
    if (e.currentTarget.hasPointerCapture(e.pointerId)) {
      e.currentTarget.releasePointerCapture(e.pointerId)
    }
    if (latest.current !== null) persist(latest.current)
  }

  return {
    size,
    dragging: dragSize !== null,
    props: {
      role: 'separator',
      'aria-label': o.label,
      'aria-orientation': o.direction === 'row' ? 'vertical' : 'horizontal',
      'aria-controls': o.controls,
      'aria-valuenow': Math.round(size),
      'aria-valuemin': o.min,
      'aria-valuemax': o.max,
      tabIndex: 0,
      onKeyDown,
      onPointerDown,
      onPointerMove,
      onPointerUp: onPointerEnd,
      onPointerCancel: onPointerEnd,
      onDoubleClick: () => persist(o.initial),
    },
  }
}
