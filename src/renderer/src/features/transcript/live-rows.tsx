import type { JSX } from 'react'
import { useAppStore } from '../../app/store'
import { formatCountdown } from './format'
import { Markdown } from './markdown'
import { Reasoning } from './row-view'
import { useFrameValue } from './use-frame-value'
import { useNow } from './use-now'

/** Rows that exist only while a run is going: they come from the live state, not the log. */
export type LiveItem =
  | { kind: 'streaming'; key: 'live:streaming' }
  | { kind: 'retry'; key: 'live:retry' }
  | { kind: 'requesting'; key: 'live:requesting' }
  | { kind: 'compacting'; key: 'live:compacting' }

const ARGS_TAIL = 300
/**
 * The streaming text is shown at most this often (ms): ten updates a second read as fluid text,
 * and cost a sixth of per-frame updates in every visible pane.
 */
const STREAM_MS = 100

/**
 * The assistant message as it streams: reasoning (collapsed), text as markdown (re-rendered at
 * most every STREAM_MS, at a frame), and tool calls being written. Replaced by the message's row when its entry
 * lands (the live state drops the stream in the same render).
 */
export function StreamingRow({ sessionId }: { sessionId: string }): JSX.Element | null {
  const streaming = useAppStore((s) => s.live[sessionId]?.streaming ?? null)
  const text = useFrameValue(streaming?.text ?? '', STREAM_MS)
  if (!streaming) return null
  const reasoningLive = streaming.reasoning !== '' && streaming.text === ''
  return (
    <div className="msg msg-agent msg-streaming" aria-busy="true">
      <div className="msg-who">
        Agent <span className="spinner" aria-hidden="true" />
      </div>
      {streaming.reasoning && <Reasoning text={streaming.reasoning} live={reasoningLive} />}
      {text && <Markdown text={text} streaming />}
      {streaming.toolArgs.map((t) => (
        <article
          key={t.index}
          className="tool-card tool-preparing"
          aria-label={`Tool call ${t.name ?? 'tool'} (being written)`}
        >
          <header className="tool-head">
            <span className="tool-name">{t.name ?? 'tool'}</span>
            <span className="tool-status">
              <span className="spinner" aria-hidden="true" />
              writing arguments
            </span>
          </header>
          {t.text && (
            <pre className="tool-args">
              {t.text.length > ARGS_TAIL ? `…${t.text.slice(-ARGS_TAIL)}` : t.text}
            </pre>
          )}
        </article>
      ))}
    </div>
  )
}

/** A failed model call about to be retried: attempt, reason, and a countdown to the retry. */
export function RetryRow({ sessionId }: { sessionId: string }): JSX.Element | null {
  const turn = useAppStore((s) => s.live[sessionId]?.turn ?? null)
  const retrying = turn?.state === 'retrying'
  const now = useNow(retrying, 250)
  if (!turn || !retrying) return null
  return (
    <div className="event-line event-retry">
      <span className="spinner" aria-hidden="true" />
      <span>
        <strong>
          Retrying{turn.attempt !== null ? ` (attempt ${turn.attempt})` : ''}
          {turn.retryAt !== null ? ` ${formatCountdown(turn.retryAt, now)}` : ''}
        </strong>
        {turn.message && <span className="event-retry-message"> — {turn.message}</span>}
      </span>
    </div>
  )
}

export function RequestingRow(): JSX.Element {
  return (
    <div className="event-line event-requesting">
      <span className="spinner" aria-hidden="true" />
      Waiting for the model…
    </div>
  )
}

/** A compaction on its way (the model summarises the conversation): replaced by its card. */
export function CompactingRow(): JSX.Element {
  return (
    <div className="event-line event-compacting" aria-busy="true">
      <span className="spinner" aria-hidden="true" />
      Compacting the conversation…
    </div>
  )
}
