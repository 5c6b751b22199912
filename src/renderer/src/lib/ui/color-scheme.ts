import { readStored, writeStored } from '../storage'

/**
 * Light or dark: the system's choice (`prefers-color-scheme`), unless the user picked one
 * (setting `appearance.theme`). The choice is the `data-theme` attribute of the root element,
 * which the stylesheets follow beside the media query; the terminal and the editor, which
 * colour themselves from script, ask `isDarkScheme` and listen with `watchColorScheme`. The
 * last choice is remembered in this browser too, so a reload does not flash the other scheme
 * before the host's settings arrive.
 */

export type ThemeChoice = 'system' | 'light' | 'dark'

const DARK = '(prefers-color-scheme: dark)'
const KEY = 'paddock.theme'
const CHANGED = 'paddock-theme-change'

function isChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark'
}

/** The scheme chosen now ('system' when none is). */
export function themeChoice(): ThemeChoice {
  const chosen = document.documentElement.dataset.theme
  return isChoice(chosen) ? chosen : 'system'
}

/** Whether the page shows the dark scheme now. */
export function isDarkScheme(): boolean {
  const choice = themeChoice()
  if (choice !== 'system') return choice === 'dark'
  return typeof window.matchMedia === 'function' && window.matchMedia(DARK).matches
}

/** Show a scheme (or follow the system again), and remember it in this browser. */
export function setThemeChoice(choice: ThemeChoice, remember = true): void {
  const root = document.documentElement
  if (themeChoice() === choice) return
  if (choice === 'system') delete root.dataset.theme
  else root.dataset.theme = choice
  if (remember) writeStored(KEY, choice)
  window.dispatchEvent(new Event(CHANGED))
}

/** Before the first paint: the scheme this browser last showed. */
export function restoreThemeChoice(): void {
  const stored = readStored(KEY)
  if (isChoice(stored)) setThemeChoice(stored, false)
}

/** Call `onChange` whenever the page switches between light and dark. Returns a disposer. */
export function watchColorScheme(onChange: () => void): () => void {
  const query = typeof window.matchMedia === 'function' ? window.matchMedia(DARK) : null
  query?.addEventListener('change', onChange)
  window.addEventListener(CHANGED, onChange)
  return () => {
    query?.removeEventListener('change', onChange)
    window.removeEventListener(CHANGED, onChange)
  }
}
