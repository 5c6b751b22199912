import { useEffect, useState } from 'react'
import type { MethodOutput } from '../../../../shared/contract'
import { contract } from '../../../../shared/contract'
import { changesContext } from '../context/use-context-fit'
import { entryFeed } from '../../app/entry-feed'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

export type SessionStatus = MethodOutput<'sessions.status'>

export interface StatusState {
  status: SessionStatus | null
  error: string | null
}

/**
 * A session's tokens, cost and context use (`sessions.status`): loaded when the session opens and
 * again when an assistant message lands, a run ends, or the context changed (compacted, pruned, a
 * model switched) — told by the event stream, never polled —
 * and when the window caught up with the host after a lost connection.
 * Loads do not overlap: a change during one asks for one more.
 */
export function useSessionStatus(sessionId: string): StatusState {
  const resyncs = useAppStore((s) => s.resyncs)
  const [state, setState] = useState<StatusState & { sessionId: string }>({
    sessionId,
    status: null,
    error: null,
  })

  useEffect(() => {
    let disposed = false
    let inFlight = false
    let again = false
    const load = (): void => {
      if (inFlight) {
        again = true
        return
      }
      inFlight = true
      again = false
      getClient()
        .call('sessions.status', { sessionId })
        .then(
          (raw) => {
            if (disposed) return
            const parsed = contract['sessions.status'].output.safeParse(raw)
            setState(
              parsed.success
                ? { sessionId, status: parsed.data, error: null }
                : { sessionId, status: null, error: 'The host sent an unreadable status.' },
            )
          },
          (err: unknown) => {
            if (!disposed) setState((s) => ({ ...s, sessionId, error: errorMessage(err) }))
          },
        )
        .finally(() => {
          inFlight = false
          if (again && !disposed) load()
        })
    }
    load()
    const off = entryFeed.subscribe(sessionId, (entries) => {
      if (entries.some(changesContext)) load()
    })
    return () => {
      disposed = true
      off()
    }
  }, [sessionId, resyncs])

  return state.sessionId === sessionId ? state : { status: null, error: null }
}
