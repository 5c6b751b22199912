/** IPC channel names of the contract transport (shared by main and preload). */
export const IPC = {
  call: 'paddock:call',
  subscribe: 'paddock:subscribe',
  unsubscribe: 'paddock:unsubscribe',
  event: 'paddock:event',
  replayed: 'paddock:replayed',
  openExternal: 'paddock:open-external',
  /** Renderer → main: show an OS notification (`DesktopNotifyRequest`). */
  notify: 'paddock:notify',
  /** Renderer → main: the dock/taskbar badge count. */
  badge: 'paddock:badge',
  /** Main → renderer: a notification was clicked (`NotificationClick`). */
  notificationClick: 'paddock:notification-click',
  /** Renderer → main (invoke): the update waiting for a restart (`UpdateNotice`). */
  updateGet: 'paddock:update-get',
  /** Main → renderer: the update waiting for a restart changed (`UpdateNotice`). */
  updateNotice: 'paddock:update-notice',
  /** Renderer → main (invoke): restart to install the update (`RestartOutcome`). */
  updateRestart: 'paddock:update-restart',
  /** Renderer → main: open the logs folder in the file manager. */
  openLogsFolder: 'paddock:open-logs-folder',
  /** Renderer → main (invoke): the system's folder dialog; answers a path or null. */
  chooseFolder: 'paddock:choose-folder',
} as const
