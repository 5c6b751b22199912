import type { JSX } from 'react'
import type { ComposerAction } from './keys'

/**
 * The composer's buttons: Send while the agent is idle (and Continue when the last run stopped
 * early); Steer, Queue and Stop while it runs. Names are what users and tests look for.
 */
export function RunControls({
  running,
  canContinue,
  hasText,
  busy,
  onAction,
  onContinue,
}: {
  running: boolean
  canContinue: boolean
  hasText: boolean
  busy: boolean
  onAction: (action: ComposerAction) => void
  onContinue: () => void
}): JSX.Element {
  if (running) {
    return (
      <div className="composer-actions">
        <button
          type="button"
          className="btn"
          title="Reaches the agent before its next step (Ctrl/⌘+Enter)"
          disabled={!hasText || busy}
          onClick={() => onAction('steer')}
        >
          Steer
        </button>
        <button
          type="button"
          className="btn"
          title="Reaches the agent after its answer (Alt+Enter)"
          disabled={!hasText || busy}
          onClick={() => onAction('queue')}
        >
          Queue
        </button>
        <button
          type="button"
          className="btn btn-danger"
          title="Stop the agent (Esc)"
          onClick={() => onAction('stop')}
        >
          Stop
        </button>
      </div>
    )
  }
  return (
    <div className="composer-actions">
      {canContinue && (
        <button
          type="button"
          className="btn"
          title="Resume the run that stopped"
          disabled={busy}
          onClick={onContinue}
        >
          Continue
        </button>
      )}
      <button
        type="button"
        className="btn btn-primary"
        title="Send (Ctrl/⌘+Enter)"
        disabled={!hasText || busy}
        onClick={() => onAction('send')}
      >
        Send
      </button>
    </div>
  )
}
