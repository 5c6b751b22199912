import type { JSX, KeyboardEvent } from 'react'
import type { TerminalInfo } from '../../../../shared/terminals'
import { CloseIcon } from '../../lib/ui/icons'
import { isTabKey, tabAfterKey, tabLabel, tabState, tabStateText } from './tabs'

export const terminalTabId = (terminalId: string): string => `terminal-tab-${terminalId}`
export const terminalPaneId = (sessionId: string): string => `terminal-pane-${sessionId}`

/**
 * The terminals of a session as tabs: "Agent" first, then the user's ("Terminal 2"…), each with a
 * dot for its shell's state (described in words for assistive technology). Arrows, Home and End
 * move between tabs; Delete closes a user terminal; the agent's cannot be closed.
 */
export function TerminalTabs({
  sessionId,
  list,
  active,
  onSelect,
  onClose,
}: {
  sessionId: string
  list: TerminalInfo[]
  active: string | null
  onSelect: (terminalId: string) => void
  onClose: (terminalId: string) => void
}): JSX.Element {
  const ids = list.map((t) => t.terminalId)

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const current = list.find((t) => terminalTabId(t.terminalId) === (e.target as HTMLElement).id)
    if (!current) return
    if (isTabKey(e.key)) {
      const target = tabAfterKey(ids, current.terminalId, e.key)
      if (target === null) return
      e.preventDefault()
      onSelect(target)
      document.getElementById(terminalTabId(target))?.focus()
    } else if (e.key === 'Delete' && current.kind === 'user') {
      e.preventDefault()
      onClose(current.terminalId)
    }
  }

  return (
    <div role="tablist" aria-label="Terminals" className="terminal-tablist" onKeyDown={onKeyDown}>
      {list.map((t) => {
        const selected = t.terminalId === active
        const label = tabLabel(t, list)
        const state = tabState(t)
        const descriptionId = `${terminalTabId(t.terminalId)}-state`
        return (
          <div
            key={t.terminalId}
            role="presentation"
            className={selected ? 'terminal-tab-item is-active' : 'terminal-tab-item'}
          >
            <div
              role="tab"
              id={terminalTabId(t.terminalId)}
              aria-selected={selected}
              aria-controls={selected ? terminalPaneId(sessionId) : undefined}
              aria-describedby={descriptionId}
              tabIndex={selected ? 0 : -1}
              className="terminal-tab"
              data-state={state}
              onClick={() => onSelect(t.terminalId)}
            >
              <span className={`terminal-dot is-${state}`} aria-hidden="true" />
              <span className="terminal-tab-title" title={tabStateText(t)}>
                {label}
              </span>
              <span id={descriptionId} hidden>
                {tabStateText(t)}
              </span>
            </div>
            {t.kind === 'user' && (
              <button
                type="button"
                className="terminal-tab-close"
                aria-label={`Close ${label}`}
                title="Close terminal (Delete)"
                tabIndex={-1}
                onClick={() => onClose(t.terminalId)}
              >
                <CloseIcon />
              </button>
            )}
          </div>
        )
      })}
    </div>
  )
}
