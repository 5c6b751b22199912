import type { JSX, ReactNode } from 'react'

/** One pane of a session: a named region with a header and a scrolling body. */
export function Panel({ name, children }: { name: string; children: ReactNode }): JSX.Element {
  return (
    <section role="region" aria-label={name} className="panel">
      <header className="panel-header">
        <h2>{name}</h2>
      </header>
      <div className="panel-body">{children}</div>
    </section>
  )
}

/** What a panel says while it has nothing to show; it states what will appear, and why not yet. */
export function EmptyState({ children }: { children: ReactNode }): JSX.Element {
  return <div className="empty-state">{children}</div>
}
