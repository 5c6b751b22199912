import { readStored, writeStored } from '../lib/storage'

const KEY = 'paddock.tabs'

export interface StoredTabs {
  openTabs: string[]
  activeTab: string | null
}

/** The tabs this browser had open, limited to sessions that still exist. */
export function loadTabs(exists: (sessionId: string) => boolean): StoredTabs {
  const raw = readStored(KEY)
  if (typeof raw !== 'object' || raw === null) return { openTabs: [], activeTab: null }
  const { openTabs, activeTab } = raw as { openTabs?: unknown; activeTab?: unknown }
  const ids = Array.isArray(openTabs) ? openTabs.filter((id) => typeof id === 'string') : []
  const open = [...new Set(ids)].filter(exists)
  const active = typeof activeTab === 'string' && open.includes(activeTab) ? activeTab : null
  return { openTabs: open, activeTab: active ?? open[0] ?? null }
}

export function saveTabs(tabs: StoredTabs): void {
  writeStored(KEY, { openTabs: tabs.openTabs, activeTab: tabs.activeTab })
}
