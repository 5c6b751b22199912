import type { TerminalInfo } from '../../../../shared/terminals'
import { useAppStore } from '../../app/store'
import { terminalFeed } from '../../app/terminal-feed'
import { errorMessage } from '../../lib/api/error-message'
import { getClient } from '../../lib/api/client'
import { CommandBook } from './agent-marks'
import { TerminalInstance } from './terminal-instance'
import { useTerminalStore } from './terminal-store'
import { currentFont, currentTheme, watchScheme } from './scheme'

/**
 * This window's terminals: one xterm per host terminal, kept while its session's tab is open (a
 * tab switch moves it, a reload or a closed tab ends it), and per session one subscription that
 * keeps the panel's list current and notes which tool call typed which command. After a dropped
 * connection everything attaches again and each session's list is asked for anew (a restarted
 * host has new terminals: the old ones report themselves gone).
 */

const instances = new Map<string, TerminalInstance>()
const sessions = new Map<string, () => void>()
const book = new CommandBook()
/** Set when a terminal view asked for search; the pane that shows it opens its search box. */
const findListeners = new Map<string, () => void>()

let started = false

function start(): void {
  if (started) return
  started = true
  watchScheme(() => {
    const theme = currentTheme()
    for (const instance of instances.values()) instance.setTheme(theme)
  })
  let down = false
  useAppStore.subscribe((state, prev) => {
    if (state.status !== prev.status) {
      if (state.status === 'reconnecting' || state.status === 'closed') down = true
      else if (state.status === 'open' && down) {
        down = false
        // After the client has subscribed again on the new connection (it does so right after
        // announcing 'open'): attaching needs that subscription.
        setTimeout(reconnected, 0)
      }
    }
    if (state.openTabs !== prev.openTabs) {
      for (const sessionId of [...sessions.keys()]) {
        if (!state.openTabs.includes(sessionId)) closeSession(sessionId)
      }
    }
  })
}

function reconnected(): void {
  for (const sessionId of sessions.keys()) void loadTerminals(sessionId)
  for (const instance of instances.values()) void instance.attach()
}

/** Follow a session's terminals (idempotent); its panel calls this when it shows. */
export function followSession(sessionId: string): void {
  start()
  if (sessions.has(sessionId)) return
  const off = terminalFeed.subscribeSession(sessionId, (event) => {
    const store = useTerminalStore.getState()
    switch (event.type) {
      case 'turn.state':
        book.noteTurn(sessionId, event.state === 'tool' ? (event.toolCallId ?? null) : null)
        return
      case 'entry.appended':
        book.noteResult(sessionId, event.entry.payload)
        return
      case 'terminal.state':
        store.upsert(event.terminal)
        return
      case 'terminal.closed':
        store.remove(sessionId, event.terminalId)
        disposeInstance(event.terminalId)
        return
      default:
        return
    }
  })
  sessions.set(sessionId, off)
}

/** Ask the host for the session's terminals (starting its agent shell if needed). */
export async function loadTerminals(sessionId: string): Promise<void> {
  const store = useTerminalStore.getState()
  try {
    const list = await getClient().call('terminals.list', { sessionId })
    if (!sessions.has(sessionId)) return
    store.setList(sessionId, list)
    const ids = new Set(list.map((t) => t.terminalId))
    for (const instance of [...instances.values()]) {
      if (instance.sessionId === sessionId && !ids.has(instance.terminalId)) {
        disposeInstance(instance.terminalId)
      }
    }
  } catch (err) {
    if (!sessions.has(sessionId)) return
    store.setError(sessionId, errorMessage(err))
  }
}

/** The xterm of a host terminal, created and attached on first use. */
export function instanceFor(info: TerminalInfo): TerminalInstance {
  const existing = instances.get(info.terminalId)
  if (existing) return existing
  const store = useTerminalStore.getState
  const instance = new TerminalInstance({
    info,
    client: getClient(),
    feed: terminalFeed,
    theme: currentTheme(),
    fontFamily: currentFont(),
    onInfo: (next) => store().upsert(next),
    onProblem: (message) => store().setProblem(info.sessionId, info.terminalId, message),
    onGone: () => {
      store().remove(info.sessionId, info.terminalId)
      disposeInstance(info.terminalId)
    },
    onFind: () => findListeners.get(info.terminalId)?.(),
    ...(info.kind === 'agent'
      ? { onOutput: (data: string) => book.noteOutput(info.sessionId, data) }
      : {}),
  })
  instances.set(info.terminalId, instance)
  void instance.attach()
  return instance
}

export function findInstance(terminalId: string): TerminalInstance | undefined {
  return instances.get(terminalId)
}

/** Every terminal this window shows or keeps (for the test hooks). */
export function allInstances(): ReadonlyMap<string, TerminalInstance> {
  return instances
}

/** Where Ctrl/Cmd+F in a terminal goes (its pane's search box). Returns a disposer. */
export function onFind(terminalId: string, listener: () => void): () => void {
  findListeners.set(terminalId, listener)
  return () => {
    if (findListeners.get(terminalId) === listener) findListeners.delete(terminalId)
  }
}

export function disposeInstance(terminalId: string): void {
  const instance = instances.get(terminalId)
  if (!instance) return
  instances.delete(terminalId)
  instance.dispose()
}

/**
 * Scroll the session's agent terminal to the command a tool call typed (`handle`: the command's
 * handle from the tool result's details, when the caller has it). False when this window did not
 * see it typed (it was typed before the page loaded) or its line left the scrollback.
 */
export function revealInstance(
  sessionId: string,
  toolCallId: string,
  handle: string | null = null,
): boolean {
  const target = handle ?? book.handleOf(sessionId, toolCallId)
  if (target === null) return false
  for (const instance of instances.values()) {
    if (instance.sessionId !== sessionId) continue
    if (instance.reveal(target)) return true
  }
  return false
}

/** Whether this window knows where the command of this tool call is in the agent's terminal. */
export function knowsCommand(
  sessionId: string,
  toolCallId: string,
  handle: string | null = null,
): boolean {
  const target = handle ?? book.handleOf(sessionId, toolCallId)
  if (target === null) return false
  for (const instance of instances.values()) {
    if (instance.sessionId === sessionId && instance.marks.get(target) !== null) return true
  }
  return false
}

function closeSession(sessionId: string): void {
  sessions.get(sessionId)?.()
  sessions.delete(sessionId)
  book.forget(sessionId)
  for (const instance of [...instances.values()]) {
    if (instance.sessionId === sessionId) disposeInstance(instance.terminalId)
  }
  useTerminalStore.getState().forget(sessionId)
}
