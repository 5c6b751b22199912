import { describe, expect, it } from 'vitest'
import type { Session, Workspace } from '../../src/shared/model'
import { sessionOptions } from '../../src/renderer/src/features/palette/session-options'
import { matchesShortcut, shortcutLabel } from '../../src/renderer/src/features/palette/shortcuts'

const ws = (id: string, name: string): Workspace => ({
  id,
  path: `/src/${name}`,
  name,
  createdAt: 1,
  lastOpenedAt: 1,
  trusted: false,
  sessionPlace: null,
})

const session = (id: string, workspaceId: string, title: string, updatedAt: number): Session => ({
  id,
  workspaceId,
  title,
  createdAt: 1,
  updatedAt,
  leafId: null,
  worktree: null,
})

const workspaces = { w1: ws('w1', 'api'), w2: ws('w2', 'web') }
const sessions: Record<string, Session> = {
  a: session('a', 'w1', 'Fix the parser', 30),
  b: session('b', 'w2', 'Dark mode', 20),
  c: {
    ...session('c', 'w2', 'Login page', 10),
    worktree: {
      path: '/wt/login',
      branch: 'paddock/login-page',
      base: 'main',
      missing: false,
    },
  },
}

describe('Go to session', () => {
  it('lists every session of every workspace, most recent first, the shown one last', () => {
    const all = sessionOptions('', sessions, workspaces, 'a')
    expect(all.map((o) => o.title)).toEqual(['Dark mode', 'Login page', 'Fix the parser'])
    expect(all.find((o) => o.id === 'c')!.detail).toBe('web · paddock/login-page')
    expect(all.find((o) => o.id === 'a')!.active).toBe(true)
  })

  it('matches titles fuzzily, then title and workspace', () => {
    expect(sessionOptions('drk', sessions, workspaces, null).map((o) => o.id)).toEqual(['b'])
    expect(sessionOptions('login', sessions, workspaces, null)[0]!.id).toBe('c')
    // "api" is only in the workspace's name.
    expect(sessionOptions('api', sessions, workspaces, null).map((o) => o.id)).toContain('a')
    expect(sessionOptions('qqq', sessions, workspaces, null)).toEqual([])
  })
})

describe('shortcuts', () => {
  const key = (
    k: string,
    m: { ctrl?: boolean; meta?: boolean; shift?: boolean; alt?: boolean },
  ) => ({
    key: k,
    ctrlKey: m.ctrl ?? false,
    metaKey: m.meta ?? false,
    shiftKey: m.shift ?? false,
    altKey: m.alt ?? false,
  })
  const palette = { key: 'p', mod: true, shift: true }

  it('say Cmd on macOS and Ctrl elsewhere', () => {
    expect(shortcutLabel(palette, false)).toBe('Ctrl+Shift+P')
    expect(shortcutLabel(palette, true)).toBe('Cmd+Shift+P')
    expect(shortcutLabel({ key: 'Escape' }, false)).toBe('Esc')
  })

  it('match exactly, Ctrl or Cmd alike', () => {
    expect(matchesShortcut(key('P', { ctrl: true, shift: true }), palette)).toBe(true)
    expect(matchesShortcut(key('p', { meta: true, shift: true }), palette)).toBe(true)
    expect(matchesShortcut(key('p', { ctrl: true }), palette)).toBe(false)
    expect(matchesShortcut(key('p', { ctrl: true, shift: true, alt: true }), palette)).toBe(false)
    expect(matchesShortcut(key('p', { ctrl: true }), { key: 'p', mod: true })).toBe(true)
  })
})
