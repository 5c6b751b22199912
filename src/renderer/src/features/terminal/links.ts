/**
 * Links in terminal output open in the browser (or, in Electron, wherever the main process sends
 * them: it refuses new windows). Only web addresses: a `file:`, `javascript:` or custom-scheme link
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

/** Open a link from the terminal without giving the new page a handle on this one. */
export function openLink(text: string): void {
  const url = safeLinkUrl(text)
  if (url === null) return
  window.open(url, '_blank', 'noopener,noreferrer')
}
