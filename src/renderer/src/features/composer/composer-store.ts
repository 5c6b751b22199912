import { create } from 'zustand'
import type { Mode } from './composer-storage'
import { loadDraft, loadHistory, loadMode, saveHistory, saveMode } from './composer-storage'
import { scheduleDraftSave } from './draft-saver'
import { remember } from './history'

/**
 * The composer's own state, per session, outliving the component (a tab switch unmounts it):
 * drafts, prompt histories, modes (all persisted in this browser) and the model the user picked
 * for the next prompt (the host remembers it once sent). Each session's values are read from
 * storage the first time they are asked for.
 */
interface ComposerState {
  drafts: Record<string, string>
  histories: Record<string, string[]>
  modes: Record<string, Mode>
  /** A model picked in the Model picker and not yet confirmed by the host. */
  models: Record<string, string>
  setDraft(sessionId: string, text: string): void
  /**
   * A message left the box: its draft goes (from storage too), unless something else was typed
   * meanwhile. The draft may be one restored from storage and never edited.
   */
  clearSent(sessionId: string, sent: string): void
  addHistory(sessionId: string, text: string): void
  setMode(sessionId: string, mode: Mode): void
  setModel(sessionId: string, ref: string | null): void
}

export const useComposerStore = create<ComposerState>()((set, get) => ({
  drafts: {},
  histories: {},
  modes: {},
  models: {},
  setDraft: (sessionId, text) => {
    scheduleDraftSave(sessionId, text)
    set({ drafts: { ...get().drafts, [sessionId]: text } })
  },
  clearSent: (sessionId, sent) => {
    if (draftOf(sessionId)(get()) === sent) get().setDraft(sessionId, '')
  },
  addHistory: (sessionId, text) => {
    const next = remember(historyOf(sessionId), text)
    saveHistory(sessionId, next)
    set({ histories: { ...get().histories, [sessionId]: next } })
  },
  setMode: (sessionId, mode) => {
    saveMode(sessionId, mode)
    set({ modes: { ...get().modes, [sessionId]: mode } })
  },
  setModel: (sessionId, ref) => {
    const models = { ...get().models }
    if (ref === null) delete models[sessionId]
    else models[sessionId] = ref
    set({ models })
  },
}))

/** Selectors that fall back to storage for a session not seen yet (they return primitives). */
export const draftOf =
  (sessionId: string) =>
  (s: ComposerState): string =>
    s.drafts[sessionId] ?? loadDraft(sessionId)

export const modeOf =
  (sessionId: string) =>
  (s: ComposerState): Mode =>
    s.modes[sessionId] ?? loadMode(sessionId)

/** The session's prompt history, newest last (read when a key needs it, not subscribed to). */
export function historyOf(sessionId: string): string[] {
  return useComposerStore.getState().histories[sessionId] ?? loadHistory(sessionId)
}
