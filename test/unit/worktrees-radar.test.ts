import { describe, expect, it } from 'vitest'
import { parseGitVersion, versionSupportsMergeTree } from '../../src/main/worktrees/radar-git'
import { suggestMergeOrder } from '../../src/main/worktrees/radar-order'

describe('radar: git version', () => {
  it('parses the forms git prints', () => {
    expect(parseGitVersion('git version 2.39.5\n')).toEqual([2, 39, 5])
    expect(parseGitVersion('git version 2.38.0.windows.1')).toEqual([2, 38, 0])
    expect(parseGitVersion('git version 2.39.3 (Apple Git-145)')).toEqual([2, 39, 3])
    expect(parseGitVersion('git version 3.0')).toEqual([3, 0, 0])
    expect(parseGitVersion('command not found')).toBeUndefined()
  })

  it('needs 2.38 for merge-tree --write-tree: unavailable on older git', () => {
    expect(versionSupportsMergeTree('git version 2.37.9')).toBe(false)
    expect(versionSupportsMergeTree('git version 2.25.1')).toBe(false)
    expect(versionSupportsMergeTree('git version 1.99.0')).toBe(false)
    expect(versionSupportsMergeTree('')).toBe(false)
    expect(versionSupportsMergeTree('git version 2.38.0')).toBe(true)
    expect(versionSupportsMergeTree('git version 2.45.1.windows.1')).toBe(true)
    expect(versionSupportsMergeTree('git version 3.1.0')).toBe(true)
  })
})

describe('radar: merge order', () => {
  it('keeps the given order when nobody overlaps', () => {
    expect(suggestMergeOrder(['a', 'b'], [], new Set())).toEqual([
      { id: 'a', updateAfter: [], conflictsWithBase: false },
      { id: 'b', updateAfter: [], conflictsWithBase: false },
    ])
  })

  it('merges first who overlaps with no one, then the fewest overlaps; base conflicts last', () => {
    // a overlaps b and c; d overlaps no one; e already conflicts with the base.
    const order = suggestMergeOrder(
      ['a', 'b', 'c', 'd', 'e'],
      [
        ['a', 'b'],
        ['c', 'a'],
      ],
      new Set(['e']),
    )
    expect(order.map((s) => s.id)).toEqual(['d', 'b', 'c', 'a', 'e'])
    // Only a has to update (after b and c), instead of b and c both updating after a.
    expect(order.find((s) => s.id === 'a')!.updateAfter).toEqual(['b', 'c'])
    expect(order.find((s) => s.id === 'b')!.updateAfter).toEqual([])
    expect(order.at(-1)).toEqual({ id: 'e', updateAfter: [], conflictsWithBase: true })
  })
})
