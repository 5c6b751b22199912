import type { PaddockBridge } from './api/bridge-client'

/**
 * Links that leave the app. In Electron they go through the preload's `openExternal` (the main
 * process opens them only during a click or key press, see docs/ARCHITECTURE.md); in a browser they
 * open in a new tab with no handle on this page.
 */
export function openExternalLink(url: string): void {
  const bridge: PaddockBridge | undefined = window.paddockBridge
  if (bridge)
    bridge.openExternal(url) // eng-disable OPEN_EXTERNAL_JS_CHECK (reason: the main process decides what opens, see src/main/ipc/open-external.ts)
  else window.open(url, '_blank', 'noopener,noreferrer')
}

/** What the user should see of where a link goes: the host (with port), or a mail address. */
export function linkHost(url: string): string {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'mailto:' ? parsed.pathname : parsed.host
  } catch {
    return ''
  }
}

/**
 * Whether a link's visible text already names where it goes (a bare address such as
 * `https://example.com/x` or `www.example.com`): then the host is not repeated next to it.
 */
export function textShowsHost(text: string, host: string): boolean {
  const trimmed = text.trim()
  if (host === '' || trimmed === '') return false
  if (trimmed === host) return true
  for (const candidate of [trimmed, `http://${trimmed}`]) {
    try {
      const parsed = new URL(candidate)
      if (parsed.protocol === 'mailto:' ? parsed.pathname === host : parsed.host === host) {
        return true
      }
    } catch {
      // not an address: the host is shown
    }
  }
  return false
}
