import { useEffect, useId, useRef } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import type { VerdictView } from './verdict'
import { VerdictLine } from './verdict-line'

/**
 * Asked before saving a provider whose connection test failed: what the test said, and two ways
 * on. "Keep editing" has the focus (and Esc), since the usual fix is in the form.
 */
export function SaveWarning({
  name,
  verdict,
  onSave,
  onKeepEditing,
}: {
  name: string
  verdict: VerdictView
  onSave: () => void
  onKeepEditing: () => void
}): JSX.Element {
  const keepRef = useRef<HTMLButtonElement>(null)
  const rootRef = useRef<HTMLDivElement>(null)
  const messageId = useId()

  useEffect(() => {
    keepRef.current?.focus()
    rootRef.current?.scrollIntoView({ block: 'nearest' })
  }, [])

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key !== 'Escape') return
    e.preventDefault()
    e.stopPropagation()
    onKeepEditing()
  }

  return (
    <div
      ref={rootRef}
      role="group"
      aria-labelledby={messageId}
      className="inline-confirm settings-save-warning"
      onKeyDown={onKeyDown}
    >
      <p id={messageId}>
        {name ? `“${name}”` : 'This provider'} did not pass the connection test. Save it anyway?
      </p>
      <VerdictLine verdict={verdict} />
      <div className="inline-confirm-actions">
        <button ref={keepRef} type="button" className="btn" onClick={onKeepEditing}>
          Keep editing
        </button>
        <button type="button" className="btn btn-danger" onClick={onSave}>
          Save anyway
        </button>
      </div>
    </div>
  )
}
