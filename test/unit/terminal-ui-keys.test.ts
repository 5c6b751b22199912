import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { KeyLike } from '../../src/renderer/src/features/terminal/terminal-keys'
import {
  ESCAPE_HOLD_MS,
  TerminalKeys,
  decideKey,
} from '../../src/renderer/src/features/terminal/terminal-keys'

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  type: 'keydown',
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
})
const idle = { atPrompt: false, afterEscape: false }

describe('which keys the terminal keeps from the shell', () => {
  it('opens search with Ctrl+F or Cmd+F', () => {
    expect(decideKey(key('f', { ctrlKey: true }), idle)).toBe('find')
    expect(decideKey(key('F', { metaKey: true }), idle)).toBe('find')
    expect(decideKey(key('f', { ctrlKey: true, altKey: true }), idle)).toBe('pass')
    expect(decideKey(key('f'), idle)).toBe('pass')
  })

  it('copies with Ctrl/Cmd+Shift+C and leaves paste to the browser with Ctrl/Cmd+Shift+V', () => {
    expect(decideKey(key('C', { ctrlKey: true, shiftKey: true }), idle)).toBe('copy')
    expect(decideKey(key('c', { metaKey: true, shiftKey: true }), idle)).toBe('copy')
    expect(decideKey(key('V', { ctrlKey: true, shiftKey: true }), idle)).toBe('native-paste')
  })

  it('sends Ctrl+C, Ctrl+V and Tab to the shell', () => {
    expect(decideKey(key('c', { ctrlKey: true }), idle)).toBe('pass')
    expect(decideKey(key('v', { ctrlKey: true }), idle)).toBe('pass')
    expect(decideKey(key('Tab'), idle)).toBe('pass')
  })

  it('holds Escape at the prompt and sends it at once while a program runs', () => {
    expect(decideKey(key('Escape'), { atPrompt: true, afterEscape: false })).toBe('hold-escape')
    expect(decideKey(key('Escape'), { atPrompt: false, afterEscape: false })).toBe('escape')
  })

  it('leaves with Tab or Shift+Tab right after Escape', () => {
    const after = { atPrompt: false, afterEscape: true }
    expect(decideKey(key('Tab'), after)).toBe('leave')
    expect(decideKey(key('Tab', { shiftKey: true }), after)).toBe('leave')
    expect(decideKey(key('Tab', { ctrlKey: true }), after)).toBe('pass')
  })

  it('ignores key-up events', () => {
    expect(decideKey({ ...key('f', { ctrlKey: true }), type: 'keyup' }, idle)).toBe('pass')
  })
})

describe('TerminalKeys: the held Escape', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const setup = (): { keys: TerminalKeys; sent: string[] } => {
    const sent: string[] = []
    const keys = new TerminalKeys({
      term: {
        getSelection: () => '',
        hasSelection: () => false,
        clearSelection: () => {},
        paste: () => {},
      },
      send: (data) => sent.push(data),
      onFind: () => {},
      onProblem: () => {},
    })
    return { keys, sent }
  }
  const press = (keys: TerminalKeys, k: string, mods: Partial<KeyLike> = {}): boolean =>
    keys.handle({ ...key(k, mods), preventDefault: () => {} } as unknown as KeyboardEvent)

  it('drops the Escape when Tab follows at the prompt (nothing reaches the shell)', () => {
    const { keys, sent } = setup()
    keys.atPrompt = true
    expect(press(keys, 'Escape')).toBe(false)
    expect(press(keys, 'Tab')).toBe(false)
    vi.advanceTimersByTime(ESCAPE_HOLD_MS * 2)
    expect(sent).toEqual([])
  })

  it('sends the held Escape before the next input, or once the moment passed', () => {
    const { keys, sent } = setup()
    keys.atPrompt = true
    press(keys, 'Escape')
    keys.flush() // what the terminal does before its next input goes out
    expect(sent).toEqual(['\x1b'])
    press(keys, 'Escape')
    vi.advanceTimersByTime(ESCAPE_HOLD_MS)
    expect(sent).toEqual(['\x1b', '\x1b'])
    // Too late for Tab to leave: it goes to the shell.
    expect(press(keys, 'Tab')).toBe(true)
  })

  it('lets a running program have its Escape, and Tab after it still leaves', () => {
    const { keys, sent } = setup()
    keys.atPrompt = false
    expect(press(keys, 'Escape')).toBe(true)
    expect(press(keys, 'Shift')).toBe(true)
    expect(press(keys, 'Tab', { shiftKey: true })).toBe(false)
    expect(press(keys, 'Tab')).toBe(true)
    expect(sent).toEqual([])
  })

  it('forgets an Escape once another key came', () => {
    const { keys } = setup()
    press(keys, 'Escape')
    press(keys, 'j')
    expect(press(keys, 'Tab')).toBe(true)
  })
})
