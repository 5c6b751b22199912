import type { JSX } from 'react'
import '../../styles/context.css'
import type { FitState } from './use-context-fit'

/**
 * What switching to the picked model will do, said before anything is sent: when the session does
 * not fit that model's window, the host's sentence ("This session uses 150k tokens; Kimi K2 holds
 * 128k — it will be compacted first"). The live region is always there, so the sentence is read
 * out when it appears.
 */
export function SwitchWarning({
  fit,
  sessionModel,
}: {
  fit: FitState
  /** The model the session runs with now: picking it back is no switch. */
  sessionModel: string | null
}): JSX.Element {
  const show =
    fit.fit !== null &&
    !fit.fit.fits &&
    fit.fit.warning !== null &&
    fit.model !== null &&
    fit.model !== sessionModel
  return (
    <div className="switch-warning-live" aria-live="polite">
      {show && (
        <div role="note" aria-label="Model switch" className="switch-warning">
          <span className="switch-warning-icon" aria-hidden="true">
            ⚠
          </span>
          <p>
            <strong>{fit.fit!.warning}</strong>{' '}
            <span className="switch-warning-detail">
              It is summarised when you send your next message; nothing has been sent yet.
              {fit.fit!.windowAssumed
                ? ' This model’s window is unknown and assumed; set it in models.json.'
                : ''}
            </span>
          </p>
        </div>
      )}
    </div>
  )
}
