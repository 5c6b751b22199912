/**
 * What the desktop window may load and what it may hand to the user's browser, decided on parsed
 * URLs (never on string prefixes). Pure, so the attack cases are tested without Electron.
 */

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/**
 * True when `url` is our renderer: for a dev server, the same origin exactly (scheme, host and
 * port); for the packaged app, a file URL, the same file exactly (its hash and query may differ).
 * Dot segments and credentials are resolved by the parser first, so neither can smuggle a
 * different target past the check.
 */
export function isAppOrigin(url: string, appUrl: string): boolean {
  const target = parse(url)
  const app = parse(appUrl)
  if (!target || !app) return false
  if (app.protocol === 'file:') {
    return (
      target.protocol === 'file:' && target.host === app.host && target.pathname === app.pathname
    )
  }
  if (app.protocol !== 'http:' && app.protocol !== 'https:') return false
  return target.origin === app.origin && target.username === '' && target.password === ''
}

function hasControlOrSpace(text: string): boolean {
  for (const ch of text) {
    const code = ch.charCodeAt(0)
    if (code <= 0x20 || code === 0x7f) return true
  }
  return false
}

export type ExternalLinkDecision =
  { open: true; url: string; host: string } | { open: false; reason: string }

const EXTERNAL_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:'])

/**
 * Whether a link may open outside the app (in the user's browser or mail client): only when the
 * user clicked or pressed a key for it, only web and mail addresses, never with credentials in the
 * address (`http://app@evil.example` shows one host and goes to another), and only in canonical
 * form, so what opens is exactly what was shown. `host` is what the user should see.
 */
export function externalLinkDecision(
  url: string,
  context: { userGesture: boolean },
): ExternalLinkDecision {
  if (!context.userGesture) return { open: false, reason: 'not opened by a click or key press' }
  // The URL parser drops tabs, newlines and surrounding spaces; a link carrying them is not opened.
  if (hasControlOrSpace(url)) return { open: false, reason: 'malformed address' }
  const parsed = parse(url)
  if (!parsed) return { open: false, reason: 'not an address' }
  if (!EXTERNAL_PROTOCOLS.has(parsed.protocol)) {
    return { open: false, reason: `${parsed.protocol} links are not opened` }
  }
  if (parsed.protocol === 'mailto:') {
    const address = parsed.pathname
    if (!address.includes('@')) return { open: false, reason: 'no mail address' }
    return { open: true, url: parsed.href, host: address }
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { open: false, reason: 'credentials in the address' }
  }
  if (parsed.host === '') return { open: false, reason: 'no host' }
  return { open: true, url: parsed.href, host: parsed.host }
}

/** A navigation Electron lets us cancel. */
export interface PreventableNavigation {
  url: string
  preventDefault(): void
}

/** The part of Electron's `webContents` the guard uses (so tests can pass a fake). */
export interface GuardedContents {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate',
    listener: (event: PreventableNavigation) => void,
  ): unknown
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

export interface NavigationGuardOptions {
  /** Our renderer: the dev server's address or the packaged index file's URL. */
  appUrl: string
  onRefused?: (what: string, url: string, reason: string) => void
}

/**
 * Keeps the window on our renderer: a navigation, a frame navigation or a server redirect to any
 * other origin is cancelled; webviews are refused; and `window.open` (or a `target=_blank` link)
 * never opens a window or the browser, since Electron cannot tell whether the user asked for it.
 * Links leave the app only through the preload's `openExternal`, which carries the user gesture.
 */
export function guardNavigation(contents: GuardedContents, options: NavigationGuardOptions): void {
  const refused = options.onRefused ?? ((): void => {})
  const stayInApp =
    (what: string) =>
    (event: PreventableNavigation): void => {
      if (isAppOrigin(event.url, options.appUrl)) return
      event.preventDefault()
      refused(what, event.url, 'not the app')
    }
  contents.on('will-navigate', stayInApp('navigation'))
  contents.on('will-frame-navigate', stayInApp('frame navigation'))
  contents.on('will-redirect', stayInApp('redirect'))
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    const decision = externalLinkDecision(url, { userGesture: false })
    if (!decision.open) refused('new window', url, decision.reason)
    return { action: 'deny' }
  })
}
