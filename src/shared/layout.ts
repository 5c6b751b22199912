import { z } from 'zod'
import { IdSchema } from './model'

/**
 * The workbench's layout: the open session tabs, which sessions are visible side by side (up to
 * four panes: one, two columns, or a 2×2 grid), the focused pane, whether it is maximised, the
 * resizable splits' sizes and the panels each session has collapsed. The host stores it (so the
 * desktop app and a reloaded browser come back as they were); these pure functions are the only
 * way the renderer changes it, so every layout they return is valid.
 */

export const MAX_PANES = 4
/** More tabs than anyone keeps open; bounds what the host stores. */
export const MAX_TABS = 200
const MAX_SIZES = 200

export const PanelSchema = z.enum(['changes', 'terminal', 'timeline'])
export type Panel = z.infer<typeof PanelSchema>

const bounded = <T extends z.ZodTypeAny>(value: T, max: number) =>
  z
    .record(z.string().min(1).max(100), value)
    .refine((o) => Object.keys(o).length <= max, `at most ${max} entries`)

export const LayoutSchema = z
  .object({
    /** Session ids in tab order. */
    openTabs: z.array(IdSchema).max(MAX_TABS),
    /** The sessions shown, one per pane, left to right then top to bottom; all are open tabs. */
    panes: z.array(IdSchema).max(MAX_PANES),
    /** Index into `panes` of the pane with focus (0 when there are none). */
    focusedPane: z
      .number()
      .int()
      .min(0)
      .max(MAX_PANES - 1),
    /** The focused pane fills the session area; the others stay mounted, hidden. */
    maximised: z.boolean(),
    /** Each resizable split's first-pane size, in percent, by split id. */
    sizes: bounded(z.number().min(0).max(100), MAX_SIZES),
    /**
     * The panels a session has collapsed, by session id, or `<id>@columns` / `<id>@grid` for
     * how it is shown beside others (a half-width pane collapses more than a whole one).
     */
    collapsed: bounded(z.array(PanelSchema).max(3), MAX_TABS * 3),
  })
  .strict()
export type Layout = z.infer<typeof LayoutSchema>

export const EMPTY_LAYOUT: Layout = {
  openTabs: [],
  panes: [],
  focusedPane: 0,
  maximised: false,
  sizes: {},
  collapsed: {},
}

/** The session a `collapsed` key belongs to. */
export function collapsedOwner(key: string): string {
  const at = key.indexOf('@')
  return at < 0 ? key : key.slice(0, at)
}

/** How the panes are arranged for a number of panes. */
export function arrangementOf(panes: number): 'single' | 'columns' | 'grid' {
  return panes <= 1 ? 'single' : panes === 2 ? 'columns' : 'grid'
}

/** The session in the focused pane: the "active tab". */
export function focusedSession(layout: Layout): string | null {
  return layout.panes[layout.focusedPane] ?? null
}

function clampFocus(layout: Layout): Layout {
  const max = Math.max(0, layout.panes.length - 1)
  const focusedPane = Math.min(Math.max(0, layout.focusedPane), max)
  const maximised = layout.maximised && layout.panes.length > 1
  return focusedPane === layout.focusedPane && maximised === layout.maximised
    ? layout
    : { ...layout, focusedPane, maximised }
}

/**
 * The tabs with a session's added at the end; past {@link MAX_TABS}, the oldest tab not on
 * screen makes room.
 */
function withTab(layout: Layout, sessionId: string): string[] {
  if (layout.openTabs.includes(sessionId)) return layout.openTabs
  const tabs = [...layout.openTabs, sessionId]
  if (tabs.length <= MAX_TABS) return tabs
  const oldest = tabs.find((id) => id !== sessionId && !layout.panes.includes(id))
  return tabs.filter((id) => id !== oldest)
}

/**
 * Show a session in the focused pane (opening its tab). When it is already in another pane,
 * that pane takes focus instead: a session is never shown twice.
 */
export function showSession(layout: Layout, sessionId: string): Layout {
  const openTabs = withTab(layout, sessionId)
  const at = layout.panes.indexOf(sessionId)
  if (at >= 0) return { ...layout, openTabs, focusedPane: at }
  const panes = [...layout.panes]
  if (panes.length === 0) panes.push(sessionId)
  else panes[layout.focusedPane] = sessionId
  return clampFocus({ ...layout, openTabs, panes })
}

/**
 * Show a session in a new pane after the focused one, focused ("open to the side"). With four
 * panes already, it replaces the last pane that has no focus. Already visible: that pane takes
 * focus. A split leaves a maximised pane.
 */
export function splitWith(layout: Layout, sessionId: string): Layout {
  const openTabs = withTab(layout, sessionId)
  const at = layout.panes.indexOf(sessionId)
  if (at >= 0) return { ...layout, openTabs, focusedPane: at, maximised: false }
  const panes = [...layout.panes]
  let focusedPane: number
  if (panes.length < MAX_PANES) {
    focusedPane = panes.length === 0 ? 0 : layout.focusedPane + 1
    panes.splice(focusedPane, 0, sessionId)
  } else {
    focusedPane = layout.focusedPane === MAX_PANES - 1 ? MAX_PANES - 2 : MAX_PANES - 1
    panes[focusedPane] = sessionId
  }
  return { ...layout, openTabs, panes, focusedPane, maximised: false }
}

