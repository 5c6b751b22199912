/**
 * Keyboard shortcuts as data: what keys an action answers to, how to say them on this platform
 * (Cmd on macOS, Ctrl elsewhere) and whether a key press is one of them. The window-wide keys
 * (`use-global-shortcuts.ts`, the palette's own) match through `matchesShortcut`, so what the
 * palette and Settings show is what the keys do.
 */

export interface Shortcut {
  /** `KeyboardEvent.key`, compared case-insensitively for letters ("p", ",", "Enter", "F2"). */
  key: string
  /** Cmd on macOS, Ctrl elsewhere (either is accepted when matching). */
  mod?: boolean
  shift?: boolean
  alt?: boolean
  /** Where the key works when it is not window-wide ("in the composer"); shown beside it. */
  scope?: string
}

export interface KeyLike {
  key: string
  /** The physical key ("Digit1"): Option+1 on a Mac types "¡", but is still the 1 key. */
  code?: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
}

/** Is the user on a Mac (where the modifier is named Cmd)? */
export function isMacPlatform(): boolean {
  if (typeof navigator === 'undefined') return false
  return /Mac|iPhone|iPad/i.test(navigator.platform || navigator.userAgent)
}

const KEY_NAMES: Record<string, string> = {
  ',': ',',
  Escape: 'Esc',
  Delete: 'Del',
  ArrowUp: '↑',
  ArrowDown: '↓',
  ' ': 'Space',
}

/** The keys as people write them: "Ctrl+Shift+P" (or "Cmd+Shift+P" on macOS), "F2", "Esc". */
export function shortcutLabel(s: Shortcut, mac: boolean = isMacPlatform()): string {
  const parts: string[] = []
  if (s.mod) parts.push(mac ? 'Cmd' : 'Ctrl')
  if (s.alt) parts.push(mac ? 'Option' : 'Alt')
  if (s.shift) parts.push('Shift')
  parts.push(KEY_NAMES[s.key] ?? (s.key.length === 1 ? s.key.toUpperCase() : s.key))
  return parts.join('+')
}

/** Does the key press match exactly (no extra modifier)? Ctrl and Cmd both count as `mod`. */
export function matchesShortcut(e: KeyLike, s: Shortcut): boolean {
  const mod = e.ctrlKey || e.metaKey
  if (mod !== (s.mod ?? false)) return false
  if (e.shiftKey !== (s.shift ?? false)) return false
  if (e.altKey !== (s.alt ?? false)) return false
  if (/^[0-9]$/.test(s.key) && e.code === `Digit${s.key}`) return true
  return e.key.toLowerCase() === s.key.toLowerCase()
}

/** Is this the desktop app (its preload's bridge is there) rather than a browser tab? */
export function inDesktopApp(): boolean {
  return typeof window !== 'undefined' && window.paddockBridge !== undefined
}

/**
 * The key that focuses pane `n` (1–4): Ctrl/Cmd+n in the desktop app; Alt+n in a browser, which
 * keeps Ctrl+1…8 for its own tabs.
 */
export function paneShortcut(n: 1 | 2 | 3 | 4, desktop: boolean = inDesktopApp()): Shortcut {
  return desktop ? { key: String(n), mod: true } : { key: String(n), alt: true }
}

/**
 * Every key that has a meaning in the workbench, by name. The window-wide ones are matched by
 * the listeners; the scoped ones (F2 in the sidebar, Esc in the composer, Y on an approval card)
 * are handled where they live and listed here so the palette and Settings can say them.
 */
export const SHORTCUTS = {
  commandPalette: { key: 'p', mod: true, shift: true },
  goToSession: { key: 'p', mod: true },
  openSettings: { key: ',', mod: true },
  closeTab: { key: 'w', mod: true },
  splitRight: { key: '\\', mod: true },
  maximisePane: { key: 'Enter', mod: true, shift: true },
  nextPane: { key: 'F6' },
  previousPane: { key: 'F6', shift: true },
  renameSession: { key: 'F2', scope: 'on a session in the sidebar' },
  deleteSession: { key: 'Delete', scope: 'on a session in the sidebar' },
  stop: { key: 'Escape', scope: 'in the composer' },
  send: { key: 'Enter', mod: true, scope: 'in the composer' },
  approve: { key: 'y', scope: 'on an approval card, or an empty composer' },
  denyAndStop: { key: 's', scope: 'on an approval card, or an empty composer' },
} as const satisfies Record<string, Shortcut>
