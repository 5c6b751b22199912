import type { Panel } from '../../../../shared/layout'
import { collapsedOf } from '../../../../shared/layout'
import { createSession } from '../../app/commands'
import { openLogsFolder } from '../../app/logs-folder'
import { chooseFolder } from '../../app/open-folder/choose-folder'
import { chooseTheme } from '../settings/appearance-section'
import { onPanes, splitRight } from '../../app/tabs/split-actions'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { pressApprovalKey } from '../approvals/approval-keys'
import { compactSession, useCompactStore } from '../context/compact-store'
import type { ActionContext, ActionEffects, PanelName } from './actions'
import { usePaletteStore } from './palette-store'
import type { AppState } from '../../app/store'

/**
 * The palette's actions against the real workbench: the same commands, store actions and
 * contract calls the buttons use. Failures become a notice, as elsewhere.
 */

const notify = (message: string): void => useAppStore.getState().notify(message)

/** What can take focus, in document order; `tabindex="-1"` items only when nothing else is. */
const FOCUSABLE =
  'button:not([disabled]), textarea:not([disabled]), input:not([disabled]), select:not([disabled]), a[href], [tabindex]'

const COLLAPSIBLE: Partial<Record<PanelName, Panel>> = {
  Changes: 'changes',
  Terminal: 'terminal',
  Timeline: 'timeline',
}

/** What takes focus in a panel before its first tabbable control. */
const PREFERRED: Partial<Record<PanelName, string>> = {
  Terminal: 'textarea.xterm-helper-textarea',
}

/** The focused pane's session view: where its panels are. */
function sessionView(): HTMLElement | null {
  const pane = useAppStore.getState().layout.focusedPane + 1
  return document.querySelector<HTMLElement>(
    `.main-sessions:not([hidden]) .session-view[data-pane="${pane}"]`,
  )
}

function visible(el: HTMLElement): boolean {
  return el.getClientRects().length > 0
}

/**
 * Put focus in a panel of the shown session: the composer's message field, or the panel's first
 * tabbable control (the transcript's list, the timeline's selected point), else the panel itself.
 */
export function focusPanel(panel: PanelName): void {
  const s = useAppStore.getState()
  if (s.settingsOpen) s.closeSettings()
  if (s.agentsOpen) s.closeAgents()
  // A panel the pane has collapsed (a pane beside others collapses some) is shown first.
  const collapsible = COLLAPSIBLE[panel]
  const active = s.activeTab
  if (collapsible && active !== null) {
    if (collapsedOf(s.layout, active, s.layout.panes.length).includes(collapsible))
      s.togglePanel(active, collapsible)
  }
  // Closing Settings (or expanding the panel) shows it on the next render.
  requestAnimationFrame(() => {
    const view = sessionView()
    if (!view) return
    if (panel === 'Composer') {
      view.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]')?.focus()
      return
    }
    const region = view.querySelector<HTMLElement>(`section[role="region"][aria-label="${panel}"]`)
    if (!region) return
    // The terminal's own input, not its tabs: keys go to the shell.
    const preferred = PREFERRED[panel]
    const input = preferred ? region.querySelector<HTMLElement>(preferred) : null
    if (input && visible(input)) {
      input.focus()
      return
    }
    const candidates = [...region.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(visible)
    const target =
      candidates.find((el) => el.getAttribute('tabindex') !== '-1') ??
      candidates.find((el) => el.getAttribute('aria-selected') === 'true')
    if (target) {
      target.focus()
      return
    }
    region.tabIndex = -1
    region.focus()
  })
}

/** Start deleting the session as its sidebar button does (the same confirmation or refusal). */
function startDelete(sessionId: string): void {
  const title = useAppStore.getState().host.sessions[sessionId]?.title
  const label = `Delete ${title ?? ''}`
  const button = [
    ...document.querySelectorAll<HTMLButtonElement>('.session-item button[aria-label]'),
  ].find((b) => b.getAttribute('aria-label') === label)
  if (button) button.click()
  else notify('Could not find the session in the sidebar to delete it.')
}

export const paletteEffects: ActionEffects = {
  newSession: (workspaceId, place) => createSession(workspaceId, place),
  openFolder: () => void chooseFolder(),
  goToSession: () => usePaletteStore.getState().open('sessions'),
  renameSession: (sessionId) => useAppStore.getState().startRename(sessionId),
  deleteSession: startDelete,
  closeTab: (sessionId) => useAppStore.getState().closeTab(sessionId),
  stop: (sessionId) => {
    useCompactStore.getState().markStopped(sessionId)
    getClient()
      .call('sessions.abort', { sessionId })
      .catch((err: unknown) => notify(`Could not stop the agent: ${errorMessage(err)}`))
  },
  continueRun: (sessionId) => {
    getClient()
      .call('sessions.continue', { sessionId })
      .catch((err: unknown) => notify(`Could not continue: ${errorMessage(err)}`))
  },
  answer: (sessionId, approvalId, answer) => {
    // The card on screen answers as its own key would (it knows an edited proposal).
    if (answer === 'allow_once' && pressApprovalKey(approvalId, 'y')) return
    getClient()
      .call('sessions.answerApproval', { sessionId, approvalId, answer })
      .catch((err: unknown) => notify(`Could not answer the request: ${errorMessage(err)}`))
  },
  compact: (sessionId) => void compactSession(sessionId),
  focusPanel,
  openSettings: (section) => useAppStore.getState().openSettings(section),
  openAgents: () => useAppStore.getState().openAgents(),
  splitRight: () => onPanes(splitRight),
  openToSide: () => usePaletteStore.getState().open('side'),
  closePane: () =>
    onPanes(() => useAppStore.getState().closePane(useAppStore.getState().layout.focusedPane)),
  toggleMaximised: () => onPanes(() => useAppStore.getState().toggleMaximised()),
  cyclePane: (step) => onPanes(() => useAppStore.getState().cyclePane(step)),
  focusPane: (index) => onPanes(() => useAppStore.getState().focusPane(index)),
  setTheme: (theme) =>
    void chooseTheme(theme).then((error) => {
      if (error !== null) notify(`Could not save the theme: ${error}`)
    }),
  togglePanel: (sessionId, panel) =>
    onPanes(() => useAppStore.getState().togglePanel(sessionId, panel)),
  openLogsFolder: () => void openLogsFolder(),
  openFirstRun: () => useAppStore.getState().openFirstRun(),
}

/** What the actions need to know, read from the stores now. */
export function actionContext(
  s: AppState,
  settingsSections: ActionContext['settingsSections'],
): ActionContext {
  const session = s.activeTab === null ? undefined : s.host.sessions[s.activeTab]
  const live = session ? s.live[session.id] : undefined
  const firstWorkspace = Object.values(s.host.workspaces)
    .sort((a, b) => b.lastOpenedAt - a.lastOpenedAt)
    .at(0)
  return {
    active: session
      ? { id: session.id, title: session.title, workspaceId: session.workspaceId }
      : null,
    fallbackWorkspaceId: firstWorkspace?.id ?? null,
    running: live?.running ?? false,
    pendingApprovalId: live?.pendingApprovals[0] ?? null,
    lastStop: live?.lastStop ?? null,
    compacting: session ? session.id in useCompactStore.getState().pending : false,
    sessionCount: Object.keys(s.host.sessions).length,
    paneCount: s.layout.panes.length,
    maximised: s.layout.maximised,
    settingsSections,
  }
}
