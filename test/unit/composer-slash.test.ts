import { describe, expect, it } from 'vitest'
import type { SlashItem } from '../../src/renderer/src/features/composer/slash'
import {
  SLASH_COMMANDS,
  insertSlash,
  matchSlash,
  slashQueryAt,
} from '../../src/renderer/src/features/composer/slash'

const skill = (name: string): SlashItem => ({ name, description: name, kind: 'skill' })

describe('the composer’s slash picker', () => {
  it('opens only for a first word starting with / while the caret is in it', () => {
    expect(slashQueryAt('/', 1)).toBe('')
    expect(slashQueryAt('/rel', 4)).toBe('rel')
    expect(slashQueryAt('/rel', 2)).toBe('rel')
    expect(slashQueryAt('/rel notes', 4)).toBe('rel')
    expect(slashQueryAt('/rel notes', 8)).toBeNull()
    expect(slashQueryAt('say /rel', 8)).toBeNull()
    expect(slashQueryAt('/usr/bin', 4)).toBeNull()
    expect(slashQueryAt('/rel', 0)).toBeNull()
  })

  it('lists names starting with the query first, then those containing it', () => {
    const items = [skill('pdf-notes'), skill('notes'), skill('release-notes'), ...SLASH_COMMANDS]
    expect(matchSlash(items, 'notes').map((i) => i.name)).toEqual([
      'notes',
      'pdf-notes',
      'release-notes',
    ])
    expect(matchSlash(items, 'co').map((i) => i.name)).toEqual(['compact'])
    expect(matchSlash(items, '').map((i) => i.name)).toEqual([
      'compact',
      'notes',
      'pdf-notes',
      'release-notes',
    ])
  })

  it('puts /name and a space in place of the first word, keeping the rest', () => {
    expect(insertSlash('/re', 'release-notes')).toEqual({
      text: '/release-notes ',
      caret: 15,
    })
    expect(insertSlash('/re for 1.2', 'release-notes')).toEqual({
      text: '/release-notes for 1.2',
      caret: 15,
    })
  })
})
