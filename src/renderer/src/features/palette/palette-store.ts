import { create } from 'zustand'

/** What the palette lists: every action, or every session ("Go to session"). */
export type PaletteMode = 'actions' | 'sessions'

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
