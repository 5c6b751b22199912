import type { JSX } from 'react'
import { AlertIcon, CheckCircleIcon, ErrorCircleIcon } from '../../lib/ui/icons'
import type { VerdictView } from './verdict'

/** A connection test's outcome: an icon for its tone, the headline, the engine's own words. */
export function VerdictLine({ verdict }: { verdict: VerdictView }): JSX.Element {
  const Icon =
    verdict.tone === 'ok' ? CheckCircleIcon : verdict.tone === 'error' ? ErrorCircleIcon : AlertIcon
  return (
    <div className={`settings-verdict settings-verdict-${verdict.tone}`}>
      <Icon />
      <p>
        <strong>{verdict.title}</strong>
        {verdict.detail && <span className="settings-verdict-detail">{verdict.detail}</span>}
      </p>
    </div>
  )
}

/** A live region for verdicts and busy states, so a screen reader hears the outcome. */
export function StatusArea({
  busy,
  verdict,
}: {
  busy: string | null
  verdict: VerdictView | null
}): JSX.Element {
  return (
    <div role="status" className="settings-status">
      {busy !== null ? (
        <p className="settings-verdict settings-verdict-busy">
          <span className="spinner" aria-hidden="true" />
          {busy}
        </p>
      ) : (
        verdict && <VerdictLine verdict={verdict} />
      )}
    </div>
  )
}
