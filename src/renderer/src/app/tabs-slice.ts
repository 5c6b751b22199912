import type { Layout, Panel } from '../../../shared/layout'
import {
  closePane,
  cyclePane,
  dropSessions,
  EMPTY_LAYOUT,
  focusedSession,
  focusPane,
  moveTab,
  reconcile,
  showSession,
  splitWith,
  toggleMaximised,
  togglePanel,
} from '../../../shared/layout'
import { getClient } from '../lib/api/client'
import { errorMessage, hasCode } from '../lib/api/error-message'
import type { AppSlice } from './app-state'

export interface TabsSlice {
  /** Tabs, panes, sizes and collapsed panels; changed only through the actions below. */
  layout: Layout
  /** Session ids, in tab order (the layout's, kept as a field for selectors). */
  openTabs: string[]
  /** The session in the focused pane. */
  activeTab: string | null
  /** Why this window could not take a session's lease, by session id; such a tab is read-only. */
  leaseErrors: Record<string, string>
  /** Open (and lease) a session's tab if needed, and show it in the focused pane. */
  openTab(sessionId: string): void
  /** Show a session in a new pane beside the focused one ("open to the side"). */
  openToSide(sessionId: string): void
  activateTab(sessionId: string): void
  /** Close a tab (and its pane) and give its lease back. */
  closeTab(sessionId: string): void
  /** Close a pane; its session stays open as a tab. */
  closePane(index: number): void
  focusPane(index: number): void
  /** F6 / Shift+F6. */
  cyclePane(step: 1 | -1): void
  toggleMaximised(): void
  /** Collapse or expand a panel of the session in a pane, for the current arrangement. */
  togglePanel(sessionId: string, panel: Panel): void
  moveTab(sessionId: string, to: number): void
  /** Store a resizable split's size (percent). */
  setSplitSize(id: string, size: number): void
  /** Forget tabs whose sessions went away; `release` lists those whose leases should go back. */
  dropTabs(sessionIds: string[], release?: string[]): void
  /** After the snapshot: the layout this host stored, made consistent; lease its tabs. */
  restoreTabs(stored?: Layout | null): void
  /** Take the leases of every open tab again (after the host came back). */
  leaseOpenTabs(): void
  /** Ask for one tab's lease again, after it was refused. */
  retryLease(sessionId: string): void
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record
  const next = { ...record }
  delete next[key]
  return next
}

export const createTabsSlice: AppSlice<TabsSlice> = (set, get) => {
  const titleOf = (id: string): string => get().host.sessions[id]?.title ?? 'this session'

  const lease = (sessionId: string): void => {
    getClient()
      .call('sessions.lease', { sessionId })
      .then(
        () => set((s) => ({ leaseErrors: without(s.leaseErrors, sessionId) })),
        (err: unknown) => {
          if (!get().openTabs.includes(sessionId)) return
          const message = errorMessage(err)
          set((s) => ({ leaseErrors: { ...s.leaseErrors, [sessionId]: message } }))
          get().notify(`Could not take over “${titleOf(sessionId)}”: ${message}`)
        },
      )
  }

  const release = (sessionId: string): void => {
    getClient()
      .call('sessions.release', { sessionId })
      .catch((err: unknown) => {
        // A session deleted meanwhile has no lease left to give back.
        if (!hasCode(err, 'not_found'))
          get().notify(`Could not release a session: ${errorMessage(err)}`)
      })
  }

  /** Apply a layout change; a tab that appears is leased. Returns the tabs that went. */
  const apply = (next: Layout): string[] => {
    const prev = get().layout
    if (next === prev) return []
    const before = new Set(prev.openTabs)
    const after = new Set(next.openTabs)
    set({
      layout: next,
      openTabs: next.openTabs === prev.openTabs ? get().openTabs : next.openTabs,
      activeTab: focusedSession(next),
    })
    for (const id of next.openTabs) if (!before.has(id)) lease(id)
    return prev.openTabs.filter((id) => !after.has(id))
  }

  return {
    layout: EMPTY_LAYOUT,
    openTabs: [],
    activeTab: null,
    leaseErrors: {},
    // A tab that made room for this one (past the most tabs kept) gives its lease back.
    openTab: (sessionId) => apply(showSession(get().layout, sessionId)).forEach(release),
    openToSide: (sessionId) => apply(splitWith(get().layout, sessionId)).forEach(release),
    activateTab: (sessionId) => {
      if (get().openTabs.includes(sessionId)) apply(showSession(get().layout, sessionId))
    },
    closeTab: (sessionId) => {
      const { leaseErrors } = get()
      if (!get().openTabs.includes(sessionId)) return
      const held = !(sessionId in leaseErrors)
      apply(dropSessions(get().layout, [sessionId]))
      set({ leaseErrors: without(get().leaseErrors, sessionId) })
      if (held) release(sessionId)
    },
    closePane: (index) => void apply(closePane(get().layout, index)),
    focusPane: (index) => void apply(focusPane(get().layout, index)),
    cyclePane: (step) => void apply(cyclePane(get().layout, step)),
    toggleMaximised: () => void apply(toggleMaximised(get().layout)),
    togglePanel: (sessionId, panel) => void apply(togglePanel(get().layout, sessionId, panel)),
    moveTab: (sessionId, to) => void apply(moveTab(get().layout, sessionId, to)),
    setSplitSize: (id, size) => {
      const layout = get().layout
      const rounded = Math.round(Math.min(100, Math.max(0, size)) * 10) / 10
      if (layout.sizes[id] === rounded) return
      apply({ ...layout, sizes: { ...layout.sizes, [id]: rounded } })
    },
    dropTabs: (sessionIds, releaseIds = []) => {
      const gone = apply(dropSessions(get().layout, sessionIds))
      if (gone.length === 0) return
      const leaseErrors = { ...get().leaseErrors }
      for (const id of gone) delete leaseErrors[id]
      set({ leaseErrors })
      for (const id of releaseIds) if (gone.includes(id)) release(id)
    },
    restoreTabs: (stored) => {
      const { sessions } = get().host
      const layout = reconcile(stored ?? EMPTY_LAYOUT, (id) => id in sessions)
      set({ layout, openTabs: layout.openTabs, activeTab: focusedSession(layout), leaseErrors: {} })
      for (const id of layout.openTabs) lease(id)
    },
    leaseOpenTabs: () => {
      for (const id of get().openTabs) lease(id)
    },
    retryLease: (sessionId) => {
      if (get().openTabs.includes(sessionId)) lease(sessionId)
    },
  }
}
