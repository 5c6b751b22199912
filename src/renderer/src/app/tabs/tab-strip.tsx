import { useEffect, useRef, useState } from 'react'
import type { JSX, KeyboardEvent, MouseEvent } from 'react'
import type { Session } from '../../../../shared/model'
import { CloseIcon, SplitIcon } from '../../lib/ui/icons'
import { renameSession } from '../commands'
import type { SessionBadge as Badge } from '../live-slice'
import { badgeDescription, badgeOf } from '../live-slice'
import { RenameInput } from '../sidebar/rename-input'
import { useAppStore } from '../store'
import { panelId, SESSION_DRAG_TYPE, tabId } from './ids'
import { describedBy, overlapDescriptionId, useOverlapText, WorktreeMarks } from './worktree-marks'

export { tabId } from './ids'

export interface BadgeState {
  badge: Badge
  description: string
  /** Questions waiting, for the approval badge. */
  count: number
}

/** A session's badge and its words, or null when it has none (re-renders only when they change). */
export function useSessionBadge(sessionId: string): BadgeState | null {
  const badge = useAppStore((s) => badgeOf(s.live[sessionId]))
  const description = useAppStore((s) => (badge ? badgeDescription(badge, s.live[sessionId]) : ''))
  const count = useAppStore((s) => s.live[sessionId]?.pendingApprovals.length ?? 0)
  return badge ? { badge, description, count } : null
}

/**
 * A session's state where its name is shown (tab, sidebar): a dot — animated while running, amber
 * with the number of questions when it needs approval, green when done and unread, red on error —
 * and, for assistive technology, the same words in a hidden element the named control points at
 * with aria-describedby (so the control's name stays the session's title).
 */
export function SessionBadge({
  state,
  descriptionId,
}: {
  state: BadgeState | null
  descriptionId: string
}): JSX.Element | null {
  if (!state) return null
  return (
    <>
      <span
        className={`session-badge session-badge-${state.badge}`}
        data-badge={state.badge}
        title={state.description}
        aria-hidden="true"
      >
        {state.badge === 'approval' && state.count > 0 ? state.count : null}
      </span>
      <span id={descriptionId} hidden>
        {state.description}
      </span>
    </>
  )
}

/** The description ids a tab or sidebar entry points at while its session has a badge. */
export const badgeDescriptionId = (where: 'tab' | 'sidebar', sessionId: string): string =>
  `badge-${where}-${sessionId}`

/**
 * The open sessions as tabs. Each tab is named by its title alone; its close button sits beside
 * it. Arrows, Home and End move between tabs (and select), F2 renames in place, Delete closes,
 * middle-click closes.
 */
export function TabStrip(): JSX.Element | null {
  const openTabs = useAppStore((s) => s.openTabs)
  const activeTab = useAppStore((s) => s.activeTab)
  const panes = useAppStore((s) => s.layout.panes)
  const sessions = useAppStore((s) => s.host.sessions)
  const activateTab = useAppStore((s) => s.activateTab)
  const closeTab = useAppStore((s) => s.closeTab)
  /** Set by keyboard actions in the strip, so the tab that becomes active takes focus. */
  const focusActive = useRef(false)
  /** The tab whose title is being edited in place (F2). */
  const [renaming, setRenaming] = useState<string | null>(null)

  // A tab just opened may still wait for its session's created event; it shows up once known.
  const tabs = openTabs.map((id) => sessions[id]).filter((s): s is Session => s !== undefined)
  /**
   * The tab the arrows moved to beside other panes (the roving tab stop follows it), while the
   * active tab is still the one it was moved from: once another becomes active, that one is.
   */
  const [moved, setMoved] = useState<{ id: string; from: string | null } | null>(null)
  const movedTo = moved && moved.from === activeTab ? moved.id : null
  const focusable = tabs.some((s) => s.id === movedTo)
    ? movedTo
    : tabs.some((s) => s.id === activeTab)
      ? activeTab
      : tabs[0]?.id

  useEffect(() => {
    if (!focusActive.current || activeTab === null) return
    focusActive.current = false
    document.getElementById(tabId(activeTab))?.focus()
  }, [activeTab, openTabs])

  if (tabs.length === 0) return null

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const i = tabs.findIndex((s) => tabId(s.id) === (e.target as HTMLElement).id)
    if (i < 0) return
    const moves: Record<string, number> = {
      ArrowRight: (i + 1) % tabs.length,
      ArrowLeft: (i - 1 + tabs.length) % tabs.length,
      Home: 0,
      End: tabs.length - 1,
    }
    const next = moves[e.key]
    const current = tabs[i]
    if (next !== undefined) {
      const target = tabs[next]
      if (!target) return
      e.preventDefault()
      // Alone, arrows show the tab they reach; beside other panes they only move the focus
      // (Enter or Space shows it), so passing over tabs does not rearrange the panes.
      if (panes.length <= 1) activateTab(target.id)
      setMoved({ id: target.id, from: activeTab })
      document.getElementById(tabId(target.id))?.focus()
    } else if ((e.key === 'Enter' || e.key === ' ') && current && !renaming) {
      e.preventDefault()
      activateTab(current.id)
    } else if (e.key === 'F2' && current) {
      e.preventDefault()
      setRenaming(current.id)
    } else if (e.key === 'Delete' && current) {
      e.preventDefault()
      focusActive.current = true
      closeTab(current.id)
    }
  }

  const onRenamed = (s: Session, title: string | null, viaKeyboard: boolean): void => {
    setRenaming(null)
    const trimmed = title?.trim()
    if (trimmed && trimmed !== s.title) void renameSession(s.id, trimmed)
    if (viaKeyboard) requestAnimationFrame(() => document.getElementById(tabId(s.id))?.focus())
  }

  const onMiddleClick = (e: MouseEvent, sessionId: string): void => {
    if (e.button !== 1) return
    e.preventDefault()
    closeTab(sessionId)
  }

  return (
    <div className="tabstrip">
      <div
        role="tablist"
        aria-label="Sessions"
        aria-multiselectable={panes.length > 1 || undefined}
        className="tablist"
        onKeyDown={onKeyDown}
      >
        {tabs.map((s) => {
          const pane = panes.indexOf(s.id)
          return (
            <TabItem
              key={s.id}
              session={s}
              active={s.id === activeTab}
              pane={panes.length > 1 && pane >= 0 ? pane + 1 : null}
              shown={pane >= 0}
              focusable={s.id === focusable}
              renaming={s.id === renaming}
              onRenamed={(title, viaKeyboard) => onRenamed(s, title, viaKeyboard)}
              onActivate={() => activateTab(s.id)}
              onClose={() => closeTab(s.id)}
              onAuxClick={(e) => onMiddleClick(e, s.id)}
            />
          )
        })}
      </div>
    </div>
  )
}

