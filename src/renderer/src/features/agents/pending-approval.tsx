import { useEffect, useState } from 'react'
import type { JSX } from 'react'
import type { ApprovalRequest } from '../../../../shared/entries'
import { payloadOf } from '../../../../shared/entries'
import { getClient } from '../../lib/api/client'
import { describeRequest } from '../approvals/describe'
import { useAnswer } from '../approvals/use-answer'

/** How far back from the leaf the question is looked for: a paused run asked it last. */
const REQUEST_LOOKBACK_ENTRIES = 50

/** The question `approvalId` of a session, read from the end of its log; null until found. */
function useRequest(sessionId: string, approvalId: string): ApprovalRequest | null {
  const [found, setFound] = useState<ApprovalRequest | null>(null)
  useEffect(() => {
    let disposed = false
    getClient()
      .call('sessions.entries', { sessionId, limit: REQUEST_LOOKBACK_ENTRIES })
      .then(
        (entries) => {
          if (disposed) return
          for (const e of entries) {
            const p = e.type === 'approval' ? payloadOf(e, 'approval') : null
            if (p?.kind === 'request' && p.approvalId === approvalId) setFound(p)
          }
        },
        // The summary is a help: without it the buttons still answer the question.
        () => undefined,
      )
    return () => {
      disposed = true
    }
  }, [sessionId, approvalId])
  // A question found for an earlier id is not this one's.
  return found?.approvalId === approvalId ? found : null
}

/**
 * A waiting question in an Agents row: what the agent wants to do, and Approve (once) or Deny,
 * answered through the same `sessions.answerApproval` call as the transcript's approval card.
 */
export function PendingApproval({
  sessionId,
  approvalId,
  workspaceRoot,
  more,
}: {
  sessionId: string
  approvalId: string
  workspaceRoot: string | null
  /** Further questions waiting behind this one. */
  more: number
}): JSX.Element {
  const request = useRequest(sessionId, approvalId)
  const { sending, sent, error, send } = useAnswer(sessionId, approvalId)
  const summary = request ? describeRequest(request, { workspaceRoot }).summary : 'A tool call'
  const busy = sending !== null || sent !== null
  return (
    <div className="agent-approval" role="group" aria-label={`Approval: ${summary}`}>
      <span className="agent-approval-summary" title={request?.reason}>
        {summary}
        {more > 0 && <span className="muted"> (+{more} more)</span>}
      </span>
      <button
        type="button"
        className="btn btn-primary btn-small"
        disabled={busy}
        onClick={() => send('allow_once')}
      >
        Approve
      </button>
      <button type="button" className="btn btn-small" disabled={busy} onClick={() => send('deny')}>
        Deny
      </button>
      {error !== null && (
        <span className="agent-error" role="alert">
          {error}
        </span>
      )}
    </div>
  )
}
