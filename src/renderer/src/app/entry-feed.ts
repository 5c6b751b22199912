import type { Cursors, PaddockEvent } from '../../../shared/events'
import type { Entry } from '../../../shared/model'

/**
 * A per-session channel of appended entries, for views that keep a session's conversation and
 * grow it as it appends (the transcript) instead of refetching it. The host slice publishes every
 * batch of events here before it applies them to the store, so a listener's update and the store's
 * (the session's new leaf, the live state) land in the same render.
 */
export type EntriesListener = (entries: Entry[]) => void

export interface EntryFeed {
  /** Publish the new `entry.appended` events of a batch; events at or below `cursors` are replays. */
  publish(events: readonly PaddockEvent[], cursors: Cursors): void
  /** Listen to one session's appended entries, in order. Returns a disposer. */
  subscribe(sessionId: string, listener: EntriesListener): () => void
}

export function createEntryFeed(): EntryFeed {
  const listeners = new Map<string, Set<EntriesListener>>()
  return {
    publish(events, cursors) {
      if (listeners.size === 0) return
      const seen: Record<string, number> = {}
      const bySession = new Map<string, Entry[]>()
      for (const event of events) {
        if (event.type !== 'entry.appended') continue
        const last = seen[event.sessionId] ?? cursors[event.sessionId] ?? 0
        if (event.seq <= last) continue
        seen[event.sessionId] = event.seq
        if (!listeners.has(event.sessionId)) continue
        const list = bySession.get(event.sessionId)
        if (list) list.push(event.entry)
        else bySession.set(event.sessionId, [event.entry])
      }
      for (const [sessionId, entries] of bySession) {
        for (const listener of [...(listeners.get(sessionId) ?? [])]) listener(entries)
      }
    },
    subscribe(sessionId, listener) {
      let set = listeners.get(sessionId)
      if (!set) listeners.set(sessionId, (set = new Set()))
      set.add(listener)
      return () => {
        set.delete(listener)
        if (set.size === 0 && listeners.get(sessionId) === set) listeners.delete(sessionId)
      }
    },
  }
}

/** The renderer's one feed, fed by the host slice. */
export const entryFeed: EntryFeed = createEntryFeed()
