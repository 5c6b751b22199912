import { describe, expect, it } from 'vitest'
import {
  activeTabOf,
  isTabKey,
  orderTabs,
  tabAfterClose,
  tabAfterKey,
  tabLabel,
  tabState,
  tabStateText,
} from '../../src/renderer/src/features/terminal/tabs'
import type { TerminalInfo } from '../../src/shared/terminals'
import { TerminalInfoSchema } from '../../src/shared/terminals'

/** A terminal as the host describes it (validated by the contract's own schema). */
function info(over: Partial<TerminalInfo> & Pick<TerminalInfo, 'terminalId'>): TerminalInfo {
  return TerminalInfoSchema.parse({
    sessionId: 's1',
    kind: 'user',
    title: '',
    status: 'running',
    exit: null,
    cwd: null,
    shell: '/bin/bash',
    cols: 80,
    rows: 24,
    restoredScrollback: false,
    restoredAt: null,
    busy: 'idle',
    agentWaiting: false,
    ...over,
  })
}

const agent = info({ terminalId: 'a', kind: 'agent', title: 'Agent' })
const t2 = info({ terminalId: 'u2', title: 'Terminal 2' })
const t3 = info({ terminalId: 'u3', title: 'Terminal 3' })

describe('tab order and names', () => {
  it('puts the agent terminal first and keeps the user terminals in host order', () => {
    expect(orderTabs([t2, agent, t3]).map((t) => t.terminalId)).toEqual(['a', 'u2', 'u3'])
  })

  it("uses the host's titles", () => {
    const list = [agent, t2, t3]
    expect(list.map((t) => tabLabel(t, list))).toEqual(['Agent', 'Terminal 2', 'Terminal 3'])
  })

  it('names untitled terminals: Agent, then Terminal 2, 3… by position', () => {
    const a = info({ terminalId: 'a', kind: 'agent' })
    const x = info({ terminalId: 'x' })
    const y = info({ terminalId: 'y', title: '   ' })
    const list = [a, x, y]
    expect(list.map((t) => tabLabel(t, list))).toEqual(['Agent', 'Terminal 2', 'Terminal 3'])
  })
})

describe('keyboard movement in the tab list', () => {
  const ids = ['a', 'u2', 'u3']

  it('moves right and left, wrapping at the ends', () => {
    expect(tabAfterKey(ids, 'a', 'ArrowRight')).toBe('u2')
    expect(tabAfterKey(ids, 'u3', 'ArrowRight')).toBe('a')
    expect(tabAfterKey(ids, 'a', 'ArrowLeft')).toBe('u3')
    expect(tabAfterKey(ids, 'u3', 'ArrowLeft')).toBe('u2')
  })

  it('jumps to the first and last with Home and End', () => {
    expect(tabAfterKey(ids, 'u2', 'Home')).toBe('a')
    expect(tabAfterKey(ids, 'u2', 'End')).toBe('u3')
  })

  it('has nowhere to go without tabs', () => {
    expect(tabAfterKey([], 'a', 'ArrowRight')).toBeNull()
  })

  it('knows which keys are its own', () => {
    expect(['ArrowLeft', 'ArrowRight', 'Home', 'End'].every(isTabKey)).toBe(true)
    expect(isTabKey('ArrowUp')).toBe(false)
    expect(isTabKey('Enter')).toBe(false)
  })
})

describe('which tab shows', () => {
  it('keeps the active tab when another one closes', () => {
    expect(tabAfterClose(['a', 'u2', 'u3'], 'a', 'u3')).toBe('a')
  })

  it('moves to the right neighbour when the active one closes, else the left', () => {
    expect(tabAfterClose(['a', 'u2', 'u3'], 'u2', 'u2')).toBe('u3')
    expect(tabAfterClose(['a', 'u2', 'u3'], 'u3', 'u3')).toBe('u2')
  })

  it('falls back to the first when the closed tab is unknown', () => {
    expect(tabAfterClose(['a', 'u2'], null, 'zz')).toBe('a')
  })

  it('shows the wanted tab while it exists, else the first', () => {
    expect(activeTabOf(['a', 'u2'], 'u2')).toBe('u2')
    expect(activeTabOf(['a', 'u2'], 'gone')).toBe('a')
    expect(activeTabOf(['a', 'u2'], null)).toBe('a')
    expect(activeTabOf([], null)).toBeNull()
  })
})

describe('tab state', () => {
  it('tells the shell state in a word and a sentence', () => {
    const cases: Array<[Partial<TerminalInfo>, string, string]> = [
      [{}, 'running', 'At the prompt'],
      [{ status: 'starting' }, 'starting', 'The shell is starting'],
      [{ busy: 'agent' }, 'busy', 'The agent is running a command'],
      [{ busy: 'user' }, 'busy', 'A command is running'],
      [
        { busy: 'user', agentWaiting: true },
        'waiting',
        'The agent is waiting for your command to finish',
      ],
      [
        { status: 'exited', exit: { code: 0, signal: null, reason: 'x' } },
        'exited',
        'The shell has exited',
      ],
      [
        { status: 'failed', exit: { code: null, signal: null, reason: 'x' } },
        'failed',
        'The shell could not start',
      ],
    ]
    for (const [over, state, text] of cases) {
      const t = info({ terminalId: 'x', ...over })
      expect(tabState(t), JSON.stringify(over)).toBe(state)
      expect(tabStateText(t)).toBe(text)
    }
  })
})
