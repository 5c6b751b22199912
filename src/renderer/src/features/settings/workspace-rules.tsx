import { useEffect, useState } from 'react'
import type { JSX } from 'react'
import type { MethodOutput } from '../../../../shared/contract'
import type { Workspace } from '../../../../shared/model'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

type Rules = MethodOutput<'policy.rules'>

/** One open workspace's own rules, read-only: they live in its repository, not in Settings. */
function WorkspaceRulesTable({ workspace }: { workspace: Workspace }): JSX.Element {
  const [rules, setRules] = useState<Rules | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    getClient()
      .call('policy.rules', { workspaceId: workspace.id })
      .then((r) => live && setRules(r))
      .catch((err: unknown) => live && setError(errorMessage(err)))
    return () => {
      live = false
    }
  }, [workspace.id, workspace.trusted])

  const ws = rules?.workspace
  return (
    <div className="workspace-rules">
      <h4>
        {workspace.name}
        {!workspace.trusted && <span className="settings-badge">Not trusted</span>}
      </h4>
      {ws?.exists && <p className="workspace-rules-file settings-mono">{ws.path}</p>}
      {error !== null ? (
        <p className="settings-error">Could not read its rules: {error}</p>
      ) : ws === undefined ? (
        <p className="muted">…</p>
      ) : ws.ignored ? (
        <p className="workspace-rules-note">{ws.ignored}</p>
      ) : !ws.exists ? (
        <p className="muted">
          No rules of its own (no <code>{ws.file}</code>).
        </p>
      ) : ws.rules.length === 0 ? (
        <p className="muted">Its file has no rules.</p>
      ) : (
        <table className="rules-table is-readonly" aria-label={`Rules of ${workspace.name}`}>
          <thead>
            <tr>
              <th scope="col" className="rules-num">
                #
              </th>
              <th scope="col">Tool</th>
              <th scope="col">Pattern</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {ws.rules.map((r, i) => (
              <tr key={i}>
                <td className="rules-num">{i + 1}</td>
                <td className="settings-mono">{r.tool}</td>
                <td className="settings-mono">{r.pattern}</td>
                <td>
                  <span className={`preview-badge is-${r.action}`}>{r.action}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

/** The open workspaces' own rules, which apply above the user's. */
export function WorkspaceRules({ workspaces }: { workspaces: Workspace[] }): JSX.Element {
  return (
    <div className="settings-group" role="group" aria-labelledby="workspace-rules-title">
      <div className="settings-group-header">
        <div>
          <h3 id="workspace-rules-title">Workspace rules</h3>
          <p className="muted">
            A repository can ship its own rules in <code>.paddock/permissions.json</code>. They
            apply above yours once you trust the workspace; edit them in the file.
          </p>
        </div>
      </div>
      {workspaces.length === 0 ? (
        <p className="muted settings-empty">No folder is open.</p>
      ) : (
        workspaces.map((w) => <WorkspaceRulesTable key={w.id} workspace={w} />)
      )}
    </div>
  )
}
