import { allInstances } from './registry'
import { revealTerminalCommand } from './reveal'

/**
 * What end-to-end tests may reach of the terminals, only when the page was started with the test
 * flag (`window.__PADDOCK_TEST__ = true` before the app loads): xterm draws on a canvas when WebGL
 * is there, so the screen's text is not in the DOM to read; and nothing calls the reveal function
 * from the UI until the transcript's bash card does.
 */
export interface TerminalTestHooks {
  ids(): string[]
  serialize(terminalId: string): string | null
  text(terminalId: string): string | null
  renderer(terminalId: string): string | null
  scrollbarQuiet(terminalId: string): boolean | null
  reveal(sessionId: string, toolCallId: string): boolean
}

declare global {
  interface Window {
    __PADDOCK_TEST__?: boolean
    __paddockTerminals?: TerminalTestHooks
  }
}

export function exposeForTests(): void {
  if (window.__PADDOCK_TEST__ !== true || window.__paddockTerminals) return
  const instances = allInstances()
  window.__paddockTerminals = {
    ids: () => [...instances.keys()],
    serialize: (id) => instances.get(id)?.serialize() ?? null,
    text: (id) => instances.get(id)?.text() ?? null,
    renderer: (id) => instances.get(id)?.renderer ?? null,
    scrollbarQuiet: (id) => instances.get(id)?.scrollbarQuiet ?? null,
    reveal: (sessionId, toolCallId) => revealTerminalCommand(sessionId, toolCallId),
  }
}
