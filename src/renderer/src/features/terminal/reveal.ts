import { knowsCommand } from './registry'
import { useTerminalStore } from './terminal-store'

/**
 * Show where a `bash` tool call ran: switch the session's Terminal panel to its Agent tab and scroll
 * to the line where the agent typed that command, flashing it. For the transcript's bash card.
 *
 * The scrolling happens once the pane shows the agent's terminal (at once when it already does).
 * Returns whether this window knows the command's place: false for a command typed before the page
 * loaded (the host's restored screen does not carry the marks) — the tab still switches.
 */
export function revealTerminalCommand(
  sessionId: string,
  toolCallId: string,
  /** The bash result's `details.handle`, when known: found even if the call's start was missed. */
  handle: string | null = null,
): boolean {
  const store = useTerminalStore.getState()
  const agent = store.sessions[sessionId]?.list?.find((t) => t.kind === 'agent')
  // null means "the first tab", which is the agent's even before the list has arrived.
  store.setActive(sessionId, agent?.terminalId ?? null)
  store.requestReveal(sessionId, toolCallId, handle)
  return knowsCommand(sessionId, toolCallId, handle)
}
