import type { ITheme } from '@xterm/xterm'

/**
 * The terminal's colours from the app's design tokens (the CSS variables of styles/base.css), so the
 * terminal sits in its panel like the rest of the UI and flips with it between light and dark.
 * The 16 ANSI colours are VS Code's default terminal palettes, chosen for contrast on each
 * background; everything else comes from the tokens.
 */

const LIGHT_ANSI = {
  black: '#000000',
  red: '#cd3131',
  green: '#107c10',
  yellow: '#949800',
  blue: '#0451a5',
  magenta: '#bc05bc',
  cyan: '#0598bc',
  white: '#555555',
  brightBlack: '#666666',
  brightRed: '#cd3131',
  brightGreen: '#14ce14',
  brightYellow: '#b5ba00',
  brightBlue: '#0451a5',
  brightMagenta: '#bc05bc',
  brightCyan: '#0598bc',
  brightWhite: '#a5a5a5',
} as const satisfies ITheme

const DARK_ANSI = {
  black: '#000000',
  red: '#cd3131',
  green: '#0dbc79',
  yellow: '#e5e510',
  blue: '#2472c8',
  magenta: '#bc3fbc',
  cyan: '#11a8cd',
  white: '#e5e5e5',
  brightBlack: '#666666',
  brightRed: '#f14c4c',
  brightGreen: '#23d18b',
  brightYellow: '#f5f543',
  brightBlue: '#3b8eea',
  brightMagenta: '#d670d6',
  brightCyan: '#29b8db',
  brightWhite: '#e5e5e5',
} as const satisfies ITheme

/** The tokens the terminal reads, with what it falls back to when one is missing. */
export const THEME_TOKENS = {
  '--bg': { light: '#ffffff', dark: '#1f1f1f' },
  '--fg': { light: '#1f1f1f', dark: '#cccccc' },
  '--fg-muted': { light: '#6b6b6b', dark: '#9d9d9d' },
  '--bg-selected': { light: '#e4e6f1', dark: '#37373d' },
  '--accent': { light: '#005fb8', dark: '#0078d4' },
  '--border': { light: '#e5e5e5', dark: '#2b2b2b' },
} as const

export type ThemeToken = keyof typeof THEME_TOKENS

/** Reads one CSS variable; '' when it is not set (getComputedStyle gives that). */
export type TokenReader = (name: ThemeToken) => string

/** An opaque #rrggbb colour with `alpha` (0–1) as #rrggbbaa; other colour syntaxes as they are. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color)
  if (!hex) return color
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 255)
  return `#${hex[1]!.toLowerCase()}${a.toString(16).padStart(2, '0')}`
}

/** The xterm theme for the current scheme, from the tokens `read` gives. */
export function terminalTheme(read: TokenReader, dark: boolean): ITheme {
  const token = (name: ThemeToken): string => {
    const value = read(name).trim()
    return value !== '' ? value : THEME_TOKENS[name][dark ? 'dark' : 'light']
  }
  const bg = token('--bg')
  const fg = token('--fg')
  return {
    ...(dark ? DARK_ANSI : LIGHT_ANSI),
    background: bg,
    foreground: fg,
    cursor: fg,
    cursorAccent: bg,
    selectionBackground: withAlpha(token('--accent'), dark ? 0.45 : 0.25),
    selectionInactiveBackground: token('--bg-selected'),
    scrollbarSliderBackground: withAlpha(token('--fg-muted'), 0.25),
    scrollbarSliderHoverBackground: withAlpha(token('--fg-muted'), 0.4),
    scrollbarSliderActiveBackground: withAlpha(token('--fg-muted'), 0.5),
    overviewRulerBorder: token('--border'),
  }
}

/** A font stack for xterm: the app's monospace stack as CSS gives it, or a safe default. */
export function terminalFont(cssValue: string): string {
  const value = cssValue.trim().replace(/\s+/g, ' ')
  return value !== '' ? value : "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace"
}
