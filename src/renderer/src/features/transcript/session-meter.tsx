import type { JSX } from 'react'
import { formatCost, formatTokens } from './format'
import { useSessionStatus } from './use-session-status'

/**
 * The panel header's numbers for a session: tokens in and out, cost in USD, and how full the
 * model's context window was at the last call (a meter: used / window).
 */
export function SessionMeter({ sessionId }: { sessionId: string }): JSX.Element | null {
  const { status, error } = useSessionStatus(sessionId)
  if (error !== null && status === null) {
    return (
      <span className="session-meter muted" title={error}>
        Usage unavailable
      </span>
    )
  }
  if (!status) return null
  const { usage, context, model } = status
  const tokensIn = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens
  const used = context.usedTokens
  const window = context.windowTokens
  const ratio = window ? Math.min(1, used / window) : 0
  // An unknown model: the window is the default Paddock assumes until the user gives it.
  const assumed = context.windowAssumed
    ? ` — window unknown for ${model ?? 'this model'}: assuming ${window?.toLocaleString() ?? ''} tokens (set it in models.json or with --context-window)`
    : ''
  const level = ratio >= 0.9 ? 'high' : ratio >= 0.7 ? 'mid' : 'low'
  const cacheNote =
    usage.cacheReadTokens > 0 ? `, ${formatTokens(usage.cacheReadTokens)} of them from cache` : ''
  return (
    <div className="session-meter">
      <span
        className="meter-item"
        title={`${tokensIn.toLocaleString()} tokens in${cacheNote}, ${usage.outputTokens.toLocaleString()} out, over ${usage.calls} model calls`}
      >
        <span className="meter-label">In</span> {formatTokens(tokensIn)}
        <span className="meter-label">Out</span> {formatTokens(usage.outputTokens)}
      </span>
      <span className="meter-item" title="Cost of this session at catalog prices">
        <span className="meter-label">Cost</span> {formatCost(usage.costUsd)}
      </span>
      {window ? (
        <span
          className={`meter-item context-gauge context-${level}`}
          role="meter"
          aria-label="Context"
          aria-valuemin={0}
          aria-valuemax={window}
          aria-valuenow={Math.min(used, window)}
          aria-valuetext={`${formatTokens(used)} of ${formatTokens(window)} tokens${context.windowAssumed ? ' (window assumed)' : ''}`}
          data-assumed={context.windowAssumed ? 'true' : undefined}
          title={`Context: ${used.toLocaleString()} of ${window.toLocaleString()} tokens${model ? ` (${model})` : ''}${assumed}`}
        >
          <span className="meter-label" aria-hidden="true">
            Context
          </span>
          <span className="gauge" aria-hidden="true">
            <span className="gauge-fill" style={{ width: `${(ratio * 100).toFixed(1)}%` }} />
          </span>
          <span aria-hidden="true">
            {formatTokens(used)} / {formatTokens(window)}
            {context.windowAssumed ? ' (assumed)' : ''}
          </span>
        </span>
      ) : (
        <span className="meter-item" title="The model's context window is not known">
          <span className="meter-label">Context</span> {formatTokens(used)}
        </span>
      )}
    </div>
  )
}
