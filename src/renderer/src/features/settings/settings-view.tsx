import { useLayoutEffect, useRef } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import { useAppStore } from '../../app/store'
import { CloseIcon } from '../../lib/ui/icons'
import { sectionById, SETTINGS_SECTIONS } from './sections'

/**
 * The Settings view, in the main area while open: its sections in a list on the left, the chosen
 * one on the right. Focus moves into the view when it opens and back where it was when it closes;
 * Esc closes it (inner editors that use Esc stop it first).
 */
export function SettingsView(): JSX.Element {
  const sectionId = useAppStore((s) => s.settingsSection)
  const openSettings = useAppStore((s) => s.openSettings)
  const close = useAppStore((s) => s.closeSettings)
  const root = useRef<HTMLElement>(null)
  const section = sectionById(sectionId)
  const Section = section.Component

  useLayoutEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const view = root.current
    view?.focus()
    return () => {
      // Only take focus back if it is still ours (or lost): a click elsewhere keeps its focus.
      const now = document.activeElement
      const ours = now === null || now === document.body || (view?.contains(now) ?? false)
      if (ours && previous?.isConnected) previous.focus()
    }
  }, [])

  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key !== 'Escape' || e.defaultPrevented) return
    e.preventDefault()
    close()
  }

  /** Up and down arrows (Home, End) move along the list; Enter or Space opens a section. */
  const onNavKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    const items = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('.settings-nav-item')]
    const at = items.indexOf(document.activeElement as HTMLButtonElement)
    if (at < 0) return
    const to =
      e.key === 'ArrowDown'
        ? (at + 1) % items.length
        : e.key === 'ArrowUp'
          ? (at - 1 + items.length) % items.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? items.length - 1
              : null
    if (to === null) return
    e.preventDefault()
    items[to]?.focus()
  }

  return (
    <section
      ref={root}
      className="settings"
      aria-labelledby="settings-heading"
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <header className="settings-header">
        <h1 id="settings-heading">Settings</h1>
        <button
          type="button"
          className="icon-btn"
          aria-label="Close settings"
          title="Close settings (Esc)"
          onClick={close}
        >
          <CloseIcon />
        </button>
      </header>
      <div className="settings-body">
        <nav className="settings-nav" aria-label="Settings sections" onKeyDown={onNavKeyDown}>
          <ul>
            {SETTINGS_SECTIONS.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className="settings-nav-item"
                  aria-current={s.id === section.id ? 'page' : undefined}
                  onClick={() => openSettings(s.id)}
                >
                  {s.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings-content">
          <section
            key={section.id}
            className="settings-section"
            aria-labelledby={`settings-section-${section.id}`}
          >
            <header className="settings-section-header">
              <h2 id={`settings-section-${section.id}`}>{section.label}</h2>
              <p className="muted">{section.description}</p>
            </header>
            <Section />
          </section>
        </div>
      </div>
    </section>
  )
}
