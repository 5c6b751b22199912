import { useEffect, useId, useRef, useState } from 'react'
import type { JSX } from 'react'
import type { MethodOutput, RestoreScope } from '../../../../shared/contract'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import type { TimelinePoint } from './timeline-model'

const SCOPES: Array<{ scope: RestoreScope; label: string; hint: string }> = [
  {
    scope: 'files',
    label: 'Files',
    hint: 'Put the files back as they were; keep the conversation.',
  },
  {
    scope: 'conversation',
    label: 'Conversation',
    hint: 'Continue the conversation from this point on a new branch; files stay as they are.',
  },
  {
    scope: 'both',
    label: 'Files and conversation',
    hint: 'Both, as one step that one “Undo restore” reverts.',
  },
]

/** What restoring the files would do: paths written and deleted (a diff against the working tree). */
function plan(diff: MethodOutput<'checkpoints.diff'>): { written: string[]; deleted: string[] } {
  const written: string[] = []
  const deleted: string[] = []
  for (const f of diff.files) {
    if (f.status === 'added') deleted.push(f.path)
    else if (f.status === 'renamed') {
      written.push(f.oldPath ?? f.path)
      deleted.push(f.path)
    } else written.push(f.path)
  }
  return { written, deleted }
}

/**
 * The Restore dialog (a native modal <dialog>): choose files, conversation or both; see which
 * files will be written and deleted, whether other sessions run in the same workspace, and which
 * files changed outside Paddock a files restore would overwrite (Restore waits for a yes).
 */
export function RestoreDialog({
  sessionId,
  point,
  onClose,
  onRestored,
}: {
  sessionId: string
  point: TimelinePoint
  onClose(): void
  onRestored(result: MethodOutput<'sessions.restore'>): void
}): JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const [scope, setScope] = useState<RestoreScope>('files')
  const [files, setFiles] = useState<{ written: string[]; deleted: string[] } | null>(null)
  // Files the restore would overwrite that someone other than the agent changed (null: asking).
  const [outside, setOutside] = useState<string[] | null>(null)
  const [overwrite, setOverwrite] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const others = useAppStore((s) => {
    const ws = s.host.sessions[sessionId]?.workspaceId
    return Object.values(s.host.sessions)
      .filter((o) => o.id !== sessionId && o.workspaceId === ws && s.live[o.id]?.running)
      .map((o) => o.title)
      .join('\u0000')
  })

  useEffect(() => {
    const d = dialog.current
    if (d && !d.open) d.showModal()
  }, [])

  useEffect(() => {
    let live = true
    getClient()
      .call('checkpoints.diff', { sessionId, from: point.checkpoint.id, to: 'worktree' })
      .then(
        (diff) => live && setFiles(plan(diff)),
        (err: unknown) => live && setError(errorMessage(err)),
      )
    getClient()
      .call('checkpoints.restorePreview', { sessionId, checkpointId: point.checkpoint.id })
      .then(
        (preview) => live && setOutside(preview.changedOutside),
        (err: unknown) => {
          if (!live) return
          setOutside([])
          setError(errorMessage(err))
        },
      )
    return () => {
      live = false
    }
  }, [sessionId, point.checkpoint.id])

  const confirm = (): void => {
    setBusy(true)
    setError(null)
    getClient()
      .call('sessions.restore', { sessionId, checkpointId: point.checkpoint.id, scope })
      .then(
        (result) => {
          onRestored(result)
          dialog.current?.close()
        },
        (err: unknown) => {
          setBusy(false)
          setError(errorMessage(err))
        },
      )
  }
  const othersList = others ? others.split('\u0000') : []
  const touchesFiles = scope !== 'conversation'
  const mustAsk = touchesFiles && outside !== null && outside.length > 0
  // Wait for the check before a restore that touches files; then, over others' changes, a yes.
  const blocked = touchesFiles && (outside === null || (mustAsk && !overwrite))

  return (
    <dialog
      ref={dialog}
      className="dialog restore-dialog"
      aria-labelledby={titleId}
      onClose={onClose}
    >
      <header className="dialog-header">
        <h2 id={titleId}>Restore</h2>
        <p className="timeline-muted">To checkpoint {point.index}.</p>
      </header>
      <div className="restore-body">
        <fieldset className="restore-scopes">
          <legend>What to restore</legend>
          {SCOPES.map((s) => (
            <div key={s.scope} className="restore-scope">
              <label>
                <input
                  type="radio"
                  name="restore-scope"
                  value={s.scope}
                  checked={scope === s.scope}
                  aria-describedby={`${titleId}-${s.scope}`}
                  onChange={() => setScope(s.scope)}
                />{' '}
                <strong>{s.label}</strong>
              </label>
              <span id={`${titleId}-${s.scope}`} className="timeline-muted">
                {s.hint}
              </span>
            </div>
          ))}
        </fieldset>
        {othersList.length > 0 && touchesFiles && (
          <p className="restore-warning" role="alert">
            Other sessions are running in this workspace ({othersList.join(', ')}): their agents may
            not expect these files to change.
          </p>
        )}
        {mustAsk && (
          <section aria-label="Changed outside Paddock" className="restore-outside">
            <p className="restore-warning" role="alert">
              {outside.length === 1 ? 'This file was' : `These ${outside.length} files were`}{' '}
              changed since the latest checkpoint by someone other than this session’s agent.
              Restoring overwrites those changes; Undo restore brings them back.
            </p>
            <ul aria-label="Files changed outside Paddock">
              {outside.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
            <label className="restore-overwrite">
              <input
                type="checkbox"
                checked={overwrite}
                onChange={(e) => setOverwrite(e.target.checked)}
              />{' '}
              Overwrite {outside.length === 1 ? 'this change' : 'these changes'}
            </label>
          </section>
        )}
        {touchesFiles && (
          <section aria-label="Files to restore" className="restore-files">
            {files === null && !error && <p className="timeline-muted">Comparing…</p>}
            {files && files.written.length + files.deleted.length === 0 && (
              <p className="timeline-muted">The files already match this point.</p>
            )}
            {files && files.written.length > 0 && (
              <>
                <h3>Written</h3>
                <ul aria-label="Files written">
                  {files.written.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              </>
            )}
            {files && files.deleted.length > 0 && (
              <>
                <h3>Deleted</h3>
                <ul aria-label="Files deleted">
                  {files.deleted.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              </>
            )}
          </section>
        )}
        {error && (
          <p className="timeline-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <footer className="dialog-footer">
        <span className="dialog-footer-note">Undo restore puts everything back.</span>
        <button type="button" className="btn" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy || blocked}
          onClick={confirm}
        >
          Restore
        </button>
      </footer>
    </dialog>
  )
}
