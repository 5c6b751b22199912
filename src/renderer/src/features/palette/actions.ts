import type { StopReason } from '../../../../shared/entries'
import type { Shortcut } from './shortcuts'
import { paneShortcut, SHORTCUTS } from './shortcuts'

/**
 * The workbench's actions as one registry: what the command palette lists, what Settings →
 * Keyboard shortcuts shows, and what each does. Pure: `buildActions` takes what is true now (the
 * context) and what the actions do (the effects), so availability and filtering are testable
 * without a window; `palette-effects.ts` supplies the real effects.
 */

export type ActionGroup = 'Sessions' | 'Run' | 'Panes' | 'Panels' | 'Settings'

export type PanelName = 'Composer' | 'Transcript' | 'Changes' | 'Terminal' | 'Timeline'

export interface PaletteAction {
  id: string
  label: string
  group: ActionGroup
  /** The key that does the same outside the palette; null when there is none. */
  shortcut: Shortcut | null
  /** Null when it can run now; else why not, in a sentence fragment the palette shows. */
  unavailable: string | null
  /** More words it is found by ("rewind" finds the timeline). */
  keywords?: string
  run(): void
}

/** What is true now, as far as the actions care. */
export interface ActionContext {
  /** The session whose tab is active (and shown), with its title. */
  active: { id: string; title: string; workspaceId: string } | null
  /** Where "New session" creates when no session is active: the first workspace, if any. */
  fallbackWorkspaceId: string | null
  running: boolean
  /** The oldest approval question of the active session not answered yet. */
  pendingApprovalId: string | null
  lastStop: StopReason | null
  compacting: boolean
  /** Sessions there are, in every workspace. */
  sessionCount: number
  /** Panes on screen (0–4), and whether the focused one is maximised. */
  paneCount: number
  maximised: boolean
  /** Settings sections, for one "Settings: <section>" action each (none: only "Open settings"). */
  settingsSections: readonly { id: string; label: string }[]
}

/** What the actions do; `palette-effects.ts` has the real ones, tests pass recorders. */
export interface ActionEffects {
  newSession(workspaceId: string, place: 'in-place' | 'worktree'): void
  openFolder(): void
  goToSession(): void
  renameSession(sessionId: string): void
  deleteSession(sessionId: string): void
  closeTab(sessionId: string): void
  stop(sessionId: string): void
  continueRun(sessionId: string): void
  answer(sessionId: string, approvalId: string, answer: 'allow_once' | 'deny'): void
  compact(sessionId: string): void
  focusPanel(panel: PanelName): void
  openSettings(section?: string): void
  openAgents(): void
  splitRight(): void
  openToSide(): void
  closePane(): void
  toggleMaximised(): void
  cyclePane(step: 1 | -1): void
  focusPane(index: number): void
  togglePanel(sessionId: string, panel: 'changes' | 'terminal' | 'timeline'): void
  setTheme(theme: 'system' | 'light' | 'dark'): void
  openLogsFolder(): void
  openFirstRun(): void
}

/** Stops after which Continue applies from the palette (a spend cap asks in the composer). */
const CONTINUABLE: ReadonlySet<StopReason> = new Set<StopReason>([
  'aborted',
  'interrupted',
  'max_turns',
  'error',
  'context_overflow',
])

const NO_SESSION = 'no session is open'

export const PANELS: readonly PanelName[] = [
  'Composer',
  'Transcript',
  'Changes',
  'Terminal',
  'Timeline',
]

