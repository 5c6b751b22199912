import { describe, expect, it } from 'vitest'
import {
  ATTACH_CHUNK_MAX_CHARS,
  MAX_REQUEST_BYTES,
  PROMPT_MAX_CHARS,
} from '../../src/shared/contract'
import { chunks, promptSize } from '../../src/renderer/src/features/composer/prompt-size'

describe('composer: a message against the size limits', () => {
  it('counts nothing under 80% of the limit, counts from there, and says when it is over', () => {
    expect(promptSize('hello')).toEqual({ chars: 5, near: false, over: null })
    expect(promptSize('x'.repeat(159_999))).toMatchObject({ near: false, over: null })
    expect(promptSize('x'.repeat(160_000))).toMatchObject({ near: true, over: null })
    expect(promptSize('x'.repeat(PROMPT_MAX_CHARS))).toMatchObject({ near: true, over: null })
    const over = promptSize('x'.repeat(210_000))
    expect(over.over).toBe(
      'This message is too long to send: 210,000 characters, and the limit is 200,000.',
    )
  })

  it('counts as the host does: surrounding white space is not the message', () => {
    expect(promptSize(`  ${'x'.repeat(PROMPT_MAX_CHARS)}\n\n`).over).toBeNull()
  })

  it('catches text under the character limit that makes too large a request', () => {
    // 100,000 characters of three bytes each: 300 KB, over the 256 KB a request may carry.
    const wide = promptSize('語'.repeat(100_000))
    expect(wide.near).toBe(true)
    expect(wide.over).toMatch(/too large to send: 29\d KB, and the limit is 256 KB/)
    expect(MAX_REQUEST_BYTES).toBe(256 * 1024)
  })
})

describe('composer: attaching text in pieces', () => {
  it('splits into pieces the contract takes, joined back to the same text', () => {
    const text = 'abc'.repeat(50_000)
    const pieces = chunks(text)
    expect(pieces.length).toBe(Math.ceil(text.length / ATTACH_CHUNK_MAX_CHARS))
    expect(pieces.every((p) => p.length <= ATTACH_CHUNK_MAX_CHARS)).toBe(true)
    expect(pieces.join('')).toBe(text)
    expect(chunks('')).toEqual([])
  })

  it('never cuts a character made of two UTF-16 units in half', () => {
    const text = `a${'😀'.repeat(10)}`
    const pieces = chunks(text, 4)
    expect(pieces.join('')).toBe(text)
    for (const p of pieces) expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p)).toBe(false)
    expect(chunks('😀😀', 1).join('')).toBe('😀😀')
  })
})
