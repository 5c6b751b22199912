import { memo, useId, useState } from 'react'
import type { JSX } from 'react'
import type { Compaction } from '../../../../shared/entries'
import '../../styles/context.css'
import { formatDuration } from '../transcript/format'
import { Markdown } from '../transcript/markdown'
import type { ReplacedItem } from './compaction-view'
import { REASON_DETAILS, compactionHeadline } from './compaction-view'

export interface CompactionCardProps {
  compaction: Compaction
  /** The messages the summary replaced, as far as they are loaded. */
  replaced: ReplacedItem[]
  /** Replaced messages not found in the loaded branch. */
  missing: number
}

function FileList({ title, files }: { title: string; files: readonly string[] }): JSX.Element {
  return (
    <section className="compaction-files" aria-label={title}>
      <h4>
        {title} <span className="compaction-count">({files.length})</span>
      </h4>
      {files.length === 0 ? (
        <p className="muted">None</p>
      ) : (
        <ul>
          {files.map((f) => (
            <li key={f}>
              <code>{f}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/**
 * A compaction in the transcript: "Context compacted: 142k → 19k tokens (threshold)", a button
 * that opens the summary the model is sent from now on, the messages it replaced (they stay in
 * the transcript above; the model no longer sees them word for word) and the file lists Paddock
 * keeps across compactions.
 */
export const CompactionCard = memo(function CompactionCard({
  compaction: c,
  replaced,
  missing,
}: CompactionCardProps): JSX.Element {
  const [open, setOpen] = useState(false)
  const bodyId = useId()
  const headline = compactionHeadline(c)
  const requests = c.requests === 1 ? '1 request' : `${c.requests} requests`
  return (
    <article className={`compaction-card compaction-${c.reason}`} aria-label="Context compaction">
      <button
        type="button"
        className="compaction-toggle"
        aria-expanded={open}
        aria-controls={bodyId}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="compaction-chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span className="compaction-headline">{headline}</span>
        <span className="compaction-hint">
          {c.replacedCount === 1 ? '1 message' : `${c.replacedCount} messages`} summarised
        </span>
      </button>
      {open && (
        <div id={bodyId} className="compaction-body">
          <p className="compaction-why">
            {REASON_DETAILS[c.reason]} Summarised by <code>{c.model}</code> in {requests},{' '}
            {formatDuration(c.durationMs)}.
          </p>
          {c.focus && (
            <p className="compaction-focus">
              <strong>Focus:</strong> {c.focus}
            </p>
          )}
          <section className="compaction-summary" aria-label="Summary">
            <h4>Summary the model continues from</h4>
            <Markdown text={c.summary} />
          </section>
          <section className="compaction-replaced" aria-label="Replaced messages">
            <h4>
              Messages it replaced <span className="compaction-count">({c.replacedCount})</span>
            </h4>
            <p className="muted compaction-note">
              They stay above in the transcript; the model no longer sees them word for word.
            </p>
            {replaced.length > 0 && (
              <ol className="compaction-replaced-list">
                {replaced.map((item) => (
                  <li
                    key={item.id}
                    className={`replaced-${item.kind}${item.isError ? ' replaced-error' : ''}`}
                  >
                    <span className="replaced-who">{item.who}</span>
                    <span className="replaced-text">{item.text}</span>
                  </li>
                ))}
              </ol>
            )}
            {missing > 0 && (
              <p className="muted compaction-note">
                {missing === c.replacedCount
                  ? 'These messages are not loaded in this view.'
                  : `${missing} more not loaded in this view.`}
              </p>
            )}
          </section>
          <div className="compaction-file-lists">
            <FileList title="Files read" files={c.filesRead} />
            <FileList title="Files modified" files={c.filesModified} />
          </div>
        </div>
      )}
    </article>
  )
})
