import type { JSX } from 'react'
import { useAppStore } from './store'

/** The main area when no session tab is open (or the host is not there yet). */
export function Welcome(): JSX.Element {
  const ready = useAppStore((s) => s.ready)
  const bootError = useAppStore((s) => s.bootError)
  const hasWorkspaces = useAppStore((s) => Object.keys(s.host.workspaces).length > 0)

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
      <h1>Open a folder, then create a session</h1>
      <p className="muted">
        {hasWorkspaces
          ? 'Pick a session in the sidebar, or start a new one with “New session” under a workspace.'
          : 'Use “Open folder” in the sidebar to choose a project on the Paddock host.'}
      </p>
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