/** Close a pane, keeping its session's tab; the pane before it (or the first) takes focus. */
export function closePane(layout: Layout, index: number): Layout {
  if (index < 0 || index >= layout.panes.length || layout.panes.length <= 1) return layout
  const panes = layout.panes.filter((_, i) => i !== index)
  const focusedPane =
    index < layout.focusedPane || (index === layout.focusedPane && index > 0)
      ? layout.focusedPane - 1
      : layout.focusedPane
  return clampFocus({ ...layout, panes, focusedPane })
}

export function focusPane(layout: Layout, index: number): Layout {
  if (index < 0 || index >= layout.panes.length || index === layout.focusedPane) return layout
  return { ...layout, focusedPane: index }
}

/** The next (or previous) pane, wrapping: F6 and Shift+F6. */
export function cyclePane(layout: Layout, step: 1 | -1): Layout {
  const n = layout.panes.length
  if (n <= 1) return layout
  return { ...layout, focusedPane: (layout.focusedPane + step + n) % n }
}

export function toggleMaximised(layout: Layout): Layout {
  if (layout.panes.length <= 1) return layout.maximised ? { ...layout, maximised: false } : layout
  return { ...layout, maximised: !layout.maximised }
}

/**
 * Close sessions' tabs (closed by the user, or deleted elsewhere): their panes close; when no
 * pane is left, the tab beside the focused one that went is shown.
 */
export function dropSessions(layout: Layout, sessionIds: Iterable<string>): Layout {
  const gone = new Set(sessionIds)
  if (!layout.openTabs.some((id) => gone.has(id)) && !layout.panes.some((id) => gone.has(id)))
    return layout
  const openTabs = layout.openTabs.filter((id) => !gone.has(id))
  const panes = layout.panes.filter((id) => !gone.has(id))
  const focused = focusedSession(layout)
  let focusedPane: number
  if (focused !== null && !gone.has(focused)) focusedPane = panes.indexOf(focused)
  else {
    // The focused pane went: the pane before it takes focus, and when no pane is left the tab
    // beside the closed one is shown.
    focusedPane = layout.panes.slice(0, layout.focusedPane).filter((id) => !gone.has(id)).length - 1
    if (panes.length === 0 && focused !== null) {
      const at = layout.openTabs.indexOf(focused)
      const after = layout.openTabs.slice(at + 1).find((t) => !gone.has(t))
      const before = layout.openTabs
        .slice(0, Math.max(0, at))
        .reverse()
        .find((t) => !gone.has(t))
      const next = after ?? before ?? openTabs[0]
      if (next !== undefined) panes.push(next)
    }
  }
  const collapsed: Layout['collapsed'] = {}
  for (const [key, list] of Object.entries(layout.collapsed))
    if (!gone.has(collapsedOwner(key))) collapsed[key] = list
  return clampFocus({ ...layout, openTabs, panes, focusedPane, collapsed })
}

/** Where a session's collapsed panels are kept: one list per arrangement it is shown in. */
export function collapseKey(sessionId: string, panes: number): string {
  const arrangement = arrangementOf(panes)
  return arrangement === 'single' ? sessionId : `${sessionId}@${arrangement}`
}

/**
 * What is collapsed when the user chose nothing: in a single pane nothing; side by side the
 * Timeline and the Terminal first (a half-width pane keeps its transcript and Changes); in the
 * grid every side panel (a quarter keeps the transcript and composer). One array each, so a
 * store selector returning a default gets the same value every time.
 */
const DEFAULT_COLLAPSED: Record<ReturnType<typeof arrangementOf>, readonly Panel[]> = {
  single: [],
  columns: ['timeline', 'terminal'],
  grid: ['changes', 'terminal', 'timeline'],
}

/** The panels collapsed for a session shown among `panes` panes. */
export function collapsedOf(layout: Layout, sessionId: string, panes: number): readonly Panel[] {
  return layout.collapsed[collapseKey(sessionId, panes)] ?? DEFAULT_COLLAPSED[arrangementOf(panes)]
}

/**
 * Collapse or expand one panel of a session as it is shown now (the arrangement's defaults
 * become an explicit list, kept even when empty).
 */
export function togglePanel(layout: Layout, sessionId: string, panel: Panel): Layout {
  const panes = layout.panes.length
  const key = collapseKey(sessionId, panes)
  const now = collapsedOf(layout, sessionId, panes)
  const next = now.includes(panel) ? now.filter((p) => p !== panel) : [...now, panel]
  const collapsed = { ...layout.collapsed, [key]: next }
  return { ...layout, collapsed }
}

/** Move a tab to a new index in the tab order. */
export function moveTab(layout: Layout, sessionId: string, to: number): Layout {
  const from = layout.openTabs.indexOf(sessionId)
  if (from < 0) return layout
  const openTabs = layout.openTabs.filter((id) => id !== sessionId)
  openTabs.splice(Math.max(0, Math.min(to, openTabs.length)), 0, sessionId)
  return { ...layout, openTabs }
}

/**
 * A stored layout made consistent with the sessions that exist now: unknown sessions dropped,
 * panes only of open tabs and never twice, the focus in range. Never throws.
 */
export function reconcile(layout: Layout, exists: (sessionId: string) => boolean): Layout {
  const openTabs = [...new Set(layout.openTabs)].filter(exists)
  const panes = [...new Set(layout.panes)].filter((id) => openTabs.includes(id))
  if (panes.length === 0 && openTabs[0] !== undefined) panes.push(openTabs[0])
  const collapsed: Layout['collapsed'] = {}
  for (const [id, list] of Object.entries(layout.collapsed))
    if (openTabs.includes(collapsedOwner(id))) collapsed[id] = [...new Set(list)]
  return clampFocus({ ...layout, openTabs, panes, collapsed })
}
