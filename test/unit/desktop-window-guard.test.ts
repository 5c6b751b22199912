import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { guardNavigation } from '../../src/main/desktop/navigation'
import type { GuardedContents, PreventableNavigation } from '../../src/main/desktop/navigation'

// Electron cannot run here: the window's webContents is a plain EventEmitter that records what the
// guard does with each navigation event, the way Electron would dispatch it.
class FakeContents extends EventEmitter implements GuardedContents {
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler
  }
}

function navigate(contents: FakeContents, event: string, url: string): boolean {
  let prevented = false
  const details: PreventableNavigation = {
    url,
    preventDefault: () => {
      prevented = true
    },
  }
  contents.emit(event, details, url)
  return prevented
}

const DEV = 'http://127.0.0.1:5173'
const PACKAGED = 'file:///opt/paddock/out/renderer/index.html'

function guarded(appUrl: string): { contents: FakeContents; refused: string[] } {
  const contents = new FakeContents()
  const refused: string[] = []
  guardNavigation(contents, { appUrl, onRefused: (what, url) => refused.push(`${what} ${url}`) })
  return { contents, refused }
}

describe('the desktop window stays on the app', () => {
  it('lets navigations and redirects within the app through', () => {
    const { contents, refused } = guarded(DEV)
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(navigate(contents, event, 'http://127.0.0.1:5173/#/settings'), event).toBe(false)
    }
    expect(refused).toEqual([])
  })

  it('cancels navigations, frame navigations and redirects to look-alike addresses', () => {
    const { contents, refused } = guarded(DEV)
    expect(navigate(contents, 'will-navigate', 'http://127.0.0.1:5173.evil.com/')).toBe(true)
    expect(navigate(contents, 'will-navigate', 'http://127.0.0.1:5173@evil.com/')).toBe(true)
    expect(navigate(contents, 'will-frame-navigate', 'http://127.0.0.1:51730/')).toBe(true)
    expect(navigate(contents, 'will-redirect', 'https://evil.example/')).toBe(true)
    expect(refused).toEqual([
      'navigation http://127.0.0.1:5173.evil.com/',
      'navigation http://127.0.0.1:5173@evil.com/',
      'frame navigation http://127.0.0.1:51730/',
      'redirect https://evil.example/',
    ])
  })

  it('keeps the packaged app on its own index file', () => {
    const { contents } = guarded(PACKAGED)
    expect(navigate(contents, 'will-navigate', `${PACKAGED}#/x`)).toBe(false)
    expect(navigate(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(navigate(contents, 'will-redirect', `${PACKAGED}.evil`)).toBe(true)
  })

  it('refuses webviews', () => {
    const { contents } = guarded(DEV)
    expect(navigate(contents, 'will-attach-webview', 'http://127.0.0.1:5173/')).toBe(true)
  })

  it('opens no window and no browser for window.open: links leave only through a click', () => {
    const { contents, refused } = guarded(DEV)
    expect(contents.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
    expect(contents.openHandler?.({ url: 'http://127.0.0.1:5173/' })).toEqual({ action: 'deny' })
    expect(refused).toHaveLength(2)
  })
})
