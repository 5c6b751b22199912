import { useEffect, useRef, useState } from 'react'
import type { Entry } from '../../../../shared/model'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

export interface EntriesState {
  entries: Entry[]
  loading: boolean
  error: string | null
}

interface Loaded {
  key: string
  entries: Entry[]
  error: string | null
}

interface Target {
  sessionId: string
  leafId: string | null
}

const keyOf = (t: Target): string => `${t.sessionId}:${t.leafId ?? ''}`

/**
 * The conversation of a session (root → leaf), fetched when its leaf moves (an event says so, no
 * polling). One fetch at a time: leaves that move while it runs are coalesced into one more fetch
 * of the latest leaf, so a session appending fast costs a bounded number of calls.
 */
export function useEntries(sessionId: string, leafId: string | null): EntriesState {
  const key = keyOf({ sessionId, leafId })
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const latest = useRef<Target>({ sessionId, leafId })
  const inFlight = useRef(false)
  const mounted = useRef(true)

  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
    }
  }, [])

  useEffect(() => {
    latest.current = { sessionId, leafId }
    if (leafId === null || inFlight.current) return
    const fetchLatest = (): void => {
      const target = latest.current
      if (target.leafId === null) return
      const fetched = keyOf(target)
      inFlight.current = true
      getClient()
        .call('sessions.entries', { sessionId: target.sessionId, leafId: target.leafId })
        .then(
          (entries) => mounted.current && setLoaded({ key: fetched, entries, error: null }),
          (err: unknown) =>
            mounted.current && setLoaded({ key: fetched, entries: [], error: errorMessage(err) }),
        )
        .finally(() => {
          inFlight.current = false
          if (mounted.current && keyOf(latest.current) !== fetched) fetchLatest()
        })
    }
    fetchLatest()
  }, [sessionId, leafId])

  if (leafId === null) return { entries: [], loading: false, error: null }
  if (loaded?.key === key) return { entries: loaded.entries, loading: false, error: loaded.error }
  // While the next leaf loads, keep showing the previous conversation of the same session.
  const stale = loaded?.key.startsWith(`${sessionId}:`) ? loaded.entries : []
  return { entries: stale, loading: true, error: null }
}
