import { useState } from 'react'
import type { JSX } from 'react'
import type { Session } from '../../../../shared/model'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { EmptyState } from '../../lib/ui/panel'
import { CommitForm } from './commit-form'
import { DiscardDialog } from './discard-dialog'
import { GitSummary } from './git-summary'
import { MergeBox } from './merge-box'
import { mergeOrderText, overlapLines, radarOf } from './radar-text'
import { RemoteActions } from './remote-actions'
import { useGitAction, useGitStatus, useRadarPoll } from './use-git-status'
import { reveal } from './reveal'
import '../../styles/git.css'

/**
 * A worktree session's way home: where its branch stands against the base, the collision radar's
 * word on it, and Commit, Merge into base, Push, Open pull request and Discard. Actions wait while
 * the agent runs (it may be writing the files they would take); one runs at a time.
 */
export function GitArea({ session }: { session: Session }): JSX.Element {
  const sessionId = session.id
  const { status, error, refresh } = useGitStatus(sessionId)
  const { busy, error: actionError, run } = useGitAction(refresh)
  const running = useAppStore((s) => s.live[sessionId]?.running ?? false)
  const liveSetup = useAppStore((s) => s.setups[sessionId] ?? null)
  const radar = useAppStore((s) => s.radar)
  const [discarding, setDiscarding] = useState(false)
  useRadarPoll()

  const mine = radarOf(radar, sessionId)
  const order = mergeOrderText(radar, sessionId)
  const missing = session.worktree?.missing === true
  const disabled = running || missing

  return (
    <div className="git-area" aria-busy={busy !== null}>
      {mine && (
        <div className="git-overlap" role="status">
          <span className="overlap-dot" aria-hidden="true" />
          <div>
            {overlapLines(mine).map((line) => (
              <p key={line}>{line}</p>
            ))}
            {order && <p className="muted">{order}</p>}
          </div>
        </div>
      )}
      {radar && !radar.available && (
        <p className="muted">Collision radar unavailable: {radar.reason ?? 'git is too old'}.</p>
      )}
      {error && !status && <EmptyState>Could not read the branch: {error}</EmptyState>}
      {!error && !status && <EmptyState>Reading the branch…</EmptyState>}
      {status && <GitSummary status={status} setup={liveSetup ?? status.setup} />}
      {running && (
        <p className="muted git-wait">The agent is running: actions wait until it stops.</p>
      )}
      {busy && (
        <p className="git-busy" role="status">
          <span className="spinner" aria-hidden="true" /> {busy}…
        </p>
      )}
      {actionError && (
        <p ref={reveal} className="dialog-error" role="alert">
          {actionError}
        </p>
      )}
      {status && (
        <>
          <CommitForm
            sessionId={sessionId}
            hasChanges={status.uncommitted.length > 0}
            disabled={disabled}
            busy={busy}
            run={run}
          />
          <MergeBox
            sessionId={sessionId}
            base={status.base}
            disabled={disabled}
            busy={busy}
            run={run}
          />
          <RemoteActions
            sessionId={sessionId}
            remote={status.remote}
            disabled={disabled}
            busy={busy}
            run={run}
          />
          <section aria-label="Discard" className="git-box">
            <button
              type="button"
              className="btn btn-small btn-danger"
              disabled={disabled || busy !== null || status.uncommitted.length === 0}
              onClick={() => setDiscarding(true)}
            >
              Discard uncommitted changes
            </button>
          </section>
          {discarding && (
            <DiscardDialog
              files={status.uncommitted}
              onClose={() => setDiscarding(false)}
              onDiscard={() =>
                void run('Discard', () => getClient().call('git.discard', { sessionId }))
              }
            />
          )}
        </>
      )}
    </div>
  )
}
