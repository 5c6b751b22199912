import { useState } from 'react'
import type { JSX } from 'react'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { reviewMessage, useReviewStore } from './review-store'
import type { LineComment } from './review-store'

const EMPTY: LineComment[] = []

/**
 * The comments collected for the agent, and "Send review": one message with every `path:line`
 * and its quoted line, queued as a follow-up while the agent runs, else sent as a prompt.
 */
export function ReviewTray({ sessionId }: { sessionId: string }): JSX.Element | null {
  const comments = useReviewStore((s) => s.comments[sessionId] ?? EMPTY)
  const remove = useReviewStore((s) => s.remove)
  const clear = useReviewStore((s) => s.clear)
  const running = useAppStore((s) => s.live[sessionId]?.running ?? false)
  const [error, setError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  if (comments.length === 0) return null

  const send = (): void => {
    setSending(true)
    setError(null)
    const text = reviewMessage(comments)
    const call = running
      ? getClient().call('sessions.followUp', { sessionId, text })
      : getClient().call('sessions.prompt', { sessionId, text })
    call.then(
      () => {
        clear(sessionId)
        setSending(false)
      },
      (err: unknown) => {
        setError(errorMessage(err))
        setSending(false)
      },
    )
  }

  return (
    <section className="review-tray" aria-label="Review comments">
      <ul className="review-tray-list">
        {comments.map((c) => (
          <li key={c.id} className="review-tray-item">
            <code>
              {c.path}:{c.line}
            </code>{' '}
            <span>{c.text}</span>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              aria-label={`Remove comment on ${c.path}:${c.line}`}
              onClick={() => remove(sessionId, c.id)}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
      {error !== null && (
        <p role="alert" className="approval-error">
          Could not send the review: {error}
        </p>
      )}
      <button type="button" className="btn btn-primary btn-small" disabled={sending} onClick={send}>
        Send review ({comments.length})
      </button>
      {running && <span className="review-tray-hint"> Queued after the agent’s current run.</span>}
    </section>
  )
}
