import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { FormEvent, JSX } from 'react'
import type { MethodOutput, SessionPlace } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { createSessionIn } from '../commands'
import { useAppStore } from '../store'
import { slugHint } from './slug-hint'

type Support = MethodOutput<'worktrees.support'>

/**
 * "New session": where the session works — in place, or in a new git worktree (the workspace's
 * last choice preselected; off with the reason when the folder is not a repository or git is
 * missing) — with an optional title, the base branch and the new branch's name. A native modal
 * <dialog>: Enter creates, Esc cancels; a failure stays in the dialog with what was typed.
 */
export function NewSessionDialog(): JSX.Element {
  const workspaceId = useAppStore((s) => s.newSessionFor)
  const hide = useAppStore((s) => s.hideNewSession)
  const dialog = useRef<HTMLDialogElement>(null)

  useLayoutEffect(() => {
    const d = dialog.current
    if (!d) return
    if (workspaceId !== null && !d.open) d.showModal()
    else if (workspaceId === null && d.open) d.close()
  }, [workspaceId])

  return (
    <dialog
      ref={dialog}
      className="dialog new-session-dialog"
      aria-labelledby="new-session-title"
      onClose={hide}
    >
      {workspaceId !== null && (
        <NewSessionForm key={workspaceId} workspaceId={workspaceId} onDone={hide} />
      )}
    </dialog>
  )
}

function NewSessionForm({
  workspaceId,
  onDone,
}: {
  workspaceId: string
  onDone: () => void
}): JSX.Element {
  const workspace = useAppStore((s) => s.host.workspaces[workspaceId])
  const [support, setSupport] = useState<Support | null>(null)
  const [supportError, setSupportError] = useState<string | null>(null)
  const [place, setPlace] = useState<SessionPlace>('in-place')
  const [title, setTitle] = useState('')
  const [base, setBase] = useState('')
  const [branch, setBranch] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const titleInput = useRef<HTMLInputElement>(null)

  useEffect(() => {
    titleInput.current?.focus()
    /** A place asked for by whoever opened the dialog, read once; else the workspace's last. */
    const preferred = useAppStore.getState().newSessionPlace
    let live = true
    getClient()
      .call('worktrees.support', { workspaceId })
      .then(
        (s) => {
          if (!live) return
          setSupport(s)
          setPlace(s.available ? (preferred ?? s.place) : 'in-place')
          setBase(s.currentBranch ?? s.branches[0] ?? '')
        },
        (err: unknown) => live && setSupportError(errorMessage(err)),
      )
    return () => {
      live = false
    }
  }, [workspaceId])

  const worktree = place === 'worktree'
  const loading = support === null && supportError === null
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    if (busy || loading) return
    setBusy(true)
    setError(null)
    const t = title.trim()
    const b = branch.trim()
    createSessionIn(
      {
        workspaceId,
        ...(t ? { title: t } : {}),
        ...(support?.available ? { place } : {}),
        ...(worktree && base ? { base } : {}),
        ...(worktree && b ? { branch: b } : {}),
      },
      useAppStore.getState().newSessionDraft ?? undefined,
    ).then(onDone, (err: unknown) => {
      setBusy(false)
      setError(errorMessage(err))
    })
  }

  const worktreeOff = support !== null && !support.available
  /** Until the host says what it offers, Create waits (it would pick the place blind). */
  const branches = support?.branches ?? []
  return (
    <form className="new-session-form" onSubmit={submit}>
      <header className="dialog-header">
        <h2 id="new-session-title">New session</h2>
        {workspace && <p className="muted dialog-target">{workspace.path}</p>}
      </header>
      <div className="new-session-body">
        <fieldset className="place-choice">
          <legend>Where the session works</legend>
          <label>
            <input
              type="radio"
              name="place"
              value="in-place"
              checked={!worktree}
              onChange={() => setPlace('in-place')}
            />
            <span>
              <strong>In place</strong>
              <span className="muted"> — in the folder itself, beside other sessions</span>
            </span>
          </label>
          <label className={worktreeOff ? 'is-disabled' : undefined}>
            <input
              type="radio"
              name="place"
              value="worktree"
              checked={worktree}
              disabled={support === null || worktreeOff}
              aria-describedby={worktreeOff ? 'new-session-reason' : undefined}
              onChange={() => setPlace('worktree')}
            />
            <span>
              <strong>New worktree</strong>
              <span className="muted"> — its own git checkout and branch, merged back later</span>
            </span>
          </label>
          {worktreeOff && (
            <p id="new-session-reason" className="dialog-reason">
              {support.reason ?? 'Worktrees are not available here.'}
            </p>
          )}
          {support === null && supportError === null && <p className="muted">Checking for git…</p>}
          {supportError !== null && <p className="dialog-reason">{supportError}</p>}
        </fieldset>
        <label className="field">
          <span>Title (optional)</span>
          <input
            ref={titleInput}
            type="text"
            value={title}
            placeholder="Named after the first prompt"
            onChange={(e) => setTitle(e.target.value)}
          />
        </label>
        {worktree && (
          <div className="worktree-fields">
            <label className="field">
              <span>Base branch</span>
              <select value={base} onChange={(e) => setBase(e.target.value)}>
                {branches.length === 0 && <option value="">HEAD</option>}
                {branches.map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Branch name (optional)</span>
              <input
                type="text"
                value={branch}
                placeholder={`paddock/${slugHint(title)}`}
                spellCheck={false}
                onChange={(e) => setBranch(e.target.value)}
              />
            </label>
            {support?.dir && (
              <p className="muted field-help">
                The worktree goes in <span className="dialog-target">{support.dir}</span>
              </p>
            )}
          </div>
        )}
      </div>
      <footer className="dialog-footer">
        <div className="dialog-footer-note" aria-live="polite">
          {error !== null && (
            <p className="dialog-error" role="alert">
              Could not create the session: {error}
            </p>
          )}
        </div>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy || loading}>
          {busy ? 'Creating…' : 'Create session'}
        </button>
      </footer>
    </form>
  )
}
