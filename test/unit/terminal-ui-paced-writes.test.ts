import { describe, expect, it } from 'vitest'
import { PacedWrites, SLOW_WRITE_MS } from '../../src/renderer/src/features/terminal/paced-writes'

/** Timers run by hand: `tick()` fires what is due, in order. */
function manualTimers(): {
  timers: { set(fn: () => void, ms: number): unknown; clear(h: unknown): void }
  pending: () => number[]
  tick: () => void
} {
  const due = new Map<number, { fn: () => void; ms: number }>()
  let next = 1
  return {
    timers: {
      set: (fn, ms) => {
        due.set(next, { fn, ms })
        return next++
      },
      clear: (h) => void due.delete(h as number),
    },
    pending: () => [...due.values()].map((t) => t.ms),
    tick: () => {
      const all = [...due.entries()]
      due.clear()
      for (const [, t] of all) t.fn()
    },
  }
}

function recorder(): {
  writes: string[]
  finish: () => void
  write: (data: string, done: () => void) => void
} {
  const writes: string[] = []
  const dones: Array<() => void> = []
  return {
    writes,
    write: (data, done) => {
      writes.push(data)
      dones.push(done)
    },
    // xterm parsed everything it was given.
    finish: () => dones.splice(0).forEach((d) => d()),
  }
}

describe('paced terminal writes', () => {
  it('a terminal outside the focused pane gets its output gathered, a few times a second', () => {
    const t = manualTimers()
    const r = recorder()
    const paced = new PacedWrites(r.write, t.timers)
    const done: string[] = []
    paced.push('a', () => done.push('a'))
    paced.push('b', () => done.push('b'))
    paced.push('c', () => done.push('c'))
    expect(r.writes).toEqual([])
    expect(t.pending()).toEqual([SLOW_WRITE_MS])
    t.tick()
    expect(r.writes).toEqual(['abc'])
    expect(done).toEqual([])
    r.finish()
    expect(done).toEqual(['a', 'b', 'c'])
    expect(t.pending()).toEqual([])
  })

  it('live, output goes straight through; turning live writes what was gathered at once', () => {
    const t = manualTimers()
    const r = recorder()
    const paced = new PacedWrites(r.write, t.timers)
    paced.push('old', () => {})
    paced.setLive(true)
    expect(r.writes).toEqual(['old'])
    expect(t.pending()).toEqual([])
    paced.push('x', () => {})
    paced.push('y', () => {})
    expect(r.writes).toEqual(['old', 'x', 'y'])
    paced.setLive(false)
    paced.push('z', () => {})
    expect(r.writes).toEqual(['old', 'x', 'y'])
    t.tick()
    expect(r.writes).toEqual(['old', 'x', 'y', 'z'])
  })

  it('a replaced screen drops what was gathered for the old one, its callbacks still called', () => {
    const t = manualTimers()
    const r = recorder()
    const paced = new PacedWrites(r.write, t.timers)
    let called = 0
    paced.push('stale', () => called++)
    paced.drop()
    expect(called).toBe(1)
    expect(t.pending()).toEqual([])
    t.tick()
    expect(r.writes).toEqual([])
  })
})
