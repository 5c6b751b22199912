import { describe, expect, it } from 'vitest'
import { blockingFiles, parseNameStatusZ } from '../../src/main/worktrees/flow-status'
import { githubCompareUrl, parseRemoteUrl } from '../../src/main/worktrees/flow-remote'
import { rebaseAgentMessage } from '../../src/main/worktrees/flow-merge'

describe('parseNameStatusZ', () => {
  it('reads statuses, renames with their origin, and odd paths untouched', () => {
    const out = ['M', 'src/a b.ts', 'R087', 'old.ts', 'new é.ts', 'A', 'x"y', 'D', 'gone', ''].join(
      '\0',
    )
    expect(parseNameStatusZ(out)).toEqual([
      { status: 'M', path: 'src/a b.ts' },
      { status: 'R', path: 'new é.ts', from: 'old.ts' },
      { status: 'A', path: 'x"y' },
      { status: 'D', path: 'gone' },
    ])
    expect(parseNameStatusZ('')).toEqual([])
  })
})

describe('blockingFiles', () => {
  it('keeps only the dirty files (and rename origins) the merge touches', () => {
    const dirty = [
      { status: ' M', path: 'app.txt' },
      { status: '??', path: 'new.txt' },
      { status: 'R ', path: 'b.txt', from: 'a.txt' },
      { status: ' M', path: 'notes.txt' },
    ]
    expect(blockingFiles(dirty, ['a.txt', 'app.txt', 'new.txt', 'other.txt'])).toEqual([
      'a.txt',
      'app.txt',
      'new.txt',
    ])
    expect(blockingFiles(dirty, [])).toEqual([])
  })
})

describe('parseRemoteUrl and githubCompareUrl', () => {
  const cmp = (url: string): string | null => githubCompareUrl(url, 'main', 'paddock/fix-login').url
  const expected = 'https://github.com/o/r/compare/main...paddock/fix-login?expand=1'

  it('reads the GitHub forms: https, scp-like ssh, ssh://, with or without .git', () => {
    expect(parseRemoteUrl('https://github.com/o/r.git')).toEqual({
      host: 'github.com',
      path: 'o/r',
    })
    expect(cmp('https://github.com/o/r.git')).toBe(expected)
    expect(cmp('https://github.com/o/r')).toBe(expected)
    expect(cmp('https://user@github.com/o/r.git/')).toBe(expected)
    expect(cmp('git@github.com:o/r.git')).toBe(expected)
    expect(cmp('github.com:o/r')).toBe(expected)
    expect(cmp('ssh://git@github.com/o/r.git')).toBe(expected)
    expect(cmp('ssh://git@ssh.github.com:443/o/r.git')).toBe(expected)
    expect(cmp('git://github.com/o/r.git')).toBe(expected)
  })

  it('encodes odd branch names but keeps their slashes', () => {
    expect(githubCompareUrl('git@github.com:o/r.git', 'rel/1.0', 'paddock/été #2').url).toBe(
      'https://github.com/o/r/compare/rel/1.0...paddock/%C3%A9t%C3%A9%20%232?expand=1',
    )
  })

  it('gives a null URL with the reason for other hosts and local remotes', () => {
    const gitlab = githubCompareUrl('git@gitlab.com:group/sub/r.git', 'main', 'b')
    expect(gitlab.url).toBeNull()
    expect(gitlab).toMatchObject({ reason: expect.stringContaining('gitlab.com') })
    expect(parseRemoteUrl('git@gitlab.com:group/sub/r.git')).toEqual({
      host: 'gitlab.com',
      path: 'group/sub/r',
    })
    for (const local of ['/srv/git/r.git', '../r.git', 'file:///srv/r.git', 'C:\\repos\\r']) {
      expect(parseRemoteUrl(local)).toBeUndefined()
      const r = githubCompareUrl(local, 'main', 'b')
      expect(r.url).toBeNull()
      expect(r).toMatchObject({ reason: expect.stringContaining('not a web-hosted') })
    }
    expect(githubCompareUrl('https://github.com/just-owner', 'main', 'b').url).toBeNull()
  })
})

describe('rebaseAgentMessage', () => {
  it('names each conflicting file and the command to continue', () => {
    const m = rebaseAgentMessage('main', ['src/auth.ts', 'a b.md'])
    expect(m).toContain('- src/auth.ts')
    expect(m).toContain('- a b.md')
    expect(m).toContain('git rebase --continue')
    expect(m).toContain('onto main')
  })
})
