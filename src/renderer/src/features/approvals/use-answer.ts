import { useCallback, useEffect, useRef, useState } from 'react'
import type { ApprovalAnswerKind } from '../../../../shared/entries'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

/** Longest feedback the contract accepts, in characters. */
export const FEEDBACK_MAX_CHARS = 10_000

export interface SentAnswer {
  answer: ApprovalAnswerKind
  feedback?: string
}

export interface AnswerState {
  /** The answer being sent now; null when idle. */
  sending: ApprovalAnswerKind | null
  /** What the host accepted (shown until the answer's entry arrives). */
  sent: SentAnswer | null
  error: string | null
  /** `editedContent`: the file text the user rewrote the proposed edit/write into. */
  send(answer: ApprovalAnswerKind, feedback?: string, editedContent?: string): void
}

/**
 * Answer one approval question through `sessions.answerApproval`. One answer at a time: a second
 * click while the first is in flight, or after it was accepted, sends nothing.
 */
export function useAnswer(sessionId: string, approvalId: string): AnswerState {
  const [sending, setSending] = useState<ApprovalAnswerKind | null>(null)
  const [sent, setSent] = useState<SentAnswer | null>(null)
  const [error, setError] = useState<string | null>(null)
  // State updates land after a render; a ref stops the second click of a double click at once.
  const busy = useRef(false)
  const mounted = useRef(true)
  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
    }
  }, [])

  const send = useCallback(
    (answer: ApprovalAnswerKind, feedback?: string, editedContent?: string): void => {
      if (busy.current) return
      busy.current = true
      const text = feedback?.trim().slice(0, FEEDBACK_MAX_CHARS)
      setSending(answer)
      setError(null)
      getClient()
        .call('sessions.answerApproval', {
          sessionId,
          approvalId,
          answer,
          ...(text ? { feedback: text } : {}),
          ...(editedContent !== undefined ? { editedContent } : {}),
        })
        .then(
          () => {
            if (!mounted.current) return
            setSent({ answer, ...(text ? { feedback: text } : {}) })
            setSending(null)
          },
          (err: unknown) => {
            busy.current = false
            if (!mounted.current) return
            setError(errorMessage(err))
            setSending(null)
          },
        )
    },
    [sessionId, approvalId],
  )

  return { sending, sent, error, send }
}
