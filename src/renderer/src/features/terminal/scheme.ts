import { isDarkScheme, watchColorScheme } from '../../lib/ui/color-scheme'
import type { ITheme } from '@xterm/xterm'
import type { ThemeToken } from './theme'
import { terminalFont, terminalTheme } from './theme'

/** The terminal theme for the scheme the page shows now, from its CSS variables. */
export function currentTheme(): ITheme {
  const style = getComputedStyle(document.documentElement)
  return terminalTheme((name: ThemeToken) => style.getPropertyValue(name), isDarkScheme())
}

/** The app's monospace font stack. */
export function currentFont(): string {
  return terminalFont(getComputedStyle(document.documentElement).getPropertyValue('--font-mono'))
}

/** Call `onChange` whenever the page switches between light and dark. Returns a disposer. */
export function watchScheme(onChange: () => void): () => void {
  return watchColorScheme(onChange)
}
