import { useEffect, useId, useRef } from 'react'
import type { JSX, KeyboardEvent } from 'react'

export interface InlineConfirmProps {
  message: string
  confirmLabel: string
  onConfirm: () => void
  onCancel: () => void
}

/** A confirmation shown in place, not in a window: the question and two buttons. Esc cancels. */
export function InlineConfirm({
  message,
  confirmLabel,
  onConfirm,
  onCancel,
}: InlineConfirmProps): JSX.Element {
  const confirmRef = useRef<HTMLButtonElement>(null)
  const messageId = useId()

  useEffect(() => {
    confirmRef.current?.focus()
  }, [])

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key !== 'Escape') return
    e.preventDefault()
    e.stopPropagation()
    onCancel()
  }

  return (
    <div role="group" aria-labelledby={messageId} className="inline-confirm" onKeyDown={onKeyDown}>
      <p id={messageId}>{message}</p>
      <div className="inline-confirm-actions">
        <button ref={confirmRef} type="button" className="btn btn-danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  )
}
