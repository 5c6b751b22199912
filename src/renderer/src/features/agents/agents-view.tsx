import { useLayoutEffect, useRef } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import '../../styles/agents.css'
import { useAppStore } from '../../app/store'
import { CloseIcon } from '../../lib/ui/icons'
import { AgentRow } from './agent-row'
import { rankAgents } from './agent-rows'

/**
 * The Agents view, in the main area while open: every session of every workspace, what needs the
 * user first (waiting for approval, for input, failed, finished with changes to review, running,
 * idle), each with what can be done about it in place. Focus moves in when it opens and back when
 * it closes; Esc closes it.
 */
export function AgentsView(): JSX.Element {
  const close = useAppStore((s) => s.closeAgents)
  // The order as one string: the list re-renders when the order changes, not with every delta.
  const order = useAppStore((s) =>
    rankAgents(s.host.sessions, s.live)
      .map((a) => a.id)
      .join('\n'),
  )
  const ids = order === '' ? [] : order.split('\n')
  const root = useRef<HTMLElement>(null)

  useLayoutEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const view = root.current
    view?.focus()
    return () => {
      const now = document.activeElement
      const ours = now === null || now === document.body || (view?.contains(now) ?? false)
      if (ours && previous?.isConnected) previous.focus()
    }
  }, [])

  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key !== 'Escape' || e.defaultPrevented) return
    e.preventDefault()
    close()
  }

  return (
    <section
      ref={root}
      className="agents"
      aria-labelledby="agents-heading"
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <header className="agents-header">
        <h1 id="agents-heading">Agents</h1>
        <button
          type="button"
          className="icon-btn"
          aria-label="Close agents"
          title="Close agents (Esc)"
          onClick={close}
        >
          <CloseIcon />
        </button>
      </header>
      {ids.length === 0 ? (
        <p className="agents-empty muted">No sessions yet. Start one from a workspace.</p>
      ) : (
        <ul className="agents-list" aria-label="Sessions, what needs you first">
          {ids.map((id) => (
            <AgentRow key={id} sessionId={id} />
          ))}
        </ul>
      )}
    </section>
  )
}
