import { describe, expect, it } from 'vitest'
import { WRITE_PIECE, writeInPieces } from '../../src/renderer/src/features/terminal/write-pieces'

/** A terminal that records what it was given and calls back as xterm does, later. */
function recorder(): {
  pieces: string[]
  calls: Array<() => void>
  term: Parameters<typeof writeInPieces>[0]
} {
  const pieces: string[] = []
  const calls: Array<() => void> = []
  return {
    pieces,
    calls,
    term: {
      write: (data, callback) => {
        pieces.push(data)
        if (callback) calls.push(callback)
      },
    },
  }
}

describe('output handed to xterm in pieces', () => {
  it('splits a big batch, keeps every character in order, and calls back once, after the last', () => {
    const r = recorder()
    const data = 'x'.repeat(WRITE_PIECE * 3 + 5)
    let done = 0
    writeInPieces(r.term, data, () => done++)
    expect(r.pieces.map((p) => p.length)).toEqual([WRITE_PIECE, WRITE_PIECE, WRITE_PIECE, 5])
    expect(r.pieces.join('')).toBe(data)
    expect(r.calls).toHaveLength(1)
    r.calls[0]!()
    expect(done).toBe(1)
  })

  it('never cuts a surrogate pair', () => {
    const r = recorder()
    const data = 'a'.repeat(WRITE_PIECE - 1) + '😀' + 'b'.repeat(10)
    writeInPieces(r.term, data, () => undefined)
    expect(r.pieces[0]).toBe('a'.repeat(WRITE_PIECE - 1))
    expect(r.pieces[1]!.startsWith('😀')).toBe(true)
    expect(r.pieces.join('')).toBe(data)
  })

  it('gives small and empty output in one write, with its callback', () => {
    for (const data of ['', 'hello']) {
      const r = recorder()
      writeInPieces(r.term, data, () => undefined)
      expect(r.pieces).toEqual([data])
      expect(r.calls).toHaveLength(1)
    }
  })
})
