import { linkHost, openExternalLink } from '../../lib/external-link'

/**
 * Links in terminal output open in the browser (in Electron, through the main process, which opens
 * only what a click asked for). Only web addresses: a `file:`, `javascript:` or custom-scheme link
 * printed by a program is not something a click should run.
 */
export function safeLinkUrl(text: string): string | null {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.username !== '' || url.password !== '') return null
  return url.href
}

/** Open a link the user clicked in the terminal (its text is the address, so its host shows). */
export function openLink(text: string): void {
  const url = safeLinkUrl(text)
  if (url === null) return
  openExternalLink(url)
}

/** What hovering a terminal link says: where it goes, or that it will not open. */
export function linkTooltip(text: string): string {
  const url = safeLinkUrl(text)
  if (url === null) return 'Not opened: only web addresses open from the terminal'
  return `Opens ${linkHost(url)} outside Paddock: ${url}`
}
