import { useId, useRef } from 'react'
import type { JSX, ReactNode } from 'react'
import { useSeparator } from './use-separator'

export interface SplitPaneProps {
  /** Names the split; its size is kept in the layout the host stores. */
  id: string
  /** 'row': panes side by side (a vertical separator); 'column': stacked. */
  direction: 'row' | 'column'
  /** Size of the first pane, in percent of the split. */
  initial: number
  min?: number
  max?: number
  /** Accessible name of the separator. */
  label: string
  /** Null: that pane is collapsed and the other fills the split. */
  first: ReactNode | null
  second: ReactNode | null
}

/**
 * Two panes and a separator that resizes them by pointer drag or keyboard (WAI-ARIA separator).
 * A pane given as null is collapsed: the other fills the split, and neither is remounted when
 * it comes back (each keeps its place in the tree), so a transcript keeps its scroll and a diff
 * its editor while a neighbour is shown or collapsed.
 */
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
  const container = useRef<HTMLDivElement>(null)
  const firstId = useId()
  const { size, dragging, props } = useSeparator({
    id,
    direction,
    initial,
    min,
    max,
    label,
    container,
    controls: firstId,
  })

  const alone = first === null || second === null
  return (
    <div ref={container} className={`split split-${direction}${dragging ? ' is-dragging' : ''}`}>
      <div
        id={firstId}
        className={second === null ? 'split-pane split-pane-rest' : 'split-pane'}
        style={second === null ? undefined : { flexBasis: `${size}%` }}
        hidden={first === null}
      >
        {first}
      </div>
      {!alone && <div className="split-separator" {...props} />}
      <div className="split-pane split-pane-rest" hidden={second === null}>
        {second}
      </div>
    </div>
  )
}
