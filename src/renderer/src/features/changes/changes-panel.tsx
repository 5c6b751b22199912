import { useMemo, useState } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import type { Session } from '../../../../shared/model'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { EmptyState, Panel } from '../../lib/ui/panel'
import { ReviewTray } from '../review/review-tray'
import '../../styles/review.css'
import { BaseChanges } from './base-changes'
import { AGAINST_BASE, BaseSelect } from './base-select'
import { FileDiff } from './file-diff'
import { FileList, fileLabel, stepWithAltArrows } from './file-list'
import { RevertAllDialog } from './revert-all-dialog'
import { useChanges } from './use-changes'

/**
 * What changed in the session's folder since a base checkpoint (default: the session's first), or
 * for a worktree session also against its base branch:
 * the files with +/−, and the selected one's diff in Monaco, with keep/revert per change and per
 * file, "Revert all", and line comments for the agent. Alt+↑/↓ moves between files.
 */
export function ChangesPanel({ session }: { session?: Session }): JSX.Element {
  if (!session) {
    return (
      <Panel name="Changes">
        <EmptyState>
          <p>No changes yet. Files the agent changes will be listed here for review.</p>
        </EmptyState>
      </Panel>
    )
  }
  return <SessionChanges session={session} />
}

function SessionChanges({ session }: { session: Session }): JSX.Element {
  const [baseChoice, setBaseChoice] = useState<string | null>(null)
  // A worktree session can also be compared with its base branch ("Against base").
  const baseBranch = session.worktree?.base ?? null
  const againstBase = baseBranch !== null && baseChoice === AGAINST_BASE
  const [bump, setBump] = useState(0)
  const { data, error } = useChanges(session.id, againstBase ? null : baseChoice, bump)
  // This session's files by default: a revert should not reach other sessions' work unasked.
  const [onlySession, setOnlySession] = useState(true)
  const [confirming, setConfirming] = useState(false)
  const [inline, setInline] = useState(false)
  const [selected, setSelected] = useState<string | null>(null)
  const [status, setStatus] = useState<string | null>(null)

  const files = useMemo(() => {
    const all = data?.files ?? []
    if (!onlySession || !data) return all
    return all.filter((f) => data.touched.has(f.path) || (f.oldPath && data.touched.has(f.oldPath)))
  }, [data, onlySession])
  const file = files.find((f) => f.path === selected) ?? files[0] ?? null

  if (againstBase) {
    return (
      <Panel name="Changes">
        <BaseChanges
          sessionId={session.id}
          baseBranch={baseBranch}
          toolbar={
            <BaseSelect
              value={AGAINST_BASE}
              checkpoints={data?.checkpoints ?? []}
              baseBranch={baseBranch}
              onChange={setBaseChoice}
            />
          }
        />
      </Panel>
    )
  }
  if (!data) {
    return (
      <Panel name="Changes">
        <EmptyState>
          <p>{error ?? 'Loading changes…'}</p>
        </EmptyState>
      </Panel>
    )
  }
  if (!data.base) {
    return (
      <Panel name="Changes">
        {baseBranch !== null && (
          <div className="changes-toolbar">
            <BaseSelect
              value=""
              checkpoints={[]}
              baseBranch={baseBranch}
              onChange={setBaseChoice}
            />
          </div>
        )}
        <EmptyState>
          <p>No changes yet. Files the agent changes will be listed here for review.</p>
        </EmptyState>
      </Panel>
    )
  }
  const base = data.base
  const baseInfo = data.checkpoints.find((c) => c.id === base)

  const refresh = (message: string): void => {
    setStatus(message)
    setBump((b) => b + 1)
  }
  const restore = (paths: string[] | null, message: string): void => {
    setStatus(null)
    getClient()
      .call('checkpoints.restore', {
        sessionId: session.id,
        checkpointId: base,
        ...(paths ? { files: paths } : {}),
      })
      .then(
        () => refresh(message),
        (err: unknown) => setStatus(`Could not revert: ${errorMessage(err)}`),
      )
  }
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const next = stepWithAltArrows(e, files, file)
    if (next) setSelected(next)
  }

  return (
    <Panel name="Changes">
      <div className="changes" onKeyDown={onKeyDown}>
        <div className="changes-toolbar">
          <BaseSelect
            value={base}
            checkpoints={data.checkpoints}
            baseBranch={baseBranch}
            onChange={setBaseChoice}
          />
          <label className="changes-filter">
            <input
              type="checkbox"
              checked={onlySession}
              onChange={(e) => setOnlySession(e.target.checked)}
            />
            Changed by this session
          </label>
          <button
            type="button"
            className="btn btn-small"
            aria-pressed={inline}
            onClick={() => setInline((v) => !v)}
          >
            {inline ? 'Side by side' : 'Inline'}
          </button>
          <button
            type="button"
            className="btn btn-small"
            disabled={files.length === 0}
            aria-haspopup="dialog"
            onClick={() => setConfirming(true)}
          >
            Revert all…
          </button>
        </div>
        {status !== null && (
          <p className="changes-status-line" role="status">
            {status}
          </p>
        )}
        {files.length === 0 ? (
          <EmptyState>
            {onlySession && data.files.length > 0 ? (
              <p>
                This session changed none of the {data.files.length} file
                {data.files.length === 1 ? '' : 's'} that differ from this checkpoint. Turn off
                “Changed by this session” to see {data.files.length === 1 ? 'it' : 'them'}.
              </p>
            ) : (
              <p>No file differs from this checkpoint.</p>
            )}
          </EmptyState>
        ) : (
          <div className="changes-main">
            <FileList files={files} selected={file?.path ?? null} onSelect={setSelected} />
            {file && (
              <div className="changes-right">
                <div className="changes-file-head">
                  <code>{fileLabel(file)}</code>
                  <span className="changes-file-actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => {
                        const at = files.indexOf(file)
                        setSelected(files[at + 1]?.path ?? file.path)
                      }}
                    >
                      Keep file
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() =>
                        restore(
                          file.oldPath ? [file.path, file.oldPath] : [file.path],
                          `Reverted ${file.path}.`,
                        )
                      }
                    >
                      Revert file
                    </button>
                  </span>
                </div>
                <FileDiff
                  sessionId={session.id}
                  workspaceId={session.workspaceId}
                  base={base}
                  file={file}
                  generation={data.generation}
                  inline={inline}
                  onChanged={refresh}
                />
              </div>
            )}
          </div>
        )}
        {confirming && (
          <RevertAllDialog
            sessionId={session.id}
            files={files}
            touched={data.touched}
            baseLabel={`#${baseInfo?.n ?? '?'}`}
            baseCreatedAt={baseInfo?.createdAt ?? 0}
            onClose={() => setConfirming(false)}
            onConfirm={(paths) =>
              restore(paths, `Reverted ${files.length} file${files.length === 1 ? '' : 's'}.`)
            }
          />
        )}
        <ReviewTray sessionId={session.id} />
      </div>
    </Panel>
  )
}
