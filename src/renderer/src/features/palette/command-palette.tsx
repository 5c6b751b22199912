import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import { useAppStore } from '../../app/store'
import { SETTINGS_SECTIONS } from '../settings/sections'
import { buildActions } from './actions'
import { filterActions } from './palette-filter'
import { actionContext, paletteEffects } from './palette-effects'
import type { PaletteMode } from './palette-store'
import { usePaletteStore } from './palette-store'
import { sessionOptions } from './session-options'
import { shortcutLabel } from './shortcuts'
import { usePaletteKeys } from './use-palette-keys'
import '../../styles/palette.css'

/** Most options drawn at once; typing narrows the rest (sessions can be many). */
const MAX_OPTIONS = 100

/** One row of the listbox, whichever the mode. */
interface Option {
  id: string
  label: string
  detail: string
  keys: string | null
  /** Why it cannot run now; null when it can. */
  reason: string | null
  run(): void
}

/**
 * The command palette (Ctrl/Cmd+Shift+P: every action, with its keys) and "Go to session"
 * (Ctrl/Cmd+P: every session of every workspace). A modal <dialog> with a combobox over a
 * listbox: typing filters (fuzzy), ↑/↓ move, Enter runs, Esc closes; focus goes back to where it
 * was before the chosen action moves it.
 */
export function CommandPalette(): JSX.Element {
  usePaletteKeys()
  const mode = usePaletteStore((s) => s.mode)
  const dialog = useRef<HTMLDialogElement>(null)
  /** What had focus before the palette opened. */
  const returnTo = useRef<HTMLElement | null>(null)

  useLayoutEffect(() => {
    const d = dialog.current
    if (!d) return
    if (mode !== null && !d.open) {
      returnTo.current =
        document.activeElement instanceof HTMLElement ? document.activeElement : null
      d.showModal()
    } else if (mode === null && d.open) d.close()
  }, [mode])

  /** Close, give focus back, then run what was chosen (which may move focus on purpose). */
  const finish = (run?: () => void): void => {
    usePaletteStore.getState().close()
    dialog.current?.close()
    const back = returnTo.current
    returnTo.current = null
    if (back?.isConnected) back.focus()
    run?.()
  }

  return (
    <dialog
      ref={dialog}
      className="dialog palette-dialog"
      aria-label={
        mode === 'sessions'
          ? 'Go to session'
          : mode === 'side'
            ? 'Open to the side'
            : 'Command palette'
      }
      onCancel={(e) => {
        // Esc: closed the same way as a pick, so the store and focus follow at once.
        e.preventDefault()
        finish()
      }}
      onClose={() => {
        // Closed by the browser itself (a cancel it would not let be prevented): follow it. A
        // close event that arrives after the palette reopened (Go to session…) is stale.
        if (!dialog.current?.open && usePaletteStore.getState().mode !== null) finish()
      }}
    >
      {mode !== null && <PaletteBody key={mode} mode={mode} onPick={finish} />}
    </dialog>
  )
}

function PaletteBody({
  mode,
  onPick,
}: {
  mode: PaletteMode
  onPick: (run: () => void) => void
}): JSX.Element {
  const [query, setQuery] = useState('')
  const [cursor, setCursor] = useState(0)
  const baseId = useId()
  // What is true when the palette opens: the list does not shift under the user while it is open.
  const actions = useMemo(
    () =>
      mode === 'actions'
        ? buildActions(actionContext(useAppStore.getState(), SETTINGS_SECTIONS), paletteEffects)
        : [],
    [mode],
  )
  const options = useMemo((): Option[] => {
    if (mode === 'actions') {
      return filterActions(query, actions).map((a) => ({
        id: a.id,
        label: a.label,
        detail: a.group,
        keys: a.shortcut ? shortcutLabel(a.shortcut) : null,
        reason: a.unavailable,
        run: a.run,
      }))
    }
    const { host, activeTab, openTab, openToSide } = useAppStore.getState()
    return sessionOptions(query, host.sessions, host.workspaces, activeTab).map((s) => ({
      id: s.id,
      label: s.title,
      detail: s.active ? `${s.detail} · shown now` : s.detail,
      keys: null,
      reason: null,
      run: () => (mode === 'side' ? openToSide(s.id) : openTab(s.id)),
    }))
  }, [mode, query, actions])
  const shown = options.slice(0, MAX_OPTIONS)
  const enabled = shown.flatMap((o, i) => (o.reason === null ? [i] : []))
  const activeIndex = enabled.includes(cursor) ? cursor : (enabled[0] ?? -1)
  const optionId = (i: number): string => `${baseId}-option-${i}`

  useLayoutEffect(() => {
    if (activeIndex < 0) return
    document.getElementById(optionId(activeIndex))?.scrollIntoView({ block: 'nearest' })
  })

  const move = (step: 1 | -1): void => {
    if (enabled.length === 0) return
    const at = enabled.indexOf(activeIndex)
    const next = enabled[(at + step + enabled.length) % enabled.length]!
    setCursor(next)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      move(e.key === 'ArrowDown' ? 1 : -1)
    } else if (e.key === 'Enter') {
      e.preventDefault()
      const option = shown[activeIndex]
      if (option && option.reason === null) onPick(option.run)
    }
  }

  const noun = mode === 'actions' ? 'commands' : 'sessions'
  const listId = `${baseId}-list`
  return (
    <>
      <input
        className="palette-input"
        type="text"
        role="combobox"
        aria-label={mode === 'actions' ? 'Type a command' : 'Type a session’s name'}
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
        placeholder={
          mode === 'actions'
            ? 'Type a command…'
            : mode === 'side'
              ? 'Open to the side…'
              : 'Go to session…'
        }
        spellCheck={false}
        autoComplete="off"
        autoFocus
        value={query}
        onChange={(e) => {
          setQuery(e.target.value)
          setCursor(0)
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label={noun} className="palette-list">
        {shown.map((o, i) => (
          <li
            key={o.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === activeIndex}
            aria-disabled={o.reason !== null ? true : undefined}
            className="palette-option"
            title={o.reason !== null ? `Not now: ${o.reason}` : undefined}
            // The field keeps focus: a click picks without moving it.
            onMouseDown={(e) => e.preventDefault()}
            onMouseMove={() => o.reason === null && i !== activeIndex && setCursor(i)}
            onClick={() => o.reason === null && onPick(o.run)}
          >
            <span className="palette-label">{o.label}</span>
            <span className="palette-detail">
              {o.reason !== null ? `${o.detail} — not now: ${o.reason}` : o.detail}
            </span>
            {o.keys !== null && (
              <span className="palette-keys">
                <kbd>{o.keys}</kbd>
              </span>
            )}
          </li>
        ))}
      </ul>
      {shown.length === 0 && (
        <p className="palette-empty" role="status">
          No {noun} match “{query}”.
        </p>
      )}
      <p className="palette-footer" aria-hidden="true">
        {options.length > MAX_OPTIONS
          ? `${options.length - MAX_OPTIONS} more — type to narrow. `
          : ''}
        ↑↓ move · Enter {mode === 'actions' ? 'runs' : 'opens'} · Esc closes
      </p>
    </>
  )
}
