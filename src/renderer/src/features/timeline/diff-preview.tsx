import { useEffect, useState } from 'react'
import type { JSX } from 'react'
import type { MethodOutput } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import type { TimelinePoint } from './timeline-model'
import { countText } from './timeline-model'

type Diff = MethodOutput<'checkpoints.diff'>
export type Against = 'worktree' | 'previous'

/**
 * A point's diff, read-only: from the point to the working tree, or from the previous point to
 * this one. A plain unified diff, one block per file.
 */
export function DiffPreview({
  sessionId,
  point,
  against,
  refresh,
}: {
  sessionId: string
  point: TimelinePoint
  against: Against
  /** Changes when the working tree may have changed (a restore): fetch again. */
  refresh: number
}): JSX.Element {
  const [state, setState] = useState<{ key: string; diff: Diff | null; error: string | null }>({
    key: '',
    diff: null,
    error: null,
  })
  const from = against === 'previous' ? point.previousId : point.checkpoint.id
  const to = against === 'previous' ? point.checkpoint.id : 'worktree'
  const key = `${from}:${to}:${refresh}`

  useEffect(() => {
    if (!from) return
    let live = true
    getClient()
      .call('checkpoints.diff', { sessionId, from, to })
      .then(
        (diff) => live && setState({ key, diff, error: null }),
        (err: unknown) => live && setState({ key, diff: null, error: errorMessage(err) }),
      )
    return () => {
      live = false
    }
  }, [sessionId, from, to, key])

  if (!from) return <p className="timeline-muted">This is the first point: nothing before it.</p>
  if (state.key !== key) return <p className="timeline-muted">Loading the diff…</p>
  if (state.error) return <p className="timeline-error">{state.error}</p>
  const diff = state.diff!
  if (diff.files.length === 0) {
    return (
      <p className="timeline-muted">
        {against === 'worktree'
          ? 'The working tree matches this point.'
          : 'No file changed since the previous point.'}
      </p>
    )
  }
  return (
    <div className="timeline-diff" aria-label="Diff preview" role="document">
      {diff.files.map((f) => (
        <section key={f.path} className="timeline-diff-file">
          <h4>
            <span className={`timeline-status timeline-status-${f.status}`}>{f.status}</span>{' '}
            {f.oldPath ? `${f.oldPath} → ${f.path}` : f.path}{' '}
            <span className="timeline-counts">
              {f.binary ? 'binary' : countText(f.additions, f.deletions)}
            </span>
          </h4>
          {f.patch !== null ? (
            <pre className="timeline-patch">
              {f.patch.split('\n').map((line, i) => (
                <span key={i} className={lineClass(line)}>
                  {line}
                  {'\n'}
                </span>
              ))}
            </pre>
          ) : (
            <p className="timeline-muted">{f.binary ? 'Binary file.' : 'Too large to show.'}</p>
          )}
        </section>
      ))}
      {diff.truncated && <p className="timeline-muted">Some files were left out.</p>}
    </div>
  )
}

function lineClass(line: string): string {
  if (line.startsWith('@@')) return 'diff-hunk'
  if (line.startsWith('+') && !line.startsWith('+++')) return 'diff-add'
  if (line.startsWith('-') && !line.startsWith('---')) return 'diff-del'
  return 'diff-ctx'
}
