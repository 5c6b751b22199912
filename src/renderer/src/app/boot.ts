import type { Disposer, PaddockClient } from '../../../shared/client'
import type { PaddockEvent } from '../../../shared/events'
import { errorMessage, hasCode } from '../lib/api/error-message'
import { startLayoutSaving, useAppStore } from './store'
import { loadLayout } from './layout-sync'

/** How long events are gathered before they are applied, in ms. */
const BATCH_MS = 16
/**
 * …and while the host streams fast (the last batch had BUSY_EVENTS or more: several agents
 * streaming, a terminal flooding): each batch renders and lays out the whole page once, and with
 * eight agents a batch per frame kept the main thread busy most of the time (bench/workbench.ts).
 * One agent streaming stays at BATCH_MS, and so does everything while the user types.
 */
const BUSY_BATCH_MS = 100
const BUSY_EVENTS = 6
/** After a key press, this long (ms), batches stay short: what the user types echoes at once. */
const TYPING_MS = 1000

/**
 * Load the host's snapshot, then follow its events from the snapshot's cursors. A snapshot lost to
 * a dropped connection is asked for again when the connection is back. Returns a disposer.
 */
export function bootHost(client: PaddockClient): Disposer {
  const store = useAppStore.getState
  let disposed = false
  let loading = false
  let unsubscribe: Disposer | null = null
  let wasDown = false

  // Events come in bursts (a replay, a session streaming); apply what arrived within one frame's
  // time in one store update, so the UI renders at most about once per frame for them.
  let queue: PaddockEvent[] = []
  let lastBatch = 0
  let lastKey = -Infinity
  const onKey = (): void => {
    lastKey = performance.now()
  }
  window.addEventListener('keydown', onKey, { capture: true, passive: true })
  const delay = (): number =>
    lastBatch >= BUSY_EVENTS && performance.now() - lastKey > TYPING_MS ? BUSY_BATCH_MS : BATCH_MS
  const enqueue = (event: PaddockEvent): void => {
    queue.push(event)
    if (queue.length > 1) return
    setTimeout(() => {
      const batch = queue
      queue = []
      lastBatch = batch.length
      if (!disposed) store().applyEvents(batch)
    }, delay())
  }

  const load = async (): Promise<void> => {
    if (loading || unsubscribe || disposed) return
    loading = true
    try {
      const snapshot = await client.call('host.snapshot', {})
      if (disposed) return
      // Runs and open questions as of now (at or after the snapshot: replayed events that it
      // already reflects fold in idempotently); events keep it current from here.
      const activity = await client.call('sessions.activity', {})
      if (disposed) return
      // The layout this host keeps (tabs, panes, sizes), against the sessions that exist now.
      const sessions = new Set(snapshot.sessions.map((s) => s.id))
      const layout = await loadLayout(client, {
        exists: (id) => sessions.has(id),
        onError: (err) => store().notify(`Could not load the layout: ${errorMessage(err)}`),
      })
      if (disposed) return
      // Runs and questions first, then the snapshot that makes the window ready: what was
      // already so when the window opened is where the notifications' watch starts, not news.
      store().loadActivity(activity)
      store().loadSnapshot(snapshot)
      store().restoreTabs(layout)
      startLayoutSaving(store().layout)
      unsubscribe = client.subscribe(snapshot.cursors, enqueue)
    } catch (err) {
      if (disposed) return
      // A lost connection is retried when it is back; anything else needs the user.
      if (!hasCode(err, 'io_error')) store().setBootError(errorMessage(err))
    } finally {
      loading = false
    }
  }

  /**
   * The connection is back, and the host may be a new process: what it says about runs and open
   * questions replaces what this window remembers (a run that died with the old process is over;
   * the events replayed since the cursors bring the entries that say so), then views fetch again.
   */
  const resync = async (): Promise<void> => {
    // The host may have restarted and forgotten this window's leases; taking one back also
    // records a run the old process left mid-way as interrupted.
    store().leaseOpenTabs()
    try {
      const activity = await client.call('sessions.activity', {})
      if (disposed) return
      store().loadActivity(activity)
      store().markResynced()
      // A layout change made while the host was away is sent now.
      startLayoutSaving(store().layout)
    } catch (err) {
      // A connection lost again resynchronises when it is back.
      if (!disposed && !hasCode(err, 'io_error'))
        store().notify(`Could not catch up with the Paddock host: ${errorMessage(err)}`)
    }
  }

  const offStatus = client.onStatus((status) => {
    if (disposed) return
    store().setStatus(status)
    if (status === 'reconnecting' || status === 'closed') wasDown = true
    if (status !== 'open') return
    if (!unsubscribe) {
      void load()
    } else if (wasDown) {
      void resync()
    }
    wasDown = false
  })
  void load()

  return () => {
    disposed = true
    window.removeEventListener('keydown', onKey, { capture: true })
    offStatus()
    unsubscribe?.()
  }
}
