import type { TerminalInfo } from '../../../../shared/terminals'

/**
 * Pure rules of the Terminal panel's tabs: their order and names, which tab an arrow key moves to,
 * which tab becomes active when one closes, and the one-line state a tab shows beside its name.
 */

/** The agent's terminal first, then the user's in the order the host lists them. */
export function orderTabs(list: readonly TerminalInfo[]): TerminalInfo[] {
  const agent = list.filter((t) => t.kind === 'agent')
  const user = list.filter((t) => t.kind !== 'agent')
  return [...agent, ...user]
}

/**
 * A tab's name: the host's title ("Agent", "Terminal 2"…); when it sends none, "Agent" for the agent
 * terminal and "Terminal <n>" (n counting from 2, the agent's being the first) for the others.
 */
export function tabLabel(info: TerminalInfo, list: readonly TerminalInfo[]): string {
  const title = info.title.trim()
  if (title !== '') return title
  if (info.kind === 'agent') return 'Agent'
  const users = list.filter((t) => t.kind !== 'agent')
  const index = users.findIndex((t) => t.terminalId === info.terminalId)
  return `Terminal ${(index === -1 ? users.length : index) + 2}`
}

export type TabKey = 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End'

/** The tab an arrow, Home or End key moves to from `current` (wrapping at the ends). */
export function tabAfterKey(ids: readonly string[], current: string, key: TabKey): string | null {
  if (ids.length === 0) return null
  const at = Math.max(0, ids.indexOf(current))
  switch (key) {
    case 'ArrowLeft':
      return ids[(at - 1 + ids.length) % ids.length]!
    case 'ArrowRight':
      return ids[(at + 1) % ids.length]!
    case 'Home':
      return ids[0]!
    case 'End':
      return ids[ids.length - 1]!
  }
}

/** True for the keys {@link tabAfterKey} understands. */
export function isTabKey(key: string): key is TabKey {
  return key === 'ArrowLeft' || key === 'ArrowRight' || key === 'Home' || key === 'End'
}

/**
 * The tab to show after `closed` goes away: the active one stays if it is another; otherwise its
 * right neighbour, else its left one (the agent's tab is always there to fall back on).
 */
export function tabAfterClose(
  ids: readonly string[],
  active: string | null,
  closed: string,
): string | null {
  const rest = ids.filter((id) => id !== closed)
  if (active !== null && active !== closed && rest.includes(active)) return active
  const at = ids.indexOf(closed)
  if (at === -1) return rest[0] ?? null
  return rest[at] ?? rest[at - 1] ?? null
}

/** The active tab: the one asked for when it still exists, else the first. */
export function activeTabOf(
  ids: readonly string[],
  wanted: string | null | undefined,
): string | null {
  if (wanted && ids.includes(wanted)) return wanted
  return ids[0] ?? null
}

export type TabState = 'starting' | 'running' | 'busy' | 'waiting' | 'exited' | 'failed'

/** What a tab's status dot shows. */
export function tabState(info: TerminalInfo): TabState {
  if (info.status === 'failed') return 'failed'
  if (info.status === 'exited') return 'exited'
  if (info.status === 'starting') return 'starting'
  if (info.agentWaiting) return 'waiting'
  if (info.busy !== 'idle') return 'busy'
  return 'running'
}

/** The same state in words (a tooltip and, for assistive technology, the tab's description). */
export function tabStateText(info: TerminalInfo): string {
  switch (tabState(info)) {
    case 'failed':
      return 'The shell could not start'
    case 'exited':
      return 'The shell has exited'
    case 'starting':
      return 'The shell is starting'
    case 'waiting':
      return 'The agent is waiting for your command to finish'
    case 'busy':
      return info.busy === 'agent' ? 'The agent is running a command' : 'A command is running'
    case 'running':
      return 'At the prompt'
  }
}
