import { create } from 'zustand'

/**
 * What the palette lists: every action, or every session — to show it ("Go to session") or to
 * open it in a new pane beside the focused one ("Open to the side").
 */
export type PaletteMode = 'actions' | 'sessions' | 'side'

interface PaletteState {
  /** Null while the palette is closed. */
  mode: PaletteMode | null
  open(mode: PaletteMode): void
  close(): void
}

/** Whether the command palette is open, and in which mode. */
export const usePaletteStore = create<PaletteState>()((set) => ({
  mode: null,
  open: (mode) => set({ mode }),
  close: () => set({ mode: null }),
}))
