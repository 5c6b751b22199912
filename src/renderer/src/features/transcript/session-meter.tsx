import type { JSX } from 'react'
import { useAppStore } from '../../app/store'
import '../../styles/context.css'
import { compactSession, useCompactStore } from '../context/compact-store'
import type { FitState } from '../context/use-context-fit'
import type { CacheShare } from './cache-share'
import { cachePercent, cacheTitle } from './cache-share'
import { formatCost, formatTokens } from './format'
import { useSessionStatus } from './use-session-status'

/** The tokens in use and the window the gauge shows, and for which model. */
interface GaugeValues {
  used: number
  window: number | null
  assumed: boolean
  model: string | null
  /** The model was picked for the next prompt and is not the session's yet. */
  picked: boolean
}

/**
 * The panel header's numbers for a session: tokens in and out, cost in USD, the share of the last
 * request the provider's prompt cache served, and how full the model's context window is (a
 * meter: used / window) with "Compact now" beside it. The window is that of the model the next
 * prompt runs with: a model just picked in the composer counts from the moment it is picked
 * (`fit`), before anything is sent.
 */
export function SessionMeter({
  sessionId,
  fit,
  cache,
}: {
  sessionId: string
  /** The session against the model picked in the composer, when one is. */
  fit: FitState
  /** The last request's cache figures (`lastRequestCache`), null when none reported usage. */
  cache: CacheShare | null
}): JSX.Element | null {
  const { status, error } = useSessionStatus(sessionId)
  const running = useAppStore((s) => s.live[sessionId]?.running ?? false)
  const compacting = useCompactStore((s) => s.pending[sessionId] === true)
  if (error !== null && status === null) {
    return (
      <span className="session-meter muted" title={error}>
        Usage unavailable
      </span>
    )
  }
  if (!status) return null
  const { usage, context } = status
  const gauge: GaugeValues =
    fit.fit && fit.model !== null && fit.model !== status.model
      ? {
          used: fit.fit.usedTokens,
          window: fit.fit.windowTokens,
          assumed: fit.fit.windowAssumed,
          model: fit.model,
          picked: true,
        }
      : {
          used: context.usedTokens,
          window: context.windowTokens,
          assumed: context.windowAssumed,
          model: status.model,
          picked: false,
        }
  const tokensIn = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens
  const { used, window, model } = gauge
  const ratio = window ? Math.min(1, used / window) : 0
  // An unknown model: the window is the default Paddock assumes until the user gives it.
  const assumed = gauge.assumed
    ? ` — window unknown for ${model ?? 'this model'}: assuming ${window?.toLocaleString() ?? ''} tokens (set it in models.json or with --context-window)`
    : ''
  const next = gauge.picked ? ', the model picked for the next message' : ''
  const level = ratio >= 0.9 ? 'high' : ratio >= 0.7 ? 'mid' : 'low'
  const cacheNote =
    (usage.cacheReadTokens > 0
      ? `, ${usage.cacheReadTokens.toLocaleString()} of them read from the provider's cache`
      : '') +
    (usage.cacheWriteTokens > 0 ? `, ${usage.cacheWriteTokens.toLocaleString()} written to it` : '')
  // Only for a provider that reports caching at all: "0 %" would say nothing about one that never does.
  const caches = usage.cacheReadTokens + usage.cacheWriteTokens > 0
  // Also in the tokens' tooltip: a narrow panel hides the cache share's own item.
  const lastShare =
    cache && caches ? `; the last request: ${cachePercent(cache)} % from the cache` : ''
  return (
    <div className="session-meter">
      <span
        className="meter-item"
        title={`${tokensIn.toLocaleString()} tokens in${cacheNote}, ${usage.outputTokens.toLocaleString()} out, over ${usage.calls} model calls${lastShare}`}
      >
        <span className="meter-label">In</span> {formatTokens(tokensIn)}
        <span className="meter-label">Out</span> {formatTokens(usage.outputTokens)}
      </span>
      <span className="meter-item" title="Cost of this session at catalog prices">
        <span className="meter-label">Cost</span> {formatCost(usage.costUsd)}
      </span>
      {cache && caches ? (
        <span className="meter-item cache-share" title={cacheTitle(cache)}>
          <span className="meter-label">Cache</span> {cachePercent(cache)} %
        </span>
      ) : null}
      {window ? (
        <span
          className={`meter-item context-gauge context-${level}`}
          role="meter"
          aria-label="Context"
          aria-valuemin={0}
          aria-valuemax={window}
          aria-valuenow={Math.min(used, window)}
          aria-valuetext={`${formatTokens(used)} of ${formatTokens(window)} tokens${gauge.assumed ? ' (window assumed)' : ''}`}
          data-assumed={gauge.assumed ? 'true' : undefined}
          data-model={model ?? undefined}
          title={`Context: ${used.toLocaleString()} of ${window.toLocaleString()} tokens${model ? ` (${model}${next})` : ''}${assumed}`}
        >
          <span className="meter-label" aria-hidden="true">
            Context
          </span>
          <span className="gauge" aria-hidden="true">
            <span className="gauge-fill" style={{ width: `${(ratio * 100).toFixed(1)}%` }} />
          </span>
          <span aria-hidden="true">
            {formatTokens(used)} / {formatTokens(window)}
            {gauge.assumed ? ' (assumed)' : ''}
          </span>
        </span>
      ) : (
        <span className="meter-item" title="The model's context window is not known">
          <span className="meter-label">Context</span> {formatTokens(used)}
        </span>
      )}
      <button
        type="button"
        className="btn btn-ghost btn-small compact-now"
        title="Summarise the older part of the conversation now, to free context (like /compact)"
        disabled={running || compacting || used === 0}
        onClick={() => void compactSession(sessionId)}
      >
        {compacting ? 'Compacting…' : 'Compact now'}
      </button>
    </div>
  )
}
