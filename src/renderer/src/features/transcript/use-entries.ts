import { useEffect, useMemo, useSyncExternalStore } from 'react'
import { entryFeed } from '../../app/entry-feed'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import type { EntriesState } from './session-entries'
import { SessionEntries } from './session-entries'

export type { EntriesState } from './session-entries'

/**
 * The conversation of a session (root → leaf): loaded once when the session opens (or its branch
 * jumps, as after a rewind), then grown entry by entry from the event stream — a session appending
 * fast costs no fetches. Read through `useSyncExternalStore`, so an appended entry and the live
 * state it ends (the streaming message it replaces) render together.
 */
export function useEntries(sessionId: string, leafId: string | null): EntriesState {
  const store = useMemo(
    () =>
      new SessionEntries(sessionId, {
        fetchBranch: (id, opts) => getClient().call('sessions.entries', { sessionId: id, ...opts }),
        subscribe: (id, listener) => entryFeed.subscribe(id, listener),
        errorMessage,
      }),
    [sessionId],
  )
  const state = useSyncExternalStore(store.subscribeView, store.getSnapshot)

  // Subscribe first (effects run in order), then say where the branch ends: nothing is missed.
  useEffect(() => {
    store.start()
    return () => store.stop()
  }, [store])
  useEffect(() => store.leafMoved(leafId), [store, leafId])

  // Before the first load starts (the effects have not run yet), the panel is loading, not empty.
  if (!state.loaded && leafId !== null && !state.loading && state.error === null)
    return { ...state, loading: true }
  return state
}
