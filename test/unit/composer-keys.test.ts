import { describe, expect, it } from 'vitest'
import type { KeyLike } from '../../src/renderer/src/features/composer/keys'
import { keyAction } from '../../src/renderer/src/features/composer/keys'

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
})

describe('composer keys', () => {
  it('Ctrl/Cmd+Enter sends when idle and steers while running', () => {
    expect(keyAction(key('Enter', { ctrlKey: true }), false)).toBe('send')
    expect(keyAction(key('Enter', { metaKey: true }), false)).toBe('send')
    expect(keyAction(key('Enter', { ctrlKey: true }), true)).toBe('steer')
  })

  it('Alt+Enter queues while running (and sends when idle); Esc stops only a run', () => {
    expect(keyAction(key('Enter', { altKey: true }), true)).toBe('queue')
    expect(keyAction(key('Enter', { altKey: true }), false)).toBe('send')
    expect(keyAction(key('Escape'), true)).toBe('stop')
    expect(keyAction(key('Escape'), false)).toBeNull()
  })

  it('leaves plain and Shift+Enter to the text box', () => {
    expect(keyAction(key('Enter'), false)).toBeNull()
    expect(keyAction(key('Enter', { shiftKey: true, ctrlKey: true }), true)).toBeNull()
    expect(keyAction(key('a', { ctrlKey: true }), true)).toBeNull()
  })
})
