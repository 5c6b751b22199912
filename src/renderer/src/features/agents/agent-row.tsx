import { useState } from 'react'
import type { JSX } from 'react'
import { agentStateLabel, currentTool } from '../../../../shared/agent-state'
import type { TurnState } from '../../../../shared/events'
import { factsOf, agentStateOfLive, emptyLive } from '../../app/live-state'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { formatCost, formatDuration } from '../transcript/format'
import { useNow } from '../transcript/use-now'
import { useSessionStatus } from '../transcript/use-session-status'
import { formatAgo, lastActivityOf } from './agent-rows'
import { PendingApproval } from './pending-approval'

/** What a running session is doing when it is not in a tool, in words. */
const DOING: Record<TurnState, string> = {
  requesting: 'waiting for the model',
  streaming: 'writing',
  tool: 'running a tool',
  retrying: 'retrying',
  approval: 'asking you',
  compacting: 'compacting',
  idle: '—',
}

/**
 * One session in the Agents view: its state, what it does now, model, cost, elapsed time,
 * branch or folder, last activity, and what can be done from here — open it, stop it, answer its
 * question, continue a run that stopped early.
 */
export function AgentRow({ sessionId }: { sessionId: string }): JSX.Element | null {
  const session = useAppStore((s) => s.host.sessions[sessionId])
  const workspace = useAppStore((s) =>
    session ? s.host.workspaces[session.workspaceId] : undefined,
  )
  const live = useAppStore((s) => s.live[sessionId]) ?? emptyLive()
  const { status } = useSessionStatus(sessionId)
  const now = useNow(true, 1000)
  const [error, setError] = useState<string | null>(null)
  if (!session) return null

  const state = agentStateOfLive(live)
  const tool = currentTool(factsOf(live))
  const headingId = `agent-${sessionId}`
  const elapsed =
    live.runStartedAt === null
      ? null
      : live.running
        ? now - live.runStartedAt
        : live.lastActivityAt !== null
          ? live.lastActivityAt - live.runStartedAt
          : null
  const where = session.worktree
    ? `${session.worktree.branch}${session.worktree.missing ? ' (folder missing)' : ''}`
    : 'workspace folder'
  const canContinue =
    !live.running &&
    status?.canContinue === true &&
    live.lastStop !== 'spend_cap' &&
    live.pendingApprovals.length === 0
  const firstApproval = live.pendingApprovals[0]

  const act = (call: () => Promise<unknown>): void => {
    setError(null)
    call().catch((err: unknown) => setError(errorMessage(err)))
  }
  const open = (beside: boolean): void => {
    const s = useAppStore.getState()
    s.closeAgents()
    if (beside) s.openToSide(sessionId)
    else s.openTab(sessionId)
  }

  return (
    <li className="agent-row" data-state={state} aria-labelledby={headingId}>
      <div className="agent-main">
        <span className={`agent-state agent-state-${state}`}>{agentStateLabel(state)}</span>
        <h3 id={headingId} className="agent-title">
          {session.title}
        </h3>
        <span className="agent-workspace muted">{workspace?.name ?? ''}</span>
      </div>
      <dl className="agent-facts">
        <div>
          <dt>Now</dt>
          <dd>{tool ?? (live.running && live.turn ? DOING[live.turn.state] : '—')}</dd>
        </div>
        <div>
          <dt>Model</dt>
          <dd>{status?.model ?? '—'}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{status ? formatCost(status.usage.costUsd) : '—'}</dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd>{elapsed === null ? '—' : formatDuration(Math.max(0, elapsed))}</dd>
        </div>
        <div>
          <dt>Branch</dt>
          <dd title={session.worktree?.path}>{where}</dd>
        </div>
        <div>
          <dt>Last activity</dt>
          <dd>{formatAgo(lastActivityOf(session, live), now)}</dd>
        </div>
      </dl>
      <div className="agent-actions">
        {firstApproval !== undefined && (
          <PendingApproval
            sessionId={sessionId}
            approvalId={firstApproval}
            workspaceRoot={session.worktree?.path ?? workspace?.path ?? null}
            more={live.pendingApprovals.length - 1}
          />
        )}
        <button type="button" className="btn btn-small" onClick={() => open(false)}>
          Open
        </button>
        <button
          type="button"
          className="btn btn-small"
          aria-label={`Open ${session.title} to the side`}
          onClick={() => open(true)}
        >
          Open to the side
        </button>
        {live.running && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => act(() => getClient().call('sessions.abort', { sessionId }))}
          >
            Stop
          </button>
        )}
        {canContinue && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => act(() => getClient().call('sessions.continue', { sessionId }))}
          >
            Continue
          </button>
        )}
        {error !== null && (
          <span className="agent-error" role="alert">
            {error}
          </span>
        )}
      </div>
    </li>
  )
}
