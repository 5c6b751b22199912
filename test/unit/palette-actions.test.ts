import { describe, expect, it } from 'vitest'
import type {
  ActionContext,
  ActionEffects,
  PaletteAction,
} from '../../src/renderer/src/features/palette/actions'
import { buildActions, listedActions } from '../../src/renderer/src/features/palette/actions'
import { filterActions } from '../../src/renderer/src/features/palette/palette-filter'

const IDLE: ActionContext = {
  active: { id: 's1', title: 'Fix the parser', workspaceId: 'w1' },
  fallbackWorkspaceId: 'w1',
  running: false,
  pendingApprovalId: null,
  lastStop: null,
  compacting: false,
  sessionCount: 2,
  paneCount: 1,
  maximised: false,
  settingsSections: [
    { id: 'providers', label: 'Providers' },
    { id: 'shortcuts', label: 'Keyboard shortcuts' },
  ],
}

/** Effects that record what was asked of them, as `name(args)`. */
function recorder(): { calls: string[]; fx: ActionEffects } {
  const calls: string[] = []
  const rec =
    (name: string) =>
    (...args: unknown[]): void => {
      calls.push(`${name}(${args.map(String).join(',')})`)
    }
  const fx: ActionEffects = {
    newSession: rec('newSession'),
    openFolder: rec('openFolder'),
    goToSession: rec('goToSession'),
    renameSession: rec('renameSession'),
    deleteSession: rec('deleteSession'),
    closeTab: rec('closeTab'),
    stop: rec('stop'),
    continueRun: rec('continueRun'),
    answer: rec('answer'),
    compact: rec('compact'),
    focusPanel: rec('focusPanel'),
    openSettings: rec('openSettings'),
    openAgents: rec('openAgents'),
    splitRight: rec('splitRight'),
    openToSide: rec('openToSide'),
    closePane: rec('closePane'),
    toggleMaximised: rec('toggleMaximised'),
    cyclePane: rec('cyclePane'),
    focusPane: rec('focusPane'),
    togglePanel: rec('togglePanel'),
    setTheme: rec('setTheme'),
    openLogsFolder: rec('openLogsFolder'),
    openFirstRun: rec('openFirstRun'),
  }
  return { calls, fx }
}

function byId(actions: PaletteAction[], id: string): PaletteAction {
  const a = actions.find((x) => x.id === id)
  if (!a) throw new Error(`no action ${id}`)
  return a
}

describe('the action registry', () => {
  it('has unique ids and one action per settings section', () => {
    const actions = buildActions(IDLE, recorder().fx)
    expect(new Set(actions.map((a) => a.id)).size).toBe(actions.length)
    expect(actions.map((a) => a.label)).toContain('Settings: Keyboard shortcuts')
    expect(actions.map((a) => a.label)).toContain('Settings: Providers')
  })

  it('offers Stop only while the active session runs, and Continue only after an early stop', () => {
    const idle = buildActions(IDLE, recorder().fx)
    expect(byId(idle, 'run.stop').unavailable).toBe('the agent is not running')
    expect(byId(idle, 'run.continue').unavailable).toBe('the last run finished')

    const running = buildActions({ ...IDLE, running: true }, recorder().fx)
    expect(byId(running, 'run.stop').unavailable).toBeNull()
    expect(byId(running, 'run.continue').unavailable).toBe('the agent is running')
    expect(byId(running, 'context.compact').unavailable).toBe('the agent is running')

    const aborted = buildActions({ ...IDLE, lastStop: 'aborted' }, recorder().fx)
    expect(byId(aborted, 'run.continue').unavailable).toBeNull()
    const capped = buildActions({ ...IDLE, lastStop: 'spend_cap' }, recorder().fx)
    expect(byId(capped, 'run.continue').unavailable).toMatch(/spend cap/)
  })

  it('answers the oldest pending request of the active session', () => {
    const { calls, fx } = recorder()
    const none = buildActions(IDLE, fx)
    expect(byId(none, 'approval.approve').unavailable).toBe('nothing is waiting for approval')
    const asking = buildActions({ ...IDLE, running: true, pendingApprovalId: 'a1' }, fx)
    byId(asking, 'approval.approve').run()
    byId(asking, 'approval.deny').run()
    expect(calls).toEqual(['answer(s1,a1,allow_once)', 'answer(s1,a1,deny)'])
  })

  it('needs a session for session actions, and a folder for New session', () => {
    const { calls, fx } = recorder()
    const empty = buildActions(
      { ...IDLE, active: null, fallbackWorkspaceId: null, sessionCount: 0 },
      fx,
    )
    expect(byId(empty, 'run.stop').unavailable).toBe('no session is open')
    expect(byId(empty, 'focus.timeline').unavailable).toBe('no session is open')
    expect(byId(empty, 'session.new').unavailable).toBe('open a folder first')
    expect(byId(empty, 'session.goTo').unavailable).toBe('there are no sessions yet')
    expect(byId(empty, 'workspace.open').unavailable).toBeNull()
    expect(byId(empty, 'settings.open').unavailable).toBeNull()

    // No session shown: New session goes to the most recent workspace.
    const noTab = buildActions({ ...IDLE, active: null, fallbackWorkspaceId: 'w2' }, fx)
    byId(noTab, 'session.newWorktree').run()
    byId(noTab, 'session.new').run()
    expect(calls).toEqual(['newSession(w2,worktree)', 'newSession(w2,in-place)'])
  })

  it('runs each action through its effect', () => {
    const { calls, fx } = recorder()
    const actions = buildActions({ ...IDLE, running: true }, fx)
    for (const id of ['run.stop', 'timeline.rewind', 'focus.composer', 'settings.providers'])
      byId(actions, id).run()
    expect(calls).toEqual([
      'stop(s1)',
      'focusPanel(Timeline)',
      'focusPanel(Composer)',
      'openSettings(providers)',
    ])
  })

  it('says the real keys of the window-wide shortcuts', () => {
    const actions = listedActions()
    expect(byId(actions, 'palette.open').shortcut).toMatchObject({
      key: 'p',
      mod: true,
      shift: true,
    })
    expect(byId(actions, 'session.goTo').shortcut).toMatchObject({ key: 'p', mod: true })
    expect(byId(actions, 'settings.open').shortcut).toMatchObject({ key: ',', mod: true })
    expect(byId(actions, 'tab.close').shortcut).toMatchObject({ key: 'w', mod: true })
  })
})

