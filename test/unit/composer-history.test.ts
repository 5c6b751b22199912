import { describe, expect, it } from 'vitest'
import {
  HISTORY_LIMIT,
  IDLE_CURSOR,
  onFirstLine,
  onLastLine,
  remember,
  step,
} from '../../src/renderer/src/features/composer/history'

describe('composer history', () => {
  it('keeps prompts newest last, skipping blanks and a repeat of the newest', () => {
    let h = remember([], 'first')
    h = remember(h, '   ')
    h = remember(h, 'second')
    h = remember(h, 'second')
    h = remember(h, 'first')
    expect(h).toEqual(['first', 'second', 'first'])
  })

  it('is bounded: the oldest prompts go first', () => {
    let h: string[] = []
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) h = remember(h, `p${i}`)
    expect(h).toHaveLength(HISTORY_LIMIT)
    expect(h[0]).toBe('p5')
    expect(h.at(-1)).toBe(`p${HISTORY_LIMIT + 4}`)
    expect(remember(['a', 'b', 'c'], 'd', 2)).toEqual(['c', 'd'])
  })

  it('walks older with Up, newer with Down, and gives the draft back at the end', () => {
    const entries = ['one', 'two', 'three']
    const a = step(entries, IDLE_CURSOR, 'older', 'my draft')!
    expect(a.text).toBe('three')
    const b = step(entries, a.cursor, 'older', a.text)!
    expect(b.text).toBe('two')
    const c = step(entries, b.cursor, 'older', b.text)!
    expect(c.text).toBe('one')
    // The oldest: Up has nowhere to go.
    expect(step(entries, c.cursor, 'older', c.text)).toBeNull()
    const d = step(entries, c.cursor, 'newer', c.text)!
    expect(d.text).toBe('two')
    const e = step(entries, d.cursor, 'newer', d.text)!
    expect(e.text).toBe('three')
    const f = step(entries, e.cursor, 'newer', e.text)!
    expect(f.text).toBe('my draft')
    expect(f.cursor.index).toBeNull()
    // Back at the draft: Down does nothing more.
    expect(step(entries, f.cursor, 'newer', f.text)).toBeNull()
  })

  it('does nothing without history', () => {
    expect(step([], IDLE_CURSOR, 'older', 'x')).toBeNull()
    expect(step([], IDLE_CURSOR, 'newer', 'x')).toBeNull()
  })

  it('recalls only from the first line (Up) and the last line (Down)', () => {
    const text = 'line one\nline two'
    expect(onFirstLine(text, 3)).toBe(true)
    expect(onFirstLine(text, 12)).toBe(false)
    expect(onLastLine(text, 12)).toBe(true)
    expect(onLastLine(text, 3)).toBe(false)
    expect(onFirstLine('', 0) && onLastLine('', 0)).toBe(true)
  })
})
