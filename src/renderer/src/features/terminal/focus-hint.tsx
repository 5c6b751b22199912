import { useEffect, useState } from 'react'
import type { JSX, RefObject } from 'react'

/**
 * "Esc then Tab to leave the terminal": shown when the terminal takes the focus from the keyboard
 * (Tab or Shift+Tab from the page, not a click), since a terminal keeps Tab for the shell. It goes
 * away on the next key, when the terminal loses the focus, or after HINT_MS. It is a polite live
 * region, so a screen reader says it too.
 */

/** How long the hint stays when nothing is typed (ms). */
export const HINT_MS = 6_000

/** Whether the last thing the user did was pressing Tab (not a click or another key). */
let lastWasTab = false
let tracking = false

function trackFocusSource(): void {
  if (tracking) return
  tracking = true
  // Capture: seen before any handler can stop it, and before the focus moves.
  document.addEventListener('keydown', (e) => (lastWasTab = e.key === 'Tab'), true)
  document.addEventListener('pointerdown', () => (lastWasTab = false), true)
}

/** The hint for the terminal screen inside `area` (its xterm takes the focus in there). */
export function FocusHint({ area }: { area: RefObject<HTMLElement | null> }): JSX.Element {
  const [shown, setShown] = useState(false)

  useEffect(() => {
    trackFocusSource()
    const el = area.current
    if (!el) return
    let timer: ReturnType<typeof setTimeout> | null = null
    const hide = (): void => {
      if (timer !== null) clearTimeout(timer)
      timer = null
      setShown(false)
    }
    const onFocusIn = (e: FocusEvent): void => {
      // Focus that moves within the area (the search box and back) is not a new arrival.
      if (e.relatedTarget instanceof Node && el.contains(e.relatedTarget)) return
      if (!lastWasTab) return
      if (timer !== null) clearTimeout(timer)
      timer = setTimeout(hide, HINT_MS)
      setShown(true)
    }
    const onFocusOut = (e: FocusEvent): void => {
      if (e.relatedTarget instanceof Node && el.contains(e.relatedTarget)) return
      hide()
    }
    const onKey = (e: KeyboardEvent): void => {
      // The Escape of "Escape then Tab" keeps it up; any other key is typing.
      if (e.key !== 'Escape' && e.key !== 'Shift') hide()
    }
    el.addEventListener('focusin', onFocusIn)
    el.addEventListener('focusout', onFocusOut)
    // Capture: xterm stops the keys it handles from bubbling.
    el.addEventListener('keydown', onKey, true)
    return () => {
      hide()
      el.removeEventListener('focusin', onFocusIn)
      el.removeEventListener('focusout', onFocusOut)
      el.removeEventListener('keydown', onKey, true)
    }
  }, [area])

  return (
    <div role="status" className="terminal-focus-hint-region">
      {shown && (
        <p className="terminal-focus-hint">
          <kbd>Esc</kbd> then <kbd>Tab</kbd> to leave the terminal
        </p>
      )}
    </div>
  )
}
