import type { JSX } from 'react'
import '../../styles/agents.css'
import { AgentsIcon } from '../../lib/ui/icons'
import { useAppStore } from '../../app/store'
import { waitingCount } from './agent-rows'

/**
 * The sidebar's way into the Agents view, above the workspaces: with the number of sessions
 * waiting on the user, in its name too ("Agents, 2 waiting on you").
 */
export function AgentsButton(): JSX.Element {
  const open = useAppStore((s) => s.agentsOpen)
  const openAgents = useAppStore((s) => s.openAgents)
  const closeAgents = useAppStore((s) => s.closeAgents)
  const waiting = useAppStore((s) => waitingCount(s.host.sessions, s.live))
  return (
    <button
      type="button"
      className={open ? 'sidebar-agents is-active' : 'sidebar-agents'}
      aria-current={open ? 'page' : undefined}
      aria-label={waiting > 0 ? `Agents, ${waiting} waiting on you` : 'Agents'}
      title="Every session of every workspace, what needs you first"
      onClick={() => (open ? closeAgents() : openAgents())}
    >
      <AgentsIcon />
      <span>Agents</span>
      {waiting > 0 && (
        <span className="sidebar-agents-count" aria-hidden="true">
          {waiting}
        </span>
      )}
    </button>
  )
}
