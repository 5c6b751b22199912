import type { JSX } from 'react'
import type { TerminalInfo } from '../../../../shared/terminals'
import { AlertIcon, CloseIcon } from '../../lib/ui/icons'
import { terminalNotices } from './notices'
import type { TerminalNotice } from './notices'

/**
 * The bars above a terminal's screen: why its shell ended (with "Restart shell"), why it could not
 * start, that it is starting, that the agent waits for the user's command, that the scrollback was
 * restored after a restart (kept while the terminal lives), and a call that failed.
 */
export function TerminalNotices({
  info,
  problem,
  restarting,
  onRestart,
  onDismissProblem,
}: {
  info: TerminalInfo
  problem: string | null
  restarting: boolean
  onRestart: () => void
  onDismissProblem: () => void
}): JSX.Element | null {
  const notices = terminalNotices(info)
  if (notices.length === 0 && problem === null) return null
  return (
    <div className="terminal-notices">
      {notices.map((n) => (
        <Notice key={n.kind} notice={n} restarting={restarting} onRestart={onRestart} />
      ))}
      {problem !== null && (
        <div role="alert" className="terminal-bar is-error">
          <AlertIcon />
          <span className="terminal-bar-text">{problem}</span>
          <button
            type="button"
            className="icon-btn"
            aria-label="Dismiss"
            title="Dismiss"
            onClick={onDismissProblem}
          >
            <CloseIcon />
          </button>
        </div>
      )}
    </div>
  )
}

function Notice({
  notice,
  restarting,
  onRestart,
}: {
  notice: TerminalNotice
  restarting: boolean
  onRestart: () => void
}): JSX.Element {
  const restart = (
    <button
      type="button"
      className="btn btn-small btn-primary"
      disabled={restarting}
      onClick={onRestart}
    >
      Restart shell
    </button>
  )
  switch (notice.kind) {
    case 'failed':
      return (
        <div role="alert" className="terminal-bar is-error" data-notice="failed">
          <AlertIcon />
          <span className="terminal-bar-text">{notice.text}</span>
          {restart}
        </div>
      )
    case 'exited':
      return (
        <div role="status" className="terminal-bar is-exited" data-notice="exited">
          <span className="terminal-bar-text">{notice.text}</span>
          {restart}
        </div>
      )
    case 'starting':
      return (
        <div role="status" className="terminal-bar" data-notice="starting">
          <span className="spinner" aria-hidden="true" />
          <span className="terminal-bar-text">{notice.text}</span>
        </div>
      )
    case 'waiting':
      return (
        <div role="status" className="terminal-bar is-waiting" data-notice="waiting">
          <span className="spinner" aria-hidden="true" />
          <span className="terminal-bar-text">{notice.text}</span>
        </div>
      )
    case 'restored':
      return (
        <div role="note" className="terminal-bar is-restored" data-notice="restored">
          <span className="terminal-bar-text">{notice.text}</span>
        </div>
      )
  }
}
