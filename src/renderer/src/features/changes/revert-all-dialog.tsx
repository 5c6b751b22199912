import { useEffect, useId, useMemo, useRef, useState } from 'react'
import type { JSX } from 'react'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { folderMates } from './shared-folder'
import type { DiffFile } from './use-changes'

/** Who changed a file the revert would touch. */
export type FileOwner =
  | { kind: 'this' }
  | { kind: 'other'; title: string }
  /** No session's checkpoint since the base names it: the user, an editor, another program. */
  | { kind: 'none' }

/** Paths a file's revert writes or deletes (both sides of a rename). */
export function revertPaths(files: readonly DiffFile[]): string[] {
  return files.flatMap((f) => (f.oldPath ? [f.path, f.oldPath] : [f.path]))
}

/**
 * Which other session changed each of `paths` since `since` (ms): the one whose latest checkpoint
 * after it names the file. Asks the workspace's other sessions for their checkpoints.
 */
async function otherOwners(
  sessions: Array<{ id: string; title: string }>,
  paths: readonly string[],
  since: number,
): Promise<Map<string, string>> {
  const wanted = new Set(paths)
  const found = new Map<string, { title: string; at: number }>()
  const lists = await Promise.all(
    sessions.map((s) =>
      getClient()
        .call('checkpoints.list', { sessionId: s.id })
        .then(
          (list) => ({ session: s, list }),
          () => ({ session: s, list: [] }),
        ),
    ),
  )
  for (const { session, list } of lists) {
    for (const c of list) {
      // Only what that session did (not a user's edit its checkpoint happened to record).
      if (c.createdAt < since || !c.ownChanges) continue
      for (const f of c.files) {
        if (!wanted.has(f.path)) continue
        const seen = found.get(f.path)
        if (!seen || seen.at < c.createdAt)
          found.set(f.path, { title: session.title, at: c.createdAt })
      }
    }
  }
  return new Map([...found].map(([path, v]) => [path, v.title]))
}

/**
 * The confirmation before "Revert all" (a native modal <dialog>): every file it will put back as
 * it was at the base checkpoint, this session's first, then other sessions' files with the session
 * that changed each, then files no session changed. Nothing is written until Revert is pressed.
 */
export function RevertAllDialog({
  sessionId,
  files,
  touched,
  baseLabel,
  baseCreatedAt,
  onClose,
  onConfirm,
}: {
  sessionId: string
  files: readonly DiffFile[]
  touched: ReadonlySet<string>
  baseLabel: string
  baseCreatedAt: number
  onClose(): void
  onConfirm(paths: string[]): void
}): JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const sessions = useAppStore((s) => s.host.sessions)
  // Only sessions in the same folder can have changed these files (not another worktree's).
  const others = useMemo(
    () => folderMates(sessions, sessionId).map((s) => ({ id: s.id, title: s.title })),
    [sessions, sessionId],
  )
  const mine = files.filter((f) => touched.has(f.path) || (f.oldPath && touched.has(f.oldPath)))
  const rest = files.filter((f) => !mine.includes(f))
  const [owners, setOwners] = useState<Map<string, string> | null>(rest.length ? null : new Map())

  useEffect(() => {
    const d = dialog.current
    if (d && !d.open) d.showModal()
  }, [])

  const restKey = rest.map((f) => f.path).join('\u0000')
  useEffect(() => {
    if (!restKey) return
    let live = true
    void otherOwners(others, restKey.split('\u0000'), baseCreatedAt).then(
      (found) => live && setOwners(found),
    )
    return () => {
      live = false
    }
  }, [others, restKey, baseCreatedAt])

  const byOthers = owners ? rest.filter((f) => owners.has(f.path)) : []
  const byNoOne = owners ? rest.filter((f) => !owners.has(f.path)) : []
  const count = files.length
  const plural = (n: number): string => `${n} file${n === 1 ? '' : 's'}`

  return (
    <dialog
      ref={dialog}
      className="dialog revert-dialog"
      aria-labelledby={titleId}
      onClose={onClose}
    >
      <header className="dialog-header">
        <h2 id={titleId}>Revert {plural(count)}?</h2>
        <p className="muted">Each is put back as it was at checkpoint {baseLabel}.</p>
      </header>
      <div className="revert-body">
        {mine.length > 0 && (
          <section aria-label="Changed by this session" className="revert-files">
            <h3>Changed by this session</h3>
            <ul>
              {mine.map((f) => (
                <li key={f.path}>{f.path}</li>
              ))}
            </ul>
          </section>
        )}
        {owners === null && <p className="muted">Finding which session changed the others…</p>}
        {byOthers.length > 0 && (
          <section aria-label="Changed by other sessions" className="revert-files">
            <h3>Changed by other sessions</h3>
            <p className="revert-warning" role="alert">
              {byOthers.length === 1 ? 'This file was' : `These ${byOthers.length} files were`}{' '}
              changed by other sessions: reverting undoes their work.
            </p>
            <ul>
              {byOthers.map((f) => (
                <li key={f.path}>
                  {f.path}{' '}
                  <span className="revert-owner">— changed by “{owners?.get(f.path)}”</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        {byNoOne.length > 0 && (
          <section aria-label="Changed outside the sessions" className="revert-files">
            <h3>Changed outside the sessions</h3>
            <p className="revert-warning" role="alert">
              {byNoOne.length === 1 ? 'This file was' : `These ${byNoOne.length} files were`}{' '}
              changed outside Paddock’s sessions (by you, an editor or another program).
            </p>
            <ul>
              {byNoOne.map((f) => (
                <li key={f.path}>{f.path}</li>
              ))}
            </ul>
          </section>
        )}
      </div>
      <footer className="dialog-footer">
        <span className="dialog-footer-note">Undo restore in the Timeline puts them back.</span>
        <button type="button" className="btn" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={owners === null}
          onClick={() => {
            onConfirm(revertPaths(files))
            dialog.current?.close()
          }}
        >
          Revert {plural(count)}
        </button>
      </footer>
    </dialog>
  )
}
