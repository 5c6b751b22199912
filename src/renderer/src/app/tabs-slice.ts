import { getClient } from '../lib/api/client'
import { errorMessage, hasCode } from '../lib/api/error-message'
import type { AppSlice } from './app-state'
import { loadTabs } from './tabs-storage'

export interface TabsSlice {
  /** Session ids, in tab order. */
  openTabs: string[]
  activeTab: string | null
  /** Why this window could not take a session's lease, by session id; such a tab is read-only. */
  leaseErrors: Record<string, string>
  /** Open (and lease) a session's tab if needed, and make it active. */
  openTab(sessionId: string): void
  activateTab(sessionId: string): void
  /** Close a tab and give its lease back. */
  closeTab(sessionId: string): void
  /** Forget tabs whose sessions went away; `release` lists those whose leases should go back. */
  dropTabs(sessionIds: string[], release?: string[]): void
  /** After the snapshot: reopen the tabs this browser had, and lease them. */
  restoreTabs(): void
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

/** The tab to activate when `closing` goes: its right neighbour, else its left one. */
function neighbourOf(tabs: string[], closing: string): string | null {
  const i = tabs.indexOf(closing)
  const rest = tabs.filter((id) => id !== closing)
  return rest[Math.min(i, rest.length - 1)] ?? null
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

  return {
    openTabs: [],
    activeTab: null,
    leaseErrors: {},
    openTab: (sessionId) => {
      const { openTabs } = get()
      if (openTabs.includes(sessionId)) {
        set({ activeTab: sessionId })
        return
      }
      set({ openTabs: [...openTabs, sessionId], activeTab: sessionId })
      lease(sessionId)
    },
    activateTab: (sessionId) => {
      if (get().openTabs.includes(sessionId)) set({ activeTab: sessionId })
    },
    closeTab: (sessionId) => {
      const { openTabs, activeTab, leaseErrors } = get()
      if (!openTabs.includes(sessionId)) return
      const held = !(sessionId in leaseErrors)
      set({
        openTabs: openTabs.filter((id) => id !== sessionId),
        activeTab: activeTab === sessionId ? neighbourOf(openTabs, sessionId) : activeTab,
        leaseErrors: without(leaseErrors, sessionId),
      })
      if (held) release(sessionId)
    },
    dropTabs: (sessionIds, releaseIds = []) => {
      const gone = new Set(sessionIds)
      const { openTabs, activeTab } = get()
      if (!openTabs.some((id) => gone.has(id))) return
      let active = activeTab
      let remaining = openTabs
      for (const id of openTabs) {
        if (!gone.has(id)) continue
        if (active === id) active = neighbourOf(remaining, id)
        remaining = remaining.filter((t) => t !== id)
      }
      const leaseErrors = { ...get().leaseErrors }
      for (const id of gone) delete leaseErrors[id]
      set({ openTabs: remaining, activeTab: active, leaseErrors })
      for (const id of releaseIds) if (openTabs.includes(id)) release(id)
    },
    restoreTabs: () => {
      const { sessions } = get().host
      const tabs = loadTabs((id) => id in sessions)
      set({ ...tabs, leaseErrors: {} })
      for (const id of tabs.openTabs) lease(id)
    },
    leaseOpenTabs: () => {
      for (const id of get().openTabs) lease(id)
    },
    retryLease: (sessionId) => {
      if (get().openTabs.includes(sessionId)) lease(sessionId)
    },
  }
}
