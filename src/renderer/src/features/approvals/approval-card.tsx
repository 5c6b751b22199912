import type { JSX } from 'react'
import type { ApprovalAnswer, ApprovalRequest } from '../../../../shared/entries'
import { getClient } from '../../lib/api/client'

export interface ApprovalCardProps {
  sessionId: string
  request: ApprovalRequest
  /** The answer entry, once there is one. */
  answer: ApprovalAnswer | null
}

/** A tool call waiting for the user. (First version; the approvals feature grows it.) */
export function ApprovalCard({ sessionId, request, answer }: ApprovalCardProps): JSX.Element {
  const reply = (a: 'allow_once' | 'deny'): void => {
    void getClient().call('session.answerApproval', {
      sessionId,
      approvalId: request.approvalId,
      answer: a,
    })
  }
  return (
    <div className="approval-card" role="group" aria-label={`Approval: ${request.tool}`}>
      <p>
        {request.tool}: {request.reason}
      </p>
      {answer ? (
        <p>{answer.answer}</p>
      ) : (
        <>
          <button type="button" className="btn" onClick={() => reply('allow_once')}>
            Approve
          </button>
          <button type="button" className="btn" onClick={() => reply('deny')}>
            Reject
          </button>
        </>
      )}
    </div>
  )
}
