import type { JSX } from 'react'
import { EmptyState, Panel } from '../../lib/ui/panel'

export function ChangesPanel(): JSX.Element {
  return (
    <Panel name="Changes">
      <EmptyState>
        <p>No changes yet. Files the agent changes will be listed here for review.</p>
      </EmptyState>
    </Panel>
  )
}