describe('filtering the palette', () => {
  const actions = buildActions(IDLE, recorder().fx)
  const labels = (q: string): string[] => filterActions(q, actions).map((a) => a.label)

  it('keeps the registry order with an empty query, available actions first', () => {
    const all = filterActions('', actions)
    expect(all).toHaveLength(actions.length)
    const firstOff = all.findIndex((a) => a.unavailable !== null)
    expect(firstOff).toBeGreaterThan(0)
    expect(all.slice(firstOff).every((a) => a.unavailable !== null)).toBe(true)
    expect(all[0]!.label).toBe('New session in place')
  })

  it('matches fuzzily: the letters in order, not necessarily together', () => {
    expect(labels('nwses')[0]).toBe('New session in place')
    expect(labels('nsworktree')[0]).toBe('New session in a worktree')
    expect(labels('stgkey')[0]).toBe('Settings: Keyboard shortcuts')
    expect(labels('zzzq')).toEqual([])
  })

  it('finds actions by their keywords and group', () => {
    expect(labels('rewind').slice(0, 2)).toContain('Rewind…')
    expect(labels('abort')).toContain('Stop the agent')
    expect(labels('panels term')[0]).toBe('Focus terminal')
  })

  it('lists a match that cannot run now after those that can', () => {
    // "Stop" matches Stop (unavailable: idle) and others; the unavailable one is last.
    const found = filterActions('stop', actions)
    expect(found.at(-1)!.id).toBe('run.stop')
    expect(found.at(-1)!.unavailable).not.toBeNull()
  })
})

describe('the pane actions', () => {
  it('offers closing, maximising and moving between panes only when several are open', () => {
    const one = buildActions(IDLE, recorder().fx)
    for (const id of ['pane.close', 'pane.maximise', 'pane.next', 'pane.previous'])
      expect(byId(one, id).unavailable).toBe('only one pane is open')
    expect(byId(one, 'pane.splitRight').unavailable).toBeNull()
    expect(byId(one, 'pane.focus2').unavailable).toBe('there is no pane 2')

    const { calls, fx } = recorder()
    const three = buildActions({ ...IDLE, paneCount: 3, maximised: true }, fx)
    expect(byId(three, 'pane.maximise').label).toBe('Restore the other panes')
    expect(byId(three, 'pane.focus3').unavailable).toBeNull()
    expect(byId(three, 'pane.focus4').unavailable).toBe('there is no pane 4')
    byId(three, 'pane.focus3').run()
    byId(three, 'pane.previous').run()
    byId(three, 'panel.toggle.terminal').run()
    byId(three, 'agents.open').run()
    expect(calls).toEqual([
      'focusPane(2)',
      'cyclePane(-1)',
      'togglePanel(s1,terminal)',
      'openAgents()',
    ])
  })

  it('says each pane key as this host has it: Alt+n in a browser, Ctrl+n in the desktop app', () => {
    const actions = buildActions({ ...IDLE, paneCount: 2 }, recorder().fx)
    // The unit tests run without the preload's bridge: a browser.
    expect(byId(actions, 'pane.focus2').shortcut).toEqual({ key: '2', alt: true })
    expect(filterActions('split', actions)[0]?.id).toBe('pane.splitRight')
  })
})
