import type { JSX } from 'react'
import type { Entry, Session } from '../../../../shared/model'
import { EmptyState, Panel } from '../../lib/ui/panel'
import { useEntries } from './use-entries'

/** Longest conversation shown at once until the transcript is virtualized. */
const MAX_SHOWN = 500

const TYPE_LABELS: Record<Entry['type'], string> = {
  user_message: 'You',
  assistant_message: 'Agent',
  tool_call: 'Tool call',
  tool_result: 'Tool result',
  approval: 'Approval',
  model_switch: 'Model switch',
  compaction: 'Compaction',
  checkpoint: 'Checkpoint',
  branch_point: 'Branch point',
  note: 'Note',
  context: 'Context',
  turn_end: 'Run ended',
  repair: 'Repaired',
}

/** Bookkeeping entries the conversation view does not show. */
const HIDDEN: ReadonlySet<Entry['type']> = new Set(['context'])

function entryText(payload: unknown): string {
  if (typeof payload === 'object' && payload !== null) {
    const p = payload as { text?: unknown; content?: unknown; reason?: unknown; toolName?: unknown }
    if (typeof p.text === 'string') return p.text
    if (typeof p.toolName === 'string' && typeof p.content === 'string') {
      return `${p.toolName}: ${p.content.length > 400 ? `${p.content.slice(0, 400)}…` : p.content}`
    }
    if (typeof p.content === 'string' && p.content) return p.content
    if (typeof p.reason === 'string') return p.reason
  }
  if (payload === null || payload === undefined) return ''
  const json = JSON.stringify(payload)
  return json.length > 400 ? `${json.slice(0, 400)}…` : json
}

export function TranscriptPanel({ session }: { session: Session }): JSX.Element {
  const { entries: all, loading, error } = useEntries(session.id, session.leafId)
  const entries = all.filter((e) => !HIDDEN.has(e.type))
  const shown = entries.slice(-MAX_SHOWN)
  return (
    <Panel name="Transcript">
      {error !== null ? (
        <p role="alert" className="panel-error">
          Could not load the conversation: {error}
        </p>
      ) : entries.length === 0 ? (
        <EmptyState>
          {loading ? (
            <p>Loading the conversation…</p>
          ) : (
            <p>No messages yet. The agent&apos;s conversation will appear here.</p>
          )}
        </EmptyState>
      ) : (
        <>
          {entries.length > shown.length && (
            <p className="muted transcript-cut">
              Showing the last {shown.length} of {entries.length} entries.
            </p>
          )}
          <ol className="transcript" aria-label="Conversation">
            {shown.map((entry) => (
              <li key={entry.id} className={`transcript-entry entry-${entry.type}`}>
                <span className="transcript-who">{TYPE_LABELS[entry.type]}</span>
                <span className="transcript-text">{entryText(entry.payload)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </Panel>
  )
}
