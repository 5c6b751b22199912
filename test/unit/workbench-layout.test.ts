import { describe, expect, it } from 'vitest'
import type { Layout } from '../../src/shared/layout'
import {
  arrangementOf,
  collapsedOf,
  closePane,
  cyclePane,
  dropSessions,
  EMPTY_LAYOUT,
  focusedSession,
  LayoutSchema,
  MAX_TABS,
  moveTab,
  reconcile,
  showSession,
  splitWith,
  toggleMaximised,
  togglePanel,
} from '../../src/shared/layout'
import {
  matchesShortcut,
  paneShortcut,
  SHORTCUTS,
} from '../../src/renderer/src/features/palette/shortcuts'

/** A layout with tabs a…d open and `panes` shown, focus on `focused`. */
function layout(panes: string[], focused = 0, extra: Partial<Layout> = {}): Layout {
  return { ...EMPTY_LAYOUT, openTabs: ['a', 'b', 'c', 'd'], panes, focusedPane: focused, ...extra }
}

const valid = (l: Layout): Layout => LayoutSchema.parse(l)

describe('showing sessions in panes', () => {
  it('shows a session in the focused pane, opening its tab; never the same session twice', () => {
    const one = showSession(EMPTY_LAYOUT, 'a')
    expect(one).toMatchObject({ openTabs: ['a'], panes: ['a'], focusedPane: 0 })
    const two = splitWith(one, 'b')
    expect(two).toMatchObject({ panes: ['a', 'b'], focusedPane: 1 })
    // b is already on screen: its pane takes focus instead of a second copy.
    expect(showSession({ ...two, focusedPane: 0 }, 'b')).toMatchObject({
      panes: ['a', 'b'],
      focusedPane: 1,
    })
    expect(showSession(two, 'c')).toMatchObject({ panes: ['a', 'c'], openTabs: ['a', 'b', 'c'] })
    valid(showSession(two, 'c'))
  })

  it('splits after the focused pane, up to four; a fifth replaces a pane that has no focus', () => {
    let l = layout(['a'])
    l = splitWith(l, 'b')
    l = splitWith({ ...l, focusedPane: 0 }, 'c')
    expect(l.panes).toEqual(['a', 'c', 'b'])
    l = splitWith(l, 'd')
    expect(l.panes).toEqual(['a', 'c', 'd', 'b'])
    expect(arrangementOf(l.panes.length)).toBe('grid')
    const five = splitWith({ ...l, openTabs: [...l.openTabs, 'e'] }, 'e')
    expect(five.panes).toHaveLength(4)
    expect(focusedSession(five)).toBe('e')
    expect(five.openTabs).toContain('b')
    valid(five)
  })

  it('a split leaves a maximised pane; maximising needs another pane', () => {
    expect(toggleMaximised(layout(['a']))).toEqual(layout(['a']))
    const max = toggleMaximised(layout(['a', 'b']))
    expect(max.maximised).toBe(true)
    expect(splitWith(max, 'c').maximised).toBe(false)
    expect(closePane(max, 1).maximised).toBe(false)
  })

  it('closes a pane but keeps its tab, and the focus stays on a pane that exists', () => {
    const l = layout(['a', 'b', 'c'], 2)
    const closed = closePane(l, 2)
    expect(closed).toMatchObject({ panes: ['a', 'b'], focusedPane: 1 })
    expect(closed.openTabs).toContain('c')
    expect(closePane(l, 0)).toMatchObject({ panes: ['b', 'c'], focusedPane: 1 })
    expect(closePane(layout(['a']), 0)).toEqual(layout(['a']))
  })

  it('cycles the focus through the panes, both ways, wrapping (F6, Shift+F6)', () => {
    const l = layout(['a', 'b', 'c'], 2)
    expect(cyclePane(l, 1).focusedPane).toBe(0)
    expect(cyclePane(l, -1).focusedPane).toBe(1)
    expect(cyclePane(layout(['a']), 1).focusedPane).toBe(0)
  })
})

describe('sessions that go away', () => {
  it('a closed tab leaves its pane; the only pane shows the tab beside it', () => {
    expect(dropSessions(layout(['b']), ['b'])).toMatchObject({ panes: ['c'], focusedPane: 0 })
    expect(dropSessions(layout(['d']), ['d'])).toMatchObject({ panes: ['c'] })
    const grid = dropSessions(layout(['a', 'b', 'c', 'd'], 3), ['b'])
    expect(grid).toMatchObject({ panes: ['a', 'c', 'd'], focusedPane: 2 })
    expect(focusedSession(dropSessions(layout(['a', 'b', 'c'], 1), ['b']))).toBe('a')
    expect(dropSessions(layout(['a']), ['a', 'b', 'c', 'd'])).toMatchObject({
      openTabs: [],
      panes: [],
    })
  })

  it('drops the collapsed panels of the sessions that went, in every arrangement', () => {
    const l = layout(['a', 'b'], 0, {
      collapsed: { a: ['timeline'], 'a@grid': [], b: ['changes'] },
    })
    expect(dropSessions(l, ['a']).collapsed).toEqual({ b: ['changes'] })
  })

  it('reconciles a stored layout with the sessions there are now', () => {
    const stored: Layout = {
      ...EMPTY_LAYOUT,
      openTabs: ['a', 'gone', 'b', 'a'],
      panes: ['gone', 'b', 'b'],
      focusedPane: 3,
      maximised: true,
      collapsed: { gone: ['terminal'], 'b@columns': ['timeline', 'timeline'] },
    }
    const now = reconcile(stored, (id) => id !== 'gone')
    expect(now).toEqual({
      ...stored,
      openTabs: ['a', 'b'],
      panes: ['b'],
      focusedPane: 0,
      maximised: false,
      collapsed: { 'b@columns': ['timeline'] },
    })
    expect(reconcile({ ...EMPTY_LAYOUT, openTabs: ['a'] }, () => true).panes).toEqual(['a'])
  })
})

