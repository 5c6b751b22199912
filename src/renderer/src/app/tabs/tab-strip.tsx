import { useEffect, useRef } from 'react'
import type { JSX, KeyboardEvent, MouseEvent } from 'react'
import type { Session } from '../../../../shared/model'
import { CloseIcon } from '../../lib/ui/icons'
import { useAppStore } from '../store'

export const tabId = (sessionId: string): string => `tab-${sessionId}`
export const SESSION_PANEL_ID = 'session-panel'

/**
 * The open sessions as tabs. Each tab is named by its title alone; its close button sits beside
 * it. Arrows, Home and End move between tabs (and select), Delete closes, middle-click closes.
 */
export function TabStrip(): JSX.Element | null {
  const openTabs = useAppStore((s) => s.openTabs)
  const activeTab = useAppStore((s) => s.activeTab)
  const sessions = useAppStore((s) => s.host.sessions)
  const activateTab = useAppStore((s) => s.activateTab)
  const closeTab = useAppStore((s) => s.closeTab)
  /** Set by keyboard actions in the strip, so the tab that becomes active takes focus. */
  const focusActive = useRef(false)

  // A tab just opened may still wait for its session's created event; it shows up once known.
  const tabs = openTabs.map((id) => sessions[id]).filter((s): s is Session => s !== undefined)
  const focusable = tabs.some((s) => s.id === activeTab) ? activeTab : tabs[0]?.id

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
      activateTab(target.id)
      document.getElementById(tabId(target.id))?.focus()
    } else if (e.key === 'Delete' && current) {
      e.preventDefault()
      focusActive.current = true
      closeTab(current.id)
    }
  }

  const onMiddleClick = (e: MouseEvent, sessionId: string): void => {
    if (e.button !== 1) return
    e.preventDefault()
    closeTab(sessionId)
  }

  return (
    <div className="tabstrip">
      <div role="tablist" aria-label="Sessions" className="tablist" onKeyDown={onKeyDown}>
        {tabs.map((s) => {
          const active = s.id === activeTab
          return (
            <div
              key={s.id}
              role="presentation"
              className={active ? 'tab-item is-active' : 'tab-item'}
              onMouseDown={(e) => e.button === 1 && e.preventDefault()}
              onAuxClick={(e) => onMiddleClick(e, s.id)}
            >
              <div
                role="tab"
                id={tabId(s.id)}
                aria-selected={active}
                aria-controls={active ? SESSION_PANEL_ID : undefined}
                tabIndex={s.id === focusable ? 0 : -1}
                className="tab"
                onClick={() => activateTab(s.id)}
              >
                {s.title}
              </div>
              <button
                type="button"
                className="tab-close"
                aria-label={`Close tab ${s.title}`}
                title="Close (Delete)"
                tabIndex={-1}
                onClick={() => closeTab(s.id)}
              >
                <CloseIcon />
              </button>
            </div>
          )
        })}
      </div>
    </div>
  )
}
