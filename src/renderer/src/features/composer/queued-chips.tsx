import type { JSX } from 'react'
import type { QueuedMessage } from '../../app/live-slice'

/** Longest part of a queued message a chip shows (the full text is its tooltip). */
const CHIP_CHARS = 80

/**
 * Steers and follow-ups sent while the agent runs and not yet in the conversation: one chip each
 * above the input, until the log takes them in (or the run ends and drops them).
 */
export function QueuedChips({ queued }: { queued: readonly QueuedMessage[] }): JSX.Element | null {
  if (queued.length === 0) return null
  return (
    <ul className="queued-chips" aria-label="Queued messages">
      {queued.map((q) => {
        const short = q.text.length > CHIP_CHARS ? `${q.text.slice(0, CHIP_CHARS)}…` : q.text
        const label = q.kind === 'steer' ? 'Queued steer' : 'Queued'
        return (
          <li
            key={q.id}
            className={`queued-chip is-${q.kind}`}
            title={
              q.kind === 'steer'
                ? `Reaches the agent before its next step: ${q.text}`
                : `Reaches the agent after its answer: ${q.text}`
            }
          >
            <span className="queued-chip-kind">{label}:</span> {short}
          </li>
        )
      })}
    </ul>
  )
}
