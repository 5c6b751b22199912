import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import {
  MAX_SLUG_LENGTH,
  branchFor,
  isSlug,
  slugify,
  worktreeDir,
  worktreesRoot,
} from '../../src/main/worktrees/worktree-paths'
import { parseStatusZ } from '../../src/main/worktrees/safety'
import { parseWorktreeList } from '../../src/main/worktrees/list'
import { copyMatcher } from '../../src/main/worktrees/copy-files'

describe('worktree names', () => {
  it('slugs a title: ASCII, lowercase, dashes, bounded, never empty', () => {
    expect(slugify('Fix the Login Bug!')).toBe('fix-the-login-bug')
    expect(slugify('Élan à Zürich — ça marche')).toBe('elan-a-zurich-ca-marche')
    expect(slugify('  --../../etc/passwd  ')).toBe('etc-passwd')
    expect(slugify('日本語')).toBe('session')
    expect(slugify('')).toBe('session')
    const long = slugify('a'.repeat(30) + ' ' + 'b'.repeat(30))
    expect(long.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH)
    expect(long.endsWith('-')).toBe(false)
    expect(isSlug(long)).toBe(true)
    expect(isSlug('../x')).toBe(false)
    expect(isSlug('')).toBe(false)
  })

  it('puts worktrees beside the repository unless a root is configured', () => {
    expect(worktreesRoot('/home/u/My Repo')).toBe('/home/u/My Repo.worktrees')
    expect(worktreeDir('/home/u/My Repo', 'fix')).toBe(join('/home/u/My Repo.worktrees', 'fix'))
    expect(worktreeDir('/home/u/r', 'fix', '/data/wt')).toBe(join('/data/wt', 'fix'))
    expect(branchFor('fix')).toBe('paddock/fix')
  })
})

describe('parsers', () => {
  it('reads git status -z, renames included', () => {
    const out = ' M a b.txt\0?? é.txt\0R  new.txt\0old.txt\0'
    expect(parseStatusZ(out)).toEqual([
      { status: ' M', path: 'a b.txt' },
      { status: '??', path: 'é.txt' },
      { status: 'R ', path: 'new.txt', from: 'old.txt' },
    ])
  })

  it('reads git worktree list --porcelain -z', () => {
    const out =
      'worktree /r\0HEAD abc\0branch refs/heads/main\0\0' +
      'worktree /r.worktrees/x y\0HEAD def\0branch refs/heads/paddock/x\0locked\0\0' +
      'worktree /gone\0HEAD 123\0detached\0prunable gitdir file points to non-existent location\0\0'
    const list = parseWorktreeList(out)
    expect(list.map((e) => [e.path, e.main, e.branch, e.locked, e.detached, e.prunable])).toEqual([
      ['/r', true, 'refs/heads/main', false, false, false],
      ['/r.worktrees/x y', false, 'refs/heads/paddock/x', true, false, false],
      ['/gone', false, undefined, false, true, true],
    ])
  })

  it('matches copy patterns like gitignore: bare names at any depth, slashes anchored', () => {
    const m = copyMatcher(['.env', 'config/local.*'])
    expect(m('.env')).toBe(true)
    expect(m('packages/api/.env')).toBe(true)
    expect(m('.env.local')).toBe(false)
    expect(m('config/local.json')).toBe(true)
    expect(m('other/config/local.json')).toBe(false)
    expect(() => copyMatcher(['../secrets'])).toThrow(/leaves the repository/)
  })
})
