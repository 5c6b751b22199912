import { isDarkScheme, watchColorScheme } from '../ui/color-scheme'
import type { Monaco } from './setup'

/** The CSS variables (styles/base.css) the editor theme follows, with fallbacks per scheme. */
const TOKENS = {
  '--bg': { light: '#ffffff', dark: '#1f1f1f' },
  '--fg': { light: '#1f1f1f', dark: '#cccccc' },
  '--fg-muted': { light: '#6b6b6b', dark: '#9d9d9d' },
  '--bg-selected': { light: '#e4e6f1', dark: '#37373d' },
  '--accent': { light: '#005fb8', dark: '#0078d4' },
  '--border': { light: '#e5e5e5', dark: '#2b2b2b' },
  '--bg-hover': { light: '#f2f2f2', dark: '#2a2d2e' },
} as const

type Token = keyof typeof TOKENS

/** #rgb / #rrggbb as #rrggbb (Monaco's theme wants hex); anything else: null. */
export function hexColor(value: string): string | null {
  const v = value.trim()
  if (/^#[0-9a-f]{6}$/i.test(v)) return v.toLowerCase()
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(v)
  return short
    ? `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase()
    : null
}

function alpha(hex: string, a: number): string {
  return `${hex}${Math.round(a * 255)
    .toString(16)
    .padStart(2, '0')}`
}

export const THEME_NAMES = { light: 'paddock-light', dark: 'paddock-dark' } as const

function define(monaco: Monaco, dark: boolean): void {
  const style = getComputedStyle(document.documentElement)
  const token = (name: Token): string =>
    hexColor(style.getPropertyValue(name)) ?? TOKENS[name][dark ? 'dark' : 'light']
  const bg = token('--bg')
  const fg = token('--fg')
  const muted = token('--fg-muted')
  monaco.editor.defineTheme(dark ? THEME_NAMES.dark : THEME_NAMES.light, {
    base: dark ? 'vs-dark' : 'vs',
    inherit: true,
    rules: [],
    colors: {
      'editor.background': bg,
      'editor.foreground': fg,
      'editorLineNumber.foreground': muted,
      'editorLineNumber.activeForeground': fg,
      'editor.selectionBackground': alpha(token('--accent'), dark ? 0.45 : 0.25),
      'editor.inactiveSelectionBackground': token('--bg-selected'),
      'editor.lineHighlightBackground': token('--bg-hover'),
      'editorGutter.background': bg,
      'editorWidget.background': bg,
      'editorWidget.border': token('--border'),
      'diffEditor.border': token('--border'),
      focusBorder: token('--accent'),
    },
  })
}

/**
 * Define both themes from the app's tokens and follow the page's scheme as the app's CSS does
 * (the system's, or the one Settings → Appearance picked): Monaco's theme is global, so one
 * listener for the app's lifetime.
 */
export function applyTheme(monaco: Monaco): void {
  // A theme is (re)defined from the tokens while its scheme is the one on screen (the computed
  // variables are the current scheme's), then set.
  const set = (): void => {
    const dark = isDarkScheme()
    define(monaco, dark)
    monaco.editor.setTheme(dark ? THEME_NAMES.dark : THEME_NAMES.light)
  }
  set()
  watchColorScheme(set)
}
