import type { JSX } from 'react'
import type { ApprovalAnswer } from '../../../../shared/entries'
import {
  ApprovalAnswerPayload,
  ApprovalRequestPayload,
  SpendApprovalPayload,
} from '../../../../shared/entries'
import type { Entry } from '../../../../shared/model'
import { ApprovalCard } from './approval-card'
import { SpendRecord } from './spend-record'

/** The answers among a conversation's entries, by approval id (the last one wins). */
export function approvalAnswers(entries: readonly Entry[]): Map<string, ApprovalAnswer> {
  const answers = new Map<string, ApprovalAnswer>()
  for (const e of entries) {
    if (e.type !== 'approval') continue
    const a = ApprovalAnswerPayload.safeParse(e.payload)
    if (a.success) answers.set(a.data.approvalId, a.data)
  }
  return answers
}

/**
 * One `approval` entry of the conversation as the transcript shows it: a request becomes its card
 * (with its answer from `answers`), a spend approval a one-line record, and an answer nothing (its
 * request's card shows it). A payload that fits none of these says so instead of guessing.
 */
export function ApprovalEntry({
  sessionId,
  entry,
  answers,
}: {
  sessionId: string
  entry: Entry
  answers: ReadonlyMap<string, ApprovalAnswer>
}): JSX.Element | null {
  const request = ApprovalRequestPayload.safeParse(entry.payload)
  if (request.success) {
    return (
      <ApprovalCard
        sessionId={sessionId}
        request={request.data}
        answer={answers.get(request.data.approvalId) ?? null}
      />
    )
  }
  if (ApprovalAnswerPayload.safeParse(entry.payload).success) return null
  const spend = SpendApprovalPayload.safeParse(entry.payload)
  if (spend.success) return <SpendRecord approval={spend.data} />
  return <p className="approval-muted">An approval record this version cannot read.</p>
}
