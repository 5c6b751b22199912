import type { JSX } from 'react'
import { EmptyState, Panel } from '../../lib/ui/panel'

export function TimelinePanel(): JSX.Element {
  return (
    <Panel name="Timeline">
      <EmptyState>
        <p>No checkpoints yet. Each agent step will appear here so you can rewind.</p>
      </EmptyState>
    </Panel>
  )
}
