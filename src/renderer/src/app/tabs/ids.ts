/** The DOM ids and drag type the tabs and the panes share. */

export const tabId = (sessionId: string): string => `tab-${sessionId}`

/** The id of the pane showing a session (its tab's aria-controls). */
export const panelId = (sessionId: string): string => `session-panel-${sessionId}`

/** The drag type a session tab carries (dropped on a pane, or on another tab to reorder). */
export const SESSION_DRAG_TYPE = 'application/x-paddock-session'
