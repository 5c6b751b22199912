import { useEffect, useRef, useState } from 'react'
import type { JSX } from 'react'
import { FEEDBACK_MAX_CHARS } from './use-answer'

/**
 * The optional words that go with a rejection: the agent receives them as the tool's result.
 * Enter sends, Shift+Enter starts a new line, Escape cancels.
 */
export function FeedbackForm({
  busy,
  onSend,
  onCancel,
}: {
  busy: boolean
  onSend: (feedback: string) => void
  onCancel: () => void
}): JSX.Element {
  const [text, setText] = useState('')
  const input = useRef<HTMLTextAreaElement>(null)
  useEffect(() => input.current?.focus(), [])
  return (
    <form
      className="approval-feedback"
      onSubmit={(e) => {
        e.preventDefault()
        onSend(text)
      }}
    >
      <label className="approval-feedback-label">
        <span aria-hidden="true">What should the agent do instead? (optional)</span>
        <textarea
          ref={input}
          className="approval-feedback-input"
          aria-label="Feedback for the agent"
          rows={2}
          maxLength={FEEDBACK_MAX_CHARS}
          value={text}
          placeholder="e.g. Don't touch the config; add a test first."
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault()
              e.stopPropagation()
              onCancel()
            } else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault()
              onSend(text)
            }
          }}
        />
      </label>
      <div className="approval-actions">
        <button type="submit" className="btn btn-danger" disabled={busy}>
          {busy ? 'Sending…' : 'Send rejection'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <span className="approval-hint">Enter sends · Shift+Enter new line · Esc cancels</span>
      </div>
    </form>
  )
}