describe('panels and tabs', () => {
  it('collapses per arrangement: nothing alone, Timeline and Terminal side by side, all in the grid', () => {
    const l = layout(['a', 'b'])
    expect(collapsedOf(l, 'a', 1)).toEqual([])
    expect(collapsedOf(l, 'a', 2)).toEqual(['timeline', 'terminal'])
    expect(collapsedOf(l, 'a', 4)).toEqual(['changes', 'terminal', 'timeline'])
    // The same default value each time (a store selector must not see a new array).
    expect(collapsedOf(l, 'a', 2)).toBe(collapsedOf(l, 'b', 2))
    const shown = togglePanel(l, 'a', 'terminal')
    expect(collapsedOf(shown, 'a', 2)).toEqual(['timeline'])
    expect(collapsedOf(shown, 'a', 1)).toEqual([])
    expect(shown.collapsed['a@columns']).toEqual(['timeline'])
    expect(togglePanel(shown, 'a', 'changes').collapsed['a@columns']).toEqual([
      'timeline',
      'changes',
    ])
  })

  it('keeps at most MAX_TABS tabs: the oldest not on screen makes room', () => {
    const many = Array.from({ length: MAX_TABS }, (_, i) => `s${i}`)
    const full: Layout = { ...EMPTY_LAYOUT, openTabs: many, panes: ['s0'], focusedPane: 0 }
    const next = splitWith(full, 'new')
    expect(next.openTabs).toHaveLength(MAX_TABS)
    expect(next.openTabs).toContain('s0')
    expect(next.openTabs).not.toContain('s1')
    expect(next.openTabs.at(-1)).toBe('new')
    valid(next)
  })

  it('moves a tab in the strip', () => {
    expect(moveTab(layout(['a']), 'd', 0).openTabs).toEqual(['d', 'a', 'b', 'c'])
    expect(moveTab(layout(['a']), 'a', 9).openTabs).toEqual(['b', 'c', 'd', 'a'])
    expect(moveTab(layout(['a']), 'z', 0)).toEqual(layout(['a']))
  })

  it('refuses layouts the host must not store', () => {
    expect(
      LayoutSchema.safeParse({ ...EMPTY_LAYOUT, panes: ['a', 'b', 'c', 'd', 'e'] }).success,
    ).toBe(false)
    expect(LayoutSchema.safeParse({ ...EMPTY_LAYOUT, sizes: { x: 120 } }).success).toBe(false)
    expect(LayoutSchema.safeParse({ ...EMPTY_LAYOUT, extra: 1 }).success).toBe(false)
  })
})

describe('pane keys', () => {
  const press = (
    key: string,
    mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {},
    code?: string,
  ) => ({
    key,
    code,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  })

  it('uses Ctrl/Cmd+n in the desktop app and Alt+n in a browser (which keeps Ctrl+1…8)', () => {
    expect(matchesShortcut(press('2', { ctrlKey: true }), paneShortcut(2, true))).toBe(true)
    expect(matchesShortcut(press('2', { ctrlKey: true }), paneShortcut(2, false))).toBe(false)
    expect(matchesShortcut(press('2', { altKey: true }), paneShortcut(2, false))).toBe(true)
    // Option+2 on a Mac types "™" but is still the 2 key.
    expect(matchesShortcut(press('™', { altKey: true }, 'Digit2'), paneShortcut(2, false))).toBe(
      true,
    )
  })

  it('tells F6 from Shift+F6, and Ctrl+Shift+Enter from Ctrl+Enter', () => {
    expect(matchesShortcut(press('F6'), SHORTCUTS.nextPane)).toBe(true)
    expect(matchesShortcut(press('F6', { shiftKey: true }), SHORTCUTS.nextPane)).toBe(false)
    expect(matchesShortcut(press('F6', { shiftKey: true }), SHORTCUTS.previousPane)).toBe(true)
    expect(matchesShortcut(press('Enter', { ctrlKey: true }), SHORTCUTS.maximisePane)).toBe(false)
    expect(
      matchesShortcut(press('Enter', { ctrlKey: true, shiftKey: true }), SHORTCUTS.maximisePane),
    ).toBe(true)
    expect(matchesShortcut(press('\\', { metaKey: true }), SHORTCUTS.splitRight)).toBe(true)
  })
})
