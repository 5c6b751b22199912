import type { AppSlice } from './app-state'

export interface Notice {
  id: number
  message: string
}

export interface NoticesSlice {
  /** Errors the user should see, oldest first. */
  notices: Notice[]
  notify(message: string): void
  dismissNotice(id: number): void
}

/** More than this and the oldest go: a burst of failures must not bury the workbench. */
const MAX_NOTICES = 4

export const createNoticesSlice: AppSlice<NoticesSlice> = (set) => {
  let nextId = 1
  return {
    notices: [],
    notify: (message) =>
      set((s) => ({ notices: [...s.notices, { id: nextId++, message }].slice(-MAX_NOTICES) })),
    dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  }
}
