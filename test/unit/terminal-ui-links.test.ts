import { describe, expect, it } from 'vitest'
import { linkTooltip, safeLinkUrl } from '../../src/renderer/src/features/terminal/links'

describe('links clicked in the terminal', () => {
  it('opens web addresses', () => {
    expect(safeLinkUrl('https://example.com/a?b=1')).toBe('https://example.com/a?b=1')
    expect(safeLinkUrl(' http://127.0.0.1:5173/ ')).toBe('http://127.0.0.1:5173/')
  })

  it('refuses other schemes, credentials in the address and non-addresses', () => {
    for (const bad of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'vscode://extension/x',
      'data:text/html,<b>x</b>',
      'https://user:pass@example.com/',
      'not a link',
      '',
    ]) {
      expect(safeLinkUrl(bad), bad).toBeNull()
    }
  })

  it('names the host a hovered link goes to, whatever its visible text', () => {
    expect(linkTooltip('https://evil.example/login')).toBe(
      'Opens evil.example outside Paddock: https://evil.example/login',
    )
    expect(linkTooltip('file:///etc/passwd')).toMatch(/^Not opened/)
  })
})
