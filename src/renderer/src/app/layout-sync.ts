import type { PaddockClient } from '../../../shared/client'
import { IdSchema } from '../../../shared/model'
import type { Layout } from '../../../shared/layout'
import { EMPTY_LAYOUT, LayoutSchema, MAX_TABS, reconcile } from '../../../shared/layout'
import { readStored, removeStored } from '../lib/storage'

/**
 * The workbench layout, kept by the host (`layout.get` / `layout.save`) so the desktop app and a
 * reloaded browser come back as they were. The host keeps one layout per data folder and does
 * not announce saves: every window saves its own, and the last save wins. A pure client of the
 * contract: anything with `call` will do.
 */
export type LayoutClient = Pick<PaddockClient, 'call'>

/** Where the browser kept the tabs and split sizes before the host did (read once, to upgrade). */
const OLD_TABS_KEY = 'paddock.tabs'
const OLD_SIZES_KEY = 'paddock.panes'
const MAX_OLD_SIZES = 200

export interface LoadLayoutOptions {
  /**
   * Which sessions exist now, for a layout built from the browser's old storage (the host's own
   * is reconciled by the host). Default: every session named is kept.
   */
  exists?: (sessionId: string) => boolean
  /** A failure to read or store the layout (the workbench then starts from what it has). */
  onError?: (error: unknown) => void
}

/**
 * The layout to come back to: the host's, or, when the host has none yet, one built once from
 * what this browser stored before the host kept layouts (`paddock.tabs`: open tabs and the active
 * one; `paddock.panes`: split sizes), which is then saved to the host so the next load finds it
 * there, and the old keys removed. Null when neither has one. Never throws: a failed `layout.get` is reported to `onError`
 * and answered from the old storage (not saved), or null.
 */
export async function loadLayout(
  client: LayoutClient,
  options: LoadLayoutOptions = {},
): Promise<Layout | null> {
  const { onError } = options
  let fromHost: Layout | null
  try {
    fromHost = (await client.call('layout.get', {})).layout
  } catch (err) {
    onError?.(err)
    return layoutFromOldStorage(options.exists)
  }
  if (fromHost !== null) return fromHost
  const old = layoutFromOldStorage(options.exists)
  if (old === null) return null
  try {
    await client.call('layout.save', { layout: old })
    // The host has it now: the old keys are not read again (a later damaged row on the host
    // must not bring back this browser's layout of long ago).
    removeStored(OLD_TABS_KEY)
    removeStored(OLD_SIZES_KEY)
  } catch (err) {
    onError?.(err)
  }
  return old
}

/**
 * A layout from the browser's old keys, valid by `LayoutSchema` whatever they hold (another
 * version's data, hand edits): the open tabs with the active one in the only pane, and the split
 * sizes. Null when they hold neither tabs nor sizes.
 */
export function layoutFromOldStorage(
  exists: (sessionId: string) => boolean = () => true,
): Layout | null {
  const tabs = readStored(OLD_TABS_KEY)
  const rawSizes = readStored(OLD_SIZES_KEY)
  let openTabs: string[] = []
  let active: string | null = null
  if (typeof tabs === 'object' && tabs !== null) {
    const { openTabs: ids, activeTab } = tabs as { openTabs?: unknown; activeTab?: unknown }
    if (Array.isArray(ids))
      openTabs = [...new Set(ids.filter((id): id is string => IdSchema.safeParse(id).success))]
        .filter(exists)
        .slice(0, MAX_TABS)
    if (typeof activeTab === 'string' && openTabs.includes(activeTab)) active = activeTab
  }
  const sizes: Layout['sizes'] = {}
  if (typeof rawSizes === 'object' && rawSizes !== null && !Array.isArray(rawSizes)) {
    for (const [id, size] of Object.entries(rawSizes as Record<string, unknown>)) {
      if (Object.keys(sizes).length >= MAX_OLD_SIZES) break
      if (id.length < 1 || id.length > 100) continue
      if (typeof size !== 'number' || !Number.isFinite(size)) continue
      sizes[id] = Math.min(100, Math.max(0, size))
    }
  }
  if (openTabs.length === 0 && Object.keys(sizes).length === 0) return null
  const first = active ?? openTabs[0]
  const built: Layout = {
    ...EMPTY_LAYOUT,
    openTabs,
    panes: first === undefined ? [] : [first],
    sizes,
  }
  const parsed = LayoutSchema.safeParse(reconcile(built, () => true))
  return parsed.success ? parsed.data : null
}

