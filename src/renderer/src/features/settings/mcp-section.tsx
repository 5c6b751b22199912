import { useMemo } from 'react'
import type { JSX } from 'react'
import { sortedWorkspaces } from '../../../../shared/state'
import { useAppStore } from '../../app/store'
import '../../styles/settings-mcp.css'
import { McpAddForm } from './mcp-add-form'
import { McpServerItem } from './mcp-server-item'
import { useMcp } from './use-mcp'

/**
 * MCP servers: the user's (shared by every session; started when a run first needs tools) and
 * the current workspace's `.mcp.json` (used once the workspace is trusted, else why not), each
 * with its state, tools to turn off, Restart and the tail of its log; and a form to add one.
 */
export function McpSection(): JSX.Element {
  const host = useAppStore((s) => s.host)
  const activeTab = useAppStore((s) => s.activeTab)
  const workspaces = useMemo(() => sortedWorkspaces(host), [host])
  const workspaceId =
    (activeTab ? host.sessions[activeTab]?.workspaceId : undefined) ?? workspaces[0]?.id
  const { list, error, apply } = useMcp(workspaceId)

  return (
    <>
      <div className="settings-group" role="group" aria-labelledby="mcp-servers-title">
        <div className="settings-group-header">
          <div>
            <h3 id="mcp-servers-title">Servers</h3>
            <p className="muted">
              Their tools reach the agent as <code>mcp__server__tool</code> and ask before they run,
              unless a permission rule says otherwise (plan mode runs only read-only ones).
            </p>
          </div>
        </div>
        {error !== null && <p className="settings-error">Could not read the servers: {error}</p>}
        {list === null ? (
          <p className="muted">…</p>
        ) : list.servers.length === 0 ? (
          <p className="muted settings-empty">No MCP server yet. Add one below.</p>
        ) : (
          <ul className="mcp-servers" aria-label="MCP servers">
            {list.servers.map((s) => (
              <McpServerItem
                key={`${s.source}:${s.name}`}
                server={s}
                workspaceId={workspaceId}
                onChanged={apply}
              />
            ))}
          </ul>
        )}
        {list?.ignored && (
          <p className="workspace-rules-note" role="note">
            {list.ignored.reason}
          </p>
        )}
      </div>
      <div className="settings-group" role="group" aria-labelledby="mcp-add-title">
        <div className="settings-group-header">
          <div>
            <h3 id="mcp-add-title">Add a server</h3>
            <p className="muted">
              A command Paddock starts, or a remote address. It gets your environment without
              Paddock’s keys, plus what you set here.
            </p>
          </div>
        </div>
        <McpAddForm onAdded={apply} />
      </div>
    </>
  )
}
