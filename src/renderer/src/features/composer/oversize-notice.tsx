import { useState } from 'react'
import type { JSX } from 'react'
import { ATTACHMENTS_FOLDER } from '../../../../shared/contract'
import { errorMessage } from '../../lib/api/error-message'
import { attachAsFile } from './attach-text'
import type { PromptSize } from './prompt-size'

/**
 * Said when a message is too big to send, with the way out: Attach as a file writes the text
 * into the project's attachments folder and puts a mention of that file in the box instead.
 */
export function OversizeNotice({
  sessionId,
  text,
  size,
  onAttached,
}: {
  sessionId: string
  text: string
  size: PromptSize
  /** The message that now stands for the text. */
  onAttached: (message: string) => void
}): JSX.Element | null {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  if (size.over === null) return null
  const attach = (): void => {
    setBusy(true)
    setError(null)
    attachAsFile(sessionId, text).then(
      (message) => {
        setBusy(false)
        onAttached(message)
      },
      (err: unknown) => {
        setBusy(false)
        setError(errorMessage(err))
      },
    )
  }
  return (
    <div role="alert" className="composer-error composer-oversize">
      <p>
        {size.over} Attach it as a file: the text goes into <code>{ATTACHMENTS_FOLDER}/</code> in
        the project (not tracked as a change) and the message mentions the file, so the agent reads
        it from there.
        {error !== null && (
          <span className="composer-oversize-error"> Could not attach: {error}</span>
        )}
      </p>
      <button type="button" className="btn btn-small" disabled={busy} onClick={attach}>
        {busy && <span className="spinner" aria-hidden="true" />}
        <span>Attach as a file</span>
      </button>
    </div>
  )
}