/** The page events that mean "save now": the page is going away or out of sight. */
export interface PageEvents {
  window: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>
  document: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> & {
    readonly visibilityState: string
  }
}

export interface LayoutSaverOptions {
  /** How long the layout must stay unchanged before it is saved, in ms (default 300). */
  delayMs?: number
  /** A save the host refused or could not receive (the workbench shows a notice). */
  onError?: (error: unknown) => void
  /** The layout the host already has (what `loadLayout` returned): saving it again is skipped. */
  saved?: Layout | null
  /** Default: the page's `window` and `document`, when there is a page. */
  page?: PageEvents | null
}

export interface LayoutSaver {
  /** Save this layout once it has stayed unchanged for `delayMs`; the newest one wins. */
  save(layout: Layout): void
  /** Save what is waiting now; resolves when every save asked for so far has been answered. */
  flush(): Promise<void>
  /** Save what is waiting, stop listening to the page; later `save` calls are ignored. */
  dispose(): void
}

function defaultPage(): PageEvents | null {
  return typeof window !== 'undefined' && typeof document !== 'undefined'
    ? { window, document }
    : null
}

/**
 * Saves the layout to the host as it changes: debounced, skipping a layout equal (as JSON) to the
 * last one saved, in order (one save at a time, so an older layout never lands after a newer),
 * and at once when the page is hidden or unloaded (`visibilitychange` to hidden, `pagehide`). A
 * failed save is reported to `onError` and retried with the next change; nothing here throws.
 */
export function createLayoutSaver(
  client: LayoutClient,
  options: LayoutSaverOptions = {},
): LayoutSaver {
  const delayMs = options.delayMs ?? 300
  const page = options.page === undefined ? defaultPage() : options.page
  let pending: Layout | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  /** What the host has, as far as this saver knows (the last successful save). */
  let savedJson = options.saved ? JSON.stringify(options.saved) : null
  /** The last layout sent or being sent: a repeat of it is not sent again. */
  let sentJson = savedJson
  let queue: Promise<void> = Promise.resolve()
  let disposed = false

  const report = (err: unknown): void => {
    try {
      options.onError?.(err)
    } catch {
      // A broken notice must not break saving.
    }
  }

  const send = (layout: Layout, json: string): Promise<void> => {
    queue = queue.then(async () => {
      try {
        await client.call('layout.save', { layout })
        savedJson = json
      } catch (err) {
        // Sent but not stored: the same layout may be sent again.
        if (sentJson === json) sentJson = savedJson
        report(err)
      }
    })
    return queue
  }

  const flush = (): Promise<void> => {
    if (timer !== null) {
      clearTimeout(timer)
      timer = null
    }
    const layout = pending
    pending = null
    if (layout !== null) {
      let json: string | null = null
      try {
        json = JSON.stringify(layout)
      } catch (err) {
        report(err)
      }
      if (json !== null && json !== sentJson) {
        sentJson = json
        return send(layout, json)
      }
    }
    return queue
  }

  const onPageHide = (): void => void flush()
  const onVisibility = (): void => {
    if (page?.document.visibilityState === 'hidden') void flush()
  }
  page?.window.addEventListener('pagehide', onPageHide)
  page?.document.addEventListener('visibilitychange', onVisibility)

  return {
    save(layout) {
      if (disposed) return
      pending = layout
      if (timer !== null) clearTimeout(timer)
      timer = setTimeout(() => void flush(), delayMs)
    },
    flush,
    dispose() {
      if (disposed) return
      disposed = true
      page?.window.removeEventListener('pagehide', onPageHide)
      page?.document.removeEventListener('visibilitychange', onVisibility)
      void flush()
    },
  }
}
