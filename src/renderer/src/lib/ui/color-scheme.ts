import { readStored, writeStored } from '../storage'

/**
 * Light or dark: the system's choice (`prefers-color-scheme`), unless the user picked one
 * (setting `appearance.theme`). The root element says both: `data-theme` is the choice (absent:
 * the system's), `data-scheme` what is shown ("light" or "dark"), which every stylesheet's dark
 * rules hang on. The terminal and the editor, which colour themselves from script, ask
 * `isDarkScheme` and listen with `watchColorScheme`. The last choice is remembered in this
 * browser too, so a reload does not flash the other scheme before the host's settings arrive.
 */

export type ThemeChoice = 'system' | 'light' | 'dark'

const DARK = '(prefers-color-scheme: dark)'
const KEY = 'paddock.theme'
const CHANGED = 'paddock-theme-change'

function isChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark'
}

function systemIsDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(DARK).matches
}

/** The scheme chosen now ('system' when none is). */
export function themeChoice(): ThemeChoice {
  const chosen = document.documentElement.dataset.theme
  return isChoice(chosen) ? chosen : 'system'
}

/** Whether the page shows the dark scheme now. */
export function isDarkScheme(): boolean {
  const choice = themeChoice()
  return choice === 'system' ? systemIsDark() : choice === 'dark'
}

/** Put the scheme to show on the root, and tell the listeners when it changed. */
function show(): void {
  const root = document.documentElement
  const scheme = isDarkScheme() ? 'dark' : 'light'
  if (root.dataset.scheme === scheme) return
  root.dataset.scheme = scheme
  window.dispatchEvent(new Event(CHANGED))
}

/** Show a scheme (or follow the system again), and remember it in this browser. */
export function setThemeChoice(choice: ThemeChoice, remember = true): void {
  const root = document.documentElement
  if (choice === 'system') delete root.dataset.theme
  else root.dataset.theme = choice
  if (remember) writeStored(KEY, choice)
  show()
}

/**
 * Before the first paint: the scheme this browser last showed, and from then on the system's
 * changes while it is followed.
 */
export function startColorScheme(): void {
  const stored = readStored(KEY)
  if (isChoice(stored)) setThemeChoice(stored, false)
  else show()
  if (typeof window.matchMedia === 'function')
    window.matchMedia(DARK).addEventListener('change', show)
}

/** Call `onChange` whenever the page switches between light and dark. Returns a disposer. */
export function watchColorScheme(onChange: () => void): () => void {
  window.addEventListener(CHANGED, onChange)
  return () => window.removeEventListener(CHANGED, onChange)
}
