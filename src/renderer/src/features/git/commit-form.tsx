import { useId, useState } from 'react'
import type { JSX } from 'react'
import { getClient } from '../../lib/api/client'
import { reveal } from './reveal'
import { errorMessage } from '../../lib/api/error-message'

/**
 * Commit the worktree's uncommitted work: a typed message, or one drafted by the session's model
 * ("Draft with the agent", which fills the field and commits nothing). The user's hooks run.
 */
export function CommitForm({
  sessionId,
  hasChanges,
  disabled,
  busy,
  run,
}: {
  sessionId: string
  hasChanges: boolean
  disabled: boolean
  busy: string | null
  run: <T>(name: string, action: () => Promise<T>) => Promise<T | null>
}): JSX.Element {
  const [message, setMessage] = useState('')
  const [drafting, setDrafting] = useState(false)
  const [draftError, setDraftError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const fieldId = useId()

  const draft = (): void => {
    setDrafting(true)
    setDraftError(null)
    getClient()
      .call('git.draftMessage', { sessionId })
      .then(
        (r) => setMessage(r.message),
        (err: unknown) => setDraftError(`Could not draft a message: ${errorMessage(err)}`),
      )
      .finally(() => setDrafting(false))
  }

  const commit = async (): Promise<void> => {
    setDone(null)
    const r = await run('Commit', () =>
      getClient().call('git.commit', { sessionId, message: message.trim() }),
    )
    if (r) {
      setMessage('')
      setDone(`Committed ${r.commit.slice(0, 7)} “${r.subject}”.`)
    }
  }

  const off = disabled || busy !== null || !hasChanges
  return (
    <section aria-label="Commit" className="git-box">
      <label htmlFor={fieldId} className="git-box-title">
        Commit message
      </label>
      <textarea
        id={fieldId}
        rows={2}
        value={message}
        placeholder={hasChanges ? 'What this change does' : 'Nothing to commit'}
        disabled={disabled || drafting}
        onChange={(e) => setMessage(e.target.value)}
      />
      <div className="git-box-actions">
        <button type="button" className="btn btn-small" disabled={off || drafting} onClick={draft}>
          {drafting ? 'Drafting…' : 'Draft with the agent'}
        </button>
        <button
          type="button"
          className="btn btn-small btn-primary"
          disabled={off || drafting || message.trim() === ''}
          onClick={() => void commit()}
        >
          {busy === 'Commit' ? 'Committing…' : 'Commit'}
        </button>
      </div>
      {draftError && (
        <p ref={reveal} className="dialog-error" role="alert">
          {draftError}
        </p>
      )}
      {done && (
        <p ref={reveal} className="git-ok" role="status">
          {done}
        </p>
      )}
    </section>
  )
}