/** Every action, in the palette's order, each available or not as `ctx` says. */
export function buildActions(ctx: ActionContext, fx: ActionEffects): PaletteAction[] {
  const a = ctx.active
  const where = a?.workspaceId ?? ctx.fallbackWorkspaceId
  const needSession = a === null ? NO_SESSION : null
  const actions: PaletteAction[] = [
    {
      id: 'session.new',
      label: 'New session in place',
      group: 'Sessions',
      shortcut: null,
      unavailable: where === null ? 'open a folder first' : null,
      keywords: 'create start',
      run: () => where !== null && fx.newSession(where, 'in-place'),
    },
    {
      id: 'session.newWorktree',
      label: 'New session in a worktree',
      group: 'Sessions',
      shortcut: null,
      unavailable: where === null ? 'open a folder first' : null,
      keywords: 'create start git branch',
      run: () => where !== null && fx.newSession(where, 'worktree'),
    },
    {
      id: 'workspace.open',
      label: 'Open folder…',
      group: 'Sessions',
      shortcut: null,
      unavailable: null,
      keywords: 'workspace add project',
      run: () => fx.openFolder(),
    },
    {
      id: 'session.goTo',
      label: 'Go to session…',
      group: 'Sessions',
      shortcut: SHORTCUTS.goToSession,
      unavailable: ctx.sessionCount === 0 ? 'there are no sessions yet' : null,
      keywords: 'switch open tab',
      run: () => fx.goToSession(),
    },
    {
      id: 'agents.open',
      label: 'Show the Agents view',
      group: 'Sessions',
      shortcut: null,
      unavailable: null,
      keywords: 'overview all sessions waiting approval',
      run: () => fx.openAgents(),
    },
    {
      id: 'session.rename',
      label: 'Rename session',
      group: 'Sessions',
      shortcut: SHORTCUTS.renameSession,
      unavailable: needSession,
      keywords: 'title',
      run: () => a && fx.renameSession(a.id),
    },
    {
      id: 'session.delete',
      label: 'Delete session…',
      group: 'Sessions',
      shortcut: SHORTCUTS.deleteSession,
      unavailable: needSession,
      keywords: 'remove',
      run: () => a && fx.deleteSession(a.id),
    },
    {
      id: 'tab.close',
      label: 'Close tab',
      group: 'Sessions',
      shortcut: SHORTCUTS.closeTab,
      unavailable: needSession,
      run: () => a && fx.closeTab(a.id),
    },
    {
      id: 'run.stop',
      label: 'Stop the agent',
      group: 'Run',
      shortcut: SHORTCUTS.stop,
      unavailable: needSession ?? (ctx.running ? null : 'the agent is not running'),
      keywords: 'abort cancel',
      run: () => a && fx.stop(a.id),
    },
    {
      id: 'run.continue',
      label: 'Continue the run',
      group: 'Run',
      shortcut: null,
      unavailable: needSession ?? continueReason(ctx),
      keywords: 'resume retry',
      run: () => a && fx.continueRun(a.id),
    },
    {
      id: 'approval.approve',
      label: 'Approve the pending request',
      group: 'Run',
      shortcut: SHORTCUTS.approve,
      unavailable:
        needSession ?? (ctx.pendingApprovalId ? null : 'nothing is waiting for approval'),
      keywords: 'allow yes permission',
      run: () => a && ctx.pendingApprovalId && fx.answer(a.id, ctx.pendingApprovalId, 'allow_once'),
    },
    {
      id: 'approval.deny',
      label: 'Deny the pending request',
      group: 'Run',
      shortcut: null,
      unavailable:
        needSession ?? (ctx.pendingApprovalId ? null : 'nothing is waiting for approval'),
      keywords: 'reject no permission',
      run: () => a && ctx.pendingApprovalId && fx.answer(a.id, ctx.pendingApprovalId, 'deny'),
    },
    {
      id: 'timeline.rewind',
      label: 'Rewind…',
      group: 'Run',
      shortcut: null,
      unavailable: needSession,
      keywords: 'restore checkpoint undo timeline',
      run: () => fx.focusPanel('Timeline'),
    },
    {
      id: 'context.compact',
      label: 'Compact the conversation now',
      group: 'Run',
      shortcut: null,
      unavailable:
        needSession ??
        (ctx.running
          ? 'the agent is running'
          : ctx.compacting
            ? 'a compaction is on its way'
            : null),
      keywords: 'context summarise summarize',
      run: () => a && fx.compact(a.id),
    },
    ...paneActions(ctx, fx),
    ...PANELS.map((panel): PaletteAction => ({
      id: `focus.${panel.toLowerCase()}`,
      label: `Focus ${panel.toLowerCase()}`,
      group: 'Panels',
      shortcut: null,
      unavailable: needSession,
      keywords: panel === 'Timeline' ? 'rewind go to' : 'go to',
      run: () => fx.focusPanel(panel),
    })),
    {
      id: 'settings.open',
      label: 'Open settings',
      group: 'Settings',
      shortcut: SHORTCUTS.openSettings,
      unavailable: null,
      keywords: 'preferences options',
      run: () => fx.openSettings(),
    },
    ...ctx.settingsSections.map((s): PaletteAction => ({
      id: `settings.${s.id}`,
      label: `Settings: ${s.label}`,
      group: 'Settings',
      shortcut: null,
      unavailable: null,
      keywords: 'preferences',
      run: () => fx.openSettings(s.id),
    })),
    ...THEMES.map(([theme, label]): PaletteAction => ({
      id: `theme.${theme}`,
      label: `Theme: ${label}`,
      group: 'Settings',
      shortcut: null,
      unavailable: null,
      keywords: 'appearance colour color scheme dark light mode',
      run: () => fx.setTheme(theme),
    })),
    {
      id: 'palette.open',
      label: 'Show all commands',
      group: 'Settings',
      shortcut: SHORTCUTS.commandPalette,
      unavailable: null,
      keywords: 'command palette',
      // The palette is open when this is chosen: there is nothing more to do.
      run: () => undefined,
    },
    {
      id: 'help.setup',
      label: 'Guided setup',
      group: 'Settings',
      shortcut: null,
      unavailable: null,
      keywords: 'first run onboarding connect model provider key welcome',
      run: fx.openFirstRun,
    },
    {
      id: 'help.logs',
      label: 'Open logs folder',
      group: 'Settings',
      shortcut: null,
      unavailable: null,
      keywords: 'help troubleshooting diagnostics report',
      run: fx.openLogsFolder,
    },
  ]
  return actions
}

