import { useMemo } from 'react'
import type { JSX } from 'react'
import type { Session } from '../../../../shared/model'
import { useAppStore } from '../../app/store'
import { EmptyState } from '../../lib/ui/panel'
import { Composer } from '../composer/composer'
import { useComposerStore } from '../composer/composer-store'
import { useCompactStore } from '../context/compact-store'
import { useContextFit } from '../context/use-context-fit'
import { LiveAnnouncer } from './live-announcer'
import type { LiveItem } from './live-rows'
import { buildRows } from './rows'
import { lastRequestCache } from './cache-share'
import { SessionMeter } from './session-meter'
import type { ListItem } from './transcript-list'
import { TranscriptList } from './transcript-list'
import { UnprotectedBanner } from './unprotected-banner'
import { useEntries } from './use-entries'

const STREAMING: LiveItem = { kind: 'streaming', key: 'live:streaming' }
const RETRY: LiveItem = { kind: 'retry', key: 'live:retry' }
const REQUESTING: LiveItem = { kind: 'requesting', key: 'live:requesting' }
const COMPACTING: LiveItem = { kind: 'compacting', key: 'live:compacting' }

/**
 * The Transcript panel: the session's conversation as it happens — messages, tool cards, approval
 * questions, stops — with tokens, cost and context use in its header and the composer below.
 * Fed only by the contract: one load of the branch, then entries and live state from events.
 */
export function TranscriptPanel({ session }: { session: Session }): JSX.Element {
  const { entries, loading, error, earlierLoading } = useEntries(session.id, session.leafId)
  const rows = useMemo(() => buildRows(entries), [entries])
  const cache = useMemo(() => lastRequestCache(entries), [entries])

  // The model picked for the next prompt: the gauge and the composer's warning measure against it.
  const picked = useComposerStore((s) => s.models[session.id] ?? null)
  const fit = useContextFit(session.id, picked)

  const running = useAppStore((s) => s.live[session.id]?.running ?? false)
  const turnState = useAppStore((s) => s.live[session.id]?.turn?.state ?? null)
  const hasStream = useAppStore((s) => s.live[session.id]?.streaming != null)
  const toolId = useAppStore((s) => s.live[session.id]?.turn?.toolCallId ?? null)
  const toolSince = useAppStore((s) => s.live[session.id]?.turn?.since ?? 0)
  // A compaction the user asked for shows from the call on, before the host says it started.
  const asked = useCompactStore((s) => s.pending[session.id] === true)
  const compacting =
    turnState === 'compacting' || (asked && (turnState === null || turnState === 'idle'))
  const activeTool = useMemo(
    () => (turnState === 'tool' && toolId !== null ? { id: toolId, since: toolSince } : null),
    [turnState, toolId, toolSince],
  )

  const items = useMemo((): ListItem[] => {
    const live: LiveItem[] = []
    // What a failed attempt streamed is dropped: the retry replaces it.
    if (compacting) live.push(COMPACTING)
    else if (turnState === 'retrying') live.push(RETRY)
    else if (hasStream) live.push(STREAMING)
    else if (turnState === 'requesting') live.push(REQUESTING)
    return live.length > 0 ? [...rows, ...live] : rows
  }, [rows, turnState, hasStream, compacting])

  return (
    <section role="region" aria-label="Transcript" className="panel transcript-panel">
      <header className="panel-header transcript-header">
        <h2>Transcript</h2>
        <SessionMeter sessionId={session.id} fit={fit} cache={cache} />
      </header>
      <div className="transcript-body">
        <UnprotectedBanner entries={entries} />
        {error !== null && (
          <p role="alert" className="panel-error">
            Could not load the conversation: {error}
          </p>
        )}
        {earlierLoading && (
          <p role="status" className="muted transcript-earlier">
            Loading earlier messages…
          </p>
        )}
        {items.length > 0 ? (
          <TranscriptList
            sessionId={session.id}
            items={items}
            running={running}
            activeTool={activeTool}
            reloading={loading}
          />
        ) : (
          error === null && (
            <EmptyState>
              {loading ? (
                <p>Loading the conversation…</p>
              ) : (
                <p>No messages yet. Write to the agent below; its work will appear here.</p>
              )}
            </EmptyState>
          )
        )}
      </div>
      <LiveAnnouncer sessionId={session.id} />
      <div className="transcript-composer">
        <Composer session={session} fit={fit} />
      </div>
    </section>
  )
}
