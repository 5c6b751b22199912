import { describe, expect, it } from 'vitest'
import { isWithin, pathWithin } from '../../src/main/core/within'

describe('pathWithin / isWithin', () => {
  it('places paths under the root, the root itself as an empty path', () => {
    expect(pathWithin('/w/project', '/w/project')).toBe('')
    expect(pathWithin('/w/project', '/w/project/src/a.ts')).toBe('src/a.ts')
    expect(pathWithin('/w/project/', '/w/project/src')).toBe('src')
    expect(isWithin('/w/project', '/w/project/src/../b')).toBe(true)
  })

  it('refuses siblings that share a prefix, parents, and escapes through ..', () => {
    expect(pathWithin('/w/project', '/w/project-evil/a')).toBeNull()
    expect(pathWithin('/w/project', '/w')).toBeNull()
    expect(pathWithin('/w/project', '/w/project/../secret')).toBeNull()
    expect(pathWithin('/w/project', '/etc/passwd')).toBeNull()
    expect(isWithin('/', '/anything/at/all')).toBe(true)
  })

  it('keeps names that merely start with two dots inside', () => {
    expect(pathWithin('/w/project', '/w/project/..hidden')).toBe('..hidden')
    expect(pathWithin('/w/project', '/w/project/...')).toBe('...')
  })
})
