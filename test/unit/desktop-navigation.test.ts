import { describe, expect, it } from 'vitest'
import { externalLinkDecision, isAppOrigin } from '../../src/main/desktop/navigation'

const DEV = 'http://127.0.0.1:5173'
const PACKAGED = 'file:///opt/paddock/out/renderer/index.html'

describe('the app origin (where the window may navigate)', () => {
  it('is the dev server origin exactly: scheme, host and port', () => {
    expect(isAppOrigin('http://127.0.0.1:5173/', DEV)).toBe(true)
    expect(isAppOrigin('http://127.0.0.1:5173/#/settings', DEV)).toBe(true)
    expect(isAppOrigin('http://127.0.0.1:5173/index.html?x=1', `${DEV}/`)).toBe(true)
  })

  it('refuses addresses that only start like the dev server', () => {
    for (const attack of [
      'http://127.0.0.1:5173.evil.com/',
      'http://127.0.0.1:51730/',
      'http://127.0.0.1:5173@evil.com/',
      'https://127.0.0.1:5173/',
      'http://localhost:5173/',
      'javascript:alert(1)//http://127.0.0.1:5173',
      'data:text/html,http://127.0.0.1:5173',
      'not a url',
      '',
    ]) {
      expect(isAppOrigin(attack, DEV), attack).toBe(false)
    }
  })

  it('is the packaged index file itself when the app is a file', () => {
    expect(isAppOrigin(PACKAGED, PACKAGED)).toBe(true)
    expect(isAppOrigin(`${PACKAGED}#/session/1`, PACKAGED)).toBe(true)
    expect(isAppOrigin(`${PACKAGED}?tab=2`, PACKAGED)).toBe(true)
  })

  it('refuses other files, including ones reached through the index path', () => {
    for (const attack of [
      'file:///opt/paddock/out/renderer/index.html/../../../../etc/passwd',
      'file:///opt/paddock/out/renderer/index.html.evil',
      'file:///opt/paddock/out/renderer/index.htmlx/',
      'file:///opt/paddock/out/renderer/other.html',
      'file:///etc/passwd',
      'file://evil-host/opt/paddock/out/renderer/index.html',
      'http://opt/paddock/out/renderer/index.html',
    ]) {
      expect(isAppOrigin(attack, PACKAGED), attack).toBe(false)
    }
  })
})

describe('opening a link outside the app', () => {
  it('opens web and mail addresses the user clicked, naming the host', () => {
    expect(externalLinkDecision('https://example.com/a?b=1', { userGesture: true })).toEqual({
      open: true,
      url: 'https://example.com/a?b=1',
      host: 'example.com',
    })
    expect(externalLinkDecision('http://127.0.0.1:8080/x', { userGesture: true })).toMatchObject({
      open: true,
      host: '127.0.0.1:8080',
    })
    expect(externalLinkDecision('mailto:dev@example.com', { userGesture: true })).toMatchObject({
      open: true,
      host: 'dev@example.com',
    })
  })

  it('opens nothing without a user gesture', () => {
    expect(externalLinkDecision('https://example.com/', { userGesture: false })).toMatchObject({
      open: false,
    })
  })

  it('refuses other schemes, credentials and addresses that hide their host', () => {
    for (const attack of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'vscode://extension/x',
      'ms-msdt:/id PCWDiagnostic',
      'http://127.0.0.1:5173@evil.com/',
      'https://user:pass@example.com/',
      'https://',
      'mailto:',
      ' https://example.com/',
      'https://exa\nmple.com/',
      'not a url',
      '',
    ]) {
      expect(externalLinkDecision(attack, { userGesture: true }), attack).toMatchObject({
        open: false,
      })
    }
  })
})
