import type { ITheme } from '@xterm/xterm'
import type { ThemeToken } from './theme'
import { terminalFont, terminalTheme } from './theme'

/** The light/dark query the app's stylesheet follows (styles/base.css). */
const DARK = '(prefers-color-scheme: dark)'

function isDark(): boolean {
  return window.matchMedia(DARK).matches
}

/** The terminal theme for the scheme the page shows now, from its CSS variables. */
export function currentTheme(): ITheme {
  const style = getComputedStyle(document.documentElement)
  return terminalTheme((name: ThemeToken) => style.getPropertyValue(name), isDark())
}

/** The app's monospace font stack. */
export function currentFont(): string {
  return terminalFont(getComputedStyle(document.documentElement).getPropertyValue('--font-mono'))
}

/** Call `onChange` whenever the system switches between light and dark. Returns a disposer. */
export function watchScheme(onChange: () => void): () => void {
  const query = window.matchMedia(DARK)
  query.addEventListener('change', onChange)
  return () => query.removeEventListener('change', onChange)
}
