import type { StopReason } from '../../../../shared/entries'
import type { TurnInfo } from '../../app/live-slice'

/** One line saying what the agent is doing, or how its last run ended. Pure, for the status line. */
export function runStatusText(
  turn: TurnInfo | null,
  running: boolean,
  lastStop: { reason: StopReason; message?: string | undefined } | null,
  now: number,
): string {
  if (running) {
    switch (turn?.state) {
      case 'streaming':
        return 'Writing…'
      case 'tool':
        return turn.toolName ? `Running ${turn.toolName}…` : 'Running a tool…'
      case 'approval':
        return 'Waiting for your approval'
      case 'compacting':
        return 'Compacting the conversation…'
      case 'retrying': {
        const secs =
          turn.retryAt === null ? null : Math.max(0, Math.ceil((turn.retryAt - now) / 1000))
        const attempt = turn.attempt === null ? '' : ` (attempt ${turn.attempt})`
        const why = turn.message ? `: ${turn.message}` : ''
        return secs === null ? `Retrying${attempt}${why}` : `Retrying in ${secs} s${attempt}${why}`
      }
      default:
        return 'Waiting for the model…'
    }
  }
  if (!lastStop) return ''
  const detail = lastStop.message ? ` ${lastStop.message}` : ''
  switch (lastStop.reason) {
    case 'done':
      return ''
    case 'aborted':
      return 'Stopped. Continue picks up where it left off.'
    case 'interrupted':
      return `Interrupted.${detail}`
    case 'max_turns':
      return `Stopped at the turn limit.${detail}`
    case 'error':
      return `The run failed.${detail}`
    case 'context_overflow':
      return `The conversation no longer fits the model.${detail}`
    case 'spend_cap':
      return `Paused at the spend cap.${detail}`
  }
}
