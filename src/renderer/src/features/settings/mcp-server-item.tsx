import { useId, useState } from 'react'
import type { JSX } from 'react'
import type { McpList, McpServerStatus } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

const STATE_LABELS: Record<McpServerStatus['state'], string> = {
  stopped: 'Not started',
  starting: 'Starting…',
  ready: 'Running',
  restarting: 'Restarting…',
  failed: 'Stopped after failures',
}

/** One server: its state, its tools with on/off switches, Restart, and the tail of its log. */
export function McpServerItem({
  server,
  workspaceId,
  onChanged,
}: {
  server: McpServerStatus
  workspaceId: string | undefined
  onChanged: (list: McpList) => void
}): JSX.Element {
  const nameId = useId()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const own = server.source === 'user'

  const act = async (work: () => Promise<McpList>): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      onChanged(await work())
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  const client = getClient()
  const state = server.enabled ? STATE_LABELS[server.state] : 'Off'

  return (
    <li className="mcp-server" aria-labelledby={nameId}>
      <div className="mcp-server-row">
        <div className="mcp-server-main">
          <div className="provider-title">
            <span id={nameId} className="provider-name">
              {server.name}
            </span>
            <span
              className={`settings-badge mcp-state is-${server.enabled ? server.state : 'off'}`}
            >
              {state}
            </span>
            {server.source === 'workspace' && <span className="settings-badge">Workspace</span>}
            {server.pinned && !own && <span className="settings-badge">Pinned</span>}
          </div>
          <p className="provider-meta">
            <span className="provider-url">{server.target}</span>
            <span>{server.tools.length === 1 ? '1 tool' : `${server.tools.length} tools`}</span>
          </p>
          {server.lastError && <p className="settings-error">{server.lastError}</p>}
        </div>
        <div className="mcp-server-actions">
          {own && (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={server.enabled}
                disabled={busy}
                onChange={(e) =>
                  void act(() =>
                    client.call('mcp.setEnabled', { name: server.name, enabled: e.target.checked }),
                  )
                }
              />
              On
            </label>
          )}
          {own && (
            <label
              className="checkbox"
              title="Always list its tools, even when the servers' schemas go behind mcp_search"
            >
              <input
                type="checkbox"
                checked={server.pinned}
                disabled={busy}
                onChange={(e) =>
                  void act(() =>
                    client.call('mcp.setPinned', { name: server.name, pinned: e.target.checked }),
                  )
                }
              />
              Pinned
            </label>
          )}
          <button
            type="button"
            className="btn btn-small"
            disabled={busy || !server.enabled}
            onClick={() =>
              void act(() =>
                client.call('mcp.restart', {
                  name: server.name,
                  ...(workspaceId ? { workspaceId } : {}),
                }),
              )
            }
          >
            {server.state === 'stopped' ? 'Start' : 'Restart'}
          </button>
          {own && (
            <button
              type="button"
              className="btn btn-ghost btn-small"
              disabled={busy}
              aria-label={`Remove ${server.name}`}
              onClick={() => void act(() => client.call('mcp.remove', { name: server.name }))}
            >
              Remove
            </button>
          )}
        </div>
      </div>
      {error && (
        <p role="alert" className="settings-error">
          {error}
        </p>
      )}
      {server.tools.length > 0 && (
        <ul className="mcp-tools" aria-label={`Tools of ${server.name}`}>
          {server.tools.map((t) => (
            <li key={t.name} className="mcp-tool">
              <label className="checkbox" title={t.description}>
                <input
                  type="checkbox"
                  checked={t.enabled}
                  disabled={busy || !own}
                  onChange={(e) =>
                    void act(() =>
                      client.call('mcp.setToolEnabled', {
                        name: server.name,
                        tool: t.name,
                        enabled: e.target.checked,
                      }),
                    )
                  }
                />
                <span className="settings-mono">{t.name}</span>
              </label>
              {t.readOnly && <span className="settings-badge">read-only</span>}
              <span className="mcp-tool-desc muted">{t.description}</span>
            </li>
          ))}
        </ul>
      )}
      {server.logTail.length > 0 && (
        <details className="mcp-log">
          <summary>Log ({server.logTail.length} lines)</summary>
          <pre className="settings-mono">{server.logTail.join('\n')}</pre>
        </details>
      )}
    </li>
  )
}
