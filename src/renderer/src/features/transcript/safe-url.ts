/** Link targets an agent's markdown may point at; anything else is shown as text, not a link. */
const SAFE_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:'])

/**
 * The URL when a link to it is safe to render, else null. Only absolute http(s) and mailto URLs
 * pass: no `javascript:`/`data:`/`file:` URLs, and no relative ones (they would navigate the app).
 */
export function safeLinkUrl(url: string): string | null {
  // Browsers ignore control characters and surrounding spaces in a URL ("java\tscript:").
  let cleaned = ''
  for (const ch of url) {
    const code = ch.charCodeAt(0)
    if (code > 0x1f && code !== 0x7f) cleaned += ch
  }
  cleaned = cleaned.trim()
  let parsed: URL
  try {
    parsed = new URL(cleaned)
  } catch {
    return null
  }
  return SAFE_PROTOCOLS.has(parsed.protocol) ? parsed.href : null
}
