import type { StateCreator } from 'zustand'
import type { HostSlice } from './host-slice'
import type { LiveSlice } from './live-slice'
import type { NoticesSlice } from './notices-slice'
import type { TabsSlice } from './tabs-slice'
import type { UiSlice } from './ui-slice'
import type { WorktreesSlice } from './worktrees-slice'

/** The whole renderer store: the host's state as events describe it, plus this window's UI. */
export type AppState = HostSlice & LiveSlice & TabsSlice & NoticesSlice & UiSlice & WorktreesSlice

export type AppSlice<T> = StateCreator<AppState, [], [], T>
