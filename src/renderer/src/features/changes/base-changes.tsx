import { useEffect, useState } from 'react'
import type { JSX, KeyboardEvent, ReactNode } from 'react'
import { errorMessage } from '../../lib/api/error-message'
import { getClient } from '../../lib/api/client'
import { DiffView } from '../../lib/monaco/diff-view'
import { EmptyState } from '../../lib/ui/panel'
import { FileList, fileLabel, stepWithAltArrows } from './file-list'
import { useBaseDiff } from './use-base-diff'
import type { BaseListedFile, BaseSides } from './use-base-diff'

/**
 * "Against base": what a worktree session's branch would bring to its base, committed and not —
 * the files (`git.baseDiff`) and the selected one's diff, base → now (`git.baseFile`), read-only
 * in the same Monaco diff view. Alt+↑/↓ moves between files.
 */
export function BaseChanges({
  sessionId,
  baseBranch,
  toolbar,
}: {
  sessionId: string
  baseBranch: string
  /** The panel's controls (the base choice) that lead the toolbar. */
  toolbar: ReactNode
}): JSX.Element {
  const [bump, setBump] = useState(0)
  const { data, error } = useBaseDiff(sessionId, bump)
  const [inline, setInline] = useState(false)
  const [selected, setSelected] = useState<string | null>(null)
  const files = data?.files ?? []
  const file = files.find((f) => f.path === selected) ?? files[0] ?? null

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const next = stepWithAltArrows(e, files, file)
    if (next) setSelected(next)
  }

  return (
    <div className="changes" onKeyDown={onKeyDown}>
      <div className="changes-toolbar">
        {toolbar}
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={inline}
          onClick={() => setInline((v) => !v)}
        >
          {inline ? 'Side by side' : 'Inline'}
        </button>
        <button type="button" className="btn btn-small" onClick={() => setBump((b) => b + 1)}>
          Refresh
        </button>
      </div>
      {error !== null && (
        <p className="changes-status-line" role="alert">
          Could not compare with {baseBranch}: {error}
        </p>
      )}
      {!data ? (
        error === null && (
          <EmptyState>
            <p>Comparing with {baseBranch}…</p>
          </EmptyState>
        )
      ) : files.length === 0 ? (
        <EmptyState>
          <p>
            No file differs from {data.base}: this session’s branch has nothing to bring to it yet.
          </p>
        </EmptyState>
      ) : (
        <div className="changes-main">
          <FileList files={files} selected={file?.path ?? null} onSelect={setSelected} />
          {file && (
            <div className="changes-right">
              <div className="changes-file-head">
                <code>{fileLabel(file)}</code>
                <span className="muted">against {data.base}</span>
              </div>
              <BaseFileDiff
                sessionId={sessionId}
                baseBranch={data.base}
                file={file}
                generation={data.generation}
                inline={inline}
              />
            </div>
          )}
        </div>
      )}
    </div>
  )
}

/** One file as the base has it (left) and as the worktree has it now (right). */
function BaseFileDiff({
  sessionId,
  baseBranch,
  file,
  generation,
  inline,
}: {
  sessionId: string
  baseBranch: string
  file: BaseListedFile
  generation: number
  inline: boolean
}): JSX.Element {
  const [sides, setSides] = useState<{ key: string; sides: BaseSides } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const key = `${generation}:${file.gitStatus}:${file.path}`

  useEffect(() => {
    let live = true
    getClient()
      .call('git.baseFile', { sessionId, path: file.path })
      .then(
        (s) => live && (setSides({ key, sides: s }), setError(null)),
        (err: unknown) => live && setError(errorMessage(err)),
      )
    return () => {
      live = false
    }
  }, [sessionId, file.path, key])

  if (error !== null)
    return (
      <p role="alert">
        Could not open {file.path}: {error}
      </p>
    )
  if (!sides) return <p className="approval-muted">Loading {file.path}…</p>
  if (sides.sides.binary) {
    return (
      <p className="changes-marker">
        Binary file — {fileLabel(file)} ({file.status}); not shown.
      </p>
    )
  }
  if (sides.sides.tooLarge) {
    return <p className="changes-marker">{file.path} is too large to show here.</p>
  }
  return (
    <div className="changes-diff">
      <div className="changes-editor">
        <DiffView
          label={`Diff of ${sides.sides.path} against ${baseBranch}`}
          path={sides.sides.path}
          original={sides.sides.base ?? ''}
          modified={sides.sides.current ?? ''}
          inline={inline}
        />
      </div>
    </div>
  )
}
