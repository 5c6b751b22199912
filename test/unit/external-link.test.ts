import { describe, expect, it } from 'vitest'
import { linkHost, textShowsHost } from '../../src/renderer/src/lib/external-link'

describe('links out of the app show where they go', () => {
  it('names the host with its port, or the mail address', () => {
    expect(linkHost('https://docs.example.com/a')).toBe('docs.example.com')
    expect(linkHost('http://127.0.0.1:8080/')).toBe('127.0.0.1:8080')
    expect(linkHost('mailto:dev@example.com')).toBe('dev@example.com')
  })

  it('shows the host unless the text is the address itself', () => {
    expect(textShowsHost('https://example.com/x', 'example.com')).toBe(true)
    expect(textShowsHost('www.example.com', 'www.example.com')).toBe(true)
    expect(textShowsHost('dev@example.com', 'dev@example.com')).toBe(true)
    expect(textShowsHost('docs', 'example.com')).toBe(false)
    expect(textShowsHost('github.com', 'evil.example')).toBe(false)
    expect(textShowsHost('https://github.com/', 'evil.example')).toBe(false)
    expect(textShowsHost('', 'example.com')).toBe(false)
  })
})