function TabItem({
  session: s,
  active,
  pane,
  shown,
  focusable,
  renaming,
  onRenamed,
  onActivate,
  onClose,
  onAuxClick,
}: {
  session: Session
  /** In the focused pane. */
  active: boolean
  /** The pane it is shown in (1–4) when there are several, else null. */
  pane: number | null
  /** Shown in a pane. */
  shown: boolean
  focusable: boolean
  renaming: boolean
  onRenamed: (title: string | null, viaKeyboard: boolean) => void
  onActivate: () => void
  onClose: () => void
  onAuxClick: (e: MouseEvent) => void
}): JSX.Element {
  const badge = useSessionBadge(s.id)
  const descriptionId = badgeDescriptionId('tab', s.id)
  const overlap = useOverlapText(s.id) !== null
  return (
    <div
      role="presentation"
      className={`tab-item${active ? ' is-active' : shown ? ' is-shown' : ''}`}
      onMouseDown={(e) => e.button === 1 && e.preventDefault()}
      onAuxClick={onAuxClick}
      draggable={!renaming}
      onDragStart={(e) => {
        e.dataTransfer.setData(SESSION_DRAG_TYPE, s.id)
        e.dataTransfer.effectAllowed = 'move'
      }}
      // A tab dropped on another takes its place in the strip.
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(SESSION_DRAG_TYPE)) e.preventDefault()
      }}
      onDrop={(e) => {
        const dragged = e.dataTransfer.getData(SESSION_DRAG_TYPE)
        if (!dragged || dragged === s.id) return
        e.preventDefault()
        const { openTabs, moveTab } = useAppStore.getState()
        moveTab(dragged, openTabs.indexOf(s.id))
      }}
    >
      <div
        role="tab"
        id={tabId(s.id)}
        aria-selected={shown}
        aria-current={active && pane !== null ? 'true' : undefined}
        aria-controls={shown ? panelId(s.id) : undefined}
        aria-describedby={describedBy([
          badge !== null && descriptionId,
          overlap && overlapDescriptionId('tab', s.id),
        ])}
        tabIndex={focusable ? 0 : -1}
        className="tab"
        title={`${s.title} (F2: rename)`}
        onClick={onActivate}
      >
        <SessionBadge state={badge} descriptionId={descriptionId} />
        {renaming ? (
          <RenameInput initial={s.title} onDone={onRenamed} />
        ) : (
          <span className="tab-title">{s.title}</span>
        )}
        <WorktreeMarks session={s} where="tab" />
        {pane !== null && (
          <span className="tab-pane" title={`Pane ${pane}`} aria-hidden="true">
            {pane}
          </span>
        )}
      </div>
      {!shown && (
        <button
          type="button"
          className="tab-close tab-split"
          aria-label={`Open ${s.title} to the side`}
          title={`Split right: open beside the focused pane`}
          tabIndex={-1}
          onClick={() => useAppStore.getState().openToSide(s.id)}
        >
          <SplitIcon />
        </button>
      )}
      <button
        type="button"
        className="tab-close"
        aria-label={`Close tab ${s.title}`}
        title="Close (Delete)"
        tabIndex={-1}
        onClick={onClose}
      >
        <CloseIcon />
      </button>
    </div>
  )
}
