import { useEffect, useId, useRef, useState } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import type { Mode } from './composer-storage'
import { modeInfo, MODES } from './modes'

/**
 * The run's permission mode, as a select-only combobox (the WAI-ARIA pattern) named "Mode": the
 * closed control shows the mode, the open list shows each mode with its one-line description.
 * Enter, Space or Alt+Down opens; arrows, Home and End move; Enter picks; Esc and Tab close.
 */
export function ModePicker({
  mode,
  onChange,
}: {
  mode: Mode
  onChange: (mode: Mode) => void
}): JSX.Element {
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(() => MODES.findIndex((m) => m.mode === mode))
  const listId = useId()
  const root = useRef<HTMLDivElement>(null)
  const current = modeInfo(mode)

  // A click anywhere else closes the list.
  useEffect(() => {
    if (!open) return
    const onDown = (e: PointerEvent): void => {
      if (!root.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', onDown)
    return () => document.removeEventListener('pointerdown', onDown)
  }, [open])

  const show = (): void => {
    setActive(
      Math.max(
        0,
        MODES.findIndex((m) => m.mode === mode),
      ),
    )
    setOpen(true)
  }
  const pick = (i: number): void => {
    const m = MODES[i]
    setOpen(false)
    if (m && m.mode !== mode) onChange(m.mode)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (!open) {
      if (e.key === 'Enter' || e.key === ' ' || e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault()
        show()
      }
      return
    }
    const last = MODES.length - 1
    const moves: Record<string, number> = {
      ArrowDown: Math.min(active + 1, last),
      ArrowUp: Math.max(active - 1, 0),
      Home: 0,
      End: last,
    }
    if (e.key in moves) {
      e.preventDefault()
      setActive(moves[e.key]!)
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      pick(active)
    } else if (e.key === 'Escape') {
      // Closing the list is all Esc does here (it must not also stop the agent).
      e.preventDefault()
      e.stopPropagation()
      setOpen(false)
    } else if (e.key === 'Tab') {
      pick(active)
    }
  }

  return (
    <div className="mode-picker" ref={root}>
      <div
        role="combobox"
        tabIndex={0}
        aria-label="Mode"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        aria-description={current.description}
        title={current.description}
        className="composer-select mode-button"
        onClick={() => (open ? setOpen(false) : show())}
        onKeyDown={onKeyDown}
      >
        <span className="mode-prefix" aria-hidden="true">
          Mode
        </span>
        {current.label}
      </div>
      <ul
        role="listbox"
        id={listId}
        aria-label="Modes"
        className="composer-popup mode-list"
        hidden={!open}
      >
        {MODES.map((m, i) => (
          <li
            key={m.mode}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={m.mode === mode}
            className={i === active ? 'popup-option is-active' : 'popup-option'}
            onPointerDown={(e) => e.preventDefault()}
            onPointerEnter={() => setActive(i)}
            onClick={() => pick(i)}
          >
            <span className="popup-option-label">{m.label}</span>
            <span className="popup-option-description">{m.description}</span>
          </li>
        ))}
      </ul>
    </div>
  )
}
