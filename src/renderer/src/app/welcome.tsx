import type { JSX } from 'react'
import { latestWorkspace } from '../../../shared/state'
import { useSettingsStore } from '../features/settings/settings-store'
import { createSession } from './commands'
import { useAppStore } from './store'

/**
 * The main area when no session tab is open (or the host is not there yet): the next step, which
 * depends on what exists — open a folder, create a session in it, or pick one.
 */
export function Welcome(): JSX.Element {
  const ready = useAppStore((s) => s.ready)
  const bootError = useAppStore((s) => s.bootError)
  const workspace = useAppStore((s) => latestWorkspace(s.host.workspaces))
  const noModel = useSettingsStore((s) => s.providers?.length === 0)
  const openFirstRun = useAppStore((s) => s.openFirstRun)
  const hasSessions = useAppStore((s) => Object.keys(s.host.sessions).length > 0)

  if (bootError !== null) {
    return (
      <div className="welcome">
        <h1>Paddock could not load</h1>
        <p role="alert">{bootError}</p>
        <button type="button" className="btn btn-primary" onClick={() => location.reload()}>
          Reload
        </button>
      </div>
    )
  }
  if (!ready) {
    return (
      <div className="welcome">
        <p className="muted">Connecting to the Paddock host…</p>
      </div>
    )
  }
  return (
    <div className="welcome">
      {workspace === null ? (
        <>
          <h1>Open a folder, then create a session</h1>
          <p className="muted">
            Use “Open folder” in the sidebar to choose a project on the Paddock host.
          </p>
        </>
      ) : (
        <>
          <h1>{hasSessions ? 'Pick a session, or start a new one' : 'Create a session'}</h1>
          <p className="muted">
            {hasSessions
              ? 'Pick a session in the sidebar, or start one with “New session” under a workspace.'
              : `“${workspace.name}” is open. Start a session to give the agent its first task.`}
          </p>
          <button
            type="button"
            className="btn btn-primary"
            title={`New session in ${workspace.path}`}
            onClick={() => createSession(workspace.id)}
          >
            New session in {workspace.name}
          </button>
        </>
      )}
      {noModel && (
        <p className="welcome-no-model">
          No model is connected yet.{' '}
          <button type="button" className="btn btn-small" onClick={openFirstRun}>
            Set up a model
          </button>
        </p>
      )}
      <dl className="shortcuts">
        <dt>F2</dt>
        <dd>Rename the focused session</dd>
        <dt>← →</dt>
        <dd>Move between session tabs</dd>
        <dt>Ctrl+W</dt>
        <dd>Close the active tab (desktop app)</dd>
      </dl>
    </div>
  )
}
