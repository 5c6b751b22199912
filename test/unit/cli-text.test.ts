import { describe, expect, it } from 'vitest'
import { fileNames } from '../../src/main/cli/checkpoints-command'
import { closest } from '../../src/main/cli/usage'

describe('the CLI’s wording helpers', () => {
  it('names a checkpoint’s files, abbreviated when many or long', () => {
    expect(fileNames([], 0)).toBe('-')
    expect(fileNames([], 2)).toBe('2 files')
    expect(fileNames(['a.txt', 'b.txt'], 2)).toBe('a.txt, b.txt')
    expect(fileNames(['a', 'b', 'c', 'd', 'e'], 5)).toBe('a, b, c +2 more')
    // The log keeps some names of a long list: the count still says how many.
    expect(fileNames(['a', 'b', 'c'], 40)).toBe('a, b, c +37 more')
    const deep = `src/${'nested/'.repeat(8)}file.ts`
    const shown = fileNames([deep], 1)
    expect(shown).toHaveLength(40)
    expect(shown.startsWith('…')).toBe(true)
    expect(shown.endsWith('/file.ts')).toBe(true)
  })

  it('guesses the word meant: close typos and unique prefixes, nothing for strangers', () => {
    const groups = ['run', 'models', 'settings', 'providers', 'sessions', 'checkpoints']
    expect(closest('sesions', groups)).toBe('sessions')
    expect(closest('sessoins', groups)).toBe('sessions')
    expect(closest('chekpoints', groups)).toBe('checkpoints')
    expect(closest('prov', groups)).toBe('providers')
    expect(closest('rn', groups)).toBe('run')
    expect(closest('deploy', groups)).toBeNull()
    expect(closest('s', groups)).toBeNull()
  })
})
