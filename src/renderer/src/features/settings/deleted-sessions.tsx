import { useState } from 'react'
import type { JSX } from 'react'
import type { DeletedSession } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { formatAgo, formatDate, formatWhen } from './worktrees-format'

/**
 * Worktree sessions deleted in the last 30 days: their work was saved before the folder went, so
 * Restore brings back the conversation, the branch, its commits and the uncommitted files. The
 * host announces the restored session (`session.created`): it shows in the sidebar again.
 */
export function DeletedSessions({
  deleted,
  reload,
}: {
  deleted: DeletedSession[] | null
  reload: () => Promise<void>
}): JSX.Element {
  const [restoring, setRestoring] = useState<string | null>(null)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [status, setStatus] = useState('')

  const restore = async (s: DeletedSession): Promise<void> => {
    if (restoring !== null) return
    setRestoring(s.sessionId)
    setStatus('')
    setErrors(({ [s.sessionId]: _dropped, ...rest }) => rest)
    try {
      const session = await getClient().call('sessions.restoreDeleted', { sessionId: s.sessionId })
      setStatus(
        `Restored “${session.title}”: it is back in the sidebar, in ${session.worktree?.path ?? s.path}.`,
      )
    } catch (err) {
      setErrors((e) => ({ ...e, [s.sessionId]: errorMessage(err) }))
    }
    setRestoring(null)
    await reload()
  }

  return (
    <section className="settings-group" aria-labelledby="worktrees-deleted-title">
      <div className="settings-group-header">
        <div>
          <h3 id="worktrees-deleted-title">Deleted sessions</h3>
          <p className="muted">
            A deleted worktree session can be brought back for 30 days: its conversation, branch,
            commits and uncommitted files (files that look like secrets are copied again, not
            stored).
          </p>
        </div>
      </div>
      {deleted === null ? (
        <p className="muted">Loading the deleted sessions…</p>
      ) : deleted.length === 0 ? (
        <p className="settings-empty muted">No session deleted in the last 30 days.</p>
      ) : (
        <ul className="worktrees-deleted" aria-label="Deleted sessions">
          {deleted.map((s) => {
            const busy = restoring === s.sessionId
            const error = errors[s.sessionId]
            const errorId = `worktrees-restore-error-${s.sessionId}`
            return (
              <li key={s.sessionId} className="worktrees-deleted-row">
                <div className="worktrees-deleted-text">
                  <span className="worktrees-deleted-title">{s.title}</span>
                  <span className="worktrees-deleted-meta">
                    <code title={`from ${s.base}`}>{s.branch}</code>
                    <span title={formatWhen(s.deletedAt)}>deleted {formatAgo(s.deletedAt)}</span>
                    <span title={formatWhen(s.expiresAt)}>
                      restorable until {formatDate(s.expiresAt)}
                    </span>
                  </span>
                  {error && (
                    <p id={errorId} role="alert" className="settings-field-error">
                      Could not restore: {error}
                    </p>
                  )}
                </div>
                <button
                  type="button"
                  className="btn"
                  aria-label={`Restore ${s.title}`}
                  aria-describedby={error ? errorId : undefined}
                  aria-busy={busy || undefined}
                  disabled={restoring !== null && !busy}
                  onClick={() => void restore(s)}
                >
                  {busy ? 'Restoring…' : 'Restore'}
                </button>
              </li>
            )
          })}
        </ul>
      )}
      <p role="status" className="settings-saved worktrees-result">
        {status}
      </p>
    </section>
  )
}
