import { describe, expect, it } from 'vitest'
import type { ThemeToken } from '../../src/renderer/src/features/terminal/theme'
import {
  THEME_TOKENS,
  terminalFont,
  terminalTheme,
  withAlpha,
} from '../../src/renderer/src/features/terminal/theme'

/** The variables of styles/base.css, as getComputedStyle gives them (with its leading space). */
const LIGHT: Record<string, string> = {
  '--bg': ' #ffffff',
  '--fg': ' #1f1f1f',
  '--fg-muted': ' #6b6b6b',
  '--bg-selected': ' #e4e6f1',
  '--accent': ' #005fb8',
  '--border': ' #e5e5e5',
}
const DARK: Record<string, string> = {
  '--bg': ' #1f1f1f',
  '--fg': ' #cccccc',
  '--fg-muted': ' #9d9d9d',
  '--bg-selected': ' #37373d',
  '--accent': ' #0078d4',
  '--border': ' #2b2b2b',
}
const reader =
  (vars: Record<string, string>) =>
  (name: ThemeToken): string =>
    vars[name] ?? ''

describe('terminal theme from the app tokens', () => {
  it('takes background, text and cursor from the tokens, trimmed', () => {
    const t = terminalTheme(reader(LIGHT), false)
    expect(t.background).toBe('#ffffff')
    expect(t.foreground).toBe('#1f1f1f')
    expect(t.cursor).toBe('#1f1f1f')
    expect(t.cursorAccent).toBe('#ffffff')
    expect(t.selectionInactiveBackground).toBe('#e4e6f1')
    expect(t.overviewRulerBorder).toBe('#e5e5e5')
  })

  it('follows the dark tokens and switches to the dark ANSI palette', () => {
    const light = terminalTheme(reader(LIGHT), false)
    const dark = terminalTheme(reader(DARK), true)
    expect(dark.background).toBe('#1f1f1f')
    expect(dark.foreground).toBe('#cccccc')
    // Yellow on white must be darker than yellow on near-black to stay readable.
    expect(light.yellow).toBe('#949800')
    expect(dark.yellow).toBe('#e5e510')
    expect(light.brightWhite).not.toBe(dark.brightWhite)
  })

  it('selects with the accent colour, translucent so the text stays visible', () => {
    expect(terminalTheme(reader(LIGHT), false).selectionBackground).toBe('#005fb840')
    expect(terminalTheme(reader(DARK), true).selectionBackground).toBe('#0078d473')
  })

  it('falls back to the stylesheet defaults of the scheme when a token is missing', () => {
    const t = terminalTheme(() => '', true)
    expect(t.background).toBe(THEME_TOKENS['--bg'].dark)
    expect(t.foreground).toBe(THEME_TOKENS['--fg'].dark)
    const l = terminalTheme(() => '  ', false)
    expect(l.background).toBe(THEME_TOKENS['--bg'].light)
  })

  it('keeps every one of the 16 ANSI colours defined in both schemes', () => {
    const names = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const
    for (const dark of [false, true]) {
      const t = terminalTheme(reader(dark ? DARK : LIGHT), dark) as Record<string, unknown>
      for (const n of names) {
        const bright = `bright${n[0]!.toUpperCase()}${n.slice(1)}`
        expect(t[n], n).toMatch(/^#[0-9a-f]{6}$/)
        expect(t[bright], bright).toMatch(/^#[0-9a-f]{6}$/)
      }
    }
  })
})

describe('withAlpha', () => {
  it('appends an alpha byte to #rrggbb', () => {
    expect(withAlpha('#FFFFFF', 0.5)).toBe('#ffffff80')
    expect(withAlpha('#000000', 0)).toBe('#00000000')
    expect(withAlpha('#000000', 2)).toBe('#000000ff')
  })

  it('leaves other colour syntaxes alone', () => {
    expect(withAlpha('rgb(1, 2, 3)', 0.5)).toBe('rgb(1, 2, 3)')
    expect(withAlpha('#abc', 0.5)).toBe('#abc')
  })
})

describe('terminalFont', () => {
  it('uses the app monospace stack on one line', () => {
    expect(terminalFont("\n    ui-monospace, 'SF Mono',\n    monospace")).toBe(
      "ui-monospace, 'SF Mono', monospace",
    )
  })

  it('has a default when the variable is missing', () => {
    expect(terminalFont('')).toMatch(/monospace$/)
  })
})
