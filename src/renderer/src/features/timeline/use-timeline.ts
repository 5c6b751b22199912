import { useEffect, useRef, useState } from 'react'
import type { CheckpointSummary, TreeEntry } from '../../../../shared/contract'
import { entryFeed } from '../../app/entry-feed'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

/** Entry types that change what the timeline shows. */
const RELEVANT = new Set(['checkpoint', 'branch_point', 'note', 'user_message'])

export interface TimelineData {
  checkpoints: CheckpointSummary[]
  tree: { leafId: string | null; entries: TreeEntry[] }
}

/**
 * The session's checkpoints and entry tree, fetched on mount, again when a checkpoint, prompt,
 * restore or rewind is appended (entry feed), and when the session's leaf moves.
 */
export function useTimeline(
  sessionId: string,
  leafId: string | null,
): { data: TimelineData | null; error: string | null } {
  const [state, setState] = useState<{
    sessionId: string
    data: TimelineData | null
    error: string | null
  }>({ sessionId, data: null, error: null })
  const [version, setVersion] = useState(0)
  const generation = useRef(0)

  useEffect(
    () =>
      entryFeed.subscribe(sessionId, (entries) => {
        if (entries.some((e) => RELEVANT.has(e.type))) setVersion((v) => v + 1)
      }),
    [sessionId],
  )

  useEffect(() => {
    const mine = ++generation.current
    const client = getClient()
    Promise.all([
      client.call('checkpoints.list', { sessionId }),
      client.call('sessions.tree', { sessionId }),
    ]).then(
      ([checkpoints, tree]) =>
        mine === generation.current &&
        setState({ sessionId, data: { checkpoints, tree }, error: null }),
      (err: unknown) =>
        mine === generation.current &&
        setState((s) => ({
          sessionId,
          data: s.sessionId === sessionId ? s.data : null,
          error: errorMessage(err),
        })),
    )
  }, [sessionId, leafId, version])

  if (state.sessionId !== sessionId) return { data: null, error: null }
  return { data: state.data, error: state.error }
}
