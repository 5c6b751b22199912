import { describe, expect, it } from 'vitest'
import type { RadarState } from '../../src/shared/contract'
import {
  mergeOrderText,
  overlapLines,
  radarOf,
} from '../../src/renderer/src/features/git/radar-text'
import { slugHint } from '../../src/renderer/src/app/sidebar/slug-hint'

const radar: RadarState = {
  available: true,
  reason: null,
  checkedAt: 1,
  sessions: [
    {
      sessionId: 'a',
      overlaps: [
        { sessionId: 'b', title: 'Beta', files: ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts'] },
      ],
      baseConflicts: [],
    },
    { sessionId: 'c', overlaps: [], baseConflicts: [] },
  ],
  mergeOrder: [
    { sessionId: 'a', title: 'Alpha' },
    { sessionId: 'b', title: 'Beta' },
  ],
}

describe('radar words', () => {
  it('names the other session and the first files, then how many more', () => {
    const mine = radarOf(radar, 'a')
    expect(mine).not.toBeNull()
    expect(overlapLines(mine!)).toEqual(['overlaps with “Beta” in src/a.ts, src/b.ts +2 more'])
  })
  it('has nothing for a session without overlaps, or no report', () => {
    expect(radarOf(radar, 'c')).toBeNull()
    expect(radarOf(null, 'a')).toBeNull()
  })
  it('says the merge order to sessions in it', () => {
    expect(mergeOrderText(radar, 'b')).toBe('Merge “Alpha” first, then update “Beta”')
    expect(mergeOrderText(radar, 'c')).toBeNull()
    expect(mergeOrderText({ ...radar, mergeOrder: [] }, 'a')).toBeNull()
  })
})

describe('slugHint', () => {
  it('folds a title as the host does', () => {
    expect(slugHint('Fix auth: café!')).toBe('fix-auth-cafe')
    expect(slugHint('  ')).toBe('<slug>')
  })
})
