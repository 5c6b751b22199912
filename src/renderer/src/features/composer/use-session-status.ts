import { useCallback, useEffect, useRef, useState } from 'react'
import type { MethodOutput } from '../../../../shared/contract'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

export type SessionStatus = MethodOutput<'sessions.status'>

/**
 * The session's `sessions.status` (model, whether Continue applies, how the last run ended),
 * fetched when the composer mounts, again whenever a run starts or ends or the providers change
 * (events say so), and when the window caught up with the host after a lost connection.
 */
export function useSessionStatus(sessionId: string): {
  status: SessionStatus | null
  error: string | null
  refresh(): void
} {
  const running = useAppStore((s) => s.live[sessionId]?.running ?? false)
  const lastStop = useAppStore((s) => s.live[sessionId]?.lastStop ?? null)
  const providersVersion = useAppStore((s) => s.providersVersion)
  const resyncs = useAppStore((s) => s.resyncs)
  const [state, setState] = useState<{
    sessionId: string
    status: SessionStatus | null
    error: string | null
  }>({ sessionId, status: null, error: null })
  /** Answers arrive out of order when runs start and stop quickly: only the latest one counts. */
  const generation = useRef(0)

  const refresh = useCallback(() => {
    const mine = ++generation.current
    getClient()
      .call('sessions.status', { sessionId })
      .then(
        (status) => mine === generation.current && setState({ sessionId, status, error: null }),
        (err: unknown) =>
          mine === generation.current &&
          setState({ sessionId, status: null, error: errorMessage(err) }),
      )
  }, [sessionId])

  useEffect(() => {
    refresh()
  }, [refresh, running, lastStop, providersVersion, resyncs])

  if (state.sessionId !== sessionId) return { status: null, error: null, refresh }
  return { status: state.status, error: state.error, refresh }
}
