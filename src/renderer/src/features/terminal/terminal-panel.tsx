import type { JSX } from 'react'
import { EmptyState, Panel } from '../../lib/ui/panel'

export function TerminalPanel(): JSX.Element {
  return (
    <Panel name="Terminal">
      <EmptyState>
        <p>The session&apos;s shell will appear here.</p>
      </EmptyState>
    </Panel>
  )
}
