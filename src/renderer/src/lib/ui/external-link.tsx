import type { JSX, MouseEvent, ReactNode } from 'react'
import { linkHost, openExternalLink, textShowsHost } from '../external-link'

function plainText(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node)
  if (Array.isArray(node)) return node.map(plainText).join('')
  return ''
}

/**
 * A link out of the app that says where it goes: its host is shown next to the text (unless the
 * text is the address itself) and the full address is its tooltip, so `[docs](https://evil.example)`
 * reads "docs evil.example". It opens on a click or Enter, outside the app.
 */
export function ExternalLink({ url, children }: { url: string; children: ReactNode }): JSX.Element {
  const host = linkHost(url)
  const showHost = !textShowsHost(plainText(children), host)
  const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    // Modified clicks keep the browser's own meaning (a new tab in a browser; nothing in Electron).
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
    e.preventDefault()
    openExternalLink(url)
  }
  return (
    <a
      className="ext-link"
      href={url}
      target="_blank"
      rel="noreferrer"
      title={`Opens outside Paddock: ${url}`}
      onClick={onClick}
    >
      {children}
      {showHost && <span className="ext-link-host">{host}</span>}
    </a>
  )
}
