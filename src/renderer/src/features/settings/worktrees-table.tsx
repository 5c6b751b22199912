import { useState } from 'react'
import type { JSX } from 'react'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { folderName, formatAgo, formatSize, formatWhen } from './worktrees-format'
import type { WorktreeRow } from './use-worktrees'

/**
 * Every worktree Paddock made: its folder, branch, session, size on disk and last activity, and
 * whether its folder was removed by hand. Prune forgets the missing ones (`git worktree prune`)
 * and says which it forgot.
 */
export function WorktreesTable({
  worktrees,
  error,
  reload,
}: {
  worktrees: WorktreeRow[] | null
  error: string | null
  reload: () => Promise<void>
}): JSX.Element {
  const [pruning, setPruning] = useState(false)
  const [result, setResult] = useState('')
  const missing = worktrees?.filter((w) => w.missing).length ?? 0

  const prune = async (): Promise<void> => {
    if (pruning) return
    setPruning(true)
    setResult('')
    try {
      const { pruned } = await getClient().call('worktrees.prune', {})
      setResult(
        pruned.length === 0
          ? 'Nothing to prune: every worktree folder is there.'
          : `Pruned ${pruned.length} worktree${pruned.length === 1 ? '' : 's'}: ${pruned.map(folderName).join(', ')}.`,
      )
    } catch (err) {
      setResult(`Could not prune: ${errorMessage(err)}`)
    }
    setPruning(false)
    await reload()
  }

  return (
    <section className="settings-group" aria-labelledby="worktrees-list-title">
      <div className="settings-group-header">
        <div>
          <h3 id="worktrees-list-title">All worktrees</h3>
          <p className="muted">
            Each worktree session works in its own folder, on its own branch. A folder removed by
            hand shows as missing: Prune forgets it (its branch stays).
          </p>
        </div>
        <div className="worktrees-header-actions">
          <button type="button" className="btn" onClick={() => void reload()}>
            Refresh
          </button>
          <button
            type="button"
            className="btn"
            aria-describedby="worktrees-prune-help"
            onClick={() => void prune()}
          >
            {pruning ? 'Pruning…' : 'Prune'}
          </button>
        </div>
      </div>
      <p id="worktrees-prune-help" className="settings-sr-only">
        Forget the worktrees whose folder is gone
        {missing > 0 ? ` (${missing} now)` : ''}.
      </p>
      {error !== null && (
        <div role="alert" className="settings-load-error">
          <p>Could not read the worktrees: {error}</p>
          <button type="button" className="btn" onClick={() => void reload()}>
            Retry
          </button>
        </div>
      )}
      {worktrees === null ? (
        error === null && <p className="muted">Loading the worktrees…</p>
      ) : worktrees.length === 0 ? (
        <p className="settings-empty muted">
          No worktrees yet. Create a session with “New worktree” to get one.
        </p>
      ) : (
        <div className="worktrees-scroll">
          <table className="rules-table worktrees-table" aria-label="Worktrees">
            <thead>
              <tr>
                <th scope="col">Folder</th>
                <th scope="col">Branch</th>
                <th scope="col">Session</th>
                <th scope="col" className="worktrees-num">
                  Size
                </th>
                <th scope="col">Last activity</th>
              </tr>
            </thead>
            <tbody>
              {worktrees.map((w) => (
                <tr key={w.path} className={w.missing ? 'is-missing' : undefined}>
                  <td className="worktrees-folder" title={w.path}>
                    <span className="worktrees-folder-line">
                      <span className="worktrees-name">{folderName(w.path)}</span>
                      {w.missing && <span className="worktrees-badge">missing</span>}
                    </span>
                  </td>
                  <td className="worktrees-branch" title={w.branch ?? 'detached'}>
                    {w.branch ? <code>{w.branch}</code> : <span className="muted">detached</span>}
                  </td>
                  <td className="worktrees-session" title={w.sessionTitle ?? undefined}>
                    {w.sessionTitle ?? <span className="muted">no session</span>}
                  </td>
                  <td className="worktrees-num">
                    {w.missing ? '—' : formatSize(w.sizeBytes, w.sizeTruncated)}
                  </td>
                  <td title={w.lastActivity === null ? undefined : formatWhen(w.lastActivity)}>
                    {w.missing ? (
                      <span className="worktrees-missing-text">Folder is gone</span>
                    ) : w.lastActivity === null ? (
                      <span className="muted">—</span>
                    ) : (
                      formatAgo(w.lastActivity)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p role="status" className="settings-saved worktrees-result">
        {result}
      </p>
    </section>
  )
}
