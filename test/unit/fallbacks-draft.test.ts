import { describe, expect, it } from 'vitest'
import type { DraftChain } from '../../src/renderer/src/features/settings/fallbacks-draft'
import {
  chainErrors,
  chainsOf,
  draftOf,
  moved,
  sameChains,
} from '../../src/renderer/src/features/settings/fallbacks-draft'

const chain = (model: string, refs: string[]): DraftChain => ({
  id: 1,
  model,
  fallbacks: refs.map((ref, i) => ({ id: 10 + i, ref })),
})

describe('the fallbacks draft', () => {
  it('round-trips the stored chains in their order', () => {
    const stored = { 'work/a': ['work/b', 'spare/c'], 'spare/c': ['work/a'] }
    const rows = draftOf(stored)
    expect(chainsOf(rows)).toEqual(stored)
    expect(sameChains(rows, stored)).toBe(true)
    const swapped = rows.map((r, i) =>
      i === 0 ? { ...r, fallbacks: moved(r.fallbacks, 0, 1) } : r,
    )
    expect(sameChains(swapped, stored)).toBe(false)
    expect(chainsOf(swapped)['work/a']).toEqual(['spare/c', 'work/b'])
  })

  it('moves within bounds only', () => {
    expect(moved([1, 2, 3], 2, 1)).toEqual([1, 2, 3])
    expect(moved([1, 2, 3], 2, -1)).toEqual([1, 3, 2])
  })

  it('asks for what is not picked yet', () => {
    expect(chainErrors(chain('', ['work/b']))).toEqual({ model: 'choose a model' })
    expect(chainErrors(chain('work/a', ['work/b', '']))).toEqual({
      fallbacks: { 11: 'choose a fallback, or remove it' },
    })
    expect(chainErrors(chain('work/a', []))).toEqual({
      chain: 'add a fallback, or remove this model',
    })
    expect(chainErrors(chain('work/a', ['work/b']))).toEqual({})
  })

  it('gives the contract’s words under the fallback they are about', () => {
    expect(chainErrors(chain('work/a', ['work/b', 'work/a']))).toEqual({
      fallbacks: { 11: 'a model cannot be its own fallback' },
    })
    expect(chainErrors(chain('work/a', ['work/b', 'spare/c', 'work/b']))).toEqual({
      fallbacks: { 12: 'a fallback is named twice' },
    })
  })
})
