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
  first: ReactNode
  second: ReactNode
}

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

  return (
    <div ref={container} className={`split split-${direction}${dragging ? ' is-dragging' : ''}`}>
      <div id={firstId} className="split-pane" style={{ flexBasis: `${size}%` }}>
        {first}
      </div>
      <div className="split-separator" {...props} />
      <div className="split-pane split-pane-rest">{second}</div>
    </div>
  )
}
