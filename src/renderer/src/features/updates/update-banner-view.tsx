import type { JSX } from 'react'
import type { RestartOutcome } from '../../../../shared/update-bridge'

export interface UpdateBannerViewProps {
  /** The downloaded version waiting for a restart. */
  version: string
  /** Whether an agent of this window's host is running: the restart is then not offered. */
  agentsRunning: boolean
  /** What the last restart request answered, if it did not restart. */
  outcome: RestartOutcome | null
  onRestart(): void
  onLater(): void
}

/**
 * The "Restart to update" bar: offered only while no agent runs; otherwise it says the update
 * waits (it also installs when the app quits). Never modal, never forced.
 */
export function UpdateBannerView(props: UpdateBannerViewProps): JSX.Element {
  const blocked = props.agentsRunning || props.outcome === 'agents_running'
  return (
    <div role="status" className="update-banner">
      <span>
        Paddock {props.version} is ready to install.{' '}
        {blocked
          ? 'Restart once your agents finish, or quit Paddock to install it.'
          : 'It installs when Paddock restarts.'}
      </span>
      {!props.agentsRunning && (
        <button type="button" className="btn btn-primary" onClick={props.onRestart}>
          Restart to update
        </button>
      )}
      <button type="button" className="btn" onClick={props.onLater}>
        Later
      </button>
    </div>
  )
}
