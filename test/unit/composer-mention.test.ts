import { describe, expect, it } from 'vitest'
import {
  insertMention,
  matchedIndices,
  mentionAt,
  mentionToken,
} from '../../src/renderer/src/features/composer/mention'

describe('composer @-mentions', () => {
  it('finds the mention the caret is in', () => {
    expect(mentionAt('look at @src/ma', 15)).toEqual({ start: 8, end: 15, query: 'src/ma' })
    expect(mentionAt('@', 1)).toEqual({ start: 0, end: 1, query: '' })
    // Caret inside the token: the query is what is before it, the token is replaced whole.
    expect(mentionAt('see @mathx now', 8)).toEqual({ start: 4, end: 10, query: 'mat' })
    expect(mentionAt('(@ma)', 4)).toEqual({ start: 1, end: 5, query: 'ma' })
  })

  it('is not a mention inside a word, after a space, or without an @', () => {
    expect(mentionAt('mail me@example.com', 19)).toBeNull()
    expect(mentionAt('@src done', 9)).toBeNull()
    expect(mentionAt('no mention here', 5)).toBeNull()
    expect(mentionAt('a @b', 99)).toBeNull()
  })

  it('inserts the picked path with one space after it and puts the caret after that', () => {
    const text = 'look at @ma please'
    const m = mentionAt(text, 11)!
    const r = insertMention(text, m, 'src/math.ts')
    expect(r.text).toBe('look at @src/math.ts please')
    expect(r.text.slice(0, r.caret)).toBe('look at @src/math.ts ')

    const end = insertMention('open @', mentionAt('open @', 6)!, 'README.md')
    expect(end).toEqual({ text: 'open @README.md ', caret: 16 })
  })

  it('quotes a path with spaces so it stays one token', () => {
    expect(mentionToken('docs/my notes.md')).toBe('@"docs/my notes.md"')
    expect(mentionToken('src/a.ts')).toBe('@src/a.ts')
  })
})

describe('marking the match in the picker', () => {
  it('marks a substring of the file name whole', () => {
    expect(matchedIndices('mat', 'src/math.ts')).toEqual([4, 5, 6])
    expect(matchedIndices('MAT', 'src/math.ts')).toEqual([4, 5, 6])
  })

  it('otherwise marks the characters in order, or nothing when they do not all match', () => {
    expect(matchedIndices('sm', 'src/math.ts')).toEqual([0, 4])
    expect(matchedIndices('zz', 'src/math.ts')).toEqual([])
    expect(matchedIndices('', 'src/math.ts')).toEqual([])
  })
})
