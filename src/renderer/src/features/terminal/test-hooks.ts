import type { TerminalInstance } from './terminal-instance'

/**
 * What end-to-end tests may read of the terminals, only when the page was started with the test
 * flag (`window.__PADDOCK_TEST__ = true` before the app loads): xterm draws on a canvas when WebGL
 * is there, so the screen's text is not in the DOM to read.
 */
export interface TerminalTestHooks {
  ids(): string[]
  serialize(terminalId: string): string | null
  text(terminalId: string): string | null
  renderer(terminalId: string): string | null
}

declare global {
  interface Window {
    __PADDOCK_TEST__?: boolean
    __paddockTerminals?: TerminalTestHooks
  }
}

export function exposeForTests(instances: ReadonlyMap<string, TerminalInstance>): void {
  if (window.__PADDOCK_TEST__ !== true) return
  window.__paddockTerminals = {
    ids: () => [...instances.keys()],
    serialize: (id) => instances.get(id)?.serialize() ?? null,
    text: (id) => instances.get(id)?.text() ?? null,
    renderer: (id) => instances.get(id)?.renderer ?? null,
  }
}
