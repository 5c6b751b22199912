import { create } from 'zustand'
import type { TerminalInfo } from '../../../../shared/terminals'
import { orderTabs } from './tabs'

/**
 * The Terminal panel's state, per session, outliving the panel (a session-tab switch unmounts it):
 * the session's terminals as the host last described them (`terminals.list`, then `terminal.state`
 * and `terminal.closed` events), the tab shown, and what went wrong.
 */
export interface SessionTerminals {
  /** null until the first `terminals.list` answer. */
  list: TerminalInfo[] | null
  /** The terminal shown; null: the first (the agent's). */
  active: string | null
  /** Why the list could not be loaded (terminals unavailable on this host…). */
  error: string | null
  /** Per terminal: the last failure of a call for it (attach, input, restart…). */
  problems: Record<string, string>
}

/** A request to show the agent's terminal at a command (see reveal.ts). */
export interface RevealRequest {
  toolCallId: string
  /** The command's handle (the bash result's `details.handle`), when the caller knows it. */
  handle: string | null
  /** Distinguishes two requests for the same call, so each one scrolls. */
  nonce: number
}

interface TerminalStoreState {
  sessions: Record<string, SessionTerminals>
  reveals: Record<string, RevealRequest>
  setList(sessionId: string, list: TerminalInfo[]): void
  setError(sessionId: string, message: string | null): void
  /** A terminal's new state (event or call answer); a terminal not yet listed is appended. */
  upsert(info: TerminalInfo): void
  remove(sessionId: string, terminalId: string): void
  setActive(sessionId: string, terminalId: string | null): void
  setProblem(sessionId: string, terminalId: string, message: string | null): void
  requestReveal(sessionId: string, toolCallId: string, handle?: string | null): void
  clearReveal(sessionId: string, nonce: number): void
  forget(sessionId: string): void
}

export const emptySessionTerminals = (): SessionTerminals => ({
  list: null,
  active: null,
  error: null,
  problems: {},
})

/** `list` with `info` put in (replacing the terminal of the same id), agent first. */
export function upsertInfo(list: readonly TerminalInfo[], info: TerminalInfo): TerminalInfo[] {
  const at = list.findIndex((t) => t.terminalId === info.terminalId)
  if (at === -1) return orderTabs([...list, info])
  const next = [...list]
  next[at] = info
  return next
}

let nonce = 0

export const useTerminalStore = create<TerminalStoreState>()((set, get) => {
  const update = (sessionId: string, change: (s: SessionTerminals) => SessionTerminals): void => {
    const prev = get().sessions[sessionId] ?? emptySessionTerminals()
    const next = change(prev)
    if (next !== prev) set({ sessions: { ...get().sessions, [sessionId]: next } })
  }
  return {
    sessions: {},
    reveals: {},
    setList: (sessionId, list) =>
      update(sessionId, (s) => ({ ...s, list: orderTabs(list), error: null })),
    setError: (sessionId, error) =>
      update(sessionId, (s) => (s.error === error ? s : { ...s, error })),
    upsert: (info) =>
      update(info.sessionId, (s) =>
        // Before the first list arrives, the list call's answer is the complete picture.
        s.list === null ? s : { ...s, list: upsertInfo(s.list, info) },
      ),
    remove: (sessionId, terminalId) =>
      update(sessionId, (s) => {
        const { [terminalId]: _gone, ...problems } = s.problems
        return {
          ...s,
          list: s.list?.filter((t) => t.terminalId !== terminalId) ?? null,
          active: s.active === terminalId ? null : s.active,
          problems,
        }
      }),
    setActive: (sessionId, active) =>
      update(sessionId, (s) => (s.active === active ? s : { ...s, active })),
    setProblem: (sessionId, terminalId, message) =>
      update(sessionId, (s) => {
        if ((s.problems[terminalId] ?? null) === message) return s
        const { [terminalId]: _old, ...rest } = s.problems
        return { ...s, problems: message === null ? rest : { ...rest, [terminalId]: message } }
      }),
    requestReveal: (sessionId, toolCallId, handle = null) =>
      set({
        reveals: { ...get().reveals, [sessionId]: { toolCallId, handle, nonce: ++nonce } },
      }),
    clearReveal: (sessionId, n) => {
      if (get().reveals[sessionId]?.nonce !== n) return
      const { [sessionId]: _done, ...rest } = get().reveals
      set({ reveals: rest })
    },
    forget: (sessionId) => {
      const { [sessionId]: _s, ...sessions } = get().sessions
      const { [sessionId]: _r, ...reveals } = get().reveals
      set({ sessions, reveals })
    },
  }
})