const THEMES = [
  ['dark', 'dark'],
  ['light', 'light'],
  ['system', 'follow the system'],
] as const

const TOGGLED = [
  ['changes', 'Changes'],
  ['terminal', 'Terminal'],
  ['timeline', 'Timeline'],
] as const

/** Split, close, maximise and move between panes; show or collapse a pane's panels. */
function paneActions(ctx: ActionContext, fx: ActionEffects): PaletteAction[] {
  const a = ctx.active
  const none = a === null ? NO_SESSION : null
  const alone = none ?? (ctx.paneCount < 2 ? 'only one pane is open' : null)
  const pane = (
    id: string,
    label: string,
    shortcut: Shortcut | null,
    unavailable: string | null,
    run: () => void,
    keywords = 'split pane',
  ): PaletteAction => ({ id, label, group: 'Panes', shortcut, unavailable, keywords, run })
  return [
    pane(
      'pane.splitRight',
      'Split right',
      SHORTCUTS.splitRight,
      none,
      fx.splitRight,
      'side by side pane grid',
    ),
    pane(
      'pane.openToSide',
      'Open a session to the side…',
      null,
      ctx.sessionCount < 2 ? 'there is no other session' : none,
      fx.openToSide,
    ),
    pane('pane.close', 'Close pane', null, alone, fx.closePane),
    pane(
      'pane.maximise',
      ctx.maximised ? 'Restore the other panes' : 'Maximise pane',
      SHORTCUTS.maximisePane,
      alone,
      fx.toggleMaximised,
      'focus zoom full',
    ),
    pane('pane.next', 'Focus next pane', SHORTCUTS.nextPane, alone, () => fx.cyclePane(1)),
    pane('pane.previous', 'Focus previous pane', SHORTCUTS.previousPane, alone, () =>
      fx.cyclePane(-1),
    ),
    ...([1, 2, 3, 4] as const).map((n) =>
      pane(
        `pane.focus${n}`,
        `Focus pane ${n}`,
        paneShortcut(n),
        none ?? (n > ctx.paneCount ? `there is no pane ${n}` : null),
        () => fx.focusPane(n - 1),
      ),
    ),
    ...TOGGLED.map(([panel, name]) =>
      pane(
        `panel.toggle.${panel}`,
        `Show or collapse ${name}`,
        null,
        none,
        () => a && fx.togglePanel(a.id, panel),
        'hide panel',
      ),
    ),
  ]
}

function continueReason(ctx: ActionContext): string | null {
  if (ctx.running) return 'the agent is running'
  if (ctx.lastStop === 'spend_cap') return 'past a spend cap, continue from the composer'
  if (ctx.lastStop === null || !CONTINUABLE.has(ctx.lastStop)) return 'the last run finished'
  return null
}

const NO_EFFECTS: ActionEffects = {
  newSession: () => undefined,
  openFolder: () => undefined,
  goToSession: () => undefined,
  renameSession: () => undefined,
  deleteSession: () => undefined,
  closeTab: () => undefined,
  stop: () => undefined,
  continueRun: () => undefined,
  answer: () => undefined,
  compact: () => undefined,
  focusPanel: () => undefined,
  openSettings: () => undefined,
  openAgents: () => undefined,
  splitRight: () => undefined,
  openToSide: () => undefined,
  closePane: () => undefined,
  toggleMaximised: () => undefined,
  cyclePane: () => undefined,
  focusPane: () => undefined,
  togglePanel: () => undefined,
  setTheme: () => undefined,
  openLogsFolder: () => undefined,
  openFirstRun: () => undefined,
}

/** Every action for listing (Settings → Keyboard shortcuts): what they are, not whether they run. */
export function listedActions(): PaletteAction[] {
  return buildActions(
    {
      active: null,
      fallbackWorkspaceId: null,
      running: false,
      pendingApprovalId: null,
      lastStop: null,
      compacting: false,
      sessionCount: 0,
      paneCount: 0,
      maximised: false,
      settingsSections: [],
    },
    NO_EFFECTS,
  )
}
